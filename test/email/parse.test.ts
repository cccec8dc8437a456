// parseEmail on real-shaped messages: decoded names, sanitised HTML, automatic mail, derived Message-IDs, limits and bad input.
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import t from 'tap'
import { EMAIL_LIMITS, parseEmail } from '../../src/email/parse.js'
import { AUTOMATIC_CASES, FIXTURE_CASES } from '../fixtures/email-parse-cases.js'

const MB = 1024 * 1024
const fixture = (name: string) => readFileSync(new URL(`../fixtures/email/${name}.eml`, import.meta.url))

/** A person's plain message; `headers` replace the lines of the same name or are added. */
function personMessage(options: { headers?: string[]; from?: string; body?: string } = {}): Buffer {
  const lines = new Map<string, string>([
    ['message-id', 'Message-ID: <person@acme.dz>'],
    ['date', 'Date: Tue, 01 Dec 2026 09:12:40 +0100'],
    ['from', `From: ${options.from ?? 'K. Benali <k.benali@acme.dz>'}`],
    ['to', 'To: support@vendor.dz'],
    ['subject', 'Subject: Panne'],
    ['content-type', 'Content-Type: text/plain; charset=utf-8'],
  ])
  for (const header of options.headers ?? []) lines.set(header.slice(0, header.indexOf(':')).toLowerCase(), header)
  return Buffer.from(`${[...lines.values()].join('\r\n')}\r\n\r\n${options.body ?? 'Bonjour.\r\n'}`)
}

/** A message with binary attachments of these sizes, base64 encoded as mail clients do. */
function withAttachments(sizes: number[], headers = 'Message-ID: <big@acme.dz>\r\n'): Buffer {
  const parts = sizes.map(
    (size, i) =>
      `--b\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename="piece-${i}.bin"\r\n` +
      `Content-Transfer-Encoding: base64\r\n\r\n${randomBytes(size).toString('base64').replace(/.{76}/g, '$&\r\n')}\r\n`,
  )
  return Buffer.from(
    `From: k.benali@acme.dz\r\nTo: support@vendor.dz\r\nSubject: Journaux\r\n${headers}MIME-Version: 1.0\r\n` +
      `Content-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nLes journaux.\r\n${parts.join('')}--b--\r\n`,
  )
}

t.test('each fixture reads as a person (or a machine) wrote it', async (t) => {
  for (const { file, why, expected } of FIXTURE_CASES) {
    const email = await parseEmail(fixture(file))
    t.match(email, expected, `${file}: ${why}`)
    t.equal(email.size, fixture(file).length, `${file}: its size`)
  }
})

t.test('HTML is sanitised: nothing runs, nothing calls home, nothing asks for a password', async (t) => {
  const { html, text } = await parseEmail(fixture('html-script'))
  const dangerous: [RegExp, string][] = [
    [/<script|fetch\(/i, 'scripts'],
    [/\son\w+=/i, 'event handlers'],
    [/<style|style=|background/i, 'styles (remote backgrounds)'],
    [/tracker\.example/i, 'remote images'],
    [/image\/svg/i, 'SVG images'],
    [/<form|<input|<button|password/i, 'forms'],
    [/<iframe|evil\.example/i, 'frames'],
    [/javascript:/i, 'javascript: links'],
  ]
  for (const [pattern, what] of dangerous) t.notMatch(html ?? '', pattern, `no ${what} in the HTML`)
  t.notMatch(text, /fetch\(|steal|evil/, 'nor in the text made from it')
})

t.test('automatic mail, by its headers and its sender', async (t) => {
  for (const c of AUTOMATIC_CASES) {
    const email = await parseEmail(personMessage({ headers: c.headers, ...(c.from ? { from: c.from } : {}) }))
    t.equal(email.automaticReason, c.reason, `${c.why}: ${c.reason ?? 'not automatic'}`)
    t.equal(email.automatic, c.reason !== null, `${c.why}: automatic is ${c.reason !== null}`)
    const suppress = c.suppress ?? false
    t.equal(
      email.suppressAutoReply,
      suppress,
      `${c.why}: ${suppress ? 'asks for no automatic answer' : 'does not refuse automatic answers'}`,
    )
  }
})

t.test('a derived Message-ID is stable, and tells different messages apart', async (t) => {
  const raw = fixture('no-message-id')
  const first = await parseEmail(raw)
  t.equal((await parseEmail(raw)).messageId, first.messageId, 'the same message, the same id')
  const anotherHop = Buffer.concat([
    Buffer.from('Received: from relay.vendor.dz by mail.vendor.dz; Wed, 02 Dec 2026 08:00:05 +0100\r\nX-Spam-Score: 0.1\r\n'),
    raw,
  ])
  t.equal((await parseEmail(anotherHop)).messageId, first.messageId, 'posted by a provider with more Received headers')
  const lf = Buffer.from(raw.toString('latin1').replace(/\r\n/g, '\n'), 'latin1')
  t.equal((await parseEmail(lf)).messageId, first.messageId, 'with bare LF line ends')
  const otherBody = Buffer.from(raw.toString().replace('portail', 'serveur'))
  t.not((await parseEmail(otherBody)).messageId, first.messageId, 'another body, another id')
  const otherDate = Buffer.from(raw.toString().replace('08:00:00', '08:00:01'))
  t.not((await parseEmail(otherDate)).messageId, first.messageId, 'another Date, another id')
})

t.test('Message-ID, In-Reply-To, References and Date as mailers really write them', async (t) => {
  const email = await parseEmail(
    personMessage({
      headers: [
        'Message-ID: bare-id@old-mailer.dz',
        'In-Reply-To: <first@acme.dz> (Kévin Bénali\'s message of "Tue, 1 Dec")',
        'References: first@acme.dz second@acme.dz',
        'Date: someday soon',
      ],
    }),
  )
  t.equal(email.messageId, '<bare-id@old-mailer.dz>', 'an id without brackets gets them')
  t.equal(email.inReplyTo, '<first@acme.dz>', 'the id, without the comment around it')
  t.same(email.references, ['<first@acme.dz>', '<second@acme.dz>'], 'bare references, split')
  t.equal(email.date, null, 'an unreadable date is no date, not "now"')
  const cet = await parseEmail(personMessage({ headers: ['Date: Tue,  1 Dec 2026 09:16:00 +0100 (CET)'] }))
  t.same(cet.date, new Date('2026-12-01T08:16:00Z'), 'a date with a zone comment')
  const none = await parseEmail(Buffer.from('Subject: nothing else\r\n\r\n'))
  t.match(none, { from: null, to: [], date: null, text: '', messageIdDerived: true }, 'a message with almost no headers')
})

t.test('attachments: content kept up to 10 MB a message, beyond it name and size', async (t) => {
  const email = await parseEmail(withAttachments([6 * MB, 6 * MB, 1 * MB]))
  t.match(email.attachments, [
    { filename: 'piece-0.bin', size: 6 * MB, omitted: null },
    { filename: 'piece-1.bin', size: 6 * MB, omitted: 'over_limit', content: null },
    { filename: 'piece-2.bin', size: 1 * MB, omitted: null },
  ])
  t.equal(email.attachments[0]?.content?.length, 6 * MB, 'the first one kept whole')
  t.equal(email.attachments[2]?.content?.length, 1 * MB, 'a later one that still fits is kept')
  t.same(email.problems, [{ code: 'attachments_over_limit', omitted: 1, limit: EMAIL_LIMITS.keptAttachmentBytes }], 'said so')
})

t.test('a 30 MB message is parsed in full without holding its attachments twice', async (t) => {
  const raw = withAttachments([8 * MB, 14 * MB])
  t.ok(raw.length > 30 * MB, `${(raw.length / MB).toFixed(1)} MB`)
  const before = process.memoryUsage()
  let peakRss = before.rss
  const sample = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss)
  }, 5)
  const email = await parseEmail(raw)
  clearInterval(sample)
  t.comment(`parsing it took the process from ${(before.rss / MB).toFixed(0)} MB to a peak of ${(peakRss / MB).toFixed(0)} MB`)
  const kept = email.attachments.reduce((sum, a) => sum + (a.content?.length ?? 0), 0)
  t.equal(kept, 8 * MB, 'at most 10 MB of content kept: the 8 MB file')
  t.match(email, { headersOnly: false, text: 'Les journaux.', attachments: [{ size: 8 * MB }, { size: 14 * MB, content: null }] })
})

