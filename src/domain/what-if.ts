// What if: the desk's recorded calls decided again under a proposed desk file, each at its own
// instant with the same caller and desk, by the same decide(), calendar and quota split that
// decided them live; only what the past cannot know (talk that never happened) is said as such.
import { DateTime } from 'luxon'
import TinyQueue from 'tinyqueue'
import {
  type AgentFacts,
  type CallFacts,
  type CallerFacts,
  type ContractDay,
  type ContractFacts,
  type DeskFacts,
  type Plan,
  contractDay,
  decideCall,
} from './call.js'
import { callbackDue, emailDue } from './callback.js'
import { fixedCalendar, fixedTerms, heldStanding } from './calendar/index.js'
import { type DayNumber, parseIsoDate } from './calendar/local-time.js'
import {
  type ConfiguredContract,
  type ManagersCalendar,
  NO_DECISIONS,
  callerClient,
  configuredContract,
  contractRecord,
  deskFacts,
  deskRecord,
} from './configured-facts.js'
import { type ContractTermsOnDate, termsForMonth, termsOn } from './contract-terms.js'
import { localDate } from './contract-overview.js'
import type { DeskFile } from './desk-file.js'
import { type Outcome, isClosedOutcome } from './outcome.js'
import { normaliseCaller } from './phone.js'
import { billableBeyondQuota, countedSeconds, splitEmailSeconds, splitLeg } from './quota.js'

/** A dial leg's talk as it was counted (on-call legs are billed apart and left out of the comparison). */
export interface RecordedLeg {
  month: string
  talkSeconds: number
  includedSeconds: number
  overageSeconds: number
  /** beyond the quota, never billed (refuse, ask without a yes) */
  graceSeconds: number
  onCall: boolean
  /** an on-call leg's seconds (billed apart, outside the quota) */
  onCallSeconds: number
  /** talk after the caller's yes to billing at the quota line */
  consented: boolean
  countedAt: Date
}

/** A recorded call with what the replay needs of it. */
export interface RecordedCall {
  callSid: string
  /** From as Twilio gave it */
  from: string
  to: string
  startedAt: Date
  deskId: string | null
  clientId: string | null
  /** what the voice webhook decided (a plan's kind), 'pending' when it never reached the database */
  decision: string
  outcome: Outcome | null
  legs: RecordedLeg[]
  callback: { id: number; createdAt: Date; dueAt: Date | null } | null
}

/** A stored contract, by `client/desk/start`: its id and a notice recorded through the API. */
export interface StoredContract {
  id: number
  noticeGivenOn: string | null
}

export interface WhatIfInput {
  /** the proposed configuration, parsed */
  file: DeskFile
  /** the zone of each desk the calls were recorded at, for the calls of a desk the file no longer has */
  deskZones?: ReadonlyMap<string, string>
  /** the managers' calendar decisions per desk id, which a desk file does not carry and keeps */
  managers: ReadonlyMap<string, ManagersCalendar>
  contracts: ReadonlyMap<string, StoredContract>
  /** every recorded call from the start of the period's first month to its end, in any order */
  calls: readonly RecordedCall[]
  /** the e-mail requests stored around the period (those of the desks' own days in it are reported) */
  emailRequests?: readonly RecordedEmailRequest[]
  /** the e-mail answers' minutes counted around the period, in the order they were counted */
  emailCounts?: readonly RecordedEmailCount[]
  /** desk-local dates, inclusive */
  period: { from: string; to: string }
}

/**
 * What became, or would become, of a call at its decision: routed (to the agents, or their
 * voicemail when nobody is on duty: who answers is not a rule of the configuration), the
 * overage question, or an outcome that the decision settles.
 */
export type Path = 'routed' | 'asked_overage' | 'unknown_desk' | Outcome

export interface ChangedCall {
  callSid: string
  startedAt: string
  clientId: string | null
  desk: string | null
  /** as recorded */
  outcome: Outcome | null
  wouldBe: Path
  /** talk the replay can know: null seconds when the past cannot tell */
  talk: { seconds: number | null; note: string }
}

export interface SecondsSplit {
  includedSeconds: number
  /** beyond the quota: billable */
  billableSeconds: number
  /** beyond the quota, never billed (`refuse`, or `ask` without the caller's yes) */
  graceSeconds: number
  /** answered by the on-call line outside hours, billed apart from the quota */
  onCallSeconds: number
}

export interface UsageComparison {
  clientId: string
  desk: string
  month: string
  recorded: SecondsSplit
  wouldBe: SecondsSplit
}

/** An e-mail request as recorded (issue #15): its desk, when it was stored and when it was due. */
export interface RecordedEmailRequest {
  id: number
  deskId: string
  createdAt: Date
  dueAt: Date | null
}

/**
 * An e-mail answer's minutes as counted into a contract's month (a contract that counts them,
 * issue #15): the replay counts them again where they happened, among the calls' talk.
 */
