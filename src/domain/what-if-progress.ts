// The progress of a long what-if replay (issue #21: 24 months of a busy desk take tens of seconds):
// the calls fed to the replay counted by the month they fall in, each month told once it is
// replayed, every month of the period told (an empty one with 0), in order. Pure: no clock.
import { localDate } from './contract-overview.js'
import type { RecordedCall } from './what-if.js'

export interface ReplayProgress {
  /** the month just replayed (YYYY-MM, the desk's month) */
  month: string
  /** calls of that month fed to the replay */
  monthCalls: number
  /** calls fed so far, that month included */
  calls: number
}

/** The month after a YYYY-MM month. */
export function nextMonth(month: string): string {
  const year = Number(month.slice(0, 4))
  const number = Number(month.slice(5, 7))
  return number === 12 ? `${year + 1}-01` : `${year}-${String(number + 1).padStart(2, '0')}`
}

/**
 * Counts the batches fed to a replay of `period` by month (a call's month in its desk's zone,
 * `zoneOf`; those of the slack hours around the period count into its first or last month) and
 * tells `report` of each month once a call of a later month comes, the last ones at `finish`.
 */
export function monthProgress(
  period: { from: string; to: string },
  zoneOf: (call: RecordedCall) => string,
  report: (progress: ReplayProgress) => void,
): { add(batch: readonly RecordedCall[]): void; finish(): void } {
  const last = period.to.slice(0, 7)
  let month = period.from.slice(0, 7)
  let monthCalls = 0
  let calls = 0
  /** Tells the months before `until` (each once), and moves on to it (to the last month at most). */
  const reach = (until: string) => {
    while (month < until && month < last) {
      report({ month, monthCalls, calls })
      month = nextMonth(month)
      monthCalls = 0
    }
  }
  return {
    add(batch) {
      for (const call of batch) {
        const date = localDate(call.startedAt, zoneOf(call)).slice(0, 7)
        // (a call before the first month counts into it, as one after the last counts into that)
        if (date > month) reach(date)
        monthCalls++
        calls++
      }
    },
    finish() {
      reach(last)
      report({ month, monthCalls, calls })
    },
  }
}
