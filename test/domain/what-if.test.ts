// The what-if replay with plain values: recorded calls of the INTERcom desk decided again under
// proposed files, the talk the past cannot know said as such, the quota split in counting order,
// callbacks moved, and the period's limits. Also the one mapping from desk file to facts.
import { readFileSync } from 'node:fs'
import t from 'tap'
import {
  NO_DECISIONS,
  callerClient,
  clientRecord,
  configuredContract,
  contractRecord,
  deskFacts,
  deskRecord,
} from '../../src/domain/configured-facts.js'
import { type DeskFile, parseDeskFile } from '../../src/domain/desk-file.js'
import {
  MAX_PERIOD_MONTHS,
  type RecordedCall,
  type RecordedEmailCount,
  type RecordedLeg,
  lastPeriodDay,
  periodProblem,
  planPath,
  proposedConfiguration,
  recordedPath,
  remembered,
  type RecordedEmailRequest,
  replay,
  spokenTalk,
  startReplay,
  talkNote,
  usageDiffers,
} from '../../src/domain/what-if.js'

const intercom = (): DeskFile => {
  const parsed = parseDeskFile(JSON.parse(readFileSync(new URL('../../db/desks/intercom.json', import.meta.url), 'utf8')))
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors))
  return parsed.file
}
const DESK = '+21321000000'
const ACME = '+213661000001'
const DJURDJURA = '+213555000001'
const STRANGER = '+213699999999'

const leg = (at: string, talkSeconds: number, split: Partial<RecordedLeg> = {}): RecordedLeg => ({
  month: '2026-11',
  talkSeconds,
  includedSeconds: talkSeconds,
  overageSeconds: 0,
  graceSeconds: 0,
  onCall: false,
  onCallSeconds: 0,
  consented: false,
  countedAt: new Date(at),
  ...split,
})

let sids = 0
const recorded = (at: string, from: string, fields: Partial<RecordedCall> = {}): RecordedCall => ({
  callSid: `CA${String(++sids).padStart(4, '0')}`,
  from,
  to: DESK,
  startedAt: new Date(at),
  deskId: 'intercom',
  clientId: from === ACME ? 'acme' : from === DJURDJURA ? 'djurdjura' : null,
  decision: 'dial',
  outcome: 'answered',
  legs: [],
  callback: null,
  ...fields,
})

const stored = new Map([['acme/intercom/2026-01-15', { id: 1, noticeGivenOn: null }]])
const period = { from: '2026-11-01', to: '2026-11-28' }
const run = (file: DeskFile, calls: RecordedCall[], within = period) =>
  replay({ file, managers: new Map(), contracts: stored, calls, period: within })

t.test('the mapping from desk file to facts', async (t) => {
  const file = intercom()
  const desk = file.desks[0]
  if (!desk) throw new Error('a desk')
  const record = deskRecord(desk)
  t.match(record, { id: 'intercom', country: 'DZ', weekly: desk.schedule.weekly, closures: desk.schedule.holidays.closures })
  const facts = deskFacts(record, {
    ...NO_DECISIONS,
    closures: [{ start: '2026-11-21', name: 'Inventaire' }],
  })
  t.ok(facts.calendar.holidayOverrides.length > 0, "Algeria's observed dates come with the desk")
  t.equal(facts.calendar.closures.length, 2, "the file's closure and the managers'")
  t.equal(deskFacts({ ...record, country: 'FR' }, NO_DECISIONS).calendar.country, 'FR')
  t.equal(deskFacts({ ...record, country: 'XX' }, NO_DECISIONS).calendar.country, null, 'an unknown country has no holidays')

  const [client] = file.clients
  const [contract] = client?.contracts ?? []
  if (!client || !contract) throw new Error('a contract')
  t.notOk('noticeGivenOn' in contractRecord('acme', contract), 'no notice unless the file states one')
  t.equal(contractRecord('acme', { ...contract, noticeGivenOn: '2026-09-01' }).noticeGivenOn, '2026-09-01')
  t.match(configuredContract(7, contractRecord('acme', contract)), {
    id: 7,
    deskId: 'intercom',
    quotaSeconds: 18_000,
    terms: { noticeGivenOn: null },
  })
  t.same(callerClient({ id: 'x', name: 'X', suspended: false }), {
    id: 'x',
    name: 'X',
    language: null,
    suspended: false,
    suspendedReason: null,
  })
  t.match(clientRecord(client), { id: 'acme', active: true, language: null })
})

