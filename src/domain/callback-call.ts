// Calling a client back through the line (issue 16): who rings, which number, whether the contract
// lets the call start, what the agent hears first, and what an attempt did to the request. Pure:
// the route and the webhooks read the facts and write what these decide.
import { DateTime } from 'luxon'
import type { Principal } from './access.js'
import { type CallerFacts, type CountInto, contractInForce } from './call.js'
import { termsOn } from './contract-terms.js'
import { localDate } from './contract-overview.js'
import { type DialLimit, type OveragePolicy, dialLimit, monthOf, quotaUsedUp } from './quota.js'

/** Talk shorter than this does not count as the client reached (the desk's option, default). */
export const DEFAULT_REACHED_SECONDS = 30

/** A problem with what was asked: the field at fault (as the API names it) and why. */
export interface CallbackCallProblem {
  field: 'body.agentId' | 'body.number'
  message: string
}

/**
 * The agent who rings: an agent token always as its own agent, whatever it asks; an admin or a
 * manager names one, or the request's assignee rings. The agent must be active on the request's desk.
 */
export function callbackAgent(input: {
  principal: Principal
  asked: string | undefined
  assignedTo: string | null
  /** the ids of the desk's active agents */
  deskAgents: readonly string[]
}): { ok: true; agentId: string } | { ok: false; problem: CallbackCallProblem } {
  const { principal } = input
  const agentId = principal.role === 'agent' ? (principal.agentId ?? null) : (input.asked ?? input.assignedTo)
  if (!agentId)
    return { ok: false, problem: { field: 'body.agentId', message: 'name the agent who calls (the request is unassigned)' } }
  if (!input.deskAgents.includes(agentId))
    return { ok: false, problem: { field: 'body.agentId', message: `agent "${agentId}" is not an active agent of this desk` } }
  return { ok: true, agentId }
}

/**
 * The client's number to dial: the request's own, unless another one is asked, which must be a
 * number registered to the request's client (the desk never dials a number it was not given). An
 * e-mail request has no number of its own: one of the client's must be named.
 */
export function callbackNumber(input: {
  /** null for an e-mail request */
  requestNumber: string | null
  asked: string | undefined
  /** the numbers registered to the request's client (none for an unknown caller) */
  registered: readonly string[]
}): { ok: true; number: string } | { ok: false; problem: CallbackCallProblem } {
  const { requestNumber, asked } = input
  if (asked === undefined || asked === requestNumber) {
    if (requestNumber !== null) return { ok: true, number: requestNumber }
    return {
      ok: false,
      problem: { field: 'body.number', message: "an e-mail request has no number: name one of the client's registered numbers" },
    }
  }
  if (!input.registered.includes(asked))
    return { ok: false, problem: { field: 'body.number', message: "is not one of the client's registered numbers" } }
  return { ok: true, number: asked }
}

/**
 * Whether the contract lets a call back start: under `refuse`, a month whose quota is used up
 * starts no assistance, whoever dials. Under `bill` and `ask` the call starts, and the dial's
 * limit and consent flows are those of an incoming call.
 */
export function callbackRefused(terms: { quotaSeconds: number; overage: OveragePolicy } | null, usedSeconds: number): boolean {
  return terms !== null && terms.overage === 'refuse' && quotaUsedUp(terms.quotaSeconds, usedSeconds)
}

/** What the agent hears on answering, before the client is dialled: whose request, from when, and the key. */
export function callbackWhisper(input: {
  clientName: string | null
  requestedAt: Date
  timezone: string
  language: string
}): string {
  const english = input.language.startsWith('en')
  const day = DateTime.fromJSDate(input.requestedAt, { zone: input.timezone })
    .setLocale(english ? 'en-GB' : 'fr-FR')
    .toFormat('d MMMM')
  if (english) {
    const who = input.clientName ?? 'an unknown caller'
    return `call back to ${who}, request of ${day}: press 1`
  }
  const who = input.clientName ? `de ${input.clientName}` : "d'un appelant inconnu"
  return `rappel ${who}, demande du ${day} : appuyez sur 1`
}

/** How one attempt ended, as the request keeps it. */
export type AttemptResult = 'answered' | 'no_answer' | 'busy' | 'failed' | 'agent_unavailable'

/**
 * What an attempt did: its result from the client leg's dial status (or, when the agent never
 * answered or never pressed 1, `agent_unavailable`), and whether the request closes: the client
 * reached for at least `reachedSeconds`.
 */
export function attemptResult(input: {
  /** the client leg's DialCallStatus; null when the client was never dialled */
  dialStatus: string | null
  talkSeconds: number
  reachedSeconds?: number
}): { result: AttemptResult; closes: boolean } {
  const reached = input.reachedSeconds ?? DEFAULT_REACHED_SECONDS
  switch (input.dialStatus) {
    case null:
      return { result: 'agent_unavailable', closes: false }
    case 'completed':
    case 'answered':
      return input.talkSeconds > 0
        ? { result: 'answered', closes: input.talkSeconds >= reached }
        : { result: 'no_answer', closes: false }
    case 'busy':
      return { result: 'busy', closes: false }
    case 'no-answer':
      return { result: 'no_answer', closes: false }
    default:
      return { result: 'failed', closes: false }
  }
}

/** The contract a call back counts into, as of the call: its month's terms and usage. */
export interface CallbackContract {
  contractId: number
  /** the desk-local month the talk counts into */
  month: string
  quotaSeconds: number
  overage: OveragePolicy
  usedSeconds: number
}

/**
 * The contract in force for the client at the number called back, on the desk's local date:
 * null for a number of no client, or a client without a contract in force (nothing is counted).
 */
export function callbackContract(caller: CallerFacts | null, desk: { timezone: string }, now: Date): CallbackContract | null {
  if (!caller) return null
  const contract = contractInForce(caller.contracts, localDate(now, desk.timezone))
  if (!contract) return null
  const terms = termsOn(contract, contract.changes, localDate(now, desk.timezone))
  return {
    contractId: contract.id,
    month: monthOf(now, desk.timezone),
    quotaSeconds: terms.quotaSeconds,
    overage: terms.overage,
    usedSeconds: contract.usedSeconds,
  }
}

/**
 * How the client's leg of a call back is dialled, under the same quota policies as an incoming
 * call's agents' leg: where its talk counts, and its <Dial timeLimit> at the quota line. Refused:
 * a `refuse` month used up. An `ask` month used up: the client is asked on answering, as a caller
 * is at the start of an incoming call (`askConsent`), and on a yes the talk is consented overage,
 * with no limit; without the yes the client's leg ends before the bridge.
 */
export function callbackDial(
  contract: CallbackContract | null,
  graceSeconds: number,
): { ok: true; countInto: CountInto | null; limit: DialLimit | null; askConsent: boolean } | { ok: false; reason: 'refused' } {
  if (!contract) return { ok: true, countInto: null, limit: null, askConsent: false }
  if (callbackRefused(contract, contract.usedSeconds)) return { ok: false, reason: 'refused' }
  const countInto = { contractId: contract.contractId, month: contract.month }
  if (contract.overage === 'ask' && quotaUsedUp(contract.quotaSeconds, contract.usedSeconds))
    return { ok: true, countInto, limit: null, askConsent: true }
  const limit = dialLimit({
    policy: contract.overage,
    consented: false,
    quotaSeconds: contract.quotaSeconds,
    usedSeconds: contract.usedSeconds,
    graceSeconds,
  })
  return { ok: true, countInto, limit, askConsent: false }
}
