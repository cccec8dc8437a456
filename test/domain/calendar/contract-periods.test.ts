// contractStanding: periods computed from the signature, tacit renewal, notice deadlines, notice on time or too late.
import t from 'tap'
import { contractStanding } from '../../../src/domain/calendar/index.js'
import { contractCases } from '../../fixtures/calendar/contract-cases.js'

for (const c of contractCases) {
  const standing = contractStanding(c.terms, c.date)
  const notice = c.terms.noticeGivenOn ? `, notice on ${c.terms.noticeGivenOn}` : ''
  t.same(
    standing,
    c.standing,
    `signed ${c.terms.start} for ${c.terms.months} months${notice}: on ${c.date} it is ${c.standing.inForce ? `in force (period ${c.standing.period?.index})` : 'not in force'} (${c.why})`,
  )
}

t.throws(
  () => contractStanding({ start: '2026-01-15', months: 0, noticeMonths: 3 }, '2026-02-01'),
  { message: 'months must be a whole number ≥ 1, got 0' },
  'a contract of zero months is refused',
)
t.throws(
  () => contractStanding({ start: '2026-01-15', months: 12, noticeMonths: 1.5 }, '2026-02-01'),
  { message: 'noticeMonths must be a whole number ≥ 0, got 1.5' },
  'a fractional notice is refused',
)
t.throws(
  () => contractStanding({ start: '2026-02-30', months: 12, noticeMonths: 3 }, '2026-03-01'),
  { message: 'start: expected a date "YYYY-MM-DD", got "2026-02-30"' },
  'a signature date that does not exist is refused',
)
t.throws(
  () => contractStanding({ start: '2026-01-15', months: 12, noticeMonths: 3 }, '15/03/2026'),
  /^date: /,
  'a malformed date is refused',
)
