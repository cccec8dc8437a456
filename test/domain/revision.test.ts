// Revisions on the contract's own terms: INTERcom Art. 8 (written agreement of both parties), the
// model clause §8 (30 days' written notice); a desk's hours bind every contract on the desk.
import t from 'tap'
import { type DeskFile, parseDeskFile } from '../../src/domain/desk-file.js'
import { contractKey, deskRevisionRule, recordFileRevisions } from '../../src/domain/desk-file-revisions.js'
import {
  DEFAULT_REVISION,
  changeKey,
  recordRevisions,
  termsSummary,
  revisionProblem,
  revisionRuleSchema,
  revisionsToCome,
  stricter,
} from '../../src/domain/revision.js'

const NOTICE = { by: 'notice', days: 30 } as const
const AGREEMENT = { by: 'agreement' } as const
const TODAY = '2026-11-28'

t.test('a new change against its rule, recorded today', async (t) => {
  t.equal(revisionProblem(NOTICE, { from: '2026-12-28' }, TODAY), null, 'notice: 30 days after today is on time')
  t.match(
    revisionProblem(NOTICE, { from: '2026-12-27' }, TODAY),
    /30 days' written notice \(revision by notice\): the earliest date without agreedOn is 2026-12-28/,
    'a day short is refused, with the earliest date allowed',
  )
  t.equal(
    revisionProblem(NOTICE, { from: '2026-11-28', agreedOn: '2026-11-20' }, TODAY),
    null,
    'a signed amendment needs no notice',
  )
  t.match(
    revisionProblem(AGREEMENT, { from: '2027-06-01' }, TODAY),
    /written agreement of both parties \(revision by agreement\): give agreedOn/,
    'agreement: never without the amendment, however far ahead',
  )
  t.equal(revisionProblem(AGREEMENT, { from: '2027-01-01', agreedOn: '2026-11-27' }, TODAY), null)
  t.match(
    revisionProblem(AGREEMENT, { from: '2000-01-01', agreedOn: '2026-11-27' }, TODAY),
    /on the day it is recorded at the earliest \(2026-11-28\); the past is not rewritten/,
    'even agreed, the past is not rewritten',
  )
  t.match(
    revisionProblem(AGREEMENT, { from: '2027-01-01', agreedOn: '2026-12-01' }, TODAY),
    /agreedOn 2026-12-01 is after today/,
    'an amendment signed in the future is no amendment yet',
  )
  t.equal(revisionProblem({ by: 'notice', days: 0 }, { from: TODAY }, TODAY), null, 'no notice: from today')
})

t.test('recorded changes keep their day; new ones are checked and stamped', async (t) => {
  const recorded = [{ from: '2026-12-01', overage: 'ask', recordedOn: '2026-10-15' }]
  const result = recordRevisions(
    NOTICE,
    [
      { from: '2026-12-01', overage: 'ask' },
      { from: '2026-12-10', monthlyQuotaMinutes: 600 },
      { from: '2027-02-01', monthlyQuotaMinutes: 900 },
    ],
    recorded,
    TODAY,
    'clients[0].contracts[0].changes',
  )
  t.same(result.changes, [
    { from: '2026-12-01', overage: 'ask', recordedOn: '2026-10-15' },
    { from: '2026-12-10', monthlyQuotaMinutes: 600, recordedOn: TODAY },
    { from: '2027-02-01', monthlyQuotaMinutes: 900, recordedOn: TODAY },
  ])
  t.match(result.problems, [
    { field: 'clients[0].contracts[0].changes[1].from', message: /earliest date without agreedOn is 2026-12-28/ },
  ])
  const before = { from: '2026-01-01', overage: 'ask' }
  const legacy = recordRevisions(NOTICE, [{ from: '2026-01-01', overage: 'ask' }], [before], TODAY, 'x')
  t.same(
    legacy,
    { changes: [{ from: '2026-01-01', overage: 'ask' }], problems: [], fresh: [] },
    'a change recorded before the rule existed stays as it was',
  )
  const fresh = recordRevisions(AGREEMENT, [{ from: '2000-01-01', overage: 'bill' }], undefined, TODAY, 'x')
  t.same(
    fresh,
    { changes: [{ from: '2000-01-01', overage: 'bill', recordedOn: TODAY }], problems: [], fresh: [] },
    'a contract new to the service comes with its history',
  )
  t.equal(
    changeKey({ from: '2027-01-01', agreedOn: '2026-11-01', recordedOn: '2026-11-02', overage: 'ask' } as never),
    changeKey({ overage: 'ask', from: '2027-01-01' } as never),
    'a change is known by what it revises and from when, not by the dates of its making',
  )
})

