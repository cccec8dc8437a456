// Weekly hours revised from a date on (model clause: revised with 30 days' notice).
import t from 'tap'
import { type DeskCalendar, deskStatus, weeklyOn } from '../../../src/domain/calendar/index.js'

const weekdays = (hours: string[]) => ({ mon: hours, tue: hours, wed: hours, thu: hours, fri: hours })
const calendar: DeskCalendar = {
  timezone: 'Europe/Paris',
  weekly: weekdays(['09:00-18:00']),
  weeklyChanges: [
    { from: '2027-03-01', weekly: {} }, // closed for good from March 2027
    { from: '2027-01-04', weekly: weekdays(['08:00-12:00']) }, // mornings only from January (given out of order)
  ],
  country: null,
  holidayOverrides: [],
  closures: [],
  openings: [],
}

const cases: [at: string, open: boolean, why: string][] = [
  ['2026-12-31T17:00:00+01:00', true, 'the old hours until the change'],
  ['2027-01-04T08:30:00+01:00', true, 'the new hours from the first day of the change'],
  ['2027-01-04T14:00:00+01:00', false, 'the afternoon is gone'],
  ['2027-03-01T09:00:00+01:00', false, 'closed once the last change applies'],
]
for (const [at, open, why] of cases) {
  t.equal(deskStatus(calendar, new Date(at)).open, open, `${at} is ${open ? 'open' : 'closed'}: ${why}`)
}

t.equal(
  deskStatus(calendar, new Date('2027-01-01T19:00:00+01:00')).nextOpening?.toISOString(),
  '2027-01-04T07:00:00.000Z',
  'from Friday evening the next opening is Monday under the new hours (8:00 Paris)',
)
t.equal(deskStatus(calendar, new Date('2027-02-26T13:00:00+01:00')).nextOpening, null, 'and never again after the last change')
t.same(weeklyOn(calendar, '2026-12-31'), calendar.weekly, 'the hours in force before any change')
t.same(weeklyOn(calendar, '2027-02-01'), weekdays(['08:00-12:00']), 'the hours of the change in force')
t.same(weeklyOn(calendar, '2027-03-01'), {}, 'the latest change')
