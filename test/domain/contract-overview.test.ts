// A contract as managers read it, with plain values: the period in force, its end, the notice deadline.
import t from 'tap'
import { contractOverview, localDate, noticeDueBy } from '../../src/domain/contract-overview.js'

const OVERVIEWS: [today: string, terms: Parameters<typeof contractOverview>[0], expected: object][] = [
  [
    '2026-11-28',
    { start: '2026-01-15', months: 12, noticeMonths: 3 },
    {
      inForce: true,
      period: { start: '2026-01-15', end: '2027-01-15', lastDay: '2027-01-14' },
      noticeDeadline: '2026-10-14',
      endsOn: null,
    },
  ],
  [
    '2026-11-28',
    { start: '2026-01-15', months: 12, noticeMonths: 3, noticeGivenOn: '2026-10-14' },
    { inForce: true, noticeDeadline: null, endsOn: '2027-01-15' },
  ],
  ['2026-11-28', { start: '2027-01-01', months: 12, noticeMonths: 3 }, { inForce: false, period: null, noticeDeadline: null }],
]

for (const [today, terms, expected] of OVERVIEWS) {
  t.test(
    `a contract signed ${terms.start}${terms.noticeGivenOn ? ` with notice on ${terms.noticeGivenOn}` : ''}, on ${today}`,
    async (t) => {
      t.match(contractOverview(terms, today), { today, ...expected })
    },
  )
}

t.test('notice is due when the deadline lies between today and the date asked', async (t) => {
  // Its period expires on 28 February 2027: notice is due three months before, by 28 November 2026.
  const overview = contractOverview({ start: '2026-03-01', months: 12, noticeMonths: 3 }, '2026-11-20')
  t.equal(overview.noticeDeadline, '2026-11-28')
  t.ok(noticeDueBy(overview, '2026-11-28'), 'a deadline on the date asked is due')
  t.notOk(noticeDueBy(overview, '2026-11-27'), 'a later deadline is not')
  t.notOk(
    noticeDueBy(contractOverview({ start: '2026-03-01', months: 12, noticeMonths: 3 }, '2026-11-29'), '2027-01-01'),
    'a deadline past is not',
  )
  t.equal(localDate(new Date('2026-11-30T23:30:00Z'), 'Africa/Algiers'), '2026-12-01', "the date is the desk's")
  t.equal(localDate(new Date('2026-12-31T23:30:00Z'), 'Africa/Algiers'), '2027-01-01', 'and so is the year')
})
