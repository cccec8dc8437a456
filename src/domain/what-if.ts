// What if: the desk's recorded calls decided again under a proposed desk file, each at its own
// instant with the same caller and desk, by the same decide(), calendar and quota split that
// decided them live; only what the past cannot know (talk that never happened) is said as such.
import { DateTime } from 'luxon'
import { type AgentFacts, type CallFacts, type CallerFacts, type DeskFacts, type Plan, decide } from './call.js'
import { callbackDue } from './callback.js'
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
import { termsForMonth } from './contract-terms.js'
import { localDate } from './contract-overview.js'
import type { DeskFile } from './desk-file.js'
import { type Outcome, isClosedOutcome } from './outcome.js'
import { normaliseCaller } from './phone.js'
import { billableBeyondQuota, countedSeconds, monthOf, splitLeg } from './quota.js'

/** A dial leg's talk as it was counted (on-call legs are billed apart and left out of the comparison). */
export interface RecordedLeg {
  month: string
  talkSeconds: number
  includedSeconds: number
  overageSeconds: number
  onCall: boolean
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
  /** the managers' calendar decisions per desk id, which a desk file does not carry and keeps */
  managers: ReadonlyMap<string, ManagersCalendar>
  contracts: ReadonlyMap<string, StoredContract>
  /** every recorded call from the start of the period's first month to its end, in any order */
  calls: readonly RecordedCall[]
  /** desk-local dates, inclusive */
  period: { from: string; to: string }
}

/**
 * What became, or would become, of a call at its decision: routed (to the agents, or their
 * voicemail when nobody is on duty: who answers is not a rule of the configuration), the
 * overage question, or an outcome that the decision settles.
 */
export type Path = 'routed' | 'asked_overage' | Outcome

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
}

export interface UsageComparison {
  clientId: string
  desk: string
  month: string
  recorded: SecondsSplit
  wouldBe: SecondsSplit
}

