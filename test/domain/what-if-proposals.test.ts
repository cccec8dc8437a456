// What "Simuler" proposes from the Contracts and Calendar pages: the file in force plus a
// contract's revised terms, or a desk's hours on a weekday and a closure, checked as a file is.
import { readFileSync } from 'node:fs'
import t from 'tap'
import { type DeskFile, parseDeskFile } from '../../src/domain/desk-file.js'
import { withProposedCalendar, withRevisedContract } from '../../src/domain/what-if-proposals.js'

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

t.test("a desk's hours on a weekday, a closure: the desk replaced, checked as a file is", async (t) => {
  const file = intercom()
  const saturday = withProposedCalendar(file, 'intercom', { hours: { weekday: 'sat', ranges: [] } })
  if (!saturday.ok) throw new Error(saturday.problem.message)
  t.same(saturday.file.desks[0]?.schedule.weekly.sat, [], 'closed on Saturdays')
  t.same(saturday.file.desks[0]?.schedule.holidays.closures, file.desks[0]?.schedule.holidays.closures, 'closures as they were')
  const closure = { start: '2026-11-21', name: 'Inventaire' }
  const closed = withProposedCalendar(file, 'intercom', { closure })
  if (!closed.ok) throw new Error(closed.problem.message)
  t.same(closed.file.desks[0]?.schedule.holidays.closures.at(-1), closure)
  t.same(closed.file.desks[0]?.schedule.weekly, file.desks[0]?.schedule.weekly, 'hours as they were')
  t.match(withProposedCalendar(file, 'intercom', { hours: { weekday: 'sat', ranges: ['25:00-26:00'] } }), {
    ok: false,
    problem: { kind: 'invalid' },
  })
  t.match(withProposedCalendar(file, 'nowhere', { closure }), { ok: false, problem: { kind: 'not_found' } })
})