export interface RecordedEmailCount {
  requestId: number
  clientId: string
  deskId: string
  month: string
  seconds: number
  includedSeconds: number
  overageSeconds: number
  graceSeconds: number
  countedAt: Date
}

/** An e-mail request whose due time the proposed calendar moves. */
export interface MovedEmailRequest {
  requestId: number
  desk: string
  createdAt: string
  dueAt: string | null
  wouldBeDueAt: string | null
}

export interface MovedCallback {
  callbackId: number
  callSid: string
  createdAt: string
  dueAt: string | null
  wouldBeDueAt: string | null
}

/** A client the proposed file affects. */
export interface AffectedClient {
  clientId: string
  /** calls whose decision would differ */
  changedCalls: number
  /** calls that would meet a closed desk and did not */
  newlyClosed: number
  /** billable seconds as it would be minus as recorded */
  secondsMovedBeyondQuota: number
  minutesMovedBeyondQuota: number
}

export interface WhatIfResult {
  period: { from: string; to: string }
  /** calls of the period decided again */
  calls: number
  /** calls of the period whose decision never reached the database (nothing to compare with) */
  undecided: number
  changed: ChangedCall[]
  /** per client, desk and month: talk inside the quota and beyond it, as recorded and as it would be */
  usage: UsageComparison[]
  callbacks: MovedCallback[]
  /** the e-mail requests of the period whose due time would move */
  emailRequests: MovedEmailRequest[]
  /** the clients affected, most affected first */
  mostAffected: AffectedClient[]
  summary: {
    /** calls that would have met a closed desk, by client (registered callers only) */
    closedByClient: { clientId: string; calls: number; newlyClosed: number }[]
    /** billable seconds as it would be minus as recorded: > 0 moves minutes beyond the quota */
    secondsMovedBeyondQuota: number
    minutesMovedBeyondQuota: number
    /** calls to a number that reached a desk and is no desk's in the proposed file */
    unknownDeskCalls: number
    /** calls replayed by client (registered callers, as recorded or as the file knows them), by id */
    callsByClient: { clientId: string; calls: number }[]
  }
}

const SERVED: ReadonlySet<Path> = new Set(['routed', 'asked_overage'])

/** The path a recorded decision took. */
export function recordedPath(call: Pick<RecordedCall, 'decision' | 'outcome'>): Path | null {
  switch (call.decision) {
    case 'dial':
    case 'voicemail':
      return 'routed'
    case 'ask_overage':
      return 'asked_overage'
    case 'closed':
      // An on-call call that was answered keeps no closed reason: any closed one matches it.
      return isClosedOutcome(call.outcome) ? call.outcome : 'closed_hours'
    case 'hangup':
      return call.outcome
    default:
      return null
  }
}

/** The path a plan takes. */
export function planPath(plan: Plan): Path {
  if (plan.kind === 'dial' || plan.kind === 'voicemail') return 'routed'
  if (plan.kind === 'ask_overage') return 'asked_overage'
  return plan.outcome
}

/** Whether two paths are the same decision (a closed call answered on-call matches either closed reason). */
function samePath(recorded: Path, wouldBe: Path, call: RecordedCall): boolean {
  if (recorded === wouldBe) return true
  return call.decision === 'closed' && !isClosedOutcome(call.outcome) && isClosedOutcome(wouldBe)
}

/** "12 min", or seconds under a minute. */
export function spokenTalk(seconds: number): string {
  return seconds < 60 ? `${seconds} s` : `${Math.round(seconds / 60)} min`
}

/** Talk the past can and cannot know, said as such. */
export function talkNote(recorded: Path, wouldBe: Path, talkSeconds: number): ChangedCall['talk'] {
  const wasServed = SERVED.has(recorded)
  const isServed = SERVED.has(wouldBe)
  if (!wasServed && isServed) {
    const note = wouldBe === 'routed' ? 'would have been routed' : 'would have been asked to accept billing'
    return { seconds: null, note: `${note}, talk unknown` }
  }
  if (wasServed && !isServed) return { seconds: talkSeconds, note: `would not have been served: ${spokenTalk(talkSeconds)}` }
  if (wasServed) {
    // A caller who declined the charge never talked: what they would have said is unknown.
    if (recorded === 'asked_overage' && talkSeconds === 0)
      return { seconds: null, note: 'would have been routed without asking, talk unknown' }
    const note =
      wouldBe === 'asked_overage' ? 'would have been asked to accept billing first' : 'would have been routed without asking'
    return { seconds: talkSeconds, note: `${note}: ${spokenTalk(talkSeconds)}` }
  }
  return { seconds: 0, note: 'not served either way' }
}

/** The proposed configuration as the decision reads it: desks by number, callers by number, agents on duty by desk. */
export interface ProposedConfiguration {
  desksByNumber: Map<string, DeskFacts>
  desksById: Map<string, DeskFacts>
  callersByNumber: Map<
    string,
    {
      client: CallerFacts['client']
      contracts: ProposedContract[]
      /** the caller as the decision reads it on each desk (no contracts on a desk it has none with) */
      onDesk: Map<string, CallerOnDesk>
      elsewhere: CallerFacts
    }
  >
  agentsByDesk: Map<string, AgentFacts[]>
  /** each client's contracts on a desk, by `client/desk` */
  onDeskByClient: Map<string, CallerOnDesk>
}

