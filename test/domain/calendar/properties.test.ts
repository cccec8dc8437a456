// Property tests: the next opening is open with nothing open before it, window edges agree with the status, and working time round-trips.
import fc from 'fast-check'
import t from 'tap'
import { addWorkingTime, deskStatus, openWindows, workingTimeBetween } from '../../../src/domain/calendar/index.js'
import { desks, type DeskName } from '../../fixtures/calendar/desks.js'

const sampled: DeskName[] = [
  'intercom',
  'modelClause',
  'parisSaturdayNight',
  'parisSundayEarly',
  'parisAroundTheGap',
  'algiersWednesdayNight',
  'intercomWithExceptions',
  'intercomClosedNow',
]
const FIRST = Date.parse('2024-01-01T00:00:00Z')
const LAST = Date.parse('2028-01-01T00:00:00Z')
const desk = fc.constantFrom(...sampled)
// whole minutes hit the schedule's edges far more often than arbitrary milliseconds
const instant = fc.oneof(
  fc.integer({ min: FIRST, max: LAST }),
  fc.integer({ min: FIRST / 60_000, max: LAST / 60_000 }).map((minute) => minute * 60_000),
)
const at = (ms: number): string => new Date(ms).toISOString()

t.test('the next opening is open, and nothing is open before it', async (t) => {
  fc.assert(
    fc.property(desk, instant, (name, ms) => {
      const calendar = desks[name]
      const status = deskStatus(calendar, new Date(ms))
      if (status.open || status.nextOpening === null) return
      const next = status.nextOpening
      if (next.getTime() <= ms) throw new Error(`${name}: the next opening ${next.toISOString()} is not after ${at(ms)}`)
      if (!deskStatus(calendar, next).open)
        throw new Error(`${name}: the next opening ${next.toISOString()} after ${at(ms)} is closed`)
      const between = openWindows(calendar, new Date(ms), next)
      if (between.length > 0)
        throw new Error(`${name}: ${between[0]?.start.toISOString()} is open between ${at(ms)} and its next opening`)
    }),
    { numRuns: 400 },
  )
  t.pass('for 400 sampled instants on eight desks, the next opening is open and no open instant lies before it')
})

t.test('an open desk stays open until it closes', async (t) => {
  fc.assert(
    fc.property(desk, instant, (name, ms) => {
      const calendar = desks[name]
      const status = deskStatus(calendar, new Date(ms))
      if (!status.open || status.closesAt === undefined) return
      const end = status.closesAt.getTime()
      if (!deskStatus(calendar, new Date(end - 1)).open)
        throw new Error(`${name}: a millisecond before closing (${at(end)}) is closed`)
      if (deskStatus(calendar, new Date(end)).open) throw new Error(`${name}: the closing instant ${at(end)} is open`)
      if (workingTimeBetween(calendar, new Date(ms), new Date(end)) !== end - ms)
        throw new Error(`${name}: ${at(ms)}–${at(end)} is not all open`)
    }),
    { numRuns: 300 },
  )
  t.pass('for 300 sampled open instants, the desk is open until closesAt and closed at it')
})

t.test('window edges agree with the status', async (t) => {
  fc.assert(
    fc.property(desk, instant, (name, ms) => {
      const calendar = desks[name]
      for (const window of openWindows(calendar, new Date(ms), new Date(ms + 8 * 86_400_000))) {
        const [start, end] = [window.start.getTime(), window.end.getTime()]
        if (!deskStatus(calendar, window.start).open) throw new Error(`${name}: window start ${at(start)} is closed`)
        if (start > ms && deskStatus(calendar, new Date(start - 1)).open)
          throw new Error(`${name}: just before window start ${at(start)} is open`)
        if (!deskStatus(calendar, new Date(end - 1)).open) throw new Error(`${name}: just before window end ${at(end)} is closed`)
      }
    }),
    { numRuns: 150 },
  )
  t.pass(
    'for a week of windows from 150 sampled instants, each window starts open, was closed just before, and is open to its end',
  )
})

t.test('working time round-trips', async (t) => {
  fc.assert(
    fc.property(desk, instant, fc.integer({ min: 0, max: 20 * 86_400_000 }), (name, ms, span) => {
      const calendar = desks[name]
      const [from, to] = [new Date(ms), new Date(ms + span)]
      const worked = workingTimeBetween(calendar, from, to)
      const lands = addWorkingTime(calendar, from, worked)
      if (lands === null) throw new Error(`${name}: ${worked} ms of work from ${at(ms)} never land`)
      if (lands.getTime() > to.getTime())
        throw new Error(`${name}: ${worked} ms of work from ${at(ms)} land at ${lands.toISOString()}, after ${to.toISOString()}`)
      if (workingTimeBetween(calendar, from, lands) !== worked)
        throw new Error(`${name}: the work up to ${lands.toISOString()} is not ${worked} ms`)
    }),
    { numRuns: 300 },
  )
  t.pass(
    'for 300 sampled ranges, addWorkingTime(from, workingTimeBetween(from, to)) lands no later than to, with the same working time',
  )
})