t.test('the paths of recorded decisions and of plans', async (t) => {
  t.equal(recordedPath({ decision: 'dial', outcome: 'no_answer' }), 'routed')
  t.equal(recordedPath({ decision: 'voicemail', outcome: 'voicemail' }), 'routed')
  t.equal(recordedPath({ decision: 'ask_overage', outcome: 'abandoned' }), 'asked_overage')
  t.equal(recordedPath({ decision: 'closed', outcome: 'closed_holiday' }), 'closed_holiday')
  t.equal(recordedPath({ decision: 'closed', outcome: 'answered' }), 'closed_hours', 'an on-call call was closed')
  t.equal(recordedPath({ decision: 'hangup', outcome: 'suspended' }), 'suspended')
  t.equal(recordedPath({ decision: 'pending', outcome: null }), null, 'no decision, nothing to compare')
  t.equal(
    planPath({ kind: 'voicemail', say: [], voicemail: { prompt: { text: '', language: 'fr-FR' }, maxSeconds: 60 } }),
    'routed',
  )
  t.equal(planPath({ kind: 'ask_overage', say: [] }), 'asked_overage')
  t.equal(planPath({ kind: 'hangup', outcome: 'no_contract', say: [] }), 'no_contract')
})

t.test('talk the past can and cannot know', async (t) => {
  t.equal(spokenTalk(45), '45 s')
  t.equal(spokenTalk(720), '12 min')
  t.same(talkNote('closed_hours', 'routed', 0), { seconds: null, note: 'would have been routed, talk unknown' })
  t.same(talkNote('quota_refused', 'asked_overage', 0), {
    seconds: null,
    note: 'would have been asked to accept billing, talk unknown',
  })
  t.same(talkNote('routed', 'closed_holiday', 720), { seconds: 720, note: 'would not have been served: 12 min' })
  t.same(talkNote('asked_overage', 'routed', 0), { seconds: null, note: 'would have been routed without asking, talk unknown' })
  t.same(talkNote('asked_overage', 'routed', 300), { seconds: 300, note: 'would have been routed without asking: 5 min' })
  t.same(talkNote('routed', 'asked_overage', 300), { seconds: 300, note: 'would have been asked to accept billing first: 5 min' })
  t.same(talkNote('closed_hours', 'no_contract', 0), { seconds: 0, note: 'not served either way' })
})

t.test('the proposed configuration: ids kept, notices kept, new contracts apart, agents on duty', async (t) => {
  const file = intercom()
  file.agents.push({ id: 'both', name: 'Both', number: '+213550000010', desks: ['intercom', 'intercom'], onDuty: true })
  const acme = file.clients.find((client) => client.id === 'acme')
  acme?.contracts.push({ ...(acme.contracts[0] as DeskFile['clients'][number]['contracts'][number]), start: '2027-01-15' })
  const oasis = new Map([
    ['oasis/intercom/2024-03-01', { id: 5, noticeGivenOn: '2020-01-01' }],
    ['atlas/intercom/2025-09-01', { id: 2, noticeGivenOn: '2026-05-01' }],
  ])
  const proposed = proposedConfiguration(file, new Map(), oasis)
  const contracts = (number: string) => proposed.callersByNumber.get(number)?.contracts ?? []
  t.match(contracts(ACME), [{ id: -1 }, { id: -2 }], 'contracts the database does not hold get ids of their own')
  t.match(contracts('+21323000000'), [{ id: 5, terms: { noticeGivenOn: '2024-10-15' } }], "the file's notice over the stored one")
  t.match(contracts('+213770000001'), [{ id: 2, terms: { noticeGivenOn: '2026-05-01' } }], 'a stored notice stays')
  t.same(
    proposed.agentsByDesk.get('intercom')?.map((agent) => agent.id),
    ['amina', 'karim', 'both', 'both'],
    'agents on duty only, in file order',
  )
})

