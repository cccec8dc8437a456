// The quota arithmetic: the month of a call, billing increments, the split at the quota line, thresholds.
import t from 'tap'
import {
  billableBeyondQuota,
  countedSeconds,
  cutByLimit,
  dialLimit,
  monthOf,
  quotaLeft,
  quotaUsedUp,
  splitAtQuota,
  splitLeg,
  thresholdsCrossed,
} from '../../src/domain/quota.js'

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

t.same(
  splitAtQuota(18_000, 17_900, 250),
  { includedSeconds: 100, overageSeconds: 150, graceSeconds: 0 },
  'across the line: split',
)
t.same(splitAtQuota(18_000, 0, 250), { includedSeconds: 250, overageSeconds: 0, graceSeconds: 0 }, 'well within: all included')
t.same(splitAtQuota(18_000, 19_000, 250), { includedSeconds: 0, overageSeconds: 250, graceSeconds: 0 }, 'beyond: all overage')
t.same(
  splitAtQuota(60, 0, 120),
  { includedSeconds: 60, overageSeconds: 60, graceSeconds: 0 },
  "DESIGN.md's example: 120 s under a 60 s quota",
)
t.same(
  splitAtQuota(18_000, 17_900, 250, false),
  { includedSeconds: 100, overageSeconds: 0, graceSeconds: 150 },
  'not billable beyond the line: the rest is grace',
)
t.same(splitAtQuota(18_000, 0, 250, false), { includedSeconds: 250, overageSeconds: 0, graceSeconds: 0 }, 'within: no grace')

t.ok(billableBeyondQuota('bill', false), 'bill: billed beyond the quota')
t.notOk(billableBeyondQuota('ask', false), 'ask: not without a yes')
t.ok(billableBeyondQuota('ask', true), 'ask: after a yes')
t.notOk(billableBeyondQuota('refuse', true), 'refuse: never')

const limit = (policy: 'bill' | 'ask' | 'refuse', consented = false) =>
  dialLimit({ policy, consented, quotaSeconds: 7_200, usedSeconds: 7_000, graceSeconds: 60 })
t.equal(limit('bill'), null, 'bill: no limit')
t.same(limit('refuse'), { seconds: 260, after: 'refuse' }, 'refuse: the seconds left and the grace')
t.same(limit('ask'), { seconds: 200, after: 'ask' }, 'ask: the seconds left')
t.equal(limit('ask', true), null, 'ask, consented: no limit')
t.same(
  dialLimit({ policy: 'refuse', consented: false, quotaSeconds: 100, usedSeconds: 0, graceSeconds: -5 }),
  { seconds: 100, after: 'refuse' },
  'a negative grace counts as none',
)

t.ok(cutByLimit({ limitSeconds: 200, callerOnLine: true, talkSeconds: 200 }), 'the leg lasted its limit, the caller on the line')
t.ok(cutByLimit({ limitSeconds: 200, callerOnLine: true, talkSeconds: 199 }), 'a second short still is the limit')
t.notOk(cutByLimit({ limitSeconds: 200, callerOnLine: true, talkSeconds: 150 }), 'the agent hung up before')
t.notOk(cutByLimit({ limitSeconds: 200, callerOnLine: false, talkSeconds: 200 }), 'the caller hung up')
t.notOk(cutByLimit({ limitSeconds: null, callerOnLine: true, talkSeconds: 200 }), 'no limit')
t.notOk(cutByLimit({ limitSeconds: 0, callerOnLine: true, talkSeconds: 0 }), 'no talk')

t.equal(quotaLeft(18_000, 5_400), 12_600)
t.equal(quotaLeft(18_000, 20_000), 0, 'never negative')
t.ok(quotaUsedUp(18_000, 18_000), 'exactly at the quota is used up')
t.notOk(quotaUsedUp(18_000, 17_999), 'one second before is not')

t.same(thresholdsCrossed(18_000, 14_000, 14_400), [80], '80 % is 14 400 s')
t.same(thresholdsCrossed(18_000, 14_000, 18_000), [80, 100], 'both at once')
t.same(thresholdsCrossed(18_000, 14_400, 15_000), [], 'already past 80 %')
t.same(thresholdsCrossed(0, 0, 100), [], 'no thresholds without a quota')

const leg = (consented: boolean, usedSeconds: number, consentedSeconds = 0) =>
  splitLeg({ quotaSeconds: 18_000, usedSeconds, consentedSeconds, seconds: 300, billable: true, consented })
t.same(
  leg(true, 17_800),
  { includedSeconds: 0, overageSeconds: 300, graceSeconds: 0 },
  'consented: all billable, nothing included',
)
t.same(
  leg(false, 18_100, 300),
  { includedSeconds: 200, overageSeconds: 100, graceSeconds: 0 },
  'a leg counted after a consented one still finds the included seconds left',
)
