// The dashboard's formatting, with plain values: durations, delays, dates in the desk's zone, months.
import t from 'tap'
import {
  addDays,
  dateFormatHint,
  daysBetween,
  formatDateTime,
  formatDayRange,
  formatDayShort,
  formatDelay,
  formatDuration,
  formatHhMm,
  formatMonth,
  formatPercent,
  formatTime,
  formatWhen,
  localYearOf,
  monthsEnding,
  shiftMonth,
} from '../../src/pages/format.js'
import { dayRangeCases, delayCases, durationCases, instantCases } from '../fixtures/pages/format-cases.js'

const plain = (text: string) => text.replace(/[\u00a0\u202f]/g, ' ')

t.test('durations read as French managers write them', async (t) => {
  for (const { seconds, text } of durationCases) t.equal(formatDuration(seconds), text, `${seconds} s is "${plain(text)}"`)
  t.equal(formatDuration(8100), '2\u00a0h 15\u00a0min', 'a no-break space keeps each number with its unit')
})

t.test('delays count days from a day on', async (t) => {
  for (const { seconds, lang, text } of delayCases)
    t.equal(formatDelay(seconds, lang), text, `${seconds} s in ${lang} is "${plain(text)}"`)
})

t.test("instants are shown in the desk's time zone", async (t) => {
  for (const c of instantCases) {
    const at = new Date(c.at)
    t.equal(formatDateTime(at, c.zone, c.lang), c.dateTime, `${c.at} in ${c.zone} (${c.lang})`)
    t.equal(formatWhen(at, c.zone, c.lang), c.when)
    t.equal(formatTime(at, c.zone, c.lang), c.time)
  }
  t.equal(localYearOf(new Date('2026-12-31T23:30:00Z'), 'Africa/Algiers'), 2027, 'the desk-local year')
})

t.test('one way of writing a time per language: the hours as the desk writes them', async (t) => {
  t.equal(formatHhMm('09:30', 'fr'), '9\u00a0h\u00a030')
  t.equal(formatHhMm('12:00', 'en'), '12\u00a0pm')
  t.equal(formatHhMm('24:00', 'fr'), 'minuit', 'the end of the day is midnight')
  t.equal(dateFormatHint('fr'), 'jj/mm/aaaa')
  t.equal(dateFormatHint('en'), 'dd/mm/yyyy')
})

t.test('days, ranges and months', async (t) => {
  t.equal(formatDayShort('2026-11-28', 'fr'), '28/11/2026')
  t.equal(formatDayShort('2026-11-28', 'en'), '28 Nov 2026')
  for (const c of dayRangeCases) t.equal(formatDayRange(c.first, c.last, c.lang), c.text, `${c.first}…${c.last} (${c.lang})`)
  t.equal(formatMonth('2026-11', 'fr'), 'novembre 2026')
  t.equal(formatMonth('2026-11', 'en'), 'November 2026')
  t.equal(formatMonth('2026-02', 'fr', 'short'), 'févr.')
  t.throws(() => formatDayShort('2026-02-30', 'fr'), RangeError, 'a date that does not exist is a programming error')
})

t.test('percentages: French spacing', async (t) => {
  t.equal(formatPercent(80, 'fr'), '80\u202f%')
  t.equal(formatPercent(83.4, 'en'), '83%')
  t.equal(formatPercent(124.6, 'fr'), '125\u202f%')
})

t.test('month and day arithmetic', async (t) => {
  t.equal(shiftMonth('2026-01', -1), '2025-12')
  t.equal(shiftMonth('2026-11', 2), '2027-01')
  t.same(monthsEnding('2026-02', 3), ['2025-12', '2026-01', '2026-02'], 'oldest first, ending with the month')
  t.equal(monthsEnding('2026-11', 12).length, 12)
  t.equal(daysBetween('2026-11-28', '2026-12-01'), 3)
  t.equal(daysBetween('2026-12-01', '2026-11-28'), -3)
  t.equal(addDays('2026-02-27', 2), '2026-03-01')
})