t.test('the file in force reproduces every decision and the month', async (t) => {
  const calls = [
    recorded('2026-11-21T10:00:00+01:00', ACME, { legs: [leg('2026-11-21T10:12:00+01:00', 720)] }),
    // the same instant: the order of their sids decides, both ways
    recorded('2026-11-21T10:30:00+01:00', ACME, { callSid: 'CB2', legs: [leg('2026-11-21T10:40:00+01:00', 600)] }),
    recorded('2026-11-21T10:30:00+01:00', ACME, { callSid: 'CB1', decision: 'voicemail', outcome: 'voicemail' }),
    recorded('2026-11-26T10:00:00+01:00', ACME, {
      decision: 'closed',
      outcome: 'answered',
      legs: [leg('2026-11-26T10:05:00+01:00', 300, { onCall: true, includedSeconds: 0, onCallSeconds: 300 })],
    }),
    recorded('2026-11-26T11:00:00+01:00', ACME, { decision: 'closed', outcome: 'closed_hours' }),
    recorded('2026-11-26T11:00:00+01:00', STRANGER, { decision: 'hangup', outcome: 'unknown_caller' }),
    recorded('2026-11-26T12:00:00+01:00', ACME, { decision: 'pending', outcome: null }),
    recorded('2026-11-22T10:00:00+01:00', ACME, {
      to: '+21300000000',
      deskId: null,
      clientId: null,
      decision: 'hangup',
      outcome: 'failed',
    }),
    // before the period, in its month: replayed for the quota, not reported
    recorded('2026-11-02T10:00:00+01:00', ACME, { legs: [leg('2026-11-02T09:00:00+01:00', 60)] }),
    // outside the months replayed
    recorded('2026-10-31T10:00:00+01:00', ACME),
    recorded('2026-11-29T10:00:00+01:00', ACME),
  ]
  const result = run(intercom(), calls, { from: '2026-11-03', to: '2026-11-28' })
  t.equal(result.calls, 7, 'the period’s decided calls')
  t.equal(result.undecided, 1, 'the one whose decision never arrived')
  t.same(result.changed, [], 'nothing would change')
  t.same(result.usage, [
    {
      clientId: 'acme',
      desk: 'intercom',
      month: '2026-11',
      recorded: { includedSeconds: 1380, billableSeconds: 0, graceSeconds: 0, onCallSeconds: 300 },
      wouldBe: { includedSeconds: 1380, billableSeconds: 0, graceSeconds: 0, onCallSeconds: 300 },
    },
  ])
  t.match(result.summary, { closedByClient: [{ clientId: 'acme', calls: 2, newlyClosed: 0 }], secondsMovedBeyondQuota: 0 })
  // Without the on-call line, its talk would not have happened; open on Thursdays, it would be the agents' (unknown).
  const noOnCall = intercom()
  const desk = noOnCall.desks[0]
  if (desk) desk.options.onCall = null
  t.match(run(noOnCall, calls, { from: '2026-11-03', to: '2026-11-28' }).usage, [
    { recorded: { onCallSeconds: 300 }, wouldBe: { includedSeconds: 1380, onCallSeconds: 0 } },
  ])
})

t.test('a lower quota: talk split in the order it was counted, a refused call, usage of several months', async (t) => {
  const file = intercom()
  const djurdjura = file.clients.find((client) => client.id === 'djurdjura')?.contracts[0]
  if (!djurdjura) throw new Error('a contract')
  djurdjura.monthlyQuotaMinutes = 10
  djurdjura.billingIncrementSeconds = 60
  const first = recorded('2026-11-21T10:00:00+01:00', DJURDJURA, { legs: [leg('2026-11-21T10:20:00+01:00', 590)] })
  // begins while the first is still talking: the quota it meets is the one before the first is counted
  const second = recorded('2026-11-21T10:05:00+01:00', DJURDJURA, { legs: [leg('2026-11-21T10:06:00+01:00', 30)] })
  const third = recorded('2026-11-21T10:30:00+01:00', DJURDJURA, { legs: [leg('2026-11-21T10:35:00+01:00', 100)] })
  const october = recorded('2026-10-31T10:00:00+01:00', DJURDJURA, {
    legs: [leg('2026-10-31T10:05:00+01:00', 100, { month: '2026-10' })],
  })
  const result = replay({
    file,
    managers: new Map(),
    contracts: stored,
    calls: [third, first, second, october],
    period: { from: '2026-10-31', to: '2026-11-28' },
  })
  t.match(result.changed, [{ callSid: third.callSid, outcome: 'answered', wouldBe: 'quota_refused', talk: { seconds: 100 } }])
  t.equal(result.changed.length, 1, 'the first two began under the quota')
  t.same(
    result.usage.map((row) => [row.month, row.wouldBe]),
    [
      ['2026-10', { includedSeconds: 120, billableSeconds: 0, graceSeconds: 0, onCallSeconds: 0 }],
      ['2026-11', { includedSeconds: 600, billableSeconds: 0, graceSeconds: 60, onCallSeconds: 0 }],
    ],
    "October whole, November split at 10 minutes by started minute: 600 included, and the 60 s beyond are refuse's grace, never billable",
  )
  t.equal(result.summary.secondsMovedBeyondQuota, 0)
  djurdjura.overage = 'bill'
  const billed = replay({
    file,
    managers: new Map(),
    contracts: stored,
    calls: [third, first, second],
    period: { from: '2026-11-01', to: '2026-11-28' },
  })
  t.same(
    billed.usage.map((row) => row.wouldBe),
    [{ includedSeconds: 600, billableSeconds: 180, graceSeconds: 0, onCallSeconds: 0 }],
    'billed instead: 60 + 120 s beyond, counted by the minute',
  )
  t.equal(billed.summary.secondsMovedBeyondQuota, 180)
  t.equal(billed.summary.minutesMovedBeyondQuota, 3)
})

