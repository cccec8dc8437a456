// Every answered second counted exactly once: duplicated, late and reordered callbacks, random
// interleavings of many calls, and two app instances racing on one Postgres near the quota line.
import { eq } from 'drizzle-orm'
import fc from 'fast-check'
import t from 'tap'
import { calls, talkLegs, usage } from '../../db/schema.js'
import { Twilio, injectPost, newSid, type Params, payload } from '../../webhooks/index.js'
import { readTwiml } from '../../webhooks/simulator.js'
import { TEST_AUTH_TOKEN, TEST_PUBLIC_URL, testApp } from '../helpers/app.js'
import { eachDatabase, freshDatabase, kinds } from '../helpers/databases.js'
import { deskApp, deskFile } from '../helpers/desk.js'
import { ACME, DESK, SATURDAY_10H } from '../fixtures/intercom.js'

const ATLAS = '+213770000001' // asks beyond the quota: contract 2
const QUOTA = 18_000

interface CallPlan {
  callSid: string
  talkSeconds: number
  /** the callbacks that follow the voice webhook, each delivered once or more, in any order */
  callbacks: { path: string; params: Params }[]
}

function answeredCall(talkSeconds: number): CallPlan {
  const call = { callSid: newSid(), from: ACME, to: DESK }
  const dialCallSid = newSid()
  return {
    callSid: call.callSid,
    talkSeconds,
    callbacks: [
      {
        path: '(the <Dial action> of the voice answer)',
        params: payload('dial-completed', call, { DialCallSid: dialCallSid, DialCallDuration: String(talkSeconds) }),
      },
      { path: '/webhooks/twilio/status', params: payload('status-completed', call, { CallDuration: String(talkSeconds + 15) }) },
      {
        path: '/webhooks/twilio/whisper/accept',
        params: payload('whisper', call, { CallSid: dialCallSid, To: '+213550000001', Digits: '1' }),
      },
    ],
  }
}

/**
 * An ATLAS call (`ask`) cut at the quota line after `limit` seconds, the caller's yes, and the same
 * agent dialled again for `consentedSeconds`: the first leg's dial callback (the caller still on
 * the line), the answer to the question, the re-dialled leg's callback and the status, each at
 * the URL Twilio would post it to (the first dial's from the voice answer, the others as the
 * service's TwiML writes them), so that any of them can come first.
 */
function redialledCall(limit: number, consentedSeconds: number, month: string): CallPlan {
  const call = { callSid: newSid(), from: ATLAS, to: DESK }
  return {
    callSid: call.callSid,
    talkSeconds: limit + consentedSeconds,
    callbacks: [
      {
        path: '(the <Dial action> of the voice answer)',
        params: payload('dial-completed', call, { DialCallSid: newSid(), DialCallDuration: String(limit) }),
      },
      {
        path: `/webhooks/twilio/overage?question=cut&attempt=1&agent=amina&contract=2&month=${month}`,
        params: payload('gather', call, { Digits: '1' }),
      },
      {
        path: `/webhooks/twilio/dial?leg=agents&attempt=2&contract=2&month=${month}&consent=1&redial=1`,
        params: payload('dial-completed', call, {
          DialCallSid: newSid(),
          DialCallDuration: String(consentedSeconds),
          CallStatus: 'completed',
        }),
      },
      {
        path: '/webhooks/twilio/status',
        params: payload('status-completed', call, { CallDuration: String(limit + consentedSeconds + 30) }),
      },
    ],
  }
}

/** Posts the incoming call; its dial callback goes to the action URL the TwiML gave, as Twilio does. */
async function voice(twilio: Twilio, plan: CallPlan) {
  const from = plan.callbacks[0]?.params.From ?? ACME
  const response = await twilio.webhook(
    '/webhooks/twilio/voice',
    payload('incoming-call', { callSid: plan.callSid, from, to: DESK }),
  )
  if (response.status !== 200) throw new Error(`voice answered ${response.status}`)
  const action = readTwiml(response.body).find((verb) => verb.name === 'Dial')?.attributes.action
  if (!action) throw new Error(`no <Dial> in ${response.body}`)
  plan.callbacks[0]!.path = action
}

