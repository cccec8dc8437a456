// The outbox against real parts (issue #14): an SMTP server (smtp-server), the Twilio emulator, an
// HTTP receiver verifying Standard Webhooks signatures (standardwebhooks). Faults: SMTP down then
// up, a receiver answering 500, one that hangs, 24 hours of failures then a manager's resend, an
// instance dying mid-delivery, and two instances sharing a burst of 200 events on one Postgres.
import { randomBytes } from 'node:crypto'
import { and, eq } from 'drizzle-orm'
import { Webhook } from 'standardwebhooks'
import t, { type Test } from 'tap'
import type { DatabaseHandle } from '../../db/client.js'
import { notifications } from '../../db/schema.js'
import { applyDeskFile } from '../../src/store/configuration.js'
import { claimDue } from '../../src/store/notifications.js'
import { applyWebhookWrite } from '../../src/store/webhook-writes.js'
import { deliver } from '../../src/outside/webhook-signer.js'
import { newSid } from '../../webhooks/index.js'
import { TwilioEmulator } from '../../webhooks/twilio-emulator.js'
import { TEST_ADMIN_TOKEN, TEST_AUTH_TOKEN, testApp } from '../helpers/app.js'
import { eachDatabase, freshDatabase } from '../helpers/databases.js'
import { type Receiver, startReceiver } from '../helpers/receiver.js'
import { startSmtpServer } from '../helpers/smtp.js'
import { TcpProxy } from '../helpers/tcp-proxy.js'
import { SECRET, notifyingFile, voicemailWrites } from '../fixtures/notifications.js'

