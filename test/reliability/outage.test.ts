// The database goes away in the middle of a stream of calls (a proxy the test controls cuts the
// real Postgres off, or makes it hang): every webhook still gets valid TwiML in time, and once the
// database is back every call has its record and every talk second is counted exactly once.
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { eq } from 'drizzle-orm'
import t from 'tap'
import { openDatabase } from '../../db/client.js'
import { calls, talkLegs, usage } from '../../db/schema.js'
import { Journal } from '../../src/journal.js'
import { applyDeskFile } from '../../src/store/configuration.js'
import { type Post, Twilio, injectPost, newSid, payload } from '../../webhooks/index.js'
import { playCall, readTwiml } from '../../webhooks/simulator.js'
import { TEST_AUTH_TOKEN, TEST_PUBLIC_URL, WEBHOOK_DEADLINES, testApp } from '../helpers/app.js'
import { createPostgresDatabase, freshDatabase } from '../helpers/databases.js'
import { deskFile } from '../helpers/desk.js'
import { TcpProxy } from '../helpers/tcp-proxy.js'
import { ACME, DESK } from '../fixtures/intercom.js'

const BUDGET_MS = 2_000

t.test('needs a real Postgres', { skip: !process.env.TEST_DATABASE_URL && 'TEST_DATABASE_URL is not set' }, async (t) => {
  const direct = await createPostgresDatabase(t)
  const target = new URL(direct)
  const proxy = new TcpProxy(target.hostname, Number(target.port || 5432))
  await proxy.start()
  t.teardown(() => proxy.cut())
  const database = await openDatabase({ url: proxy.url(target.pathname.slice(1)), max: 4 })
  t.teardown(() => database.close())
  await database.migrate()
  await applyDeskFile(database.db, deskFile('intercom'), { actor: 'test', now: new Date() })
  // The production deadlines: this test is about them.
  const { app, clock } = await testApp(t, database, { at: '2026-11-28T10:00:00+01:00', deadlines: WEBHOOK_DEADLINES })

  // Every webhook is timed: none may take longer than the budget, whatever the database does.
  const slowest: number[] = []
  const timed: Post = async (path, form, headers) => {
    const began = performance.now()
    const response = await injectPost(app)(path, form, headers)
    slowest.push(performance.now() - began)
    if (response.status !== 200) throw new Error(`${path} answered ${response.status}: ${response.body}`)
    readTwiml(response.body) // valid TwiML, or this throws
    return response
  }
  const twilio = new Twilio(timed, TEST_AUTH_TOKEN, TEST_PUBLIC_URL)

  const talks: number[] = []
  const callSids: string[] = []
  const call = async (talkSeconds: number) => {
    clock.advance(60_000)
    const played = await playCall(twilio, { from: ACME, to: DESK, talkSeconds })
    talks.push(talkSeconds)
    callSids.push(played.callSid)
    return played
  }

  for (let i = 0; i < 3; i++) await call(100 + i)

  t.test('with the database cut off, calls go to the fallback number and everything is journaled', async (t) => {
    await proxy.cut()
    for (let i = 0; i < 4; i++) {
      const played = await call(200 + i)
      const dial = played.steps[0]?.verbs.find((v) => v.name === 'Dial')
      t.same(
        dial?.children.map((n) => n.text),
        ['+213550000001'],
        'the desk fallback number rings',
      )
      t.match(dial?.attributes.action, /contract=1&month=2026-11/, 'and the talk will count into ACME November')
    }
    t.ok(app.writer.degraded, 'the writer is journaling')
    t.ok(app.writer.journal.pending >= 4 * 5, `${app.writer.journal.pending} writes journaled`)
    t.equal((await app.inject('/readyz')).statusCode, 503, '/readyz says the database is away')
  })

  const drain = async () => {
    for (let i = 0; i < 100 && app.writer.degraded; i++) {
      await app.writer.replay().catch(() => {})
      if (app.writer.degraded) await new Promise((resolve) => setTimeout(resolve, 200))
    }
  }

  t.test('once the database is back, the journal is replayed and new calls are written directly', async (t) => {
    await proxy.start()
    await drain()
    t.notOk(app.writer.degraded, 'the journal is empty')
    t.notOk(app.writer.databaseIsAway, 'the database is known to be back')
    await call(250)
    t.equal(app.writer.journal.pending, 0, 'a new call went straight to the database')
  })

  t.test('with the database hanging, webhooks still answer within the budget', async (t) => {
    proxy.freeze()
    // One write missing its deadline is only journaled; three in a row, none answered, are a hang.
    for (let i = 0; i < 3; i++) {
      const played = await call(300 + i)
      t.ok(played.steps.length >= 4, 'a whole call was played')
      t.equal(app.writer.databaseIsAway, i === 2, i === 2 ? 'the hang was noticed' : 'one slow write is not an outage')
    }
    proxy.thaw()
    await drain()
    t.notOk(app.writer.degraded, 'and once it answers again, the journal is replayed')
  })

  t.test('the books are exact: every call recorded, every second counted once', async (t) => {
    for (let i = 0; i < 2; i++) await call(400 + i)
    // A replay of what was already applied changes nothing.
    await app.writer.replay()

    const rows = await database.db.select().from(calls)
    t.equal(rows.length, callSids.length, 'one record per call')
    t.ok(
      rows.every((row) => row.outcome === 'answered'),
      'every call answered',
    )
    const legs = await database.db.select().from(talkLegs)
    t.equal(legs.length, callSids.length, 'one counted leg per call')
    const [month] = await database.db.select().from(usage).where(eq(usage.contractId, 1))
    const total = talks.reduce((a, b) => a + b, 0)
    t.match(month, { usedSeconds: total, calls: callSids.length }, `${total} s counted, once`)
    t.equal((await app.inject('/readyz')).statusCode, 200, '/readyz is ready again')
  })

  t.test('no webhook took longer than the budget', async (t) => {
    const worst = Math.max(...slowest)
    t.ok(worst < BUDGET_MS, `the slowest webhook took ${Math.round(worst)} ms (budget ${BUDGET_MS} ms)`)
  })
})