t.test('usage rows sort by month, client and desk; a call served only now counts nothing', async (t) => {
  const file = intercom()
  const annex = structuredClone(file.desks[0] as DeskFile['desks'][number])
  file.desks.push({ ...annex, id: 'annex', numbers: ['+21321000099'] })
  for (const client of file.clients)
    client.contracts.push({ ...(client.contracts[0] as DeskFile['clients'][number]['contracts'][number]), desk: 'annex' })
  const acme = (at: string, to: string, deskId: string) => recorded(at, ACME, { to, deskId, legs: [leg(at, 60)] })
  const result = run(
    file,
    [
      acme('2026-11-21T10:00:00+01:00', '+21321000099', 'annex'),
      acme('2026-11-21T11:00:00+01:00', DESK, 'intercom'),
      recorded('2026-11-21T11:30:00+01:00', DJURDJURA, { legs: [leg('2026-11-21T11:35:00+01:00', 60)] }),
      // an answered call recorded without its client: it counts as it would be, not as recorded
      recorded('2026-11-22T10:00:00+01:00', DJURDJURA, { clientId: null, legs: [leg('2026-11-22T10:05:00+01:00', 30)] }),
      // refused then, routed now: its talk is unknown and counts nothing
      recorded('2026-11-23T10:00:00+01:00', ACME, { decision: 'hangup', outcome: 'quota_refused' }),
      // Atlas's only calls, recorded without the client: rows of their own, the earlier month first
      recorded('2026-11-24T10:00:00+01:00', '+213770000001', { legs: [leg('2026-11-24T10:05:00+01:00', 30)] }),
      recorded('2026-10-31T10:00:00+01:00', '+213770000001', {
        legs: [leg('2026-10-31T10:05:00+01:00', 30, { month: '2026-10' })],
      }),
    ],
    { from: '2026-10-31', to: '2026-11-28' },
  )
  t.same(
    result.usage.map((row) => `${row.month} ${row.clientId}/${row.desk}`),
    [
      '2026-10 atlas/intercom',
      '2026-11 acme/annex',
      '2026-11 acme/intercom',
      '2026-11 atlas/intercom',
      '2026-11 djurdjura/intercom',
    ],
  )
  t.same(
    result.usage[0]?.recorded,
    { includedSeconds: 0, billableSeconds: 0, graceSeconds: 0, onCallSeconds: 0 },
    'recorded with no client: nothing recorded for Atlas',
  )
  t.same(result.usage[4]?.recorded, { includedSeconds: 60, billableSeconds: 0, graceSeconds: 0, onCallSeconds: 0 })
  t.same(result.usage[4]?.wouldBe, { includedSeconds: 90, billableSeconds: 0, graceSeconds: 0, onCallSeconds: 0 })
  t.match(result.changed, [{ outcome: 'quota_refused', wouldBe: 'routed', talk: { seconds: null } }])
})

