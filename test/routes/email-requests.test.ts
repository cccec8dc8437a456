// E-mail assistance end to end (issue #15), through buildApp + inject on both databases: the raw
// webhook with the fixture messages, exactly once by Message-ID, automatic mail ignored, unknown
// senders left for a manager, a suspended client refused, a reply joining its thread, the
// acknowledgement and the agent's answer received threaded by a real SMTP server.
import { readFileSync } from 'node:fs'
import { eq } from 'drizzle-orm'
import t from 'tap'
import { emailAttachments, usage } from '../../db/schema.js'
import type { DeskFile } from '../../src/domain/desk-file.js'
import { TEST_ADMIN_TOKEN } from '../helpers/app.js'
import { eachDatabase } from '../helpers/databases.js'
import { deskApp, deskFile } from '../helpers/desk.js'
import { signIn } from '../helpers/dashboard.js'
import { startSmtpServer } from '../helpers/smtp.js'

const SECRET = 'inbound-email-secret-0123456789'
const fixture = (name: string) => readFileSync(new URL(`../fixtures/email/${name}.eml`, import.meta.url))

/** The shipped desk, with ACME known by its domain and Numidia (suspended) by its own. */
function mailDesk(): DeskFile {
  const file = deskFile('intercom')
  for (const client of file.clients) {
    if (client.id === 'acme') {
      client.emailDomains = ['acme.dz']
      for (const contract of client.contracts) contract.emailMinutesCountIntoQuota = true
    }
    if (client.id === 'numidia') client.emailDomains = ['numidia.dz']
    if (client.id === 'atlas') client.contact = { name: 'DSI', email: 'dsi@atlas-pharma.com' }
  }
  return file
}

