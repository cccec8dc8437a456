// addWorkingTime and workingTimeBetween: due times in working hours (the 24 working hours of the model clause) and their inverse.
import t from 'tap'
import { addWorkingTime, workingTimeBetween } from '../../../src/domain/calendar/index.js'
import { desks, intercom } from '../../fixtures/calendar/desks.js'
import { addCases, betweenCases } from '../../fixtures/calendar/working-time-cases.js'

const HOUR = 3_600_000

for (const c of addCases) {
  const lands = addWorkingTime(desks[c.desk], new Date(c.from), c.ms)
  t.equal(
    lands?.toISOString() ?? null,
    c.lands === null ? null : new Date(c.lands).toISOString(),
    `${c.ms / HOUR} working hours from ${c.from} on ${c.desk} land ${c.lands === null ? 'nowhere' : `at ${c.lands}`} (${c.why})`,
  )
}

for (const c of betweenCases) {
  const ms = workingTimeBetween(desks[c.desk], new Date(c.from), new Date(c.to))
  t.equal(ms / HOUR, c.hours, `${c.desk} works ${c.hours} h between ${c.from} and ${c.to} (${c.why})`)
}

const from = new Date('2026-01-15T18:00:00+01:00')
const due = addWorkingTime(intercom, from, 24 * HOUR)
t.equal(
  due === null ? null : workingTimeBetween(intercom, from, due),
  24 * HOUR,
  'the working time up to a due time is the time that was added',
)
t.throws(
  () => addWorkingTime(intercom, from, -1),
  { message: 'working time must be a finite, non-negative number of ms, got -1' },
  'a negative working time is refused',
)
t.throws(() => addWorkingTime(intercom, from, Number.NaN), /got NaN/, 'a working time that is not a number is refused')
