// E-mail requests are told like callback requests (issue #15): a new one is callback.opened to
// the desk's mailbox and webhooks, one gone past its due time callback.late to the managers, once
// however often scanned; the data says the channel, the words give the subject and the address.
import { readFileSync } from 'node:fs'
import { asc, eq } from 'drizzle-orm'
import t from 'tap'
import { notificationEvents, notifications } from '../../db/schema.js'
import { renderMessage, renderSms } from '../../src/domain/notifications.js'
import { scanTimedFacts } from '../../src/store/notifications.js'
import { notifyingFile } from '../fixtures/notifications.js'
import { TEST_ADMIN_TOKEN } from '../helpers/app.js'
import { eachDatabase } from '../helpers/databases.js'
import { deskApp } from '../helpers/desk.js'

t.setTimeout(60_000)

const SECRET = 'inbound-email-secret-0123456789'
const SUBJECT = "Problème de connexion à l'application de facturation"
const fixture = (name: string) => readFileSync(new URL(`../fixtures/email/${name}.eml`, import.meta.url))

eachDatabase(t, async (t, database) => {
  const file = notifyingFile()
  for (const client of file.clients) if (client.id === 'acme') client.emailDomains = ['acme.dz']
  const { app } = await deskApp(t, database, {
    file,
    // Tuesday 1 December 2026, 09:35 in Algiers: the desk is open.
    at: '2026-12-01T09:35:00+01:00',
    env: { MAIL_FROM: 'Assistance SERVICESsoft <support@vendor.dz>', INBOUND_EMAIL_SECRET: SECRET },
  })
  const { db } = database
  const told = async (type: 'callback.opened' | 'callback.late') =>
    (
      await db
        .select({ channel: notifications.channel, recipient: notifications.recipient })
        .from(notifications)
        .where(eq(notifications.type, type))
        .orderBy(asc(notifications.channel), asc(notifications.recipient))
    ).map((r) => `${r.channel} ${r.recipient}`)
  const event = async (key: string) => (await db.select().from(notificationEvents).where(eq(notificationEvents.key, key)))[0]

  const posted = await app.inject({
    method: 'POST',
    url: '/webhooks/email/inbound',
    headers: { 'content-type': 'message/rfc822', authorization: `Bearer ${SECRET}` },
    payload: fixture('french-client'),
  })
  t.equal(posted.statusCode, 202)
  const requestId: number = posted.json().requestId

  await t.test('a new e-mail request is callback.opened to the desk mailbox, as a phone request is', async (t) => {
    t.same(await told('callback.opened'), ['email support@intercom.example', 'webhook https://tickets.example.com/hook'])
    const opened = await event(`callback.opened:email-${requestId}`)
    t.match(opened?.data, {
      callbackId: requestId,
      callSid: null,
      desk: 'intercom',
      clientId: 'acme',
      clientName: 'ACME SARL',
      from: 'k.benali@acme.dz',
      reason: 'email',
      channel: 'email',
      subject: SUBJECT,
    })
    t.ok(opened?.data.dueAt, 'with the due time')
    const again = await app.inject({
      method: 'POST',
      url: '/webhooks/email/inbound',
      headers: { 'content-type': 'message/rfc822', authorization: `Bearer ${SECRET}` },
      payload: fixture('french-client'),
    })
    t.match(again.json(), { outcome: 'duplicate' })
    t.equal((await told('callback.opened')).length, 2, 'the same message again tells nobody again')
  })

  await t.test('past its due time it is callback.late to the managers, once however often scanned', async (t) => {
    const queue = await app.inject({
      method: 'GET',
      url: '/api/callbacks',
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
    })
    const due = new Date(queue.json().items.find((i: { id: number }) => i.id === requestId).dueAt)
    t.equal(await scanTimedFacts(db, new Date(due.getTime() - 60_000), { noticeDays: 0 }), 0, 'not late a minute before')
    const after = new Date(due.getTime() + 60_000)
    t.equal(await scanTimedFacts(db, after, { noticeDays: 0 }), 2, 'the managers and the webhook')
    t.equal(await scanTimedFacts(db, after, { noticeDays: 0 }), 0, 'a second scan writes nothing')
    t.same(await told('callback.late'), ['email chef@intercom.example', 'webhook https://tickets.example.com/hook'])
    const late = await event(`callback.late:email-${requestId}`)
    t.match(late?.data, { callbackId: requestId, callSid: null, channel: 'email', from: 'k.benali@acme.dz', subject: SUBJECT })

    const context = { deskName: 'Assistance INTERcom', timezone: 'Africa/Algiers', language: 'fr-FR' }
    const fr = renderMessage('callback.late', late?.data as never, context)
    t.equal(fr.subject, '[Assistance INTERcom] E-mail sans réponse en retard : ACME SARL (k.benali@acme.dz)')
    t.match(fr.lines[0], `(« ${SUBJECT} »)`, 'the subject, not a number')
    const en = renderMessage('callback.opened', (await event(`callback.opened:email-${requestId}`))?.data as never, {
      ...context,
      language: 'en-GB',
    })
    t.equal(en.subject, '[Assistance INTERcom] E-mail request from ACME SARL (k.benali@acme.dz)')
    t.match(en.lines[0], `wrote: "${SUBJECT}"`)
    t.match(renderSms('callback.late', late?.data as never, context), /k\.benali@acme\.dz/)
  })

  await t.test('an answered request is not late', async (t) => {
    await db.delete(notifications)
    await db.delete(notificationEvents)
    const reply = await app.inject({
      method: 'POST',
      url: `/api/callbacks/${requestId}/reply`,
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
      payload: { text: 'Bonjour,\n\nC’est réglé.' },
    })
    t.equal(reply.statusCode, 200)
    t.equal(await scanTimedFacts(db, new Date('2026-12-31T12:00:00Z'), { noticeDays: 0 }), 0)
  })
})
