// The mailbox reader against a real Dovecot: each message ingested once and marked seen, failures retried, IDLE and polling, outages survived.
import { readFileSync } from 'node:fs'
import t, { type Test } from 'tap'
import { parseEmail } from '../../src/email/parse.js'
import { type Mailbox, type MailboxMessage, type MailboxOptions, openMailbox } from '../../src/outside/mailbox.js'
import { type Dovecot, dovecotAvailable, startDovecot } from '../helpers/dovecot.js'
import { TcpProxy } from '../helpers/tcp-proxy.js'

const fixture = (name: string) => readFileSync(new URL(`../fixtures/email/${name}.eml`, import.meta.url))

/** A fresh message each time: a test that appends the same fixture twice means two messages. */
const message = (n: number, subject = `Demande ${n}`) =>
  Buffer.from(
    [
      `Message-ID: <test-${n}-${process.pid}@acme.dz>`,
      'Date: Tue, 01 Dec 2026 09:12:40 +0100',
      'From: K. Benali <k.benali@acme.dz>',
      'To: support@vendor.dz',
      `Subject: ${subject}`,
      'Content-Type: text/plain; charset=utf-8',
      '',
      `Message ${n}.`,
      '',
    ].join('\r\n'),
  )

/** Waits until `done()` holds; the bound only keeps a broken test from hanging, it is not a speed claim. */
async function until(what: string, done: () => boolean, ms = 30_000): Promise<void> {
  const end = Date.now() + ms
  while (!done()) {
    if (Date.now() > end) throw new Error(`still waiting for ${what} after ${ms} ms`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

interface Received {
  messageId: string
  message: MailboxMessage
}

/** A mailbox whose ingestion parses each message and records it; stopped in teardown. */
function reader(t: Test, url: string, options: Partial<MailboxOptions> = {}) {
  const received: Received[] = []
  const mailbox: Mailbox = openMailbox({
    url,
    pollMs: 200,
    backoff: { initialMs: 50, maxMs: 500 },
    timeouts: { connectMs: 2_000, greetingMs: 2_000 },
    ingest: async (raw, message) => {
      const email = await parseEmail(raw, message.headersOnly ? { headersOnly: { size: message.size } } : {})
      received.push({ messageId: email.messageId, message })
    },
    ...options,
  })
  t.teardown(() => mailbox.stop())
  return { mailbox, received, ids: () => received.map((r) => r.messageId) }
}

async function flagsOf(dovecot: Dovecot, t: Test, folder = 'INBOX'): Promise<Map<string, Set<string>>> {
  const client = await dovecot.client(t)
  const lock = await client.getMailboxLock(folder)
  try {
    const flags = new Map<string, Set<string>>()
    const status = await client.status(folder, { messages: true })
    if (status !== false && status.messages) {
      for (const m of await client.fetchAll('1:*', { envelope: true, flags: true })) {
        flags.set(m.envelope?.messageId ?? '', m.flags ?? new Set())
      }
    }
    return flags
  } finally {
    lock.release()
  }
}

if (dovecotAvailable(t)) {
  t.test('each message is ingested once, then marked seen, never deleted', async (t) => {
    const dovecot = await startDovecot(t)
    const writer = await dovecot.client(t)
    for (const name of ['french-client', 'arabic-name', 'reply']) await writer.append('INBOX', fixture(name))
    await writer.append('INBOX', message(1), ['\\Seen']) // read by a person before: not ours to ingest

    const { mailbox, ids } = reader(t, dovecot.url())
    await until('three messages', () => mailbox.status().ingested === 3)
    const firstSync = mailbox.status().lastSyncAt as Date
    await until('two more syncs', () => (mailbox.status().lastSyncAt?.getTime() ?? 0) > firstSync.getTime() + 200)

    t.same(
      ids(),
      ['<20261201091240.4F2A81C0042@mail.acme.dz>', '<CAH7x2=Lq8w0v-arabic@mail.gmail.com>', '<5f1e2a90-reply-3@acme.dz>'],
      'the unseen messages, oldest first, each once although the folder was searched again',
    )
    const flags = await flagsOf(dovecot, t)
    t.equal(flags.size, 4, 'nothing was deleted')
    for (const [id, set] of flags) t.ok(set.has('\\Seen'), `${id} is seen`)
    t.match(mailbox.status(), { connected: true, idle: true, failed: 0, lastError: null }, 'connected, with IDLE')
  })

  t.test('a message whose ingestion throws stays unseen and is taken again later', async (t) => {
    const dovecot = await startDovecot(t)
    const writer = await dovecot.client(t)
    await writer.append('INBOX', message(1))
    await writer.append('INBOX', message(2, 'Le stockage refuse celui-ci une fois'))
    await writer.append('INBOX', message(3))

    let refusals = 0
    const ingested: string[] = []
    const { mailbox } = reader(t, dovecot.url(), {
      pollMs: 60_000, // only the test decides when the next sync comes (a new message)
      ingest: async (raw) => {
        const email = await parseEmail(raw)
        if (email.subject.startsWith('Le stockage refuse') && refusals++ === 0) throw new Error('database away')
        ingested.push(email.subject)
      },
    })
    await until('the first sync', () => mailbox.status().lastSyncAt !== null)
    t.same(ingested, ['Demande 1', 'Demande 3'], 'the others went on')
    t.match(mailbox.status(), { failed: 1, lastIngestError: 'database away', ingested: 2 })
    const flags = await flagsOf(dovecot, t)
    t.notOk(flags.get(`<test-2-${process.pid}@acme.dz>`)?.has('\\Seen'), 'the refused message is still unseen')

    await writer.append('INBOX', message(4)) // wakes the reader through IDLE
    await until('the retry', () => ingested.length === 4)
    t.same(ingested, ['Demande 1', 'Demande 3', 'Le stockage refuse celui-ci une fois', 'Demande 4'], 'retried, then the new one')
    const after = await flagsOf(dovecot, t)
    t.ok(after.get(`<test-2-${process.pid}@acme.dz>`)?.has('\\Seen'), 'seen once ingested')
  })

  t.test('IDLE hands over a new message without waiting for the poll', async (t) => {
    const dovecot = await startDovecot(t)
    const { mailbox, ids } = reader(t, dovecot.url(), { pollMs: 600_000 })
    await until('the first sync', () => mailbox.status().lastSyncAt !== null)
    t.equal(mailbox.status().idle, true, 'Dovecot announces IDLE')
    const writer = await dovecot.client(t)
    await writer.append('INBOX', message(1))
    await until('the new message', () => ids().length === 1)
    t.same(ids(), [`<test-1-${process.pid}@acme.dz>`], 'it came in long before the 10-minute poll')
  })

  t.test('a server without IDLE is polled', async (t) => {
    const dovecot = await startDovecot(t, { idle: false })
    const { mailbox, ids } = reader(t, dovecot.url(), { pollMs: 200 })
    await until('the first sync', () => mailbox.status().lastSyncAt !== null)
    t.equal(mailbox.status().idle, false, 'no IDLE announced')
    const writer = await dovecot.client(t)
    await writer.append('INBOX', message(1))
    await until('the poll', () => ids().length === 1)
    t.pass('the poll found the message')
  })

  t.test('Dovecot stopped and started again: the reader says so, reconnects, loses nothing', async (t) => {
    const dovecot = await startDovecot(t)
    const writer = await dovecot.client(t)
    await writer.append('INBOX', message(1))
    const { mailbox, ids } = reader(t, dovecot.url())
    await until('the first message', () => ids().length === 1)

    await dovecot.stop()
    await until('the reader to notice', () => !mailbox.status().connected)
    await until('a refused reconnection', () => /ECONNREFUSED/.test(mailbox.status().lastError ?? ''))
    t.match(mailbox.status(), { connected: false }, 'not connected while the server is away (/readyz says so)')
    t.comment(`while away: ${mailbox.status().lastError}`)

    await dovecot.start()
    const again = await dovecot.client(t)
    await again.append('INBOX', message(2))
    await until('the message sent after the outage', () => ids().length === 2)
    t.same(ids(), [`<test-1-${process.pid}@acme.dz>`, `<test-2-${process.pid}@acme.dz>`], 'each once')
    t.equal(mailbox.status().connected, true, 'connected again')
  })

  t.test('ingested messages can be moved to a folder, seen', async (t) => {
    const dovecot = await startDovecot(t)
    const writer = await dovecot.client(t)
    await writer.append('INBOX', fixture('attachment'))
    const { mailbox } = reader(t, dovecot.url(), { moveTo: 'Traitées' })
    await until('the message', () => mailbox.status().ingested === 1)
    t.equal((await flagsOf(dovecot, t)).size, 0, 'the inbox is empty')
    const moved = await flagsOf(dovecot, t, 'Traitées')
    t.ok(moved.get('<att.20261202.77@atlas-pharma.com>')?.has('\\Seen'), 'the message is in Traitées, seen')
  })

  t.test('a message above the size limit is handed over as its headers, with its size', async (t) => {
    const dovecot = await startDovecot(t)
    const writer = await dovecot.client(t)
    const big = Buffer.concat([message(1, 'Journal complet'), Buffer.from(`${'x'.repeat(76)}\r\n`.repeat(2_000))])
    await writer.append('INBOX', big)
    let handed: { raw: Buffer; message: MailboxMessage } | null = null
    const { mailbox } = reader(t, dovecot.url(), {
      maxMessageBytes: 64 * 1024,
      ingest: async (raw, message) => {
        handed = { raw, message }
      },
    })
    await until('the message', () => mailbox.status().ingested === 1)
    const { raw, message: meta } = handed as unknown as { raw: Buffer; message: MailboxMessage }
    t.match(meta, { headersOnly: true, size: big.length }, 'headers only, with the whole size')
    t.ok(raw.length < 1024, `${raw.length} bytes fetched of ${big.length}`)
    const email = await parseEmail(raw, { headersOnly: { size: meta.size } })
    t.match(email, { subject: 'Journal complet', headersOnly: true, problems: [{ code: 'too_large', size: big.length }] })
  })

  t.test('a server that hangs: the timeouts give up on it, the reader comes back when it answers', async (t) => {
    const dovecot = await startDovecot(t)
    const proxy = new TcpProxy('127.0.0.1', dovecot.port)
    await proxy.start()
    t.teardown(() => proxy.cut())
    const url = dovecot.url().replace(`:${dovecot.port}/`, `:${proxy.port}/`)
    const { mailbox, ids } = reader(t, url, { pollMs: 200, timeouts: { connectMs: 1_000, greetingMs: 500, socketMs: 1_500 } })
    await until('the first sync', () => mailbox.status().lastSyncAt !== null)

    proxy.freeze() // the open connection carries nothing more; new ones are accepted and never greeted
    await until('the reader to give up on the silent connection', () => !mailbox.status().connected)
    await until('a greeting timeout', () => /greeting/i.test(mailbox.status().lastError ?? ''))
    t.comment(`while hung: ${mailbox.status().lastError}`)
    const writer = await dovecot.client(t)
    await writer.append('INBOX', message(1))

    proxy.thaw()
    await until('the message appended meanwhile', () => ids().length === 1)
    t.equal(mailbox.status().connected, true, 'connected again')
  })

  t.test('a wrong password: not connected, the error kept, tried again', async (t) => {
    const dovecot = await startDovecot(t)
    const { mailbox } = reader(t, dovecot.url().replace(encodeURIComponent(dovecot.password), 'wrong'))
    await until('a failure', () => mailbox.status().lastError !== null)
    const first = mailbox.status().lastErrorAt as Date
    await until('another attempt', () => (mailbox.status().lastErrorAt as Date) > first)
    t.match(mailbox.status(), { connected: false, lastSyncAt: null }, 'never connected')
    t.comment(mailbox.status().lastError)
  })

  t.test('stop() ends the reader while it waits in IDLE', async (t) => {
    const dovecot = await startDovecot(t)
    const mailbox = openMailbox({ url: dovecot.url(), pollMs: 600_000, ingest: async () => {} })
    await until('the first sync', () => mailbox.status().lastSyncAt !== null)
    await mailbox.stop()
    t.equal(mailbox.status().connected, false, 'disconnected')
    await mailbox.stop()
    t.pass('stopping twice is harmless')
  })

  t.test('stop() does not wait on a server that hangs', async (t) => {
    const dovecot = await startDovecot(t)
    const proxy = new TcpProxy('127.0.0.1', dovecot.port)
    await proxy.start()
    t.teardown(() => proxy.cut())
    const url = dovecot.url().replace(`:${dovecot.port}/`, `:${proxy.port}/`)
    const mailbox = openMailbox({ url, pollMs: 600_000, timeouts: { stopMs: 300 }, ingest: async () => {} })
    await until('the first sync', () => mailbox.status().lastSyncAt !== null)
    proxy.freeze() // LOGOUT will never be answered
    await mailbox.stop()
    t.equal(mailbox.status().connected, false, 'stopped, the silent connection closed')
  })
}