t.test('a proposed closure: answered calls not served, a call closed by hours now by the closure, callbacks moved', async (t) => {
  const file = intercom()
  file.desks[0]?.schedule.holidays.closures.push({ start: '2026-11-21', name: 'Inventaire' })
  const answered = recorded('2026-11-21T10:00:00+01:00', ACME, { legs: [leg('2026-11-21T10:12:00+01:00', 720)] })
  const evening = recorded('2026-11-21T18:00:00+01:00', ACME, { decision: 'closed', outcome: 'closed_hours' })
  const voicemail = recorded('2026-11-21T11:00:00+01:00', ACME, {
    decision: 'voicemail',
    outcome: 'voicemail',
    callback: { id: 9, createdAt: new Date('2026-11-21T11:01:00+01:00'), dueAt: new Date('2026-11-25T11:00:00+01:00') },
  })
  const lost = recorded('2026-11-24T11:00:00+01:00', STRANGER, {
    to: '+21300000000',
    deskId: 'intercom',
    clientId: 'acme',
    decision: 'voicemail',
    outcome: 'voicemail',
    callback: { id: 10, createdAt: new Date('2026-11-24T11:01:00+01:00'), dueAt: null },
  })
  const kept = recorded('2026-11-24T11:00:00+01:00', ACME, {
    decision: 'hangup',
    outcome: 'quota_refused',
    callback: { id: 11, createdAt: new Date('2026-11-24T11:01:00+01:00'), dueAt: null },
  })
  const sunday = recorded('2026-11-22T18:00:00+01:00', ACME, { decision: 'closed', outcome: 'closed_holiday' })
  const unrecorded = recorded('2026-11-22T10:00:00+01:00', ACME, {
    deskId: null,
    clientId: null,
    decision: 'hangup',
    outcome: 'failed',
  })
  const nowhere = recorded('2026-11-22T11:00:00+01:00', ACME, {
    to: '+21300000000',
    deskId: null,
    callback: { id: 12, createdAt: new Date('2026-11-22T11:01:00+01:00'), dueAt: new Date('2026-11-24T11:00:00+01:00') },
  })
  const result = run(file, [answered, evening, voicemail, lost, kept, sunday, unrecorded, nowhere])
  t.match(result.changed, [
    { callSid: answered.callSid, wouldBe: 'closed_closure', talk: { seconds: 720, note: 'would not have been served: 12 min' } },
    { callSid: voicemail.callSid, wouldBe: 'closed_closure', talk: { seconds: 0 } },
    { callSid: evening.callSid, outcome: 'closed_hours', wouldBe: 'closed_closure', talk: { note: 'not served either way' } },
    { callSid: unrecorded.callSid, clientId: 'acme', desk: 'intercom', wouldBe: 'routed' },
    { callSid: nowhere.callSid, clientId: 'acme', desk: null, wouldBe: 'failed' },
    { callSid: sunday.callSid, outcome: 'closed_holiday', wouldBe: 'closed_hours' },
    // recorded at a desk, dialled on a number the file gives no desk: said as such
    { callSid: lost.callSid, clientId: 'acme', desk: 'intercom', wouldBe: 'unknown_desk' },
    { callSid: kept.callSid, wouldBe: 'routed' },
  ])
  t.match(result.callbacks, [
    { callbackId: 9, dueAt: '2026-11-25T10:00:00.000Z' },
    { callbackId: 12, wouldBeDueAt: null },
    { callbackId: 11, dueAt: null },
  ])
  t.equal(result.callbacks.length, 3, 'a request that had no due time and would have none does not move')
  t.match(
    result.summary.closedByClient,
    [{ clientId: 'acme', calls: 4, newlyClosed: 2 }],
    'four ACME calls would meet a closed desk, two of them served then',
  )
})

t.test("e-mail requests: due in the proposed desk's working hours, those of the period only", async (t) => {
  const saturday = { id: 7, deskId: 'intercom', createdAt: new Date('2026-11-21T10:00:00+01:00'), dueAt: null }
  const october = { id: 8, deskId: 'intercom', createdAt: new Date('2026-10-31T10:00:00+01:00'), dueAt: null }
  const withRequests = (file: DeskFile, emailRequests: RecordedEmailRequest[]) =>
    replay({ file, managers: new Map(), contracts: stored, calls: [], period, emailRequests }).emailRequests
  const [inForce] = withRequests(intercom(), [saturday, october])
  t.match(inForce, { requestId: 7, desk: 'intercom', dueAt: null }, 'only the period’s request, due somewhere')
  const due = new Date(inForce?.wouldBeDueAt ?? '')
  t.equal(due.toISOString(), '2026-11-25T13:15:00.000Z', '24 of INTERcom’s working hours after Saturday 10:00: Wednesday 14:15')
  t.same(withRequests(intercom(), [{ ...saturday, dueAt: due }]), [], 'the file in force moves nothing')
  const sooner = intercom()
  const desk = sooner.desks[0]
  if (desk) desk.options = { ...desk.options, emailWithinWorkingHours: 8 }
  t.match(withRequests(sooner, [{ ...saturday, dueAt: due }]), [
    { requestId: 7, dueAt: due.toISOString(), wouldBeDueAt: '2026-11-22T13:00:00.000Z' },
  ])
  const gone = withRequests(intercom(), [{ ...saturday, deskId: 'elsewhere', dueAt: due }])
  t.match(gone, [{ requestId: 7, desk: 'elsewhere', wouldBeDueAt: null }], 'a desk the file no longer has')
  // dated in its own zone, as stored: 23:30 UTC on 28 November (in the period) is 00:30 on the 29th in Algiers
  const late = { ...saturday, deskId: 'elsewhere', createdAt: new Date('2026-11-28T23:30:00Z'), dueAt: due }
  const zoned = replay({
    file: intercom(),
    managers: new Map(),
    contracts: stored,
    calls: [],
    period,
    emailRequests: [late],
    deskZones: new Map([['elsewhere', 'Africa/Algiers']]),
  }).emailRequests
  t.same(zoned, [], 'the 29th there: after the period, not reported')
})

