// A contract's terms on a date: revisions apply from their effective dates, the later over the earlier.
import t from 'tap'
import { type ContractTermsOnDate, contractChangeSchema, termsForMonth, termsOn } from '../../src/domain/contract-terms.js'

const signed: ContractTermsOnDate = { quotaSeconds: 18_000, overage: 'bill', billingIncrementSeconds: 1 }
const changes = [
  { from: '2027-01-01', monthlyQuotaMinutes: 600 },
  { from: '2026-12-01', overage: 'ask' as const },
  { from: '2027-03-01', overage: 'refuse' as const, billingIncrementSeconds: 60 },
]

const cases: [date: string, expected: ContractTermsOnDate][] = [
  ['2026-11-30', signed],
  ['2026-12-01', { ...signed, overage: 'ask' }],
  ['2027-01-01', { quotaSeconds: 36_000, overage: 'ask', billingIncrementSeconds: 1 }],
  ['2027-03-15', { quotaSeconds: 36_000, overage: 'refuse', billingIncrementSeconds: 60 }],
]
for (const [date, expected] of cases) {
  t.same(termsOn(signed, changes, date), expected, `the terms in force on ${date}`)
}
t.same(termsOn(signed, [], '2030-01-01'), signed, 'no revision: the signed terms')

t.notOk(contractChangeSchema.safeParse({ from: '2027-01-01' }).success, 'a revision must revise something')
t.notOk(contractChangeSchema.safeParse({ from: '2027-13-01', overage: 'bill' }).success, 'a bad date is refused')
t.notOk(contractChangeSchema.safeParse({ from: '2027-01-01', quota: 5 }).success, 'an unknown term is refused')

t.test("a leg counts under its month's terms, even when counted the next month", async (t) => {
  const signed: ContractTermsOnDate = { quotaSeconds: 18_000, overage: 'bill', billingIncrementSeconds: 1 }
  const changes = [{ from: '2026-12-01', monthlyQuotaMinutes: 600, billingIncrementSeconds: 60 }]
  t.same(termsForMonth(signed, changes, '2026-11', '2026-11-30'), signed, 'counted on the last day: its own terms')
  t.same(termsForMonth(signed, changes, '2026-11', '2026-12-01'), signed, "counted after midnight: still November's")
  t.same(
    termsForMonth(signed, changes, '2026-12', '2026-12-01'),
    { quotaSeconds: 36_000, overage: 'bill', billingIncrementSeconds: 60 },
    "December's own leg: the revision",
  )
  t.same(termsForMonth(signed, [], '2026-11', '2026-12-01'), signed, 'without changes: the signed terms, any day')
})

t.test("a leg counted on 1 March counts under February's last day, whatever its length", async (t) => {
  // The file's revisions: 600 min from January, 'ask' from December, 'refuse' and 60 s from 1 March 2027.
  t.same(
    termsForMonth(signed, changes, '2027-02', '2027-03-01'),
    { quotaSeconds: 36_000, overage: 'ask', billingIncrementSeconds: 1 },
    "February 2027's terms, not March's revision",
  )
  const leapDay = [{ from: '2028-02-29', overage: 'refuse' as const }]
  t.same(
    termsForMonth(signed, leapDay, '2028-02', '2028-03-01'),
    { ...signed, overage: 'refuse' },
    'in a leap year February ends on the 29th: a revision from that day applies',
  )
  t.same(termsForMonth(signed, leapDay, '2028-02', '2028-02-28'), signed, 'and not the day before')
})