/** A caller on a desk it has contracts with, as the decision reads it. */
export interface CallerOnDesk {
  contracts: ProposedContract[]
  caller: CallerFacts
  /**
   * contractDay of its contracts, remembered over the days it holds for (calls come in time
   * order), with the month's usage of the date set on the contract it finds, as the live loader
   * reads it; that contract is `found`.
   */
  dayOf: (contracts: readonly ContractFacts[], date: string) => ContractDay | null
  found: ProposedContract | null
}

/**
 * contractDay remembered over the days its answer holds for: while each contract's standing holds
 * (fixed terms keep the span of days their last standing holds for) and no change of the terms of
 * the contract found falls in between, contractDay would answer the same.
 */
function dayRemembered(): (contracts: readonly ContractFacts[], date: string) => ContractDay | null {
  let from = Number.POSITIVE_INFINITY
  let until = Number.NEGATIVE_INFINITY
  let last: ContractDay | null = null
  return (contracts, date) => {
    const day = parseIsoDate(date) as DayNumber
    if (day >= from && day < until) return last
    last = contractDay(contracts, date)
    from = Number.NEGATIVE_INFINITY
    until = Number.POSITIVE_INFINITY
    for (const contract of contracts) {
      // contractDay asked each contract's standing on this day: the span its fixed terms hold for is known
      const held = heldStanding(contract.terms) as { from: DayNumber; until: DayNumber }
      from = Math.max(from, held.from)
      until = Math.min(until, held.until)
    }
    for (const change of last?.contract.changes ?? []) {
      const on = parseIsoDate(change.from) as DayNumber
      if (on <= day) from = Math.max(from, on)
      else until = Math.min(until, on)
    }
    return last
  }
}

/** A proposed contract with the replay's running count of its months. */
export interface ProposedContract extends ConfiguredContract {
  /** `client/desk/start`, as stored contracts are known */
  key: string
  /** the decision's view of it: its usedSeconds is set to the month's before each decision */
  facts: ContractFacts
  /** seconds counted by month, and of them after the caller's yes at the quota line */
  months: Map<string, MonthCount>
  /** the month last counted into, and its count (calls come in time order: most often the same) */
  lastMonth: string
  lastCount: MonthCount
  /** its terms on every date when it has no changes (termsForMonth reads no date then), else null */
  steady: ContractTermsOnDate | null
}

/** Seconds counted into a contract's month, and of them after the caller's yes at the quota line. */
export interface MonthCount {
  used: number
  consented: number
  /** the usage row the month's talk counts into as it would be (a contract's client and desk are its own) */
  row: UsageComparison | null
}

/** A proposed contract's count for the month of a date (YYYY-MM-DD, or the month YYYY-MM itself), made at 0 when first asked. */
function monthCount(contract: ProposedContract, date: string): MonthCount {
  // most often the month last counted into: known without writing the month's text
  if (date.startsWith(contract.lastMonth)) return contract.lastCount
  const month = date.slice(0, 7)
  let count = contract.months.get(month)
  if (count === undefined) {
    count = { used: 0, consented: 0, row: null }
    contract.months.set(month, count)
  }
  contract.lastMonth = month
  contract.lastCount = count
  return count
}

