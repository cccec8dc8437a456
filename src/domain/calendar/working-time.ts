// Working-hours arithmetic over a desk calendar: the due time N working hours on, and the working time between two instants.
import { openWindows, windowsAfter, type DeskCalendar } from './desk-calendar.js'

/**
 * The earliest instant by which `ms` of open time have elapsed since `from` (model clause: e-mail
 * requests answered within 24 working hours). It lands inside a window, or on a window's end
 * when the count runs out exactly there; `ms` = 0 gives `from`. Null when the open time within
 * the search bound (400 days) is not enough.
 */
export function addWorkingTime(calendar: DeskCalendar, from: Date, ms: number): Date | null {
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`working time must be a finite, non-negative number of ms, got ${ms}`)
  if (ms === 0) return from
  let remaining = ms
  for (const window of windowsAfter(calendar, from.getTime())) {
    const length = window.end - window.start
    if (remaining <= length) return new Date(window.start + remaining)
    remaining -= length
  }
  return null
}

/** Milliseconds of open time in [from, to); 0 when `to` is not after `from`. */
export function workingTimeBetween(calendar: DeskCalendar, from: Date, to: Date): number {
  return openWindows(calendar, from, to).reduce((total, window) => total + (window.end.getTime() - window.start.getTime()), 0)
}
