// contractStanding: periods computed from the signature, tacit renewal, notice deadlines, notice on time or too late.
import t from 'tap'
import { contractStanding, fixedTerms, heldStanding } from '../../../src/domain/calendar/index.js'
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

// Periods are shared by start, length and notice; beyond the few thousand remembered, they start again.
t.test('many contracts: each answers as it would alone', async (t) => {
  const starts = Array.from({ length: 4200 }, (_, i) => new Date(Date.UTC(2015, 0, 1 + i)).toISOString().slice(0, 10))
  const wrong = starts.filter((start) => {
    const standing = contractStanding({ start, months: 12, noticeMonths: 3 }, '2026-11-28')
    const again = contractStanding({ start, months: 12, noticeMonths: 3 }, '2026-11-28')
    return (
      !standing.inForce ||
      standing.period?.start.slice(5) !== start.slice(5).replace('02-29', '03-01') ||
      standing.period?.start !== again.period?.start
    )
  })
  t.same(wrong, [], '4,200 contracts signed a day apart from 2015, each in its own period')
})

// Fixed terms (the what-if replay's): the same standing on every date, from the span its last answer holds for.
t.test('fixed terms answer as fresh ones, day after day and back', async (t) => {
  const cases = [
    { start: '2024-02-29', months: 12, noticeMonths: 3 },
    { start: '2025-01-31', months: 1, noticeMonths: 0, renews: false },
    { start: '2025-06-15', months: 12, noticeMonths: 3, noticeGivenOn: '2026-01-10' },
  ]
  const days = Array.from({ length: 1200 }, (_, i) => new Date(Date.UTC(2024, 0, 1 + i)).toISOString().slice(0, 10))
  for (const terms of cases) {
    const fixed = fixedTerms({ ...terms })
    t.equal(fixedTerms(fixed), fixed, 'fixing them again is the same terms')
    t.equal(heldStanding(fixed), null, 'no span held before the first question')
    t.equal(heldStanding({ ...terms }), undefined, 'terms not fixed hold none')
    t.ok(Object.isFrozen(fixed), 'frozen: a change in place throws rather than answering from a stale span')
    // forwards, then backwards, then jumping about: each answer equal to the fresh terms'
    const order = [...days, ...[...days].reverse(), ...days.filter((_, i) => i % 97 === 0).reverse()]
    const wrong = order.filter(
      (day) => JSON.stringify(contractStanding(fixed, day)) !== JSON.stringify(contractStanding({ ...terms }, day)),
    )
    t.same(wrong, [], `signed ${terms.start}: ${order.length} dates as fresh terms answer them`)
    t.ok(Object.isFrozen(contractStanding(fixed, '2026-03-01')), 'a shared standing is frozen')
    const held = heldStanding(fixed)
    t.ok(held && held.from <= 20_513 && 20_513 < held.until, 'the span held contains the date last asked (2026-03-01)')
  }
  t.throws(() => contractStanding(fixedTerms({ start: '2026-01-15', months: 12, noticeMonths: 3 }), '2026-02-30'), /^date: /)
})