/** Builds the decision's facts from a desk file through the one mapping that applying it uses. */
export function proposedConfiguration(
  file: DeskFile,
  managers: ReadonlyMap<string, ManagersCalendar>,
  stored: ReadonlyMap<string, StoredContract>,
): ProposedConfiguration {
  const desksByNumber = new Map<string, DeskFacts>()
  const desksById = new Map<string, DeskFacts>()
  for (const desk of file.desks) {
    const facts = deskFacts(deskRecord(desk), managers.get(desk.id) ?? NO_DECISIONS)
    // A copy compiled once: a million decisions read the same few calendars.
    facts.calendar = fixedCalendar(structuredClone(facts.calendar))
    for (const number of desk.numbers) desksByNumber.set(number, facts)
    desksById.set(desk.id, facts)
  }
  // A contract new in the file has no id yet: it gets one of its own, below any real one.
  let unsaved = 0
  const callersByNumber: ProposedConfiguration['callersByNumber'] = new Map()
  const onDeskByClient = new Map<string, CallerOnDesk>()
  for (const client of file.clients) {
    const contracts = client.contracts.map((contract) => {
      const key = `${client.id}/${contract.desk}/${contract.start}`
      const kept = stored.get(key)
      const record = contractRecord(client.id, contract)
      // Applying keeps a notice recorded through the API unless the file states one.
      const noticeGivenOn = record.noticeGivenOn ?? kept?.noticeGivenOn ?? null
      const configured = configuredContract(kept?.id ?? --unsaved, { ...record, noticeGivenOn })
      // the terms will not change during the replay: their standing is worked out once a period
      configured.terms = fixedTerms(configured.terms)
      const facts = { ...configured, usedSeconds: 0 }
      const steady = configured.changes.length === 0 ? termsOn(configured, configured.changes, configured.terms.start) : null
      const lastCount = { used: 0, consented: 0, row: null }
      return { ...configured, key, facts, months: new Map(), lastMonth: 'none', lastCount, steady }
    })
    const known = callerClient(client)
    const onDesk = new Map<string, CallerOnDesk>()
    for (const desk of new Set(contracts.map((contract) => contract.deskId))) {
      const own = contracts.filter((contract) => contract.deskId === desk)
      const caller = { client: known, contracts: own.map((contract) => contract.facts) }
      const remembered = dayRemembered()
      const onThisDesk: CallerOnDesk = {
        contracts: own,
        caller,
        found: null,
        dayOf: (facts, date) => {
          const day = remembered(facts, date)
          const found = day && (own.find((contract) => contract.facts === day.contract) as ProposedContract)
          // the decision reads the month's usage from the facts: set it, as the live loader reads it
          if (found) found.facts.usedSeconds = monthCount(found, date).used
          onThisDesk.found = found
          return day
        },
      }
      onDesk.set(desk, onThisDesk)
      onDeskByClient.set(`${client.id}/${desk}`, onThisDesk)
    }
    const caller = { client: known, contracts, onDesk, elsewhere: { client: known, contracts: [] } }
    for (const { number } of client.numbers) callersByNumber.set(number, caller)
  }
  const agentsByDesk = new Map<string, AgentFacts[]>()
  for (const agent of file.agents.filter((each) => each.onDuty)) {
    for (const desk of agent.desks) {
      const list = agentsByDesk.get(desk) ?? []
      list.push({ id: agent.id, name: agent.name, number: agent.number })
      agentsByDesk.set(desk, list)
    }
  }
  return { desksByNumber, desksById, callersByNumber, agentsByDesk, onDeskByClient }
}

/** The first day of a date's month. */
const monthStart = (date: string) => `${date.slice(0, 7)}-01`

/**
 * A call of the period as the replay holds it until its last talk leg is counted: made when the
 * call is fed, filled in when it is decided again.
 */
interface Replayed {
  call: RecordedCall
  /** the call's desk-local date */
  date: string
  /** the proposed desk whose number the call reached, and its callers */
  line: Line | null
  /** the caller as its number resolves on that line */
  resolved: ResolvedCaller | null
  desk: DeskFacts | null
  path: Path
  clientId: string | null
  contract: ProposedContract | null
  month: string | null
}

/** A leg's talk to count when it was counted live: after every call that started before it. */
interface LegEvent {
  at: number
  /** the call's place in the replay: legs counted in the same millisecond go in the order of their calls */
  order: number
  entry: Replayed
  leg: RecordedLeg
}

const byTime = (a: LegEvent, b: LegEvent) => a.at - b.at || a.order - b.order

/** Calls in the order the replay takes them: by start, then CallSid (the store's keyset order). */
export function callOrder(
  a: Pick<RecordedCall, 'startedAt' | 'callSid'>,
  b: Pick<RecordedCall, 'startedAt' | 'callSid'>,
): number {
  return a.startedAt.getTime() - b.startedAt.getTime() || (a.callSid < b.callSid ? -1 : a.callSid > b.callSid ? 1 : 0)
}

/** A replay fed in batches: `add` takes the next calls in callOrder, `finish` answers. */
export interface Replay {
  add(calls: readonly RecordedCall[]): void
  finish(): WhatIfResult
}

/** Replays the calls of the period under the proposed file, all at once (see startReplay). */
export function replay(input: WhatIfInput): WhatIfResult {
  const run = startReplay(input)
  run.add([...input.calls].sort(callOrder))
  return run.finish()
}

/** How many callers' numbers are remembered normalised (a year of a desk has far fewer). */
const MAX_NUMBERS = 100_000

/** A function of a string remembered for up to `limit` arguments (then forgotten all at once, so memory stays bounded). */
export function remembered<T>(compute: (key: string) => T, limit: number): (key: string) => T {
  // a value is never undefined here (the remembered is boxed): one lookup a call
  const known = new Map<string, { value: T }>()
  return (key) => {
    const found = known.get(key)
    if (found) return found.value
    const value = compute(key)
    if (known.size >= limit) known.clear()
    known.set(key, { value })
    return value
  }
}

/**
 * Replays the calls of the period under the proposed file, fed in batches in callOrder (the store
 * streams them in keyset batches), so that memory holds the calls whose talk is not yet counted and
 * what the answer reports, not the period. Whole months are replayed (a month's quota starts at
 * its first day), in time order: each decision at the call's start, each leg's talk counted when
 * it was counted live, so that the quota a call meets is the one it met then. Calls come in order
 * of start, so each is decided as it comes, once the legs counted live before it (a heap of the
 * calls still in progress, ordered by when they were counted) have been counted.
 */
