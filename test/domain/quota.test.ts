// The quota arithmetic: the month of a call, billing increments, the split at the quota line, thresholds.
import t from 'tap'
import { countedSeconds, monthOf, quotaLeft, quotaUsedUp, splitAtQuota, thresholdsCrossed } from '../../src/domain/quota.js'

t.equal(monthOf(new Date('2026-11-30T23:30:00Z'), 'Africa/Algiers'), '2026-12', '23:30 UTC on 30 November is December in Algiers')
t.equal(monthOf(new Date('2026-11-30T23:30:00Z'), 'UTC'), '2026-11', 'and still November in UTC')

for (const [talk, increment, counted] of [
  [0, 60, 0],
  [1, 60, 60],
  [60, 60, 60],
  [61, 60, 120],
  [125, 1, 125],
  [125, 30, 150],
  [10, 0, 10],
] as const) {
  t.equal(countedSeconds(talk, increment), counted, `${talk} s at ${increment} s increments counts ${counted} s`)
}

t.same(splitAtQuota(18_000, 17_900, 250), { includedSeconds: 100, overageSeconds: 150 }, 'across the line: split')
t.same(splitAtQuota(18_000, 0, 250), { includedSeconds: 250, overageSeconds: 0 }, 'well within: all included')
t.same(splitAtQuota(18_000, 19_000, 250), { includedSeconds: 0, overageSeconds: 250 }, 'beyond: all overage')
t.same(splitAtQuota(60, 0, 120), { includedSeconds: 60, overageSeconds: 60 }, "DESIGN.md's example: 120 s under a 60 s quota")

t.equal(quotaLeft(18_000, 5_400), 12_600)
t.equal(quotaLeft(18_000, 20_000), 0, 'never negative')
t.ok(quotaUsedUp(18_000, 18_000), 'exactly at the quota is used up')
t.notOk(quotaUsedUp(18_000, 17_999), 'one second before is not')

t.same(thresholdsCrossed(18_000, 14_000, 14_400), [80], '80 % is 14 400 s')
t.same(thresholdsCrossed(18_000, 14_000, 18_000), [80, 100], 'both at once')
t.same(thresholdsCrossed(18_000, 14_400, 15_000), [], 'already past 80 %')
t.same(thresholdsCrossed(0, 0, 100), [], 'no thresholds without a quota')