const ACCOUNT = `AC${randomBytes(16).toString('hex')}`
/** Before the test clock's 09:00 UTC: a voicemail left at 08:50. */
const EARLIER = '2026-11-28T08:50:00.000Z'
const auth = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` }

/** Every request the receiver got, verified as any Standard Webhooks receiver would. */
function verified(receiver: Receiver) {
  const hook = new Webhook(SECRET)
  return receiver.requests.map((request) => ({
    id: request.headers['webhook-id'] ?? '',
    event: hook.verify(request.body, request.headers) as { type: string; timestamp: string; data: Record<string, unknown> },
  }))
}

async function statusOf(database: DatabaseHandle, id: string) {
  const [row] = await database.db.select().from(notifications).where(eq(notifications.id, id))
  return row
}

async function outbox(t: Test, database: DatabaseHandle, env: Record<string, string>, webhookUrl: string) {
  await applyDeskFile(database.db, notifyingFile(webhookUrl), { actor: 'test', now: new Date('2026-11-01T00:00:00Z') })
  // 4 s: long enough for an SMTP greeting on a machine at a load of 10 (1.5 s was not, in CI), short
  // enough that the hanging receiver below is given up on within the test.
  return testApp(t, database, { env: { NOTIFICATION_TIMEOUT_MS: '4000', ...env } })
}

eachDatabase(t, async (t, database) => {
  const smtp = await startSmtpServer(t)
  const proxy = new TcpProxy(smtp.host, smtp.port)
  await proxy.start()
  t.teardown(() => proxy.cut())
  const twilio = await TwilioEmulator.start({ accountSid: ACCOUNT, authToken: TEST_AUTH_TOKEN, numbers: ['+21321000000'] })
  t.teardown(() => twilio.close())
  const receiver = await startReceiver(t)
  const { app, clock } = await outbox(
    t,
    database,
    {
      SMTP_URL: `smtp://127.0.0.1:${proxy.port}`,
      MAIL_FROM: 'Assistance INTERcom <support@intercom.example>',
      TWILIO_ACCOUNT_SID: ACCOUNT,
      TWILIO_API_URL: twilio.url,
    },
    `${receiver.url}/tickets`,
  )
  const sender = app.notificationSender

  await t.test('a voicemail goes out by e-mail, SMS and a signed webhook, each with its stable id', async (t) => {
    const callSid = newSid()
    for (const write of voicemailWrites(callSid, EARLIER)) await applyWebhookWrite(database.db, write, { live: true })
    const summary = await sender.drain()
    t.same(summary, { claimed: 6, sent: 6, retried: 0, failed: 0 })
    await twilio.idle()

    const mails = smtp.messages.filter((m) => m.parsed.subject?.includes('Message vocal'))
    t.equal(mails.length, 1)
    const [mail] = mails
    const [row] = await database.db
      .select()
      .from(notifications)
      .where(eq(notifications.eventKey, `voicemail.recorded:${callSid}`))
      .orderBy(notifications.channel)
    t.equal(mail?.parsed.messageId, `<${row?.id}@intercom.example>`, 'Message-ID is the notification id')
    t.match(mail?.parsed.text, /ACME SARL \(\+213661000001\) a laissé un message de 31 s/)
    t.match(mail?.parsed.text, /Rappel dû au plus tard .* à \d\dh\d\d/, 'the due time in the desk zone, in French')
    t.match(mail?.parsed.html, /<p>Écouter : https:\/\/api\.twilio\.com\/rec\/RE1<\/p>/)
    t.same(mail?.envelope.to, ['support@intercom.example'])

    t.same(twilio.messages.map((m) => m.to).sort(), ['+213550000001', '+213550000002'], 'an SMS to each agent on duty')
    t.match(twilio.messages[0]?.body, /Message vocal de ACME SARL/)

    const hooks = verified(receiver)
    t.same(hooks.map((h) => h.event.type).sort(), ['callback.opened', 'voicemail.recorded'], 'signatures verify')
    const voicemail = hooks.find((h) => h.event.type === 'voicemail.recorded')
    t.match(voicemail?.id, /^msg_[0-9a-f]{32}$/)
    t.match(voicemail?.event.data, {
      callSid,
      clientId: 'acme',
      durationSeconds: 31,
      recordingUrl: 'https://api.twilio.com/rec/RE1',
    })
    t.equal((await statusOf(database, voicemail?.id ?? ''))?.status, 'sent')
  })

  await t.test('SMTP down: the e-mail waits, backs off, and goes with the same Message-ID once it is up', async (t) => {
    await proxy.cut()
    const response = await app.inject({
      method: 'PUT',
      url: '/api/desks/intercom/closed-now',
      headers: auth,
      payload: { reason: 'Coupure' },
    })
    t.equal(response.statusCode, 200, 'the switch does not wait for any delivery')
    await app.inject({ method: 'DELETE', url: '/api/desks/intercom/closed-now', headers: auth })
    // A late callback tells the managers by e-mail.
    clock.advance(10 * 24 * 3_600_000)
    t.ok((await sender.scan()) >= 2)
    const first = await sender.drain()
    t.ok(first.retried >= 1, 'the e-mails are kept for later')
    const [mail] = await database.db
      .select()
      .from(notifications)
      .where(and(eq(notifications.type, 'callback.late'), eq(notifications.channel, 'email')))
    const pending = await database.db.select().from(notifications).where(eq(notifications.status, 'pending'))
    t.ok(pending.length >= 1)
    t.match(pending[0]?.lastError, /ECONNREFUSED|connect|Connection/i)
    await proxy.start()
    t.same((await sender.drain()).claimed, 0, 'nothing before its time')
    clock.advance(60 * 60_000)
    const second = await sender.drain()
    t.equal(second.sent, pending.length, 'sent once SMTP answers')
    const late = smtp.messages.find((m) => m.parsed.subject?.includes('Rappel en retard'))
    t.equal(late?.parsed.messageId, `<${mail?.id}@intercom.example>`)
    t.equal((await statusOf(database, mail?.id ?? ''))?.attempts, 2)
  })

  await t.test('a receiver answering 500, then hanging, is tried again with the same webhook-id', async (t) => {
    const before = receiver.requests.length
    receiver.respond = (_request, response) => {
      response.statusCode = 500
      response.end('oops')
    }
    await app.inject({ method: 'PUT', url: '/api/desks/intercom/closed-now', headers: auth, payload: { reason: 'Panne' } })
    const failed = await sender.drain()
    t.equal(failed.retried, 1)
    const [row] = await database.db.select().from(notifications).where(eq(notifications.status, 'pending'))
    t.match(row?.lastError, /answered 500: oops/)
    receiver.respond = () => {} // never answers
    clock.advance(60 * 60_000)
    const started = Date.now()
    t.equal((await sender.drain()).retried, 1)
    t.ok(Date.now() - started < 12_000, 'the configured timeout (4 s) ends the attempt')
    t.match((await statusOf(database, row?.id ?? ''))?.lastError, /no answer within 4000 ms/)
    receiver.respond = (_request, response) => {
      response.statusCode = 204
      response.end()
    }
    clock.advance(60 * 60_000)
    t.equal((await sender.drain()).sent, 1)
    const ids = receiver.requests.slice(before).map((r) => r.headers['webhook-id'])
    t.same(ids, [row?.id, row?.id, row?.id], 'one id over three attempts')
  })

  await t.test('after 24 hours of failures it is failed, listed, and a manager sends it again', async (t) => {
    receiver.respond = (_request, response) => {
      response.statusCode = 503
      response.end()
    }
    await app.inject({ method: 'DELETE', url: '/api/desks/intercom/closed-now', headers: auth })
    let attempts = 0
    for (let hour = 0; hour < 30; hour++) {
      attempts += (await sender.drain()).claimed
      clock.advance(60 * 60_000)
    }
    const list = await app.inject({ method: 'GET', url: '/api/notifications?status=failed', headers: auth })
    t.equal(list.statusCode, 200)
    const [failed] = list.json().items
    t.match(failed, { type: 'desk.reopened', channel: 'webhook', status: 'failed', lastError: /gave up after \d+ attempts/ })
    t.ok(failed.attempts >= 20 && failed.attempts <= attempts, `${failed.attempts} attempts in 24 hours`)
    receiver.respond = (_request, response) => {
      response.statusCode = 200
      response.end()
    }
    const resent = await app.inject({ method: 'POST', url: `/api/notifications/${failed.id}/resend`, headers: auth })
    t.equal(resent.statusCode, 200)
    t.match(resent.json(), { status: 'pending', resentBy: 'ADMIN_TOKEN' })
    t.equal((await app.inject({ method: 'POST', url: `/api/notifications/${failed.id}/resend`, headers: auth })).statusCode, 409)
    t.equal((await sender.drain()).sent, 1)
    t.equal((await statusOf(database, failed.id))?.status, 'sent')
  })

  await t.test('an instance killed mid-delivery: another sends it again after the lease, same id', async (t) => {
    const before = receiver.requests.length
    await app.inject({ method: 'PUT', url: '/api/desks/intercom/closed-now', headers: auth, payload: { reason: 'Grève' } })
    // The dying instance claims, delivers, and never records it.
    const claimed = await claimDue(database.db, { now: clock.now(), leaseMs: 60_000, limit: 10, channels: ['webhook'] })
    t.equal(claimed.length, 1)
    const [dying] = claimed
    if (!dying) return
    await deliver({
      url: dying.recipient,
      secret: SECRET,
      id: dying.id,
      type: dying.type,
      timestamp: dying.event.occurredAt,
      data: dying.event.data,
    })
    t.equal((await sender.drain()).claimed, 2, 'the SMS to the agents only: the webhook is held while its claim lasts')
    clock.advance(61_000)
    t.equal((await sender.drain()).sent, 1)
    const ids = receiver.requests.slice(before).map((r) => r.headers['webhook-id'])
    t.same(ids, [dying.id, dying.id], 'the duplicate carries the same webhook-id: the receiver drops it')
  })
})