export function startReplay(input: Omit<WhatIfInput, 'calls'>): Replay {
  const proposed = proposedConfiguration(input.file, input.managers, input.contracts)
  const { from, to } = input.period
  const firstDay = monthStart(from)
  // Each desk number with the callers that reached it, each resolved once (normalised, found, on that desk).
  const lines = new Map<string, Line | null>()
  const lineOf = (to: string): Line | null => {
    let line = lines.get(to)
    if (line === undefined) {
      const desk = proposed.desksByNumber.get(to) ?? null
      line = desk && {
        desk,
        agents: proposed.agentsByDesk.get(desk.id) ?? [],
        callers: remembered((from) => callerOn(proposed, desk, from), MAX_NUMBERS),
      }
      lines.set(to, line)
    }
    return line
  }

  const usage = new UsageRows()
  const report = newReport()
  const legs = new TinyQueue<LegEvent>([], byTime)
  let order = 0
  let last: RecordedCall | null = null

  const decided = (entry: Replayed) => {
    decideAgain(entry)
    if (entry.date >= from) report.add(entry.call, entry)
    for (const leg of entry.call.legs) if (leg.onCall) onCallCounted(entry, leg)
  }

  // An on-call leg (outside hours, billed apart from the quota): as recorded; and as it would be when
  // the call would again meet a closed desk whose on-call line the proposed file keeps.
  const onCallCounted = (again: Replayed, leg: RecordedLeg) => {
    const { call } = again
    if (call.clientId && call.deskId) usage.row(call.clientId, call.deskId, leg.month).recorded.onCallSeconds += leg.onCallSeconds
    if (isClosedOutcome(again.path) && again.desk?.options.onCall && again.clientId)
      usage.row(again.clientId, again.desk.id, leg.month).wouldBe.onCallSeconds += leg.onCallSeconds
  }

  const counted = (again: Replayed, leg: RecordedLeg) => {
    const { call } = again
    if (call.clientId && call.deskId) {
      // the number's last row is most often this one (a number calls as one client, month after month)
      const last = again.resolved?.lastRow
      const entry =
        last && last.month === leg.month && last.clientId === call.clientId && last.desk === call.deskId
          ? last
          : usage.row(call.clientId, call.deskId, leg.month)
      if (again.resolved) again.resolved.lastRow = entry
      entry.recorded.includedSeconds += leg.includedSeconds
      entry.recorded.billableSeconds += leg.overageSeconds
      entry.recorded.graceSeconds += leg.graceSeconds
    }
    // Talk counts again only where the call would still be served, under the proposed terms.
    if (!SERVED.has(again.path) || !again.contract || !again.month || !again.desk || !again.clientId) return
    const { contract, month } = again
    const terms =
      contract.steady ?? termsForMonth(contract, contract.changes, month, localDate(leg.countedAt, again.desk.timezone))
    const seconds = countedSeconds(leg.talkSeconds, terms.billingIncrementSeconds)
    const count = monthCount(contract, month)
    const before = count.used
    const consentedBefore = count.consented
    // As the live counting splits it: beyond the quota is billable under `bill`, or after the
    // caller's yes under `ask`; under `refuse` it is grace, never billed (a consent the proposed
    // terms would not have asked for counts as talk like any other).
    const consented = leg.consented && terms.overage === 'ask'
    const split = splitLeg({
      quotaSeconds: terms.quotaSeconds,
      usedSeconds: before,
      consentedSeconds: consentedBefore,
      seconds,
      billable: billableBeyondQuota(terms.overage, consented),
      consented,
    })
    count.used = before + seconds
    if (consented) count.consented = consentedBefore + seconds
    count.row ??= usage.row(again.clientId, again.desk.id, month)
    const entry = count.row
    entry.wouldBe.includedSeconds += split.includedSeconds
    entry.wouldBe.billableSeconds += split.overageSeconds
    entry.wouldBe.graceSeconds += split.graceSeconds
  }

  // E-mail answers' minutes counted into months (issue #15), as recorded and as the proposed file
  // would count them: at their instant among the calls' talk, in the contract in force then.
  const emails = input.emailCounts ?? []
  let nextEmail = 0
  const countedEmail = (email: RecordedEmailCount) => {
    const desk = proposed.desksById.get(email.deskId) ?? null
    const date = localDate(email.countedAt, desk?.timezone ?? input.deskZones?.get(email.deskId) ?? 'UTC')
    if (date < firstDay || date > to) return
    const recorded = usage.row(email.clientId, email.deskId, email.month).recorded
    recorded.includedSeconds += email.includedSeconds
    recorded.billableSeconds += email.overageSeconds
    recorded.graceSeconds += email.graceSeconds
    const own = desk ? proposed.onDeskByClient.get(`${email.clientId}/${desk.id}`) : undefined
    if (!desk || !own?.dayOf(own.caller.contracts, date)) return
    const contract = own.found as ProposedContract
    if (!contract.emailMinutesCountIntoQuota) return
    // counted into the month of the local date it was answered on, as the live answer counts it
    const month = date.slice(0, 7)
    const count = monthCount(contract, month)
    const terms = contract.steady ?? termsForMonth(contract, contract.changes, month, date)
    const split = splitEmailSeconds(terms, { usedSeconds: count.used, consentedSeconds: count.consented }, email.seconds)
    count.used += email.seconds
    count.row ??= usage.row(email.clientId, desk.id, month)
    count.row.wouldBe.includedSeconds += split.includedSeconds
    count.row.wouldBe.billableSeconds += split.overageSeconds
    count.row.wouldBe.graceSeconds += split.graceSeconds
  }

  /** Counts the talk and e-mail minutes counted live at or before `until` (all of them at the end). */
  const countUntil = (until: number) => {
    for (;;) {
      const leg = legs.peek()
      const email = emails[nextEmail]
      const emailAt = email ? email.countedAt.getTime() : Number.POSITIVE_INFINITY
      if (leg !== undefined && leg.at <= until && leg.at < emailAt) {
        legs.pop()
        counted(leg.entry, leg.leg)
      } else if (email && emailAt <= until) {
        nextEmail++
        countedEmail(email)
      } else return
    }
  }

  return {
    add(calls) {
      for (const call of calls) {
        // (the database orders calls of one millisecond by their microseconds: either is an order they happened in)
        if (last && last.startedAt.getTime() > call.startedAt.getTime())
          throw new RangeError(`calls must come in order of start: ${call.callSid} after ${last.callSid}`)
        last = call
        const line = lineOf(call.to)
        const desk = line?.desk ?? null
        const zone = desk?.timezone ?? (call.deskId && input.deskZones?.get(call.deskId)) ?? 'UTC'
        const date = localDate(call.startedAt, zone)
        if (date < firstDay || date > to) continue
        const start = call.startedAt.getTime()
        const own = order++
        const entry: Replayed = {
          call,
          date,
          line,
          resolved: null,
          desk,
          path: 'failed',
          clientId: null,
          contract: null,
          month: null,
        }
        // talk counted live up to the call's start came before it (legs of earlier calls, in their order)
        countUntil(start)
        decided(entry)
        for (const leg of call.legs) {
          if (leg.onCall) continue
          legs.push({ at: Math.max(leg.countedAt.getTime(), start), order: own, entry, leg })
        }
      }
    },
    finish() {
      countUntil(Number.POSITIVE_INFINITY)
      const emailRequests = movedEmailRequests(input.emailRequests ?? [], proposed.desksById, input.deskZones, input.period)
      return { ...report.result(input.period, usage.merged()), emailRequests }
    },
  }
}
/** Whether a usage row would differ from the recorded one (included, billable, grace or on-call). */
export function usageDiffers(row: Pick<UsageComparison, 'recorded' | 'wouldBe'>): boolean {
  const { recorded, wouldBe } = row
  return (
    recorded.includedSeconds !== wouldBe.includedSeconds ||
    recorded.billableSeconds !== wouldBe.billableSeconds ||
    recorded.graceSeconds !== wouldBe.graceSeconds ||
    recorded.onCallSeconds !== wouldBe.onCallSeconds
  )
}