t.test('a status callback applied before its call is journaled elsewhere completes a placeholder', async (t) => {
  const database = await freshDatabase(t, 'pglite')
  await applyDeskFile(database.db, deskFile('intercom'), { actor: 'test', now: new Date() })
  const { app } = await testApp(t, database, { at: '2026-11-28T10:00:00+01:00' })
  const twilio = new Twilio(injectPost(app), TEST_AUTH_TOKEN, TEST_PUBLIC_URL)
  const callSid = newSid()
  // The status callback reaches this instance first (its voice webhook sits in another's journal).
  await twilio.webhook(
    '/webhooks/twilio/status',
    payload('status-completed', { callSid, from: ACME, to: DESK }, { CallDuration: '30' }),
  )
  t.match((await database.db.select().from(calls).where(eq(calls.callSid, callSid)))[0], {
    decision: 'pending',
    callStatus: 'completed',
  })
  // Then the other instance replays the voice webhook.
  const { applyWebhookWrite } = await import('../../src/store/webhook-writes.js')
  await applyWebhookWrite(
    database.db,
    {
      id: 'replayed-voice',
      callSid,
      at: '2026-11-28T09:00:00.000Z',
      event: 'voice',
      params: {},
      kind: 'voice',
      from: ACME,
      to: DESK,
      deskId: 'intercom',
      clientId: 'acme',
      contractId: 1,
      usageMonth: '2026-11',
      decision: 'dial',
      outcome: null,
      callback: null,
    },
    { live: false },
  )
  t.match((await database.db.select().from(calls).where(eq(calls.callSid, callSid)))[0], {
    decision: 'dial',
    clientId: 'acme',
    callStatus: 'completed',
    outcome: 'abandoned',
  })
})

t.test('a journaled write the database refuses is set aside, the rest of its batch applied', async (t) => {
  const database = await freshDatabase(t, 'pglite')
  await applyDeskFile(database.db, deskFile('intercom'), { actor: 'test', now: new Date() })
  const { app } = await testApp(t, database, { at: '2026-11-28T10:00:00+01:00' })
  const status = statusWrite
  const [first, second] = [newSid(), newSid()]
  await app.writer.journal.append(status(first, '2026-11-28T09:00:00.000Z'), new Date())
  await app.writer.journal.append(status(newSid(), 'not an instant'), new Date()) // a bug: never applicable
  await app.writer.journal.append(status(second, '2026-11-28T09:01:00.000Z'), new Date())
  await app.writer.replay()
  t.equal(app.writer.journal.pending, 0, 'the journal is empty')
  const rows = await database.db.select({ callSid: calls.callSid }).from(calls)
  t.same(rows.map((row) => row.callSid).sort(), [first, second].sort(), 'the two good writes are applied')
  const rejected = await readFile(join(app.config.dataDir, 'journal', 'rejected.jsonl'), 'utf8')
  t.match(rejected, /not an instant/, 'the bad one waits in rejected.jsonl, with its reason')
})

t.test('closing replays the journal into the database first', async (t) => {
  const database = await freshDatabase(t, 'pglite')
  await applyDeskFile(database.db, deskFile('intercom'), { actor: 'test', now: new Date() })
  const { app } = await testApp(t, database, { at: '2026-11-28T10:00:00+01:00' })
  const callSid = newSid()
  await app.writer.journal.append(statusWrite(callSid, '2026-11-28T09:00:00.000Z'), new Date())
  await app.close()
  t.match((await database.db.select().from(calls).where(eq(calls.callSid, callSid)))[0], { callStatus: 'completed' })
  const journal = await Journal.open(join(app.config.dataDir, 'journal'))
  t.teardown(() => journal.close())
  t.equal(journal.pending, 0, 'nothing is left on the disk')
})

t.test(
  'closing with the database away keeps the journal for the next start',
  { skip: !process.env.TEST_DATABASE_URL && 'needs TEST_DATABASE_URL' },
  async (t) => {
    const direct = new URL(await createPostgresDatabase(t))
    const proxy = new TcpProxy(direct.hostname, Number(direct.port || 5432))
    await proxy.start()
    t.teardown(() => proxy.cut())
    const database = await openDatabase({ url: proxy.url(direct.pathname.slice(1)), max: 2 })
    t.teardown(() => database.close())
    await database.migrate()
    const { app } = await testApp(t, database, { at: '2026-11-28T10:00:00+01:00' })
    await proxy.cut()
    await app.writer.journal.append(statusWrite(newSid(), '2026-11-28T09:00:00.000Z'), new Date())
    await app.close()
    const journal = await Journal.open(join(app.config.dataDir, 'journal'))
    t.teardown(() => journal.close())
    t.equal(journal.pending, 1, 'the write waits in the journal')
  },
)

function statusWrite(callSid: string, at: string) {
  return {
    id: newSid(),
    callSid,
    at,
    event: 'status:completed',
    params: { From: ACME, To: DESK },
    kind: 'status' as const,
    callStatus: 'completed',
    durationSeconds: 30,
    final: true,
  }
}
