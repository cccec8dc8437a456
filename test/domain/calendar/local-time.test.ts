// Local dates and wall-clock conversion: day numbers, real dates only, DST gaps and overlaps, and the bounded day cache.
import t from 'tap'
import {
  civilDateOf,
  dayNumberOf,
  isoDateOf,
  LocalTime,
  localTimeIn,
  parseIsoDate,
  weekdayIndexOf,
} from '../../../src/domain/calendar/local-time.js'

t.test('dates as day numbers', async (t) => {
  t.equal(dayNumberOf(1970, 1, 1), 0, '1 January 1970 is day 0')
  t.equal(weekdayIndexOf(0), 3, '1 January 1970 was a Thursday')
  t.equal(weekdayIndexOf(-1), 2, 'the day before was a Wednesday')
  t.equal(isoDateOf(dayNumberOf(24, 3, 1)), '0024-03-01', 'years below 100 are not read as 19xx')
  t.same(civilDateOf(parseIsoDate('2024-02-29') as number), { year: 2024, month: 2, day: 29 }, '29 February 2024 exists')
  for (const text of ['2025-02-29', '2026-04-31', '2026-13-01', '2026-1-5', ''])
    t.equal(parseIsoDate(text), null, `"${text}" is not a date`) // more days than are remembered as text: the memory starts again, every date still right
  const first = dayNumberOf(2000, 1, 1)
  const days = Array.from({ length: 5000 }, (_, i) => first + i)
  const written = days.map(isoDateOf)
  const wrong = days.filter((day, i) => parseIsoDate(isoDateOf(day)) !== day || written[i] !== isoDateOf(day))
  t.same(wrong, [], '5,000 days from 2000 written and read back')
})

t.test('wall clock to instants', async (t) => {
  const paris = localTimeIn('Europe/Paris')
  t.equal(localTimeIn('Europe/Paris'), paris, 'one converter per zone for the process')
  const spring = parseIsoDate('2025-03-30') as number
  const fall = parseIsoDate('2025-10-26') as number
  t.equal(
    new Date(paris.instantOf(spring, 150)).toISOString(),
    '2025-03-30T01:30:00.000Z',
    '02:30 on the spring-forward night moves forward to 03:30 summer time',
  )
  t.equal(
    new Date(paris.instantOf(fall, 150)).toISOString(),
    '2025-10-26T01:30:00.000Z',
    '02:30 on the fall-back night is the later, winter-time one',
  )
  t.equal(
    new Date(paris.instantOf(spring, 1440)).toISOString(),
    '2025-03-30T22:00:00.000Z',
    '24:00 is the next day’s midnight, in summer time',
  )
  t.same(
    paris.localAt(Date.parse('2025-10-26T00:30:00Z')),
    { dayNumber: fall, minute: 150 },
    'the first 02:30 of the fall night reads as 02:30',
  )
  t.throws(() => new LocalTime('Europe/Pariss'), { message: 'unknown time zone "Europe/Pariss"' }, 'an unknown zone is refused')
})

t.test('the day cache stays bounded and right', async (t) => {
  const algiers = new LocalTime('Africa/Algiers')
  const first = parseIsoDate('2000-01-01') as number
  let wrong = 0
  for (let day = first; day < first + 5000; day++) {
    if (algiers.instantOf(day, 600) !== day * 86_400_000 + 9 * 3_600_000) wrong++
  }
  t.equal(wrong, 0, '5000 days of 10:00 in Algiers are all 09:00 UTC, across the cache being emptied')
  let misread = 0
  for (let day = first; day < first + 5000; day++) if (parseIsoDate(isoDateOf(day)) !== day) misread++
  t.equal(misread, 0, '5000 dates written and read back are the same days, across the date cache being emptied')
  t.equal(algiers.offsetAt(Date.parse('2000-01-01T12:00:00Z')), 60, 'a day seen before the cache was emptied is computed again')
})