t.test('without SMTP_URL and TWILIO_ACCOUNT_SID, e-mail and SMS are kept, not sent', async (t) => {
  const database = await freshDatabase(t, 'pglite')
  const receiver = await startReceiver(t)
  const { app } = await outbox(t, database, {}, `${receiver.url}/tickets`)
  for (const write of voicemailWrites(newSid(), EARLIER)) await applyWebhookWrite(database.db, write, { live: true })
  t.same(await app.notificationSender.drain(), { claimed: 2, sent: 2, retried: 0, failed: 0 }, 'webhooks only')
  const list = await app.inject({ method: 'GET', url: '/api/notifications?status=pending', headers: auth })
  t.same(list.json().channels, ['webhook'])
  // Page by page with the cursors the API gives out: every item once, in the same order.
  const paged: string[] = []
  for (let cursor: string | null = '', pages = 0; cursor !== null && pages < 10; pages++) {
    const url: string = `/api/notifications?status=pending&limit=1${cursor ? `&cursor=${cursor}` : ''}`
    const page: { items: { id: string }[]; nextCursor: string | null } = (
      await app.inject({ method: 'GET', url, headers: auth })
    ).json()
    paged.push(...page.items.map((i: { id: string }) => i.id))
    cursor = page.nextCursor
  }
  t.same(
    paged,
    list.json().items.map((i: { id: string }) => i.id),
    'the pages list every item once',
  )
  for (const bad of ['nope', Buffer.from('{"createdAt":"2026-11-28T10:00:00Z","id":"x"}').toString('base64url')]) {
    const refused = await app.inject({ method: 'GET', url: `/api/notifications?cursor=${bad}`, headers: auth })
    t.equal(refused.statusCode, 400, 'a cursor the API did not give out')
    t.match(refused.json(), { code: 'validation_failed', detail: 'query.cursor: is not a cursor this service gave out' })
  }
  t.same(
    list
      .json()
      .items.map((i: { channel: string }) => i.channel)
      .sort(),
    ['email', 'email', 'sms', 'sms'],
  )
})

t.test("the server's loop sends on its own, and stops when the app closes", async (t) => {
  const database = await freshDatabase(t, 'pglite')
  const receiver = await startReceiver(t)
  const { app } = await outbox(t, database, {}, `${receiver.url}/tickets`)
  app.notificationSender.start()
  for (const write of voicemailWrites(newSid(), EARLIER)) await applyWebhookWrite(database.db, write, { live: true })
  const deadline = Date.now() + 20_000
  const types = () => new Set(verified(receiver).map((hook) => hook.event.type))
  while (!(types().has('voicemail.recorded') && types().has('callback.opened')) && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 100))
  t.ok(types().has('voicemail.recorded') && types().has('callback.opened'), 'both webhooks, without anyone calling runOnce')
  // (its first round scans too: a client's notice deadline within 30 days may be told as well)
  const started = Date.now()
  await app.close()
  t.ok(Date.now() - started < 5_000, 'closing does not wait for the poll')
})
