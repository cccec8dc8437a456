// Two instances of the app on one Postgres share a burst of notifications (issue #14): every one
// is delivered, none twice, each with the id its row holds, and the signatures verify.
import type { FastifyInstance } from 'fastify'
import { Webhook } from 'standardwebhooks'
import t from 'tap'
import { type DatabaseHandle, openDatabase } from '../../db/client.js'
import { notifications } from '../../db/schema.js'
import { buildApp } from '../../src/app.js'
import { applyDeskFile } from '../../src/store/configuration.js'
import { applyWebhookWrite } from '../../src/store/webhook-writes.js'
import { newSid } from '../../webhooks/index.js'
import { TestClock, testConfig } from '../helpers/app.js'
import { createPostgresDatabase } from '../helpers/databases.js'
import { startReceiver } from '../helpers/receiver.js'
import { SECRET, notifyingFile, voicemailWrites } from '../fixtures/notifications.js'

const EARLIER = '2026-11-28T08:50:00.000Z'

t.test(
  'two instances on one Postgres share a burst of 200 events: each delivered once, ids stable',
  { skip: !process.env.TEST_DATABASE_URL },
  async (t) => {
    const url = await createPostgresDatabase(t)
    const handles: DatabaseHandle[] = []
    for (let i = 0; i < 2; i++) {
      const handle = await openDatabase({ url, max: 4 })
      t.teardown(() => handle.close())
      handles.push(handle)
    }
    const [one, two] = handles as [DatabaseHandle, DatabaseHandle]
    await one.migrate()
    const receiver = await startReceiver(t)
    const file = notifyingFile(`${receiver.url}/tickets`)
    const webhooksOnly = {
      ...file,
      desks: file.desks.map((desk) => ({
        ...desk,
        notifications: { email: [], managers: [], sms: false, webhooks: desk.notifications?.webhooks ?? [] },
      })),
    }
    await applyDeskFile(one.db, webhooksOnly, { actor: 'test', now: new Date('2026-11-01T00:00:00Z') })
    const clock = new TestClock()
    const apps: FastifyInstance[] = []
    for (const handle of handles) {
      const app = await buildApp({
        config: testConfig({ NOTIFICATION_TIMEOUT_MS: '2000' }),
        database: handle,
        clock: clock.now,
        logger: false,
        sender: { batch: 10 },
      })
      t.teardown(() => app.close())
      apps.push(app)
    }
    // 100 voicemails, each a voicemail.recorded and a callback.opened: 200 events, written from both instances.
    const calls = Array.from({ length: 100 }, () => newSid())
    await Promise.all(
      calls.map(async (callSid, i) => {
        for (const write of voicemailWrites(callSid, EARLIER))
          await applyWebhookWrite((i % 2 ? one : two).db, write, { live: true })
      }),
    )
    const started = Date.now()
    const [a, b] = await Promise.all(apps.map((app) => app.notificationSender.drain()))
    const ms = Date.now() - started
    t.equal((a?.sent ?? 0) + (b?.sent ?? 0), 200, `200 delivered in ${ms} ms`)
    t.ok((a?.sent ?? 0) > 0 && (b?.sent ?? 0) > 0, `both instances sent (${a?.sent} and ${b?.sent})`)
    const hook = new Webhook(SECRET)
    const hooks = receiver.requests.map((request) => ({
      id: request.headers['webhook-id'] ?? '',
      event: hook.verify(request.body, request.headers),
    }))
    t.equal(hooks.length, 200, 'none twice')
    t.equal(new Set(hooks.map((h) => h.id)).size, 200)
    const rows = await one.db.select({ id: notifications.id, status: notifications.status }).from(notifications)
    t.same(new Set(rows.map((r) => r.id)), new Set(hooks.map((h) => h.id)), 'the ids the receiver saw are the rows')
    t.ok(rows.every((r) => r.status === 'sent'))
    t.comment(`burst: 200 webhooks over two instances in ${ms} ms`)
  },
)