eachDatabase(t, async (t, database) => {
  const smtp = await startSmtpServer(t)
  const { app, clock } = await deskApp(t, database, {
    file: mailDesk(),
    // Tuesday 1 December 2026, 09:15 in Algiers: the desk is open.
    at: '2026-12-01T09:15:00+01:00',
    env: { SMTP_URL: smtp.url, MAIL_FROM: 'Assistance SERVICESsoft <support@vendor.dz>', INBOUND_EMAIL_SECRET: SECRET },
  })
  const post = (body: Buffer | string, headers: Record<string, string> = {}) =>
    app.inject({
      method: 'POST',
      url: '/webhooks/email/inbound',
      headers: { 'content-type': 'message/rfc822', authorization: `Bearer ${SECRET}`, ...headers },
      payload: body,
    })
  const api = (method: 'GET' | 'POST', url: string, payload?: unknown) =>
    app.inject({ method, url, headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` }, ...(payload ? { payload } : {}) })

  await t.test('the bearer: missing or wrong is 401, before the body is read', async (t) => {
    const missing = await post(fixture('french-client'), { authorization: '' })
    t.equal(missing.statusCode, 401)
    t.match(missing.json(), { code: 'unauthorized' })
    t.equal((await post(fixture('french-client'), { authorization: 'Bearer not-the-secret' })).statusCode, 401)
  })

  await t.test('bad bodies: not a message (400), too large (413), another type (415)', async (t) => {
    const text = await post('hello, this is no e-mail')
    t.equal(text.statusCode, 400)
    t.match(text.json(), { code: 'malformed_message', detail: /must start with a header line/ })
    t.equal((await post(Buffer.alloc(0))).statusCode, 400, 'an empty body')
    const huge = await post(
      Buffer.concat([Buffer.from('From: a@acme.dz\r\nSubject: x\r\n\r\n'), Buffer.alloc(31 * 1024 * 1024, 97)]),
    )
    t.equal(huge.statusCode, 413)
    t.match(huge.json(), { code: 'body_too_large', detail: /over 31457280 bytes/ })
    const json = await post('{}', { 'content-type': 'application/json' })
    t.not(json.statusCode, 202, `JSON is not taken for a message (${json.statusCode})`)
  })

  let requestId = 0
  await t.test('a client writes: one request on the queue, once however often it is posted', async (t) => {
    const first = await post(fixture('french-client'))
    t.equal(first.statusCode, 202)
    t.match(first.json(), { status: 'accepted', outcome: 'opened', messageId: '<20261201091240.4F2A81C0042@mail.acme.dz>' })
    requestId = first.json().requestId
    const again = await post(fixture('french-client'))
    t.equal(again.statusCode, 202)
    t.match(again.json(), { outcome: 'duplicate', requestId }, 'posted twice: the same request')

    const list = await api('GET', '/api/callbacks?status=open')
    const email = list.json().items.filter((item: { channel: string }) => item.channel === 'email')
    t.equal(email.length, 1, 'one e-mail request')
    t.match(email[0], {
      id: requestId,
      channel: 'email',
      callSid: null,
      clientId: 'acme',
      from: 'k.benali@acme.dz',
      subject: "Problème de connexion à l'application de facturation",
      reason: 'email',
      status: 'open',
      late: false,
    })
    // 24 working hours of 5 h 15 a day from Tuesday 09:15: Wednesday, Saturday, Sunday, Monday … in Algiers.
    t.ok(new Date(email[0].dueAt) > new Date('2026-12-05T00:00:00Z'), `due ${email[0].dueAt}, days later`)

    const messages = await api('GET', `/api/callbacks/${requestId}/messages`)
    t.equal(messages.statusCode, 200)
    t.match(messages.json().items, [
      { direction: 'in', disposition: 'opened', via: 'webhook', from: 'k.benali@acme.dz', text: /Erreur 503/ },
      { direction: 'out', disposition: 'sent', via: 'acknowledged', to: ['k.benali@acme.dz'] },
    ])
  })

  await t.test('the acknowledgement reaches the client threaded, with the latest time of the answer', async (t) => {
    await app.notificationSender.drain()
    const ack = await smtp.nextMessage()
    t.same(ack.envelope.to, ['k.benali@acme.dz'])
    t.equal(ack.parsed.inReplyTo, '<20261201091240.4F2A81C0042@mail.acme.dz>')
    t.equal(ack.parsed.subject, `Re: [SL-${requestId}] Problème de connexion à l'application de facturation`)
    t.match(ack.parsed.text, new RegExp(`référence \\[SL-${requestId}\\]`))
    t.match(ack.parsed.text, /Nous vous répondrons au plus tard le \w+ \d+ décembre à \d+ h \d\d\./)
    t.equal(ack.parsed.headers.get('auto-submitted'), 'auto-replied', 'no person wrote it (RFC 3834)')
  })

  await t.test("the client's reply joins its request", async (t) => {
    const reply = await post(fixture('reply'))
    t.match(reply.json(), { outcome: 'joined', requestId })
    t.equal(smtp.messages.length, 1, 'not acknowledged again')
    // A new message whose mail client kept only the subject's tag: the request's own client joins it.
    const tagged = await post(
      `Message-ID: <tag-only@acme.dz>\r\nFrom: K.Benali@acme.dz\r\nTo: support@vendor.dz\r\nSubject: Re: [SL-${requestId}] encore\r\n\r\nToujours en panne.\r\n`,
    )
    t.match(tagged.json(), { outcome: 'joined', requestId }, 'joined by its tag')
    await app.notificationSender.drain()
    t.equal(smtp.messages.length, 1)
  })

  await t.test('automatic mail never opens a request nor is answered', async (t) => {
    for (const name of ['auto-reply', 'newsletter', 'bounce']) {
      const res = await post(fixture(name))
      t.equal(res.statusCode, 202)
      t.match(res.json(), { outcome: 'automatic', requestId: null }, name)
    }
    await app.notificationSender.drain()
    t.equal(smtp.messages.length, 1, 'nothing sent')
  })

  await t.test("what if: the request's due time replayed under a proposed desk file", async (t) => {
    const today = { from: '2026-12-01', to: '2026-12-01' }
    const inForce = await api('POST', '/api/what-if', { deskFile: mailDesk(), ...today })
    t.equal(inForce.statusCode, 200)
    t.same(inForce.json().emailRequests, [], 'under the file in force, no due time moves')
    const sooner = mailDesk()
    for (const desk of sooner.desks) desk.options = { ...desk.options, emailWithinWorkingHours: 8 }
    const proposed = await api('POST', '/api/what-if', { deskFile: sooner, ...today })
    const [moved] = proposed.json().emailRequests
    t.match(moved, { requestId, desk: 'intercom' })
    t.ok(new Date(moved.wouldBeDueAt) < new Date(moved.dueAt), `8 working hours: due ${moved.wouldBeDueAt}, not ${moved.dueAt}`)
  })

  await t.test('the same message delivered four times at once is one request', async (t) => {
    const raw =
      'Message-ID: <race@acme.dz>\r\nFrom: it@acme.dz\r\nTo: support@vendor.dz\r\nSubject: En même temps\r\n\r\nBonjour\r\n'
    const answers = (await Promise.all([1, 2, 3, 4].map(() => post(raw)))).map((r) => r.json())
    t.same(answers.map((a) => a.outcome).sort(), ['duplicate', 'duplicate', 'duplicate', 'opened'])
    t.equal(new Set(answers.map((a) => a.requestId)).size, 1, 'all name the same request')
  })

  await t.test('a message without Message-ID gets a stable one: posted twice, one request', async (t) => {
    const first = await post(fixture('no-message-id'))
    t.match(first.json(), { outcome: 'opened', messageId: /@derived\.supportline>$/ })
    t.match((await post(fixture('no-message-id'))).json(), { outcome: 'duplicate', requestId: first.json().requestId })
  })

  await t.test('an unknown sender waits on the unidentified list; a manager assigns it', async (t) => {
    const res = await post(fixture('arabic-name'))
    t.match(res.json(), { outcome: 'unidentified', requestId: null })
    const list = await api('GET', '/api/email/unidentified')
    t.equal(list.statusCode, 200)
    const [item] = list.json().items
    t.match(item, { from: 'karim@atlas-pharma.com', fromName: 'كريم بن علي', reason: 'unknown' })
    const assigned = await api('POST', `/api/email/unidentified/${item.id}/assign`, { clientId: 'atlas', addAddress: true })
    t.equal(assigned.statusCode, 200)
    t.match(assigned.json(), { outcome: 'opened', requestId: Number })
    t.same((await api('GET', '/api/email/unidentified')).json().items, [], 'no longer unidentified')
    t.equal((await api('POST', `/api/email/unidentified/${item.id}/assign`, { clientId: 'atlas' })).statusCode, 404)
    // Its address now identifies Atlas.
    const next = await post(
      'Message-ID: <second@atlas-pharma.com>\r\nFrom: karim@atlas-pharma.com\r\nTo: support@vendor.dz\r\nSubject: Encore\r\n\r\nBonjour\r\n',
    )
    t.match(next.json(), { outcome: 'opened' })
    const request = await api('GET', `/api/callbacks/${next.json().requestId}`)
    t.match(request.json(), { clientId: 'atlas', channel: 'email' })
  })

  await t.test('a suspended client is refused with the reason, recorded, not queued', async (t) => {
    await app.notificationSender.drain()
    const before = smtp.messages.length
    const res = await post(
      'Message-ID: <q1@numidia.dz>\r\nFrom: Mme Saadi <saadi@numidia.dz>\r\nTo: support@vendor.dz\r\nSubject: Camions bloqués\r\n\r\nAidez-nous.\r\n',
    )
    t.match(res.json(), { outcome: 'refused', requestId: null })
    await app.notificationSender.drain()
    const refusal = smtp.messages.at(-1)
    t.equal(smtp.messages.length, before + 1, 'the refusal')
    t.same(refusal?.envelope.to, ['saadi@numidia.dz'])
    t.equal(refusal?.parsed.inReplyTo, '<q1@numidia.dz>')
    t.equal(refusal?.parsed.subject, 'Re: Camions bloqués')
    t.match(refusal?.parsed.text, /suspendue/)
    const queue = await api('GET', '/api/callbacks')
    t.notOk(
      queue.json().items.some((item: { clientId: string }) => item.clientId === 'numidia'),
      'nothing on the queue for Numidia',
    )
  })

  await t.test("the agent's answer leaves threaded and closes the request", async (t) => {
    clock.advance(2 * 3_600_000)
    const phoneOnly = await api('POST', `/api/callbacks/${requestId}/reply`, {})
    t.equal(phoneOnly.statusCode, 400, 'an answer needs its text')
    const res = await api('POST', `/api/callbacks/${requestId}/reply`, {
      text: 'Bonjour,\n\nLe service est rétabli depuis 11 h.\n\nCordialement',
      minutes: 15,
    })
    t.equal(res.statusCode, 200)
    t.match(res.json(), { id: requestId, status: 'done', late: false, note: /Le service est rétabli/, counted: true })
    const [month] = await database.db.select().from(usage).where(eq(usage.month, '2026-12'))
    t.match(month, { usedSeconds: 900, includedSeconds: 900, overageSeconds: 0 }, 'ACME counts e-mail: 15 minutes, once')
    t.equal((await api('POST', `/api/callbacks/${requestId}/reply`, { text: 'encore' })).statusCode, 409, 'once')
    await app.notificationSender.drain()
    const answer = smtp.messages.at(-1)
    t.same(answer?.envelope.to, ['k.benali@acme.dz'])
    // Threaded on the latest message the client wrote into the request (the one found by its tag),
    // under the request's subject.
    t.equal(answer?.parsed.inReplyTo, '<tag-only@acme.dz>')
    t.match(String(answer?.parsed.references), /tag-only@acme\.dz/)
    t.equal(answer?.parsed.subject, `Re: [SL-${requestId}] Problème de connexion à l'application de facturation`)
    t.match(answer?.parsed.text, /Le service est rétabli/)
    t.notOk(answer?.parsed.headers.get('auto-submitted'), 'a person wrote it')

    const emailMonth = await api('GET', '/api/usage/email?month=2026-12')
    t.equal(emailMonth.statusCode, 200)
    t.same(
      emailMonth
        .json()
        .items.map((i: Record<string, unknown>) => [i.clientId, i.requests, i.answeredOnTime, i.answeredLate, i.open]),
      [
        ['acme', 3, 1, 0, 2],
        ['atlas', 2, 0, 0, 2],
      ],
      "the month's e-mail requests per client: answered on time, late, open",
    )
  })
})