eachDatabase(t, async (t, database) => {
  const {
    twilio,
    database: { db },
  } = await deskApp(t, database, { at: SATURDAY_10H })
  const acmeMonth = async () => (await db.select().from(usage).where(eq(usage.contractId, 1)))[0]

  t.test('a dial callback delivered three times counts once', async (t) => {
    const plan = answeredCall(300)
    await voice(twilio, plan)
    const dial = plan.callbacks[0]!
    for (let i = 0; i < 3; i++)
      t.equal((await twilio.webhook(dial.path, dial.params)).status, 200, `delivery ${i + 1} is answered`)
    t.match(await acmeMonth(), { usedSeconds: 300, calls: 1 })
  })

  t.test('the status callback arriving before the dial callback still ends as answered', async (t) => {
    const plan = answeredCall(120)
    await voice(twilio, plan)
    const [dial, status] = plan.callbacks
    await twilio.webhook(status!.path, status!.params)
    t.match(
      (await db.select().from(calls).where(eq(calls.callSid, plan.callSid)))[0],
      { outcome: 'abandoned' },
      'first it looks abandoned',
    )
    await twilio.webhook(dial!.path, dial!.params)
    t.match((await db.select().from(calls).where(eq(calls.callSid, plan.callSid)))[0], {
      outcome: 'answered',
      talkSeconds: 120,
      callStatus: 'completed',
    })
    t.match(await acmeMonth(), { usedSeconds: 420, calls: 2 })
  })

  t.test(
    'a call cut at the quota line and dialled again: its callbacks three times each, in reverse order, count once',
    async (t) => {
      await db
        .insert(usage)
        .values({ contractId: 2, month: '2026-11', quotaSeconds: QUOTA, usedSeconds: 17_800, includedSeconds: 17_800 })
      const plan = redialledCall(200, 300, '2026-11')
      await voice(twilio, plan)
      t.match(plan.callbacks[0]?.path, /limit=200&after=ask/, 'the first leg stops at the 200 s left')
      for (const callback of [...plan.callbacks].reverse())
        for (let i = 0; i < 3; i++) t.equal((await twilio.webhook(callback.path, callback.params)).status, 200)
      const [month] = await db.select().from(usage).where(eq(usage.contractId, 2))
      t.match(month, {
        usedSeconds: 18_300,
        includedSeconds: QUOTA,
        overageSeconds: 300,
        graceSeconds: 0,
        consentedSeconds: 300,
        calls: 2,
      })
      t.match((await db.select().from(calls).where(eq(calls.callSid, plan.callSid)))[0], {
        outcome: 'answered',
        talkSeconds: 500,
        overageAccepted: true,
        dialCallSid: plan.callbacks[2]?.params.DialCallSid,
      })
    },
  )
})

t.test("a call across the month's end counts under its month's terms, not the next month's revision", async (t) => {
  for (const kind of kinds) {
    await t.test(kind, async (t) => {
      const file = deskFile('intercom')
      const acme = file.clients.find((client) => client.id === 'acme')
      acme?.contracts[0]?.changes.push({ from: '2026-12-01', monthlyQuotaMinutes: 600, billingIncrementSeconds: 60 })
      const {
        clock,
        twilio,
        database: { db },
      } = await deskApp(t, await freshDatabase(t, kind), { file, at: '2026-11-30T23:50:00+01:00' }) // Monday night
      const call = { callSid: newSid(), from: ACME, to: DESK }
      await twilio.webhook('/webhooks/twilio/voice', payload('incoming-call', call))
      const onCall = await twilio.webhook('/webhooks/twilio/on-call', payload('gather', call, { Digits: '1' }))
      const action = readTwiml(onCall.body).find((verb) => verb.name === 'Dial')?.attributes.action as string
      t.match(action, /leg=on-call.*month=2026-11/, 'the on-call line rings, counting into November')
      clock.set('2026-12-01T00:15:00+01:00') // 25 minutes later, in December
      await twilio.webhook(action, payload('dial-completed', call, { DialCallSid: newSid(), DialCallDuration: '1490' }))
      const [november] = await db.select().from(usage).where(eq(usage.month, '2026-11'))
      t.match(
        november,
        { contractId: 1, quotaSeconds: QUOTA, onCallSeconds: 1490 },
        'November keeps its 5 hours, and its own rounding',
      )
    })
  }
})