t.test("a desk the file drops, a client it drops: the past meets today's apology", async (t) => {
  const file = intercom()
  file.clients = file.clients.filter((client) => client.id !== 'acme')
  const result = run(file, [recorded('2026-11-21T10:00:00+01:00', ACME, { legs: [leg('2026-11-21T10:05:00+01:00', 60)] })])
  t.match(result.changed, [{ clientId: 'acme', wouldBe: 'unknown_caller' }])
  t.same(result.usage[0]?.wouldBe, { includedSeconds: 0, billableSeconds: 0, graceSeconds: 0, onCallSeconds: 0 })
  t.equal(result.summary.secondsMovedBeyondQuota, 0)
  const none = run({ ...file, desks: [], agents: [], clients: [] }, [recorded('2026-11-21T10:00:00+01:00', ACME)])
  t.match(none.changed, [{ desk: 'intercom', wouldBe: 'unknown_desk' }])
  t.equal(none.summary.unknownDeskCalls, 1, 'the calls of a desk the file drops are counted apart')
})

t.test('a desk the file drops: its calls dated in its own zone, not in UTC', async (t) => {
  const file = { ...intercom(), desks: [], agents: [] }
  // 00:30 on 1 December in Algiers is still 30 November in UTC
  const late = recorded('2026-11-30T23:30:00Z', ACME)
  const december = { from: '2026-12-01', to: '2026-12-02' }
  const zoned = replay({
    file,
    managers: new Map(),
    contracts: stored,
    calls: [late],
    period: december,
    deskZones: new Map([['intercom', 'Africa/Algiers']]),
  })
  t.match(zoned.changed, [{ callSid: late.callSid, wouldBe: 'unknown_desk' }], 'a call of 1 December where the desk is')
  t.equal(run(file, [late], december).calls, 0, 'with no zone known, UTC: 30 November, outside the period')
})

t.test("e-mail answers' minutes: counted where they were among the talk, in the contract that counts them", async (t) => {
  const counting = (change?: (file: DeskFile) => void) => {
    const file = intercom()
    for (const client of file.clients) for (const contract of client.contracts) contract.emailMinutesCountIntoQuota = true
    change?.(file)
    return file
  }
  const email = (at: string, seconds: number, fields: Partial<RecordedEmailCount> = {}): RecordedEmailCount => ({
    requestId: 1,
    clientId: 'acme',
    deskId: 'intercom',
    month: at.slice(0, 7),
    seconds,
    includedSeconds: seconds,
    overageSeconds: 0,
    graceSeconds: 0,
    countedAt: new Date(at),
    ...fields,
  })
  // 4 h 55 of talk, then a 10-minute answer across the 5-hour quota, then a 2-minute call all beyond (bill).
  const calls = [
    recorded('2026-11-03T10:00:00+01:00', ACME, { legs: [leg('2026-11-03T15:00:00+01:00', 17_700)] }),
    recorded('2026-11-09T10:00:00+01:00', ACME, {
      legs: [leg('2026-11-09T10:03:00+01:00', 120, { includedSeconds: 0, overageSeconds: 120 })],
    }),
  ]
  const emails = [
    // before the months replayed: not read
    email('2026-10-20T10:00:00+01:00', 600),
    email('2026-11-04T10:00:00+01:00', 600, { includedSeconds: 300, overageSeconds: 300 }),
    // a desk the file no longer has, a client without a contract on the desk: as recorded only
    email('2026-11-06T10:00:00+01:00', 60, { deskId: 'gone' }),
    email('2026-11-06T11:00:00+01:00', 60, { clientId: 'nobody' }),
    // a desk never stored either: dated in UTC
    email('2026-11-06T12:00:00+01:00', 60, { deskId: 'unknown' }),
  ]
  const replayOf = (file: DeskFile) =>
    replay({
      file,
      managers: new Map(),
      contracts: stored,
      calls,
      emailCounts: emails,
      deskZones: new Map([['gone', 'Africa/Algiers']]),
      period,
    })
  const acme = (rows: { clientId: string; desk: string }[]) =>
    rows.filter((row) => row.clientId === 'acme' && row.desk === 'intercom')
  const same = replayOf(counting())
  t.same(same.changed, [])
  t.same(acme(same.usage), [
    {
      clientId: 'acme',
      desk: 'intercom',
      month: '2026-11',
      recorded: { includedSeconds: 18_000, billableSeconds: 420, graceSeconds: 0, onCallSeconds: 0 },
      wouldBe: { includedSeconds: 18_000, billableSeconds: 420, graceSeconds: 0, onCallSeconds: 0 },
    },
  ])
  t.match(
    same.usage.filter((row) => row.desk !== 'intercom' || row.clientId === 'nobody'),
    [
      { desk: 'gone', recorded: { includedSeconds: 60 }, wouldBe: { includedSeconds: 0 } },
      { desk: 'unknown', recorded: { includedSeconds: 60 }, wouldBe: { includedSeconds: 0 } },
      { clientId: 'nobody', recorded: { includedSeconds: 60 }, wouldBe: { includedSeconds: 0 } },
    ],
  )
  t.match(acme(replayOf(intercom()).usage), [{ wouldBe: { includedSeconds: 17_820, billableSeconds: 0 } }], 'not counted')
  // a revised quota from 1 November (termsForMonth): 4 h 59, so the answer is 4 minutes in, 6 beyond
  const revised = replayOf(
    counting((file) => {
      const contract = file.clients[0]?.contracts[0]
      // (and a change after the period, which the days replayed do not reach)
      if (contract)
        contract.changes = [
          { from: '2026-11-01', monthlyQuotaMinutes: 299 },
          { from: '2026-12-01', monthlyQuotaMinutes: 100 },
        ]
    }),
  )
  t.match(acme(revised.usage), [{ wouldBe: { includedSeconds: 17_940, billableSeconds: 480 } }])
  // a contract not in force then: nothing counted
  const later = replayOf(
    counting((file) => {
      const contract = file.clients[0]?.contracts[0]
      if (contract) contract.start = '2026-12-01'
    }),
  )
  t.match(acme(later.usage), [{ wouldBe: { includedSeconds: 0, billableSeconds: 0 } }])
})