t.test('the Callbacks page shows an e-mail request, its text never its HTML, and answers it', async (t) => {
  const [kind] = (await import('../helpers/databases.js')).kinds
  const database = await (await import('../helpers/databases.js')).freshDatabase(t, kind ?? 'pglite')
  const smtp = await startSmtpServer(t)
  const { app } = await deskApp(t, database, {
    file: mailDesk(),
    at: '2026-12-01T09:15:00+01:00',
    env: { SMTP_URL: smtp.url, MAIL_FROM: 'support@vendor.dz', INBOUND_EMAIL_SECRET: SECRET },
  })
  const posted = await app.inject({
    method: 'POST',
    url: '/webhooks/email/inbound',
    headers: { 'content-type': 'message/rfc822', authorization: `Bearer ${SECRET}` },
    payload: fixture('html-script'),
  })
  t.match(posted.json(), { outcome: 'opened' })
  const id = posted.json().requestId
  const manager = await signIn(app, TEST_ADMIN_TOKEN)
  const page = await app.inject({ method: 'GET', url: '/dashboard/callbacks', headers: { cookie: manager.cookie } })
  t.equal(page.statusCode, 200)
  const row = new RegExp(`<tr data-callback="${id}"[^>]*>([\\s\\S]*?)</tr>`).exec(page.body)?.[1] ?? ''
  t.match(row, /data-channel="email"/)
  t.match(row, /Capture de l(&#39;|')erreur/)
  t.match(row, /Bonjour, voici l(&#39;|')erreur affichée/, 'the text is shown')
  t.match(row, /data-reply/, 'a reply form, not a done form')
  t.notMatch(page.body, /evil\.example|onclick|javascript:alert/, 'nothing of the HTML reaches the page')

  // An unknown sender waits on the page; the manager gives it to ACME, and its address is kept.
  await app.inject({
    method: 'POST',
    url: '/webhooks/email/inbound',
    headers: { 'content-type': 'message/rfc822', authorization: `Bearer ${SECRET}` },
    payload: fixture('arabic-name'),
  })
  const withUnknown = await app.inject({ method: 'GET', url: '/dashboard/callbacks', headers: { cookie: manager.cookie } })
  const unknownId = /<tr data-unidentified="(\d+)"/.exec(withUnknown.body)?.[1]
  t.ok(unknownId, 'the unidentified e-mail is listed')
  t.match(withUnknown.body, /karim@atlas-pharma\.com/)
  const given = await app.inject({
    method: 'POST',
    url: `/dashboard/email/unidentified/${unknownId}/assign`,
    headers: { cookie: manager.cookie },
    payload: { _csrf: manager.csrf, clientId: 'atlas', addAddress: 'true' },
  })
  t.equal(given.statusCode, 303)
  t.match(given.headers.location, /done=email-assigned/)
  const after = await app.inject({ method: 'GET', url: '/dashboard/callbacks', headers: { cookie: manager.cookie } })
  t.notMatch(after.body, /data-unidentified=/, 'no longer unidentified')
  const answered = await app.inject({
    method: 'POST',
    url: `/dashboard/callbacks/${id}/reply`,
    headers: { cookie: manager.cookie },
    payload: { _csrf: manager.csrf, text: 'Bonjour,\n\nCorrigé.', minutes: '' },
  })
  t.equal(answered.statusCode, 303)

  // Attachments: listed with their sizes, their bytes kept (10 MB a message).
  const withFiles = await app.inject({
    method: 'POST',
    url: '/webhooks/email/inbound',
    headers: { 'content-type': 'message/rfc822', authorization: `Bearer ${SECRET}` },
    payload: fixture('attachment'),
  })
  t.match(withFiles.json(), { outcome: 'opened' })
  const messages = await app.inject({
    method: 'GET',
    url: `/api/callbacks/${withFiles.json().requestId}/messages`,
    headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
  })
  t.match(messages.json().items[0].attachments, [
    { position: 0, filename: "capture d'écran.png", contentType: 'image/png', size: Number, kept: true },
    { position: 1, filename: 'journal.pdf', contentType: 'application/pdf', size: Number, kept: true },
  ])
  const [stored] = await database.db.select().from(emailAttachments).where(eq(emailAttachments.position, 1))
  t.equal(stored?.content?.length, stored?.size, 'the bytes are in the database')
  t.match(answered.headers.location, /done=email-answered/)
  await app.notificationSender.drain()
  const usagePage = await app.inject({
    method: 'GET',
    url: '/dashboard/usage?month=2026-12',
    headers: { cookie: manager.cookie },
  })
  t.match(
    /<article class="card usage" data-client="atlas">[\s\S]*?<\/article>/.exec(usagePage.body)?.[0],
    /data-email-month><dt>E-mails<\/dt><dd>3 demandes : 1 à temps, 0 en retard, 2 ouvertes/,
    "the Usage page tells the month's e-mail requests",
  )
  const answer = smtp.messages.find((m) => /Corrigé/.test(m.parsed.text ?? ''))
  t.equal(answer?.parsed.inReplyTo, '<0102018f-html-script@email.amazonses.com>')
  t.same(answer?.envelope.to, ['dsi@atlas-pharma.com'])
})

t.test('without INBOUND_EMAIL_SECRET the webhook does not exist (404)', async (t) => {
  const [kind] = (await import('../helpers/databases.js')).kinds
  const database = await (await import('../helpers/databases.js')).freshDatabase(t, kind ?? 'pglite')
  const { app } = await deskApp(t, database, {})
  const res = await app.inject({
    method: 'POST',
    url: '/webhooks/email/inbound',
    headers: { 'content-type': 'message/rfc822', authorization: `Bearer ${SECRET}` },
    payload: fixture('french-client'),
  })
  t.equal(res.statusCode, 404)
  t.match(res.json(), { detail: /INBOUND_EMAIL_SECRET/ })
})
