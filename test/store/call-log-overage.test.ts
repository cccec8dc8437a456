// The call log's per-call figures and date bounds, found wrong or slow by the benchmarks: each
// call's own overage (not every leg's), and local days that end late in UTC.
import t from 'tap'
import { listCalls } from '../../src/store/call-log.js'
import { playCall } from '../../webhooks/simulator.js'
import { eachDatabase } from '../helpers/databases.js'
import { deskApp } from '../helpers/desk.js'
import { ACME, DESK } from '../fixtures/intercom.js'

eachDatabase(t, async (t, database) => {
  const {
    clock,
    twilio,
    database: { db },
  } = await deskApp(t, database, { at: '2026-11-28T10:00:00+01:00' })

  t.test("each call shows its own seconds beyond the quota, not the sum of every call's", async (t) => {
    // ACME has 300 minutes a month: a call within it, then one that goes 100 s beyond, then one
    // all beyond. (A leg lasts at most four hours: Twilio's default timeLimit, which the
    // simulator honours.)
    await playCall(twilio, { from: ACME, to: DESK, talkSeconds: 10_000 })
    clock.advance(60_000)
    const first = await playCall(twilio, { from: ACME, to: DESK, talkSeconds: 8_100 })
    clock.advance(60_000)
    const second = await playCall(twilio, { from: ACME, to: DESK, talkSeconds: 50 })
    const { items } = await listCalls(db, { clientId: 'acme' }, { limit: 10 })
    const overage = Object.fromEntries(items.map((item) => [item.callSid, item.overageSeconds]))
    t.equal(overage[first.callSid], 100, 'the call that crosses the line: its 100 s beyond')
    t.equal(overage[second.callSid], 50, 'the second call: its 50 s')
  })

  t.test("a call late on a desk's last local day of the month is in that month, not the next", async (t) => {
    // Monday 30 November, 23:30 in Algiers, is 22:30 UTC (the desk is open on Mondays only in the day: a closed call).
    clock.set('2026-11-30T23:30:00+01:00')
    const late = await playCall(twilio, { from: ACME, to: DESK })
    const november = await listCalls(db, { fromDate: '2026-11-30', toDate: '2026-11-30' }, { limit: 50 })
    const december = await listCalls(db, { fromDate: '2026-12-01', toDate: '2026-12-31' }, { limit: 50 })
    t.ok(
      november.items.some((item) => item.callSid === late.callSid),
      'listed on 30 November',
    )
    t.notOk(
      december.items.some((item) => item.callSid === late.callSid),
      'not in December',
    )
  })
})