const split0 = (): SecondsSplit => ({ includedSeconds: 0, billableSeconds: 0, graceSeconds: 0, onCallSeconds: 0 })

/** The usage rows by client, desk and month (maps within maps: no key is written per leg). */
class UsageRows {
  private readonly byClient = new Map<string, Map<string, Map<string, UsageComparison>>>()

  row(clientId: string, desk: string, month: string): UsageComparison {
    let byDesk = this.byClient.get(clientId)
    if (byDesk === undefined) {
      byDesk = new Map()
      this.byClient.set(clientId, byDesk)
    }
    let byMonth = byDesk.get(desk)
    if (byMonth === undefined) {
      byMonth = new Map()
      byDesk.set(desk, byMonth)
    }
    let found = byMonth.get(month)
    if (found === undefined) {
      found = { clientId, desk, month, recorded: split0(), wouldBe: split0() }
      byMonth.set(month, found)
    }
    return found
  }

  /** By month, client and desk. */
  merged(): UsageComparison[] {
    const rows: UsageComparison[] = []
    for (const byDesk of this.byClient.values()) for (const byMonth of byDesk.values()) rows.push(...byMonth.values())
    return rows.sort(
      (a, b) =>
        (a.month < b.month ? -1 : a.month > b.month ? 1 : 0) || (a.clientId < b.clientId ? -1 : 1) || (a.desk < b.desk ? -1 : 1),
    )
  }
}

/** A desk number of the proposed file: its desk, its agents on duty, and its callers as each number resolves. */
interface Line {
  desk: DeskFacts
  agents: AgentFacts[]
  callers: (from: string) => ResolvedCaller
}