t.test('above the message limit only the headers are read', async (t) => {
  const raw = withAttachments([2 * MB])
  const email = await parseEmail(raw, { limits: { maxMessageBytes: 1 * MB } })
  t.match(email, {
    subject: 'Journaux',
    from: { address: 'k.benali@acme.dz' },
    messageId: '<big@acme.dz>',
    text: '',
    attachments: [],
    headersOnly: true,
    size: raw.length,
    problems: [{ code: 'too_large', size: raw.length, limit: 1 * MB }],
  })
  const headers = raw.subarray(0, raw.indexOf('\r\n\r\n') + 4)
  const fetched = await parseEmail(headers, { headersOnly: { size: 45 * MB } })
  t.match(
    fetched,
    { subject: 'Journaux', headersOnly: true, size: 45 * MB, problems: [{ code: 'too_large', size: 45 * MB }] },
    'the mailbox fetched the headers only',
  )
  const a = await parseEmail(withAttachments([2 * MB], ''), { limits: { maxMessageBytes: 1 * MB } })
  t.match(a.messageId, /@derived\.supportline>$/, 'a derived Message-ID without the body')
})

t.test('MIME that mailparser refuses: the headers, and the reason', async (t) => {
  const parts = Array.from({ length: 1_100 }, (_, i) => `--x\r\nContent-Type: text/plain\r\n\r\npart ${i}\r\n`).join('')
  const raw = Buffer.from(
    `Message-ID: <many@acme.dz>\r\nFrom: k.benali@acme.dz\r\nSubject: Mille morceaux\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="x"\r\n\r\n${parts}--x--\r\n`,
  )
  const email = await parseEmail(raw)
  t.match(email, {
    messageId: '<many@acme.dz>',
    subject: 'Mille morceaux',
    headersOnly: true,
    text: '',
    problems: [{ code: 'unparseable', message: /child nodes/ }],
  })
  const noHeaders = await parseEmail(Buffer.from(`X-Long: ${'a'.repeat(1.5 * MB)}\r\n\r\nbody`))
  t.match(
    noHeaders,
    { headersOnly: true, subject: '', problems: [{ code: 'unparseable' }, { code: 'message_id_derived' }] },
    'not even the headers',
  )
})

t.test('long text is cut, too much HTML is dropped (its text kept)', async (t) => {
  const long = await parseEmail(personMessage({ body: 'a'.repeat(5_000) }), { limits: { maxTextChars: 1_000 } })
  t.equal(long.text.length, 1_000)
  t.same(long.problems, [{ code: 'text_truncated', chars: 5_000, limit: 1_000 }])
  const html = await parseEmail(fixture('arabic-name'), { limits: { maxHtmlChars: 100 } })
  t.equal(html.html, null, 'no HTML')
  t.match(html.text, /الطابعة/, 'the text part stays')
  t.match(html.problems, [{ code: 'html_dropped', limit: 100 }])
})