t.test('random interleavings and duplications of many calls add up to the sum of their talk', async (t) => {
  const database = await freshDatabase(t, process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite')
  const {
    twilio,
    clock,
    database: { db },
  } = await deskApp(t, database, { at: SATURDAY_10H })
  let month = 0
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.integer({ min: 1, max: 4000 }), { minLength: 1, maxLength: 6 }),
      fc.array(fc.integer({ min: 1, max: 4000 }), { maxLength: 3 }),
      fc.infiniteStream(fc.integer({ min: 0, max: 1_000_000 })),
      async (talks, consentedTalks, randomness) => {
        // Each run counts into a month of its own, so runs do not see each other's totals.
        month++
        const monthStart = `${2027 + Math.floor((month - 1) / 12)}-${String(((month - 1) % 12) + 1).padStart(2, '0')}-`
        const at = await openDayIn(monthStart)
        clock.set(at)
        // ATLAS has 1 000 s left: each of its calls is cut there, and the caller goes on, billed.
        await db
          .insert(usage)
          .values({ contractId: 2, month: at.slice(0, 7), quotaSeconds: QUOTA, usedSeconds: 17_000, includedSeconds: 17_000 })
        const redialled = consentedTalks.map((talk) => redialledCall(1_000, talk, at.slice(0, 7)))
        const plans = [...talks.map(answeredCall), ...redialled]
        for (const plan of plans) await voice(twilio, plan)
        const deliveries = plans.flatMap((plan) =>
          plan.callbacks.flatMap((cb) => (randomness.next().value % 3 === 0 ? [cb, cb] : [cb])),
        )
        const shuffled = deliveries
          .map((d) => ({ d, k: randomness.next().value }))
          .sort((a, b) => a.k - b.k)
          .map(({ d }) => d)
        await Promise.all(shuffled.map((d) => twilio.webhook(d.path, d.params)))
        const [row, atlas] = await db
          .select()
          .from(usage)
          .where(eq(usage.month, at.slice(0, 7)))
          .orderBy(usage.contractId)
        const consented = consentedTalks.reduce((a, b) => a + b, 0)
        const n = consentedTalks.length
        const expected = {
          usedSeconds: 17_000 + n * 1_000 + consented,
          includedSeconds: 17_000 + Math.min(n, 1) * 1_000,
          overageSeconds: consented,
          graceSeconds: Math.max(0, n - 1) * 1_000,
          calls: 2 * n,
        }
        const got = atlas && {
          usedSeconds: atlas.usedSeconds,
          includedSeconds: atlas.includedSeconds,
          overageSeconds: atlas.overageSeconds,
          graceSeconds: atlas.graceSeconds,
          calls: atlas.calls,
        }
        // Beyond the line: the consented legs billed, the cut legs' excess (calls crossing it at once) grace.
        if (JSON.stringify(got) !== JSON.stringify(expected))
          throw new Error(`ATLAS ${JSON.stringify(got)}, expected ${JSON.stringify(expected)}`)
        const sum = talks.reduce((a, b) => a + b, 0)
        if (row?.usedSeconds !== sum) throw new Error(`used ${row?.usedSeconds} for talk summing to ${sum}`)
        if (row.includedSeconds + row.overageSeconds !== sum) throw new Error('the split does not add up')
        if (row.calls !== talks.length) throw new Error(`${row.calls} calls counted for ${talks.length}`)
        const answered = await db
          .select()
          .from(calls)
          .where(eq(calls.usageMonth, at.slice(0, 7)))
        if (!answered.every((c) => c.outcome === 'answered')) throw new Error('a call did not end as answered')
        for (const plan of redialled) {
          const record = answered.find((c) => c.callSid === plan.callSid)
          if (record?.talkSeconds !== plan.talkSeconds)
            throw new Error(`${record?.talkSeconds} s of talk for ${plan.talkSeconds}`)
        }
      },
    ),
    { numRuns: 12 },
  )
  t.pass('every run added up')
})