t.test('a usage row differs when any of its four figures does', async (t) => {
  const zero = { includedSeconds: 0, billableSeconds: 0, graceSeconds: 0, onCallSeconds: 0 }
  t.notOk(usageDiffers({ recorded: zero, wouldBe: { ...zero } }))
  for (const key of Object.keys(zero) as (keyof typeof zero)[])
    t.ok(usageDiffers({ recorded: zero, wouldBe: { ...zero, [key]: 60 } }), key)
})

t.test('legs counted in the same millisecond count in the order of their calls', async (t) => {
  const file = intercom()
  const acme = file.clients[0]?.contracts[0]
  if (acme) acme.monthlyQuotaMinutes = 10
  const calls = [
    recorded('2026-11-09T10:00:00+01:00', ACME, { legs: [leg('2026-11-09T10:20:00+01:00', 400)] }),
    recorded('2026-11-09T10:05:00+01:00', ACME, { legs: [leg('2026-11-09T10:20:00+01:00', 400)] }),
  ]
  const first = run(file, calls)
  t.match(first.usage, [{ clientId: 'acme', wouldBe: { includedSeconds: 600, billableSeconds: 200 } }])
  t.same(run(file, calls), first, 'the same answer every time')
})

t.test('fed in batches, the replay answers as fed at once; calls must come in order', async (t) => {
  const file = intercom()
  for (const contract of file.clients.flatMap((client) => client.contracts))
    Object.assign(contract, { monthlyQuotaMinutes: 10, overage: 'refuse' })
  // talk counted after later calls began: the quota a call meets depends on the order of events
  const calls = Array.from({ length: 12 }, (_, i) =>
    recorded(`2026-11-2${1 + Math.floor(i / 4)}T1${i % 4}:00:00+01:00`, i % 2 ? ACME : DJURDJURA, {
      legs: [leg(`2026-11-2${1 + Math.floor(i / 4)}T1${i % 4}:55:00+01:00`, 200 + i * 10)],
    }),
  )
  const whole = run(file, calls)
  t.ok(whole.changed.length > 0, 'quotas of 10 minutes refuse some calls')
  for (const size of [1, 2, 5]) {
    const fed = startReplay({ file, managers: new Map(), contracts: stored, period })
    for (let at = 0; at < calls.length; at += size) fed.add(calls.slice(at, at + size))
    t.same(fed.finish(), whole, `in batches of ${size}`)
  }
  const backwards = startReplay({ file, managers: new Map(), contracts: stored, period })
  backwards.add(calls.slice(4, 5))
  t.throws(() => backwards.add(calls.slice(0, 1)), /in order of start/)
})

t.test('remembered: computed once per key, forgotten all at once beyond its limit', async (t) => {
  const computed: string[] = []
  const upper = remembered((key) => {
    computed.push(key)
    return key === 'none' ? null : key.toUpperCase()
  }, 2)
  t.same(['a', 'a', 'none', 'none', 'b', 'a'].map(upper), ['A', 'A', null, null, 'B', 'A'])
  t.same(computed, ['a', 'none', 'b', 'a'], "null is remembered too; 'a' forgotten when 'b' came beyond the limit")
})

