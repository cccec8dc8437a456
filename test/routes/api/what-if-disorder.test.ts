// The identity property of what-if under the webhooks' real disorder: a random month of calls is
// played in order on a reference desk, and its webhook writes reach the database under test
// duplicated (Twilio retries), reordered, and through the journal of a database outage (written to
// an instance's journal, applied when it is replayed, some of them also committed late by their
// live copy). Replaying that database under the file in force still changes nothing, and the
// replay counts what GET /api/usage counted. FUZZ_SEED=<seed> replays a failure.
import t from 'tap'
import { type WebhookWrite, applyWebhookWrite } from '../../../src/store/webhook-writes.js'
import { playCall } from '../../../webhooks/simulator.js'
import { DESK_NUMBER, apiApp } from '../../helpers/api.js'
import { testApp } from '../../helpers/app.js'
import { eachDatabase, freshDatabase } from '../../helpers/databases.js'
import { deskApp, deskFile } from '../../helpers/desk.js'
import { assertReplayCountsTheUsage } from '../../helpers/what-if.js'

const CALLERS = ['+213661000001', '+213661000002', '+213770000001', '+213555000001', '+213661000003', '+213699999999']
const CALLS = 24

/** mulberry32: a small seeded generator, so that a failing history can be played again. */
function generator(seed: number) {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let x = Math.imul(state ^ (state >>> 15), 1 | state)
    x ^= x + Math.imul(x ^ (x >>> 7), 61 | x)
    return ((x ^ (x >>> 14)) >>> 0) / 4_294_967_296
  }
}

// Small quotas counted by started minute, so that a few calls cross them, on both databases.
const file = deskFile('intercom')
for (const client of file.clients)
  for (const contract of client.contracts) Object.assign(contract, { monthlyQuotaMinutes: 10, billingIncrementSeconds: 60 })

eachDatabase(t, async (t, database) => {
  const seed = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31))
  t.comment(`FUZZ_SEED=${seed}`)
  const random = generator(seed)
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)] as T

  // The reference plays the calls in order; its writes are what Twilio's webhooks carried.
  const reference = await deskApp(t, await freshDatabase(t, 'pglite'), { file, at: '2026-11-01T08:00:00+01:00' })
  const writes: WebhookWrite[] = []
  const record = reference.app.writer.record.bind(reference.app.writer)
  reference.app.writer.record = (write) => {
    writes.push(structuredClone(write))
    return record(write)
  }
  // Under test: the same file on its own database, two instances, each with its journal.
  const { app, send } = await apiApp(t, database, { file, at: '2026-11-28T10:00:00+01:00' })
  const other = await testApp(t, database, { at: '2026-11-28T10:00:00+01:00' })
  const instances = [app, other.app]

  // Distinct minutes of November 1–27 between 8:00 and 18:00 in Algiers, in order.
  const minutes = new Set<number>()
  while (minutes.size < CALLS) minutes.add(Math.floor(random() * 27) * 1440 + 480 + Math.floor(random() * 600))
  for (const minute of [...minutes].sort((a, b) => a - b)) {
    reference.clock.set(new Date(Date.parse('2026-10-31T23:00:00Z') + minute * 60_000))
    await playCall(reference.twilio, {
      from: pick(CALLERS),
      to: DESK_NUMBER,
      answer: random() < 0.85,
      talkSeconds: Math.floor(random() * 400),
      press: random() < 0.5 ? ['1'] : [],
      voicemailSeconds: random() < 0.5 ? 15 : 0,
    })
  }

  // Each write delivered once or twice (a retry), in a shuffled order, live or into a journal
  // (the database away), some journaled writes also committed late by their live copy; the
  // journals replayed at random moments and at the end, as an instance does once it is back.
  const steps: { at: number; apply: () => Promise<unknown> }[] = []
  const shuffled = writes.map((write, index) => ({ write, at: index + (random() - 0.5) * 12 }))
  for (const { write, at } of shuffled) {
    for (const when of random() < 0.25 ? [at, at + random() * 6] : [at]) {
      const way = random()
      const instance = instances[random() < 0.5 ? 0 : 1] as (typeof instances)[number]
      if (way < 0.6) steps.push({ at: when, apply: () => applyWebhookWrite(database.db, write, { live: true }) })
      else {
        steps.push({ at: when, apply: () => instance.writer.journal.append(write, new Date()) })
        if (way > 0.85)
          steps.push({ at: when + random() * 8, apply: () => applyWebhookWrite(database.db, write, { live: true }) })
      }
    }
  }
  for (let i = 0; i < 3; i++) {
    const instance = instances[i % 2] as (typeof instances)[number]
    steps.push({ at: random() * writes.length, apply: () => instance.writer.replay() })
  }
  steps.sort((a, b) => a.at - b.at)
  for (const step of steps) await step.apply()
  for (const instance of instances) await instance.writer.replay()
  const journaled = instances.reduce((sum, instance) => sum + instance.writer.journal.pending, 0)
  t.equal(journaled, 0, 'every journal replayed')
  t.comment(`${writes.length} writes, ${steps.length} deliveries and replays`)

  const current = (await send('GET', '/api/config')).json()
  const response = await send('POST', '/api/what-if', { body: { deskFile: current, from: '2026-11-01', to: '2026-11-27' } })
  t.equal(response.statusCode, 200, response.body.slice(0, 200))
  const body = response.json()
  t.equal(body.calls + body.undecided, CALLS, 'every call replayed once, duplicates and all')
  t.same(body.changed, [], 'every decision as recorded')
  t.same(body.callbacks, [], 'every due time as recorded')
  assertReplayCountsTheUsage(t, body.usage, (await send('GET', '/api/usage?month=2026-11')).json().items)
})
