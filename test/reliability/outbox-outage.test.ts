// The database away (issue #14): a voicemail's writes wait in the journal, no notification is lost
// or sent early, and once the database is back the journal's replay writes them (once) and the
// sender delivers them.
import { Webhook } from 'standardwebhooks'
import t from 'tap'
import { openDatabase } from '../../db/client.js'
import { notificationEvents } from '../../db/schema.js'
import { applyDeskFile } from '../../src/store/configuration.js'
import { newSid } from '../../webhooks/index.js'
import { SECRET, notifyingFile, voicemailWrites } from '../fixtures/notifications.js'
import { testApp } from '../helpers/app.js'
import { createPostgresDatabase } from '../helpers/databases.js'
import { startReceiver } from '../helpers/receiver.js'
import { TcpProxy } from '../helpers/tcp-proxy.js'

t.test(
  'the journal keeps the fact; its notifications follow the replay, once',
  { skip: !process.env.TEST_DATABASE_URL && 'needs TEST_DATABASE_URL' },
  async (t) => {
    const direct = new URL(await createPostgresDatabase(t))
    const proxy = new TcpProxy(direct.hostname, Number(direct.port || 5432))
    await proxy.start()
    t.teardown(() => proxy.cut())
    const database = await openDatabase({ url: proxy.url(direct.pathname.slice(1)), max: 2 })
    t.teardown(() => database.close())
    await database.migrate()
    const receiver = await startReceiver(t)
    await applyDeskFile(database.db, notifyingFile(`${receiver.url}/hook`), { actor: 'test', now: new Date() })
    const { app } = await testApp(t, database)

    await proxy.cut()
    const writes = voicemailWrites(newSid(), '2026-11-28T08:50:00.000Z')
    for (const write of writes) t.equal(await app.writer.record(write), 'journal', `${write.event} journaled`)
    await t.rejects(app.notificationSender.runOnce(), 'the sender finds no database')
    t.equal(receiver.requests.length, 0)

    await proxy.start()
    await app.writer.replay()
    t.equal(app.writer.journal.pending, 0, 'the journal is replayed')
    const summary = await app.notificationSender.drain()
    t.equal(summary.failed, 0)
    const hook = new Webhook(SECRET)
    t.same(
      receiver.requests.map((request) => (hook.verify(request.body, request.headers) as { type: string }).type).sort(),
      ['callback.opened', 'voicemail.recorded'],
      'the webhooks go once the facts are in',
    )
    // The same writes again (a live copy that committed late, say): nothing more.
    for (const write of writes) await app.writer.record(write)
    t.equal((await database.db.select().from(notificationEvents)).length, 2)
    t.equal((await app.notificationSender.drain()).claimed, 0)
  },
)
