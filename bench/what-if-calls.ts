// Synthetic recorded calls for the what-if replay benchmark: the bench desk file's registered
// callers dialling their desks during its hours, month after month, each answered with one talk
// leg, generated month by month so that a million calls never sit in memory at once.
import { dayNumberOf, localTimeIn, parseIsoDate } from '../src/domain/calendar/local-time.js'
import { parseTimeRange } from '../src/domain/calendar/schemas.js'
import type { DeskFileInput } from '../src/domain/desk-file.js'
import type { RecordedCall } from '../src/domain/what-if.js'
import { DESKS, registeredCalls } from './dataset.js'

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const

/** A small deterministic generator (mulberry32), so that every run replays the same calls. */
function random(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

/** The months of `months` ending with `last` ("2026-10"), oldest first. */
export function monthsEnding(last: string, months: number): string[] {
  const [year, month] = last.split('-').map(Number) as [number, number]
  return Array.from({ length: months }, (_, i) => {
    const index = year * 12 + month - 1 - (months - 1 - i)
    return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`
  })
}

/** A month of generated calls, held as numbers and made into RecordedCall objects a batch at a time. */
export interface MonthOfCalls {
  count: number
  /** the calls `from` … `to` − 1 of the month, in the store's keyset order (start, then CallSid) */
  batch(from: number, to: number): RecordedCall[]
}

/**
 * `count` calls of one month, in time order, each at an instant inside its desk's weekly hours,
 * answered, with one talk leg of 30 s to 10 min counted a minute after it ended. The recorded
 * decision is `dial`: a holiday, or a quota crossed under `ask` or `refuse`, changes some. The
 * month is kept as numbers and each batch made into objects when asked for, as the store reads a
 * batch of rows at a time: the replay's heap is then what it would be behind the store, not a
 * month of call objects the bench made.
 */
export function monthOfCalls(file: DeskFileInput, month: string, count: number, seed: number): MonthOfCalls {
  const next = random(seed)
  const callers = registeredCalls()
  const first = parseIsoDate(`${month}-01`) as number
  const [year, monthNumber] = month.split('-').map(Number) as [number, number]
  const days = dayNumberOf(year, monthNumber + 1, 1) - first
  const hours = new Map(
    file.desks.map((desk) => {
      const weekly = desk.schedule.weekly as Partial<Record<(typeof WEEKDAYS)[number], string[]>>
      return [desk.numbers[0] as string, WEEKDAYS.map((day) => (weekly[day] ?? []).map(parseTimeRange))] as const
    }),
  )
  const desks = new Map<string, (typeof DESKS)[number]>(DESKS.map((desk) => [desk.number, desk]))
  const starts = new Float64Array(count)
  const callerOf = new Int32Array(count)
  const talks = new Int32Array(count)
  let made = 0
  while (made < count) {
    const index = Math.floor(next() * callers.length)
    const caller = callers[index] as { from: string; to: string }
    const desk = desks.get(caller.to) as (typeof DESKS)[number]
    const day = first + Math.floor(next() * days)
    // 1970-01-01 was a Thursday: index 3 of mon..sun
    const ranges = hours.get(caller.to)?.[(day + 3) % 7] ?? []
    const range = ranges[Math.floor(next() * ranges.length)]
    if (!range) continue
    const minute = range.start + Math.floor(next() * (range.end - range.start))
    starts[made] = localTimeIn(desk.timezone).instantOf(day, minute)
    callerOf[made] = index
    talks[made] = 30 + Math.floor(next() * 570)
    made++
  }
  // by start, then CallSid (made from the call's place in the generation, at a fixed width)
  const order = Array.from({ length: count }, (_, i) => i).sort((a, b) => (starts[a] as number) - (starts[b] as number) || a - b)
  const callOf = (made: number): RecordedCall => {
    const index = callerOf[made] as number
    const caller = callers[index] as { from: string; to: string }
    const desk = desks.get(caller.to) as (typeof DESKS)[number]
    const startedAt = starts[made] as number
    const talkSeconds = talks[made] as number
    return {
      callSid: `CA${seed.toString(16).padStart(8, '0')}${made.toString(16).padStart(24, '0')}`,
      from: caller.from,
      to: caller.to,
      startedAt: new Date(startedAt),
      deskId: desk.id,
      // registeredCalls() lists each client's 10 numbers in turn
      clientId: `client-${String(Math.floor(index / 10)).padStart(4, '0')}`,
      decision: 'dial',
      outcome: 'answered',
      legs: [
        {
          month,
          talkSeconds,
          includedSeconds: talkSeconds,
          overageSeconds: 0,
          graceSeconds: 0,
          onCall: false,
          onCallSeconds: 0,
          consented: false,
          countedAt: new Date(startedAt + (talkSeconds + 60) * 1000),
        },
      ],
      callback: null,
    }
  }
  return { count, batch: (from, to) => order.slice(from, Math.min(to, count)).map(callOf) }
}