export interface MovedCallback {
  callbackId: number
  callSid: string
  createdAt: string
  dueAt: string | null
  wouldBeDueAt: string | null
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
  summary: {
    /** calls that would have met a closed desk, by client (registered callers only) */
    closedByClient: { clientId: string; calls: number; newlyClosed: number }[]
    /** billable seconds as it would be minus as recorded: > 0 moves minutes beyond the quota */
    secondsMovedBeyondQuota: number
    minutesMovedBeyondQuota: number
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
  callersByNumber: Map<string, { client: CallerFacts['client']; contracts: (ConfiguredContract & { key: string })[] }>
  agentsByDesk: Map<string, AgentFacts[]>
}

/** Builds the decision's facts from a desk file through the one mapping that applying it uses. */
export function proposedConfiguration(
  file: DeskFile,
  managers: ReadonlyMap<string, ManagersCalendar>,
  stored: ReadonlyMap<string, StoredContract>,
): ProposedConfiguration {
  const desksByNumber = new Map<string, DeskFacts>()
  for (const desk of file.desks) {
    const facts = deskFacts(deskRecord(desk), managers.get(desk.id) ?? NO_DECISIONS)
    for (const number of desk.numbers) desksByNumber.set(number, facts)
  }
  // A contract new in the file has no id yet: it gets one of its own, below any real one.
  let unsaved = 0
  const callersByNumber: ProposedConfiguration['callersByNumber'] = new Map()
  for (const client of file.clients) {
    const contracts = client.contracts.map((contract) => {
      const key = `${client.id}/${contract.desk}/${contract.start}`
      const kept = stored.get(key)
      const record = contractRecord(client.id, contract)
      // Applying keeps a notice recorded through the API unless the file states one.
      const noticeGivenOn = record.noticeGivenOn ?? kept?.noticeGivenOn ?? null
      return { ...configuredContract(kept?.id ?? --unsaved, { ...record, noticeGivenOn }), key }
    })
    const caller = { client: callerClient(client), contracts }
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
  return { desksByNumber, callersByNumber, agentsByDesk }
}

/** The first day of a date's month. */
const monthStart = (date: string) => `${date.slice(0, 7)}-01`

interface Replayed {
  call: RecordedCall
  desk: DeskFacts | null
  path: Path
  clientId: string | null
  contract: (ConfiguredContract & { key: string }) | null
  month: string | null
}

type Event = { at: number; order: number; kind: 0 } | { at: number; order: number; kind: 1; leg: RecordedLeg }

/**
 * Replays the calls of the period under the proposed file. Whole months are replayed (a month's
 * quota starts at its first day), in time order: each decision at the call's start, each leg's
 * talk counted when it was counted live, so that the quota a call meets is the one it met then.
 */
export function replay(input: WhatIfInput): WhatIfResult {
  const proposed = proposedConfiguration(input.file, input.managers, input.contracts)
  const { from, to } = input.period
  const zoneOf = (call: RecordedCall) => proposed.desksByNumber.get(call.to)?.timezone ?? 'UTC'
  const dated = input.calls
    .map((call) => ({ call, date: localDate(call.startedAt, zoneOf(call)) }))
    .filter(({ date }) => date >= monthStart(from) && date <= to)
    .sort((a, b) => a.call.startedAt.getTime() - b.call.startedAt.getTime() || (a.call.callSid < b.call.callSid ? -1 : 1))

  const events: Event[] = []
  dated.forEach(({ call }, order) => {
    events.push({ at: call.startedAt.getTime(), order, kind: 0 })
    for (const leg of call.legs)
      if (!leg.onCall) events.push({ at: Math.max(leg.countedAt.getTime(), call.startedAt.getTime()), order, kind: 1, leg })
  })
  events.sort((a, b) => a.at - b.at || a.order - b.order || a.kind - b.kind)

  const used = new Map<string, number>()
  /** of which consented (the quota line's re-dialled legs), by the same key */
  const consentedUsed = new Map<string, number>()
  const replayed: (Replayed | null)[] = dated.map(() => null)
  const wouldBe = new Map<string, UsageComparison>()
  const recorded = new Map<string, UsageComparison>()
  const row = (book: Map<string, UsageComparison>, clientId: string, desk: string, month: string) => {
    const key = `${clientId}/${desk}/${month}`
    let found = book.get(key)
    if (!found) {
      found = { clientId, desk, month, recorded: split0(), wouldBe: split0() }
      book.set(key, found)
    }
    return found
  }

  for (const event of events) {
    const { call } = dated[event.order] as (typeof dated)[number]
    if (event.kind === 0) {
      replayed[event.order] = decideAgain(call, proposed, used)
      continue
    }
    const { leg } = event
    if (call.clientId && call.deskId) {
      const entry = row(recorded, call.clientId, call.deskId, leg.month)
      entry.recorded.includedSeconds += leg.includedSeconds
      entry.recorded.billableSeconds += leg.overageSeconds
    }
    const again = replayed[event.order] as Replayed
    // Talk counts again only where the call would still be served, under the proposed terms.
    if (!SERVED.has(again.path) || !again.contract || !again.month || !again.desk || !again.clientId) continue
    const { contract, month } = again
    const terms = termsForMonth(contract, contract.changes, month, localDate(leg.countedAt, again.desk.timezone))
    const seconds = countedSeconds(leg.talkSeconds, terms.billingIncrementSeconds)
    const usedKey = `${contract.key}|${month}`
    const before = used.get(usedKey) ?? 0
    const consentedBefore = consentedUsed.get(usedKey) ?? 0
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
    used.set(usedKey, before + seconds)
    if (consented) consentedUsed.set(usedKey, consentedBefore + seconds)
    const entry = row(wouldBe, again.clientId, again.desk.id, month)
    entry.wouldBe.includedSeconds += split.includedSeconds
    entry.wouldBe.billableSeconds += split.overageSeconds
  }

  return summarise(input, dated, replayed as Replayed[], mergeUsage(recorded, wouldBe))
}

const split0 = (): SecondsSplit => ({ includedSeconds: 0, billableSeconds: 0 })

/** The call decided at its own instant under the proposed configuration, with the month's usage replayed so far. */
function decideAgain(call: RecordedCall, proposed: ProposedConfiguration, used: ReadonlyMap<string, number>): Replayed {
  const desk = proposed.desksByNumber.get(call.to) ?? null
  const number = normaliseCaller(call.from)
  const configured = desk && number ? (proposed.callersByNumber.get(number) ?? null) : null
  const month = desk && monthOf(call.startedAt, desk.timezone)
  const onDesk = (configured?.contracts ?? []).filter((contract) => desk && contract.deskId === desk.id)
  const caller: CallerFacts | null = configured && {
    client: configured.client,
    contracts: onDesk.map((contract) => ({ ...contract, usedSeconds: used.get(`${contract.key}|${month}`) ?? 0 })),
  }
  const facts: CallFacts = { desk, caller, agents: desk ? (proposed.agentsByDesk.get(desk.id) ?? []) : [], from: call.from }
  const decision = decide(facts, call.startedAt)
  const contract = onDesk.find((each) => each.id === decision.contractId) ?? null
  return { call, desk, path: planPath(decision.plan), clientId: decision.clientId, contract, month: decision.usageMonth }
}

function mergeUsage(recorded: Map<string, UsageComparison>, wouldBe: Map<string, UsageComparison>): UsageComparison[] {
  const merged = new Map(recorded)
  for (const [key, entry] of wouldBe) {
    const found = merged.get(key)
    if (found) found.wouldBe = entry.wouldBe
    else merged.set(key, entry)
  }
  return [...merged.values()].sort(
    (a, b) =>
      (a.month < b.month ? -1 : a.month > b.month ? 1 : 0) || (a.clientId < b.clientId ? -1 : 1) || (a.desk < b.desk ? -1 : 1),
  )
}

function summarise(
  input: WhatIfInput,
  dated: { call: RecordedCall; date: string }[],
  replayed: Replayed[],
  usage: UsageComparison[],
): WhatIfResult {
  const { from } = input.period
  const changed: ChangedCall[] = []
  const callbacks: MovedCallback[] = []
  const closed = new Map<string, { clientId: string; calls: number; newlyClosed: number }>()
  let calls = 0
  let undecided = 0
  dated.forEach(({ call, date }, index) => {
    if (date < from) return
    const again = replayed[index] as Replayed
    const was = recordedPath(call)
    if (was === null) {
      undecided++
      return
    }
    calls++
    const isClosed = isClosedOutcome(again.path)
    if (isClosed && again.clientId) {
      const entry = closed.get(again.clientId) ?? { clientId: again.clientId, calls: 0, newlyClosed: 0 }
      entry.calls++
      if (call.decision !== 'closed') entry.newlyClosed++
      closed.set(again.clientId, entry)
    }
    if (!samePath(was, again.path, call)) {
      const talk = call.legs.filter((leg) => !leg.onCall).reduce((sum, leg) => sum + leg.talkSeconds, 0)
      changed.push({
        callSid: call.callSid,
        startedAt: call.startedAt.toISOString(),
        clientId: call.clientId ?? again.clientId,
        desk: call.deskId ?? again.desk?.id ?? null,
        outcome: call.outcome,
        wouldBe: again.path,
        talk: talkNote(was, again.path, talk),
      })
    }
    const moved = call.callback && movedCallback(call.callback, call.callSid, again.desk)
    if (moved) callbacks.push(moved)
  })
  const seconds = usage.reduce((sum, row) => sum + row.wouldBe.billableSeconds - row.recorded.billableSeconds, 0)
  return {
    period: input.period,
    calls,
    undecided,
    changed,
    usage,
    callbacks,
    summary: {
      closedByClient: [...closed.values()].sort((a, b) => b.calls - a.calls || (a.clientId < b.clientId ? -1 : 1)),
      secondsMovedBeyondQuota: seconds,
      minutesMovedBeyondQuota: Math.round(seconds / 60),
    },
  }
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

/** The longest period replayed at once: a year, a leap day included. */
export const MAX_PERIOD_DAYS = 366

/**
 * A period's problem, if any, with the field it concerns: `to` before `from`, longer than
 * MAX_PERIOD_DAYS, or ending after today (in the first zone where today has begun: UTC+14).
 */
export function periodProblem(period: { from: string; to: string }, now: Date): { field: 'from' | 'to'; message: string } | null {
  if (period.to < period.from) return { field: 'to', message: `must not be before from (${period.from})` }
  const days = DateTime.fromISO(period.to, { zone: 'UTC' }).diff(DateTime.fromISO(period.from, { zone: 'UTC' }), 'days').days + 1
  if (days > MAX_PERIOD_DAYS)
    return { field: 'to', message: `the period is ${days} days: at most ${MAX_PERIOD_DAYS} are replayed at once` }
  const today = localDate(now, 'Etc/GMT-14')
  if (period.to > today) return { field: 'to', message: `must not be after today (${today}): only recorded calls are replayed` }
  return null
}
