// A voice write that missed its deadline is journaled while its live copy is still on its way to the
// database, and the call's callbacks reach another instance: whatever the order in which the late
// live commit, the journaled copy and the callbacks land, the call's record ends with every fact
// that was sent to it (issue #20: a placeholder left `pending` by a late live commit).
import { and, eq } from 'drizzle-orm'
import t from 'tap'
import { openDatabase } from '../../db/client.js'
import { callEvents, calls, talkLegs } from '../../db/schema.js'
import { applyDeskFile } from '../../src/store/configuration.js'
import { applyWebhookWrite } from '../../src/store/webhook-writes.js'
import { Twilio, injectPost, newSid, payload } from '../../webhooks/index.js'
import { readTwiml } from '../../webhooks/simulator.js'
import { TEST_AUTH_TOKEN, TEST_PUBLIC_URL, WEBHOOK_DEADLINES, testApp } from '../helpers/app.js'
import { createPostgresDatabase, eachDatabase } from '../helpers/databases.js'
import { deskApp, deskFile } from '../helpers/desk.js'
import { ACME, DESK, answeredCallWrites } from '../fixtures/webhook-writes.js'

/** What a complete record of an answered ACME call holds, whatever the order its writes landed in. */
const COMPLETE = {
  decision: 'dial',
  deskId: 'intercom',
  clientId: 'acme',
  contractId: 1,
  usageMonth: '2026-11',
  outcome: 'answered',
  talkSeconds: 300,
  dialStatus: 'completed',
  callStatus: 'completed',
}

/** Every order of four steps: A's late live commit, A's replay of its copy, B's dial and status. */
function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]]
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]))
}

eachDatabase(t, async (t, database) => {
  const a = await deskApp(t, database, { at: '2026-11-28T10:00:00+01:00' })
  const b = await testApp(t, database, { at: '2026-11-28T10:00:00+01:00' })
  const { db } = database

  for (const order of permutations(['late commit', 'replay', 'dial', 'status'] as const)) {
    t.test(`A's voice write journaled after its deadline; then ${order.join(', ')}`, async (t) => {
      const callSid = newSid()
      const writes = answeredCallWrites(callSid, { talkSeconds: 300 })
      // Instance A answered the voice webhook; its write missed the deadline, so A journaled it.
      await a.app.writer.journal.append(writes.voice, new Date())
      for (const step of order) {
        if (step === 'late commit') await applyWebhookWrite(db, writes.voice, { live: true }) // the live copy, still in flight
        if (step === 'replay') await a.app.writer.replay()
        if (step === 'dial') await b.app.writer.record(writes.dial) // instance B, live
        if (step === 'status') await b.app.writer.record(writes.status)
      }
      const [row] = await db.select().from(calls).where(eq(calls.callSid, callSid))
      t.match(row, { ...COMPLETE, startedAt: new Date(writes.voice.at) }, 'the record holds every fact')
      const voiceEvents = await db
        .select()
        .from(callEvents)
        .where(and(eq(callEvents.callSid, callSid), eq(callEvents.kind, 'voice')))
      t.equal(voiceEvents.length, 1, 'the voice webhook is logged once')
      const legs = await db.select().from(talkLegs).where(eq(talkLegs.callSid, callSid))
      t.match(legs, [{ talkSeconds: 300 }], 'its talk counted once')
    })
  }
})

t.test(
  "over HTTP: A's live voice write waits behind a busy pool past its deadline, B records the dial, then A's write lands",
  { skip: !process.env.TEST_DATABASE_URL && 'needs TEST_DATABASE_URL' },
  async (t) => {
    const url = await createPostgresDatabase(t)
    // Instance A has one connection, which the test holds: A's writes queue behind it.
    const databaseA = await openDatabase({ url, max: 1 })
    t.teardown(() => databaseA.close())
    await databaseA.migrate()
    await applyDeskFile(databaseA.db, deskFile('intercom'), { actor: 'test', now: new Date() })
    const databaseB = await openDatabase({ url, max: 2 })
    t.teardown(() => databaseB.close())
    const at = '2026-11-28T10:00:00+01:00'
    const a = await testApp(t, databaseA, { at, deadlines: WEBHOOK_DEADLINES })
    const b = await testApp(t, databaseB, { at })
    const twilioA = new Twilio(injectPost(a.app), TEST_AUTH_TOKEN, TEST_PUBLIC_URL)
    const twilioB = new Twilio(injectPost(b.app), TEST_AUTH_TOKEN, TEST_PUBLIC_URL)
    // A takes a call first, so that it holds the configuration and decides from memory while its pool is busy.
    await twilioA.webhook('/webhooks/twilio/voice', payload('incoming-call', { callSid: newSid(), from: ACME, to: DESK }))

    let release = () => {}
    const held = new Promise<void>((resolve) => {
      release = resolve
    })
    const busy = databaseA.db.transaction(() => held)
    const call = { callSid: newSid(), from: ACME, to: DESK }
    const voice = await twilioA.webhook('/webhooks/twilio/voice', payload('incoming-call', call))
    const action = readTwiml(voice.body).find((verb) => verb.name === 'Dial')?.attributes.action
    t.match(action, /contract=1&month=2026-11/, 'A answered from memory')
    t.equal(a.app.writer.journal.pending, 1, "A's voice write missed its deadline and was journaled")
    t.notOk(a.app.writer.databaseIsAway, 'one slow write does not take A off the database')

    await twilioB.webhook(action as string, payload('dial-completed', call, { DialCallSid: newSid(), DialCallDuration: '300' }))
    await twilioB.webhook('/webhooks/twilio/status', payload('status-completed', call, { CallDuration: '320' }))
    t.match((await databaseB.db.select().from(calls).where(eq(calls.callSid, call.callSid)))[0], { decision: 'pending' })

    // The pool frees up: A's live write lands first (it queued first), then A replays its journal.
    release()
    await busy
    for (let i = 0; i < 100 && a.app.writer.degraded; i++) {
      await a.app.writer.replay().catch(() => {})
      if (a.app.writer.degraded) await new Promise((resolve) => setTimeout(resolve, 100))
    }
    t.notOk(a.app.writer.degraded, "A's journal is replayed")
    const [row] = await databaseB.db.select().from(calls).where(eq(calls.callSid, call.callSid))
    t.match(row, COMPLETE, 'the record holds every fact')
    await twilioA.webhook('/webhooks/twilio/voice', payload('incoming-call', { callSid: newSid(), from: ACME, to: DESK }))
    t.equal(a.app.writer.journal.pending, 0, 'and the next call on A is written directly')
  },
)