t.test('rules: the stricter of two, the default, the schema', async (t) => {
  t.same(stricter(NOTICE, AGREEMENT), AGREEMENT)
  t.same(stricter(AGREEMENT, NOTICE), AGREEMENT)
  t.same(stricter(NOTICE, { by: 'notice', days: 60 }), { by: 'notice', days: 60 })
  t.same(stricter({ by: 'notice', days: 60 }, NOTICE), { by: 'notice', days: 60 })
  t.same(DEFAULT_REVISION, NOTICE, "the model clause's 30 days by default")
  t.same(revisionRuleSchema.parse({ by: 'notice' }), NOTICE)
  t.notOk(revisionRuleSchema.safeParse({ by: 'agreement', days: 3 }).success, 'agreement has no days')
  t.same(revisionsToCome([{ from: '2027-03-01' }, { from: '2026-11-01' }, { from: '2027-01-01' }], TODAY), [
    { from: '2027-01-01' },
    { from: '2027-03-01' },
  ])
})

function file(overrides: { deskChanges?: unknown[]; contracts?: unknown[] } = {}): DeskFile {
  const parsed = parseDeskFile({
    desks: [
      {
        id: 'model',
        name: 'Model',
        numbers: ['+21321000001'],
        timezone: 'Africa/Algiers',
        schedule: { weekly: { sun: ['08:00-16:00'] }, changes: overrides.deskChanges ?? [] },
      },
    ],
    agents: [],
    clients: [
      {
        id: 'durand',
        name: 'Durand',
        contracts: overrides.contracts ?? [
          { desk: 'model', start: '2026-02-01', monthlyQuotaMinutes: 600 },
          { desk: 'model', start: '2026-03-01', monthlyQuotaMinutes: 600, revision: { by: 'notice', days: 45 } },
        ],
      },
    ],
  })
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors))
  return parsed.file
}

t.test("a desk's hours: the strictest rule of the contracts on the desk", async (t) => {
  t.same(deskRevisionRule(file(), 'model'), { by: 'notice', days: 45 })
  t.same(deskRevisionRule(file({ contracts: [] }), 'model'), DEFAULT_REVISION, 'no contract: the default')
  const weekly = { from: '2027-01-05', weekly: { sun: ['09:00-16:00'] } }
  const known = {
    desks: new Map([['model', []]]),
    contracts: new Map([
      [contractKey('durand', 'model', '2026-02-01'), []],
      [contractKey('durand', 'model', '2026-03-01'), []],
    ]),
  }
  const refused = recordFileRevisions(file({ deskChanges: [weekly] }), known, () => TODAY)
  t.match(refused, { ok: false, problems: [{ field: 'desks[0].schedule.changes[0].from', message: /45 days' written notice/ }] })
  const agreed = recordFileRevisions(file({ deskChanges: [{ ...weekly, agreedOn: '2026-11-20' }] }), known, () => TODAY)
  t.match(agreed, { ok: true, file: { desks: [{ schedule: { changes: [{ recordedOn: TODAY, agreedOn: '2026-11-20' }] } }] } })
  const contractChange = file({
    contracts: [
      { desk: 'model', start: '2026-02-01', monthlyQuotaMinutes: 600, changes: [{ from: '2026-12-01', overage: 'refuse' }] },
    ],
  })
  t.match(
    recordFileRevisions(contractChange, known, () => TODAY),
    {
      ok: false,
      problems: [{ field: 'clients[0].contracts[0].changes[0].from', message: /earliest date without agreedOn is 2026-12-28/ }],
    },
  )
  t.match(
    recordFileRevisions(contractChange, { desks: new Map(), contracts: new Map() }, () => TODAY),
    { ok: true },
    'a desk and a contract new to the service bring their history',
  )
})

t.test('what a revision changes, said for its notice', async (t) => {
  t.equal(
    termsSummary({ monthlyQuotaMinutes: 600, overage: 'refuse', billingIncrementSeconds: 60, agreedOn: '2026-11-20' }, 'fr-FR'),
    'forfait mensuel de 600 minutes ; assistance au-delà du forfait refusée ; décompte par tranches de 60 s (avenant signé le 2026-11-20).',
  )
  t.equal(termsSummary({ overage: 'ask' }, 'en-GB'), "support beyond the quota billed on the caller's consent.")
  t.equal(
    termsSummary({ monthlyQuotaMinutes: 90, billingIncrementSeconds: 30, agreedOn: '2026-11-20' }, 'en-US'),
    'a monthly quota of 90 minutes; counted in steps of 30 s (amendment signed on 2026-11-20).',
  )
  t.equal(termsSummary({ overage: 'bill' }, 'ar'), 'assistance au-delà du forfait facturée.', 'other languages: French')
})