t.test('a consent under ask counts as consented talk; under bill as plain talk', async (t) => {
  const consentedCall = () =>
    recorded('2026-11-21T10:00:00+01:00', ACME, {
      legs: [leg('2026-11-21T10:05:00+01:00', 120, { consented: true, includedSeconds: 0, overageSeconds: 120 })],
    })
  const asked = intercom()
  for (const contract of asked.clients.flatMap((client) => client.contracts))
    Object.assign(contract, { monthlyQuotaMinutes: 0, overage: 'ask' })
  const billed = intercom()
  for (const contract of billed.clients.flatMap((client) => client.contracts))
    Object.assign(contract, { monthlyQuotaMinutes: 0, overage: 'bill' })
  const acme = (result: ReturnType<typeof run>) => result.usage.find((row) => row.clientId === 'acme')?.wouldBe
  t.same(
    acme(run(asked, [consentedCall()])),
    { includedSeconds: 0, billableSeconds: 120, graceSeconds: 0, onCallSeconds: 0 },
    'under ask: billable after the yes',
  )
  t.same(
    acme(run(billed, [consentedCall()])),
    { includedSeconds: 0, billableSeconds: 120, graceSeconds: 0, onCallSeconds: 0 },
    'under bill: billable anyway',
  )
})

t.test('the clients most affected: calls newly closed plus minutes moved across the quota, then calls changed', async (t) => {
  const file = intercom()
  file.desks[0]?.schedule.holidays.closures.push({ start: '2026-11-21', name: 'Inventaire' })
  const acme = file.clients.find((client) => client.id === 'acme')
  for (const contract of acme?.contracts ?? []) Object.assign(contract, { monthlyQuotaMinutes: 1, overage: 'bill' })
  const result = run(file, [
    recorded('2026-11-21T10:00:00+01:00', DJURDJURA, { legs: [leg('2026-11-21T10:05:00+01:00', 300)] }),
    recorded('2026-11-21T11:00:00+01:00', DJURDJURA, { legs: [leg('2026-11-21T11:05:00+01:00', 300)] }),
    recorded('2026-11-24T10:00:00+01:00', ACME, { legs: [leg('2026-11-24T10:30:00+01:00', 1800)] }),
    recorded('2026-11-24T11:00:00+01:00', ACME, { decision: 'hangup', outcome: 'quota_refused' }),
  ])
  t.match(result.mostAffected, [
    { clientId: 'acme', changedCalls: 1, newlyClosed: 0, secondsMovedBeyondQuota: 1740, minutesMovedBeyondQuota: 29 },
    { clientId: 'djurdjura', changedCalls: 2, newlyClosed: 2, secondsMovedBeyondQuota: 0 },
  ])
  t.equal(result.mostAffected.length, 2, 'clients with nothing changed are left out')
})

t.test('the period: ordered, at most 24 months, not in the future', async (t) => {
  const now = new Date('2026-11-28T12:00:00+01:00')
  t.equal(periodProblem({ from: '2026-11-01', to: '2026-11-28' }, now), null)
  t.equal(periodProblem({ from: '2024-11-29', to: '2026-11-28' }, now), null, `${MAX_PERIOD_MONTHS} months to the day`)
  t.equal(periodProblem({ from: '2024-12-01', to: '2026-11-28' }, now), null, 'under 24 months')
  t.match(periodProblem({ from: '2026-11-20', to: '2026-11-10' }, now), { field: 'to', message: /before from/ })
  t.match(
    periodProblem({ from: '2024-11-28', to: '2026-11-28' }, now),
    {
      field: 'to',
      message:
        'the period is over 24 months: at most 24 months are replayed at once (from 2024-11-28, to 2026-11-27 at the latest)',
    },
    'one day more is refused, naming the limit and the last day allowed',
  )
  t.match(periodProblem({ from: '2026-11-01', to: '2026-11-30' }, now), { field: 'to', message: /after today \(2026-11-29\)/ })
  for (const [from, last] of [
    ['2024-11-15', '2026-11-14'],
    ['2024-01-01', '2025-12-31'],
    ['2024-01-31', '2026-01-30'],
    ['2022-03-01', '2024-02-29'],
    ['2024-03-01', '2026-02-28'],
    ['2024-02-29', '2026-02-28'],
    ['2024-03-31', '2026-03-30'],
  ] as const)
    t.equal(lastPeriodDay(from), last, `from ${from}, 24 months end on ${last}`)
})
