// What "Simuler" proposes from the Contracts and Calendar pages: the file in force plus a
// contract's revised terms, or a desk's hours on a weekday and a closure, checked as a file is.
import { readFileSync } from 'node:fs'
import t from 'tap'
import { type DeskFile, parseDeskFile } from '../../src/domain/desk-file.js'
import { effectiveProblem, periodStart, withProposedCalendar, withRevisedContract } from '../../src/domain/what-if-proposals.js'

const intercom = (): DeskFile => {
  const parsed = parseDeskFile(JSON.parse(readFileSync(new URL('../../db/desks/intercom.json', import.meta.url), 'utf8')))
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors))
  return parsed.file
}

t.test('a contract revised from a date: a change with the terms given, the others untouched', async (t) => {
  const file = intercom()
  const acme = file.clients.find((client) => client.id === 'acme')?.contracts[0]
  if (!acme) throw new Error('ACME has a contract')
  const key = { clientId: 'acme', desk: acme.desk, start: acme.start }
  const revised = withRevisedContract(file, key, { monthlyQuotaMinutes: 120, overage: undefined }, '2026-11-01')
  if (!revised.ok) throw new Error(revised.problem.message)
  t.same(revised.file.clients.find((client) => client.id === 'acme')?.contracts[0]?.changes, [
    ...acme.changes,
    { from: '2026-11-01', monthlyQuotaMinutes: 120 },
  ])
  t.same(file.clients.find((client) => client.id === 'acme')?.contracts[0]?.changes, acme.changes, 'the file in force untouched')
  t.match(withRevisedContract(file, { ...key, start: '1999-01-01' }, { overage: 'refuse' }, '2026-11-01'), {
    ok: false,
    problem: { kind: 'not_found', message: /acme\/intercom\/1999-01-01/ },
  })
  t.match(withRevisedContract(file, key, {}, '2026-11-01'), { ok: false, problem: { kind: 'invalid' } }, 'no term: not a change')
})

t.test("a desk's hours on a weekday from a date, a closure: the desk replaced, checked as a file is", async (t) => {
  const file = intercom()
  const saturday = withProposedCalendar(file, 'intercom', { hours: { weekday: 'sat', ranges: [] } }, '2026-11-01')
  if (!saturday.ok) throw new Error(saturday.problem.message)
  const schedule = saturday.file.desks[0]?.schedule
  t.same(schedule?.weekly, file.desks[0]?.schedule.weekly, 'the hours before the date as they were')
  t.same(
    schedule?.changes.at(-1),
    { from: '2026-11-01', weekly: { ...file.desks[0]?.schedule.weekly, sat: [] } },
    'from the date, the week in force with Saturdays closed',
  )
  t.same(schedule?.holidays.closures, file.desks[0]?.schedule.holidays.closures, 'closures as they were')
  const closure = { start: '2026-11-21', name: 'Inventaire' }
  const closed = withProposedCalendar(file, 'intercom', { closure }, '2026-11-01')
  if (!closed.ok) throw new Error(closed.problem.message)
  t.same(closed.file.desks[0]?.schedule.holidays.closures.at(-1), closure)
  t.same(
    closed.file.desks[0]?.schedule,
    { ...file.desks[0]?.schedule, holidays: closed.file.desks[0]?.schedule.holidays },
    'hours as they were',
  )
  t.match(withProposedCalendar(file, 'intercom', { hours: { weekday: 'sat', ranges: ['25:00-26:00'] } }, '2026-11-01'), {
    ok: false,
    problem: { kind: 'invalid' },
  })
  t.match(withProposedCalendar(file, 'nowhere', { closure }, '2026-11-01'), { ok: false, problem: { kind: 'not_found' } })
})

t.test('hours from a date restate the week in force then; a change at that date is amended', async (t) => {
  const file = intercom()
  const desk = file.desks[0]
  if (!desk) throw new Error('a desk')
  desk.schedule.changes = [
    { from: '2026-06-01', weekly: { sun: ['09:00-12:00'], mon: ['09:00-12:00'] } },
    { from: '2027-01-01', weekly: { sun: ['08:00-12:00'] } },
  ]
  const monday = withProposedCalendar(file, 'intercom', { hours: { weekday: 'mon', ranges: ['10:00-11:00'] } }, '2026-11-15')
  if (!monday.ok) throw new Error(monday.problem.message)
  t.same(monday.file.desks[0]?.schedule.changes, [
    ...desk.schedule.changes,
    { from: '2026-11-15', weekly: { sun: ['09:00-12:00'], mon: ['10:00-11:00'] } },
  ])
  const june = withProposedCalendar(file, 'intercom', { hours: { weekday: 'mon', ranges: [] } }, '2026-06-01')
  if (!june.ok) throw new Error(june.problem.message)
  t.same(june.file.desks[0]?.schedule.changes, [
    { from: '2026-06-01', weekly: { sun: ['09:00-12:00'], mon: [] } },
    { from: '2027-01-01', weekly: { sun: ['08:00-12:00'] } },
  ])
})

t.test('an effective date inside the period or before it', async (t) => {
  const period = { from: '2026-10-15', to: '2026-11-28' }
  t.equal(periodStart(period), '2026-10-01', "by default the first day of the period's first month")
  t.equal(effectiveProblem('2026-11-28', period), null, 'its last day')
  t.equal(effectiveProblem('2025-01-01', period), null, 'before it: every call replayed under the change')
  t.match(effectiveProblem('2026-11-29', period), /must not be after the period's last day \(2026-11-28\)/)
})
