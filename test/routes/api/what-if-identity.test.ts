// The identity property of what-if: a random month of calls really played by the simulator (open
// and closed hours, a holiday, every kind of caller, quotas crossed, the overage asked and refused,
// the on-call line, voicemails), replayed under the configuration in force, gives back every
// decision and every month's included and billable seconds as the live counting recorded them.
// FUZZ_SEED=<seed> replays a failure.
import t from 'tap'
import { playCall } from '../../../webhooks/simulator.js'
import { DESK_NUMBER, apiApp } from '../../helpers/api.js'
import { eachDatabase } from '../../helpers/databases.js'
import { assertReplayCountsTheUsage } from '../../helpers/what-if.js'

const CALLERS = [
  '+213661000001',
  '+213661000002',
  '+213770000001',
  '+213555000001',
  '+213661000003',
  '+21323000000',
  '+213699999999',
]
const CALLS = 40

/** mulberry32: a small seeded generator, so a failing history can be played again. */
function generator(seed: number) {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let x = Math.imul(state ^ (state >>> 15), 1 | state)
    x ^= x + Math.imul(x ^ (x >>> 7), 61 | x)
    return ((x ^ (x >>> 14)) >>> 0) / 4_294_967_296
  }
}

eachDatabase(t, async (t, database) => {
  const seed = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31))
  t.comment(`FUZZ_SEED=${seed}`)
  const random = generator(seed)
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)] as T
  const { send, twilio, clock } = await apiApp(t, database, { at: '2026-11-01T08:00:00+01:00' })

  // Small quotas counted by started minute, so that a few calls cross them.
  const file = (await send('GET', '/api/config')).json()
  for (const client of file.clients)
    for (const contract of client.contracts) Object.assign(contract, { monthlyQuotaMinutes: 10, billingIncrementSeconds: 60 })
  t.equal((await send('PUT', '/api/config', { body: file })).statusCode, 200, 'quotas of 10 minutes')

  // Distinct minutes of November 1–27 between 8:00 and 18:00 in Algiers, in order.
  const minutes = new Set<number>()
  while (minutes.size < CALLS) minutes.add(Math.floor(random() * 27) * 1440 + 480 + Math.floor(random() * 600))
  for (const minute of [...minutes].sort((a, b) => a - b)) {
    clock.set(new Date(Date.parse('2026-10-31T23:00:00Z') + minute * 60_000))
    await playCall(twilio, {
      from: pick(CALLERS),
      to: DESK_NUMBER,
      answer: random() < 0.85,
      talkSeconds: Math.floor(random() * 400),
      press: random() < 0.5 ? ['1'] : [],
      voicemailSeconds: random() < 0.5 ? 15 : 0,
    })
  }
  clock.set('2026-11-28T10:00:00+01:00')

  const current = (await send('GET', '/api/config')).json()
  const response = await send('POST', '/api/what-if', { body: { deskFile: current, from: '2026-11-01', to: '2026-11-27' } })
  t.equal(response.statusCode, 200, response.body.slice(0, 200))
  const body = response.json()
  t.equal(body.calls + body.undecided, CALLS, 'every call replayed')
  t.same(body.changed, [], 'every decision as recorded')
  t.same(body.callbacks, [], 'every due time as recorded')
  assertReplayCountsTheUsage(t, body.usage, (await send('GET', '/api/usage?month=2026-11')).json().items)
})
