// The support mailbox wired into the running app (issue #15), against a real Dovecot: a message
// appended over IMAP becomes a request; posted and polled, a message is one request; /readyz says
// when the mailbox is away without taking the service out of readiness.
import { readFileSync } from 'node:fs'
import t from 'tap'
import { TEST_ADMIN_TOKEN } from '../helpers/app.js'
import { eachDatabase } from '../helpers/databases.js'
import { deskApp, deskFile } from '../helpers/desk.js'
import { dovecotAvailable, startDovecot } from '../helpers/dovecot.js'

const SECRET = 'inbound-email-secret-0123456789'
const fixture = (name: string) => readFileSync(new URL(`../fixtures/email/${name}.eml`, import.meta.url))

async function until(what: string, done: () => Promise<boolean>, ms = 20_000): Promise<void> {
  const end = Date.now() + ms
  while (!(await done())) {
    if (Date.now() > end) throw new Error(`still waiting for ${what} after ${ms} ms`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

if (dovecotAvailable(t)) {
  eachDatabase(t, async (t, database) => {
    const dovecot = await startDovecot(t)
    const file = deskFile('intercom')
    for (const client of file.clients) if (client.id === 'acme') client.emailDomains = ['acme.dz']
    const { app } = await deskApp(t, database, {
      file,
      at: '2026-12-01T09:15:00+01:00',
      env: { IMAP_URL: dovecot.url(), INBOUND_EMAIL_SECRET: SECRET },
    })
    const api = (url: string) => app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } })
    const emailRequests = async () =>
      (await api('/api/callbacks')).json().items.filter((i: { channel: string }) => i.channel === 'email')
    const post = (raw: Buffer) =>
      app.inject({
        method: 'POST',
        url: '/webhooks/email/inbound',
        headers: { 'content-type': 'message/rfc822', authorization: `Bearer ${SECRET}` },
        payload: raw,
      })

    const before = await app.inject({ method: 'GET', url: '/readyz' })
    t.match(before.json(), { status: 'ready', mailbox: null }, 'no mailbox read before the server starts it')

    const writer = await dovecot.client(t)
    await writer.append('INBOX', fixture('french-client'))
    app.mailIntake.startMailbox({ pollMs: 200, backoff: { initialMs: 50, maxMs: 500 } })

    await until('the appended message to become a request', async () => (await emailRequests()).length === 1)
    await until('the message to be marked seen', async () => app.mailIntake.mailboxStatus()?.ingested === 1)
    const [request] = await emailRequests()
    t.match(request, { clientId: 'acme', from: 'k.benali@acme.dz', channel: 'email', reason: 'email' })
    const ready = await app.inject({ method: 'GET', url: '/readyz' })
    t.equal(ready.statusCode, 200)
    t.match(ready.json(), { status: 'ready', mailbox: { connected: true, ingested: 1, failed: 0 } })

    // Polled, then posted: one request.
    t.match((await post(fixture('french-client'))).json(), { outcome: 'duplicate', requestId: request.id })

    // Posted, then polled: one request, and the message is marked seen all the same.
    const posted = await post(fixture('no-message-id'))
    t.match(posted.json(), { outcome: 'opened' })
    await writer.append('INBOX', fixture('no-message-id'))
    await until('the mailbox to take the posted message', async () => app.mailIntake.mailboxStatus()?.ingested === 2)
    t.equal((await emailRequests()).length, 2, 'the posted and polled message is one request')
    await writer.mailboxOpen('INBOX')
    const unseen = await writer.search({ seen: false })
    t.same(unseen, [], 'both marked seen, none deleted')
    t.match(await writer.status('INBOX', { messages: true }), { messages: 2 })

    // The IMAP server away: still ready (the phone line must not go out of service), and said.
    await dovecot.stop()
    await until('the reader to notice', async () => app.mailIntake.mailboxStatus()?.connected === false)
    const away = await app.inject({ method: 'GET', url: '/readyz' })
    t.equal(away.statusCode, 200)
    t.match(away.json(), { status: 'ready', mailbox: { connected: false, lastError: String } })
  })
}