/** A calling number as the decision reads it on a desk: the caller (null: unknown) and, with contracts there, them. */
interface ResolvedCaller {
  caller: CallerFacts | null
  own: CallerOnDesk | null
  /** the usage row this number's talk last counted into as recorded */
  lastRow: UsageComparison | null
}

/** Who calls from a number (From as Twilio gave it) on a desk of the proposed file. */
function callerOn(proposed: ProposedConfiguration, desk: DeskFacts, from: string): ResolvedCaller {
  const number = normaliseCaller(from)
  const configured = number ? proposed.callersByNumber.get(number) : undefined
  if (!configured) return { caller: null, own: null, lastRow: null }
  const own = configured.onDesk.get(desk.id) ?? null
  return { caller: own ? own.caller : configured.elsewhere, own, lastRow: null }
}

/**
 * The call decided again at its own instant under the proposed configuration, with the month's
 * usage replayed so far: the verdict only (decideCall), no words.
 */
function decideAgain(entry: Replayed): void {
  const { call, line } = entry
  const resolved = line ? line.callers(call.from) : null
  entry.resolved = resolved
  const own = resolved ? resolved.own : null
  const facts = scratchFacts
  facts.desk = entry.desk
  facts.caller = resolved ? resolved.caller : null
  facts.agents = line ? line.agents : NO_AGENTS
  facts.from = call.from
  // (the call's month is its desk-local date's: own.dayOf sets the month's usage on the contract it finds)
  const verdict = decideCall(facts, call.startedAt, own ? own.dayOf : contractDay)
  if (own && verdict.contractId !== null) entry.contract = own.found
  // A number that reached a desk and is no desk's in the proposed file: said as such, not as a failure.
  entry.path = !line && call.deskId !== null ? 'unknown_desk' : verdict.path
  entry.clientId = verdict.clientId
  entry.month = verdict.usageMonth
}

// the facts of the call being decided again: one object for the replay (decideCall keeps none of them)
const scratchFacts: CallFacts = { desk: null, caller: null, agents: [], from: '' }
const NO_AGENTS: AgentFacts[] = []

/** What the answer reports, gathered call by call as each is decided again. */
function newReport() {
  const changed: ChangedCall[] = []
  const callbacks: MovedCallback[] = []
  const closed = new Map<string, { clientId: string; calls: number; newlyClosed: number }>()
  const changedByClient = new Map<string, number>()
  // (a counter a client: one lookup a call)
  const callsByClient = new Map<string, { clientId: string; calls: number }>()
  let calls = 0
  let undecided = 0
  let unknownDesk = 0
  return {
    add(call: RecordedCall, again: Replayed) {
      const was = recordedPath(call)
      if (was === null) {
        undecided++
        return
      }
      calls++
      const clientId = call.clientId ?? again.clientId
      if (clientId) {
        const count = callsByClient.get(clientId)
        if (count) count.calls++
        else callsByClient.set(clientId, { clientId, calls: 1 })
      }
      if (isClosedOutcome(again.path) && again.clientId) {
        const entry = closed.get(again.clientId) ?? { clientId: again.clientId, calls: 0, newlyClosed: 0 }
        entry.calls++
        if (call.decision !== 'closed') entry.newlyClosed++
        closed.set(again.clientId, entry)
      }
      if (again.path === 'unknown_desk') unknownDesk++
      if (!samePath(was, again.path, call)) {
        const talk = call.legs.filter((leg) => !leg.onCall).reduce((sum, leg) => sum + leg.talkSeconds, 0)
        changed.push({
          callSid: call.callSid,
          startedAt: call.startedAt.toISOString(),
          clientId,
          desk: call.deskId ?? again.desk?.id ?? null,
          outcome: call.outcome,
          wouldBe: again.path,
          talk: talkNote(was, again.path, talk),
        })
        if (clientId) changedByClient.set(clientId, (changedByClient.get(clientId) ?? 0) + 1)
      }
      const moved = call.callback && movedCallback(call.callback, call.callSid, again.desk)
      if (moved) callbacks.push(moved)
    },
    result(period: WhatIfResult['period'], usage: UsageComparison[]): Omit<WhatIfResult, 'emailRequests'> {
      const seconds = usage.reduce((sum, row) => sum + row.wouldBe.billableSeconds - row.recorded.billableSeconds, 0)
      return {
        period,
        calls,
        undecided,
        changed,
        usage,
        callbacks,
        mostAffected: mostAffected(changedByClient, closed, usage),
        summary: {
          closedByClient: [...closed.values()].sort((a, b) => b.calls - a.calls || (a.clientId < b.clientId ? -1 : 1)),
          secondsMovedBeyondQuota: seconds,
          minutesMovedBeyondQuota: Math.round(seconds / 60),
          unknownDeskCalls: unknownDesk,
          callsByClient: [...callsByClient.values()].sort((a, b) => (a.clientId < b.clientId ? -1 : 1)),
        },
      }
    },
  }
}

/**
 * The clients the proposed file affects, most affected first: by calls that would newly meet a
 * closed desk plus minutes that would move across the quota line (either way), then by calls
 * changed. Clients with nothing changed are left out.
 */
