// Callback requests: due within the desk's working hours (model clause: 24 working hours), late once past.
import { type DeskCalendar, addWorkingTime } from './calendar/index.js'

/**
 * Why a request is owed a call back: nobody answered the agents' leg, nobody was on duty, the desk
 * was closed by its hours, or by a holiday or closure; or a client wrote an e-mail (issue #15). The one list: the schema, the store, the
 * API and the dashboard's words are derived from it.
 */
export const CALLBACK_REASONS = ['no_answer', 'no_agent', 'closed_hours', 'closed_holiday', 'email'] as const
export type CallbackReason = (typeof CALLBACK_REASONS)[number]

export interface CallbackTiming {
  status: 'open' | 'done'
  dueAt: Date | null
  doneAt: Date | null
}

/** Open and past due at `now`, or done after it was due. A request without a due time is never late. */
export function isLate(callback: CallbackTiming, now: Date): boolean {
  if (!callback.dueAt) return false
  const settledAt = callback.status === 'done' && callback.doneAt ? callback.doneAt : now
  return settledAt.getTime() > callback.dueAt.getTime()
}

/** When a request opened at `at` is due: the desk's callback delay counted in its working hours. */
export function callbackDue(
  desk: { calendar: DeskCalendar; options: { callbackWithinWorkingHours: number } },
  at: Date,
): Date | null {
  return addWorkingTime(desk.calendar, at, desk.options.callbackWithinWorkingHours * 3_600_000)
}

/** When an e-mail request is due: the desk's `emailWithinWorkingHours` (model clause §2b) after it was stored, in its working calendar. */
export function emailDue(desk: { calendar: DeskCalendar; options: { emailWithinWorkingHours: number } }, at: Date): Date | null {
  return addWorkingTime(desk.calendar, at, desk.options.emailWithinWorkingHours * 3_600_000)
}

/** Why a voicemail was left, from what the voice webhook decided: closed (and why), nobody on duty, nobody answered. */
export function voicemailReason(call: { decision: string; outcome: string | null }): CallbackReason {
  // A holiday and a closure owe the same call back ("férié ou fermeture"); the call log tells them apart.
  if (call.decision === 'closed')
    return call.outcome === 'closed_holiday' || call.outcome === 'closed_closure' ? 'closed_holiday' : 'closed_hours'
  return call.decision === 'voicemail' ? 'no_agent' : 'no_answer'
}

/**
 * The reason of a request opened while its call's decision had not reached the database yet, once
 * it has: a recording could then only say 'no_answer', and now says why the voicemail was left;
 * a reason a callback owed stands (a leg that rang with nobody answering, a refusal to wait).
 */
export function reasonOnceDecided(
  reason: CallbackReason,
  call: { decision: string; outcome: string | null; dialStatus: string | null },
): CallbackReason {
  return reason === 'no_answer' && call.dialStatus === null ? voicemailReason(call) : reason
}