/** 10:00 on the first day of the month (prefix "YYYY-MM-") the INTERcom desk is open. */
async function openDayIn(monthPrefix: string): Promise<string> {
  const { deskStatus } = await import('../../src/domain/calendar/index.js')
  const calendar = {
    timezone: 'Africa/Algiers',
    weekly: deskFile('intercom').desks[0]!.schedule.weekly,
    country: 'DZ' as const,
    holidayOverrides: [],
    closures: [],
    openings: [],
  }
  for (let day = 1; day <= 28; day++) {
    const at = `${monthPrefix}${String(day).padStart(2, '0')}T10:00:00+01:00`
    if (deskStatus(calendar, new Date(at)).open) return at
  }
  throw new Error(`no open day in ${monthPrefix}`)
}

t.test(
  'two instances on one Postgres racing near the quota line count every second once',
  { skip: !process.env.TEST_DATABASE_URL && 'needs TEST_DATABASE_URL' },
  async (t) => {
    const database = await freshDatabase(t, 'postgres', { max: 10 })
    const first = await deskApp(t, database, { at: SATURDAY_10H })
    const second = await testApp(t, database, { at: SATURDAY_10H })
    const twilios = [first.twilio, new Twilio(injectPost(second.app), TEST_AUTH_TOKEN, TEST_PUBLIC_URL)]
    // 17 500 s used: 500 s left before the quota line.
    await database.db
      .insert(usage)
      .values({ contractId: 1, month: '2026-11', quotaSeconds: QUOTA, usedSeconds: 17_500, includedSeconds: 17_500 })

    // ATLAS: 1 000 s left; each of its calls is cut there, the caller says yes, the agent is dialled again.
    await database.db
      .insert(usage)
      .values({ contractId: 2, month: '2026-11', quotaSeconds: QUOTA, usedSeconds: 17_000, includedSeconds: 17_000 })

    const plans = Array.from({ length: 40 }, (_, i) => answeredCall(30 + i))
    const redialled = Array.from({ length: 10 }, (_, i) => redialledCall(1_000, 100 + i, '2026-11'))
    for (const [i, plan] of [...plans, ...redialled].entries()) await voice(twilios[i % 2]!, plan)
    // Every dial callback goes to both instances at once, twice each; the re-dialled calls' every callback too.
    await Promise.all([
      ...plans.flatMap((plan) => {
        const dial = plan.callbacks[0]!
        return [0, 1, 0, 1].map((n) => twilios[n]!.webhook(dial.path, dial.params))
      }),
      ...redialled.flatMap((plan) =>
        plan.callbacks.flatMap((callback) => [0, 1, 0, 1].map((n) => twilios[n]!.webhook(callback.path, callback.params))),
      ),
    ])
    const talk = plans.reduce((sum, plan) => sum + plan.talkSeconds, 0)
    const [row] = await database.db.select().from(usage).where(eq(usage.contractId, 1))
    t.match(row, { usedSeconds: 17_500 + talk, includedSeconds: QUOTA, overageSeconds: 17_500 + talk - QUOTA, calls: 40 })
    const [atlas] = await database.db.select().from(usage).where(eq(usage.contractId, 2))
    const consented = redialled.reduce((sum, plan) => sum + plan.talkSeconds - 1_000, 0)
    t.match(
      atlas,
      { usedSeconds: 27_000 + consented, includedSeconds: QUOTA, overageSeconds: consented, graceSeconds: 9_000, calls: 20 },
      'ATLAS: the 1 000 s left included once, the consented legs billed, the rest of the cut legs grace',
    )
    const legs = await database.db.select().from(talkLegs).where(eq(talkLegs.contractId, 1))
    t.equal(legs.length, 40, 'one counted leg per call')
    t.equal(
      legs.reduce((sum, leg) => sum + leg.includedSeconds, 0),
      500,
      'exactly the 500 s left were included',
    )
  },
)