function mostAffected(
  changedByClient: ReadonlyMap<string, number>,
  closed: ReadonlyMap<string, { newlyClosed: number }>,
  usage: readonly UsageComparison[],
): AffectedClient[] {
  const moved = new Map<string, number>()
  for (const row of usage)
    moved.set(row.clientId, (moved.get(row.clientId) ?? 0) + row.wouldBe.billableSeconds - row.recorded.billableSeconds)
  const clients = new Set([...changedByClient.keys(), ...[...moved].filter(([, seconds]) => seconds !== 0).map(([id]) => id)])
  const affected = [...clients].map((clientId) => {
    const secondsMovedBeyondQuota = moved.get(clientId) ?? 0
    return {
      clientId,
      changedCalls: changedByClient.get(clientId) ?? 0,
      newlyClosed: closed.get(clientId)?.newlyClosed ?? 0,
      secondsMovedBeyondQuota,
      minutesMovedBeyondQuota: Math.round(secondsMovedBeyondQuota / 60),
    }
  })
  const weight = (client: AffectedClient) => client.newlyClosed + Math.abs(client.secondsMovedBeyondQuota) / 60
  return affected.sort((a, b) => weight(b) - weight(a) || b.changedCalls - a.changedCalls || (a.clientId < b.clientId ? -1 : 1))
}

/** A callback request whose due time the proposed calendar moves (null when it would have none). */
function movedCallback(
  callback: NonNullable<RecordedCall['callback']>,
  callSid: string,
  desk: DeskFacts | null,
): MovedCallback | null {
  const due = desk ? callbackDue(desk, callback.createdAt) : null
  if ((due?.getTime() ?? null) === (callback.dueAt?.getTime() ?? null)) return null
  return {
    callbackId: callback.id,
    callSid,
    createdAt: callback.createdAt.toISOString(),
    dueAt: callback.dueAt?.toISOString() ?? null,
    wouldBeDueAt: due?.toISOString() ?? null,
  }
}

/**
 * The e-mail requests stored on the desks' own days of the period whose due time (emailDue) the
 * proposed calendar moves; a desk the file no longer has gives none (null).
 */
function movedEmailRequests(
  requests: readonly RecordedEmailRequest[],
  desks: ReadonlyMap<string, DeskFacts>,
  zones: ReadonlyMap<string, string> | undefined,
  period: { from: string; to: string },
): MovedEmailRequest[] {
  const moved: MovedEmailRequest[] = []
  for (const request of requests) {
    const desk = desks.get(request.deskId) ?? null
    const date = localDate(request.createdAt, desk?.timezone ?? zones?.get(request.deskId) ?? 'UTC')
    if (date < period.from || date > period.to) continue
    const due = desk ? emailDue(desk, request.createdAt) : null
    if ((due?.getTime() ?? null) === (request.dueAt?.getTime() ?? null)) continue
    moved.push({
      requestId: request.id,
      desk: request.deskId,
      createdAt: request.createdAt.toISOString(),
      dueAt: request.dueAt?.toISOString() ?? null,
      wouldBeDueAt: due?.toISOString() ?? null,
    })
  }
  return moved
}

/** The longest period replayed at once, in calendar months (issue #21: a period over 24 months is refused). */
export const MAX_PERIOD_MONTHS = 24

/**
 * The last day a period starting on `from` may end on: the day before `from`'s day of the month
 * MAX_PERIOD_MONTHS months later (from 2024-11-15, 2026-11-14; from 2024-03-01, 2026-02-28); when
 * that month has no such day (from 2024-02-29: 2026 has no 29 February), its last day (2026-02-28).
 */
export function lastPeriodDay(from: string): string {
  const start = DateTime.fromISO(from, { zone: 'UTC' })
  const later = start.plus({ months: MAX_PERIOD_MONTHS })
  // luxon keeps the day when the month has it, else the month's last day: then the whole month is in
  return (later.day === start.day ? later.minus({ days: 1 }) : later).toISODate() as string
}

/**
 * A period's problem, if any, with the field it concerns: `to` before `from`, over
 * MAX_PERIOD_MONTHS months (after lastPeriodDay(from)), or ending after today (in the first zone
 * where today has begun: UTC+14).
 */
export function periodProblem(period: { from: string; to: string }, now: Date): { field: 'from' | 'to'; message: string } | null {
  if (period.to < period.from) return { field: 'to', message: `must not be before from (${period.from})` }
  const last = lastPeriodDay(period.from)
  if (period.to > last)
    return {
      field: 'to',
      message: `the period is over ${MAX_PERIOD_MONTHS} months: at most ${MAX_PERIOD_MONTHS} months are replayed at once (from ${period.from}, to ${last} at the latest)`,
    }
  const today = localDate(now, 'Etc/GMT-14')
  if (period.to > today) return { field: 'to', message: `must not be after today (${today}): only recorded calls are replayed` }
  return null
}
