// A call's outcome, derived from the facts its webhooks delivered so far, in whatever order and
// however many times they arrived: the same facts always give the same outcome.
import type { Plan } from './call.js'

/** What became of a call (DESIGN.md): every call record ends with one of these. */
export const OUTCOMES = [
  'answered',
  'no_answer',
  'voicemail',
  'closed_hours',
  'closed_holiday',
  'closed_closure',
  'unknown_caller',
  'suspended',
  'no_contract',
  'quota_refused',
  'abandoned',
  'failed',
] as const

export type Outcome = (typeof OUTCOMES)[number]

/** The outcomes of a call that met a closed desk: outside its hours, a holiday, a closure. */
const CLOSED_OUTCOMES = ['closed_hours', 'closed_holiday', 'closed_closure'] as const satisfies readonly Outcome[]

export function isClosedOutcome(outcome: string | null): outcome is (typeof CLOSED_OUTCOMES)[number] {
  return (CLOSED_OUTCOMES as readonly (string | null)[]).includes(outcome)
}

export interface CallState {
  /** what the voice webhook decided ('pending': its record has not reached the database yet) */
  decision: Plan['kind'] | 'pending'
  /** the outcome so far (decided ones, like unknown_caller, are final) */
  outcome: Outcome | null
  /** DialCallStatus of the last <Dial> leg, if one ended */
  dialStatus: string | null
  talkSeconds: number
  recordingUrl: string | null
  /** final CallStatus of the caller's call, once the status callback came */
  callStatus: string | null
}

/** Outcomes the decision itself settles: nothing that happens later changes them. */
const SETTLED: ReadonlySet<Outcome> = new Set(['unknown_caller', 'suspended', 'no_contract', 'quota_refused', 'failed'])
const ANSWERED_DIAL = new Set(['completed', 'answered'])

/**
 * "Answered", the one definition: someone talked (talk time > 0) on a leg Twilio says was
 * answered (DialCallStatus completed or answered). A dial callback asks it of the leg it reports
 * (its status is always known); a call record, of its facts, where the talk time is only ever set
 * by an answered leg (the status may not have reached the record yet: a placeholder).
 */
export function answered(leg: { dialStatus: string | null; talkSeconds: number }): boolean {
  return leg.talkSeconds > 0 && (leg.dialStatus === null || ANSWERED_DIAL.has(leg.dialStatus))
}

export function resolveOutcome(state: CallState): Outcome | null {
  if (state.outcome && SETTLED.has(state.outcome)) return state.outcome
  if (answered(state)) return 'answered'
  if (state.decision === 'closed') return state.outcome ?? 'closed_hours'
  if (state.recordingUrl) return 'voicemail'
  if (state.callStatus === null) return state.outcome
  // The call is over and nobody talked to the caller.
  if (state.callStatus === 'failed') return 'failed'
  switch (state.decision) {
    case 'dial':
    // Billing accepted, then the agents rang like any dial (no dial status: hung up at the question).
    case 'ask_overage':
      return state.dialStatus === null || state.dialStatus === 'canceled' ? 'abandoned' : 'no_answer'
    case 'voicemail':
      return 'no_answer'
    default:
      return 'abandoned'
  }
}

/**
 * The outcome a call's decision starts from when it reaches a record its callbacks created first
 * (a placeholder, decision 'pending'): an outcome a callback told, which the facts alone would not
 * give (the caller refused the overage), stands, as it would had that callback come after the
 * decision; whatever the placeholder derived from its facts gives way to the decided outcome, and
 * is derived again with the decision.
 */
export function outcomeOnceDecided(placeholder: CallState, decided: Outcome | null): Outcome | null {
  const told = placeholder.outcome !== resolveOutcome({ ...placeholder, outcome: null })
  return told ? placeholder.outcome : decided
}
