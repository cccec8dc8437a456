// The mailer against a real SMTP server on this machine: what arrives, and how each failure is classified.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { type AddressInfo, type Socket, createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { MailError, createMailer, messageIdFor } from '../../src/outside/mailer.js'
import { startSmtpServer } from '../helpers/smtp.js'

const FROM = 'Assistance INTERcom <support@intercom.example>'

async function failure(promise: Promise<unknown>): Promise<MailError> {
  try {
    await promise
  } catch (error) {
    if (error instanceof MailError) return error
    throw error
  }
  throw new Error('expected the send to fail')
}

t.test('a message arrives with its subject, both bodies, its Message-ID and its thread', async (t) => {
  const smtp = await startSmtpServer(t, { auth: { user: 'desk', pass: 's3cret:with/odd@chars' } })
  const mailer = createMailer({ smtpUrl: smtp.url, from: FROM })
  t.teardown(() => mailer.close())
  const subjects = [
    'Rappel : votre demande du 22 novembre — « été »',
    'طلب دعم: تم تسجيل رسالتك الصوتية',
    'Message vocal de ACME SARL / رسالة صوتية',
  ]
  for (const [i, subject] of subjects.entries()) {
    const sent = await mailer.send({
      to: 'contact@acme.example',
      subject,
      text: `Bonjour,\nVotre demande n° ${i} est enregistrée. مرحبا`,
      html: `<p>Bonjour,</p><p>Votre demande n° <strong>${i}</strong> est enregistrée. مرحبا</p>`,
      messageId: `notification-${i}@intercom.example`,
      inReplyTo: 'request-7@intercom.example',
      references: ['<request-7@intercom.example>'],
      headers: { 'X-Supportline-Event': 'voicemail.recorded' },
    })
    t.same(sent.accepted, ['contact@acme.example'], 'the recipient is accepted')
    t.same(sent.rejected, [], 'nobody refused')
    t.equal(sent.messageId, `<notification-${i}@intercom.example>`, 'the Message-ID is given back in angle brackets')
    const mail = await smtp.nextMessage()
    t.equal(mail.parsed.subject, subject, `the subject reads "${subject}" on arrival`)
    t.equal(mail.parsed.messageId, `<notification-${i}@intercom.example>`, 'the Message-ID is the one given')
    t.equal(mail.parsed.inReplyTo, '<request-7@intercom.example>', 'In-Reply-To threads it under the request')
    t.equal(mail.parsed.references, '<request-7@intercom.example>', 'and so do the References')
    t.equal(mail.parsed.headers.get('x-supportline-event'), 'voicemail.recorded', 'extra headers travel')
    t.match(mail.parsed.text, /n° \d est enregistrée\. مرحبا/, 'the text body, in UTF-8')
    t.match(mail.parsed.html, /<strong>\d<\/strong> est enregistrée\. مرحبا/, 'the HTML body, in UTF-8')
    t.equal(mail.parsed.from?.text, '"Assistance INTERcom" <support@intercom.example>', 'From is MAIL_FROM')
    t.same(
      mail.envelope,
      { from: 'support@intercom.example', to: ['contact@acme.example'] },
      'the envelope is the sender and the recipient',
    )
    t.equal(mail.user, 'desk', 'the credentials in the URL were used')
  }
})

t.test('the same notification sent twice carries the same Message-ID, so the receiver can drop the second', async (t) => {
  const smtp = await startSmtpServer(t)
  const mailer = createMailer({ smtpUrl: smtp.url, from: FROM })
  t.teardown(() => mailer.close())
  const messageId = messageIdFor('notification-42', FROM)
  t.equal(messageId, '<notification-42@intercom.example>', "the id is the key at the sender's domain")
  for (let i = 0; i < 2; i++) await mailer.send({ to: 'a@acme.example', subject: 'x', text: 'x', messageId })
  t.same(
    smtp.messages.map((m) => m.parsed.messageId),
    [messageId, messageId],
    'both arrivals carry the one id',
  )
  t.equal(
    messageIdFor('a b/c', 'support@desk.example'),
    '<a-b/c@desk.example>',
    'characters a Message-ID cannot hold are replaced',
  )
})

t.test('a message without HTML is plain text', async (t) => {
  const smtp = await startSmtpServer(t)
  const mailer = createMailer({ smtpUrl: smtp.url, from: 'support@intercom.example' })
  t.teardown(() => mailer.close())
  await mailer.send({
    to: ['a@acme.example', 'b@acme.example'],
    subject: 'Texte',
    text: 'Seulement du texte.',
    messageId: 'm1@x',
  })
  const mail = await smtp.nextMessage()
  t.equal(mail.parsed.html, false, 'no HTML part')
  t.equal(mail.parsed.text?.trim(), 'Seulement du texte.', 'the text body')
  t.same(mail.envelope.to, ['a@acme.example', 'b@acme.example'], 'every recipient in one message')
})

t.test('the server down: transient', async (t) => {
  const smtp = await startSmtpServer(t)
  await smtp.close()
  const mailer = createMailer({ smtpUrl: smtp.url, from: FROM })
  const error = await failure(mailer.send({ to: 'a@acme.example', subject: 'x', text: 'x', messageId: 'm@x' }))
  t.equal(error.transient, true, 'worth retrying')
  t.match(error, { code: /^(ECONNECTION|ESOCKET)$/, responseCode: undefined }, 'a connection failure, no SMTP reply')
})

t.test('a server that accepts the connection and never greets: a timeout, transient', async (t) => {
  const sockets = new Set<Socket>()
  const silent = createServer((socket) => sockets.add(socket))
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
  t.teardown(() => {
    for (const socket of sockets) socket.destroy()
    return new Promise<void>((resolve) => silent.close(() => resolve()))
  })
  const { port } = silent.address() as AddressInfo
  const mailer = createMailer({ smtpUrl: `smtp://127.0.0.1:${port}`, from: FROM, timeoutMs: 200 })
  const error = await failure(mailer.send({ to: 'a@acme.example', subject: 'x', text: 'x', messageId: 'm@x' }))
  t.match(error, { transient: true, code: 'ETIMEDOUT' }, 'the greeting timeout ends the attempt')
})

t.test('the server refusing a recipient: 5xx permanent, 4xx transient', async (t) => {
  const smtp = await startSmtpServer(t, {
    refuseRecipient: (address) =>
      address.startsWith('nobody@')
        ? { code: 550, message: 'Mailbox unavailable' }
        : address.startsWith('busy@')
          ? { code: 450, message: 'Mailbox busy, try later' }
          : null,
  })
  const mailer = createMailer({ smtpUrl: smtp.url, from: FROM })
  t.teardown(() => mailer.close())
  const permanent = await failure(mailer.send({ to: 'nobody@acme.example', subject: 'x', text: 'x', messageId: 'm1@x' }))
  t.match(permanent, { transient: false, responseCode: 550, command: /RCPT TO/ }, 'an unknown mailbox is final')
  const transient = await failure(mailer.send({ to: 'busy@acme.example', subject: 'x', text: 'x', messageId: 'm2@x' }))
  t.match(transient, { transient: true, responseCode: 450 }, 'a busy mailbox is worth another attempt')

  const partly = await mailer.send({ to: ['nobody@acme.example', 'ok@acme.example'], subject: 'x', text: 'x', messageId: 'm3@x' })
  t.same(partly.accepted, ['ok@acme.example'], 'one recipient refused among two: the message goes to the other')
  t.same(partly.rejected, ['nobody@acme.example'], 'and the refused one is reported')
  t.equal(smtp.messages.length, 1, 'only that message arrived')
})

t.test('the server refusing the message itself after DATA', async (t) => {
  const smtp = await startSmtpServer(t, {
    refuseMessage: (mail) =>
      mail.parsed.subject === 'spam'
        ? { code: 554, message: 'Message rejected as spam' }
        : { code: 451, message: 'Local error in processing' },
  })
  const mailer = createMailer({ smtpUrl: smtp.url, from: FROM })
  t.teardown(() => mailer.close())
  t.match(
    await failure(mailer.send({ to: 'a@acme.example', subject: 'spam', text: 'x', messageId: 'm1@x' })),
    {
      transient: false,
      responseCode: 554,
    },
    'a message refused as spam is final',
  )
  t.match(
    await failure(mailer.send({ to: 'a@acme.example', subject: 'later', text: 'x', messageId: 'm2@x' })),
    {
      transient: true,
      responseCode: 451,
    },
    'a local error of the server is worth another attempt',
  )
})

t.test('wrong credentials: permanent (a configuration to fix, not a moment to wait)', async (t) => {
  const smtp = await startSmtpServer(t, { auth: { user: 'desk', pass: 'right' } })
  const mailer = createMailer({ smtpUrl: `smtp://desk:wrong@127.0.0.1:${smtp.port}`, from: FROM })
  t.teardown(() => mailer.close())
  const error = await failure(mailer.send({ to: 'a@acme.example', subject: 'x', text: 'x', messageId: 'm@x' }))
  t.match(error, { transient: false, code: 'EAUTH', responseCode: 535 }, 'refused credentials are final')
  t.match(await failure(mailer.verify()), { code: 'EAUTH' }, 'verify says so without sending')
})

t.test('smtps:// speaks TLS from the first byte', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'supportline-smtps-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  let key: string
  let cert: string
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '2',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=DNS:localhost',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    )
    key = readFileSync(join(dir, 'key.pem'), 'utf8')
    cert = readFileSync(join(dir, 'cert.pem'), 'utf8')
  } catch {
    t.plan(0, 'openssl is not installed: no certificate to test smtps:// with')
    return
  }
  const smtp = await startSmtpServer(t, { tls: { key, cert } })
  const trusting = createMailer({ smtpUrl: smtp.url, from: FROM, ca: cert })
  t.teardown(() => trusting.close())
  await trusting.send({ to: 'a@acme.example', subject: 'Sécurisé', text: 'x', messageId: 'tls@x' })
  t.equal((await smtp.nextMessage()).parsed.subject, 'Sécurisé', 'delivered over TLS')

  const distrusting = createMailer({ smtpUrl: smtp.url, from: FROM })
  t.teardown(() => distrusting.close())
  const error = await failure(distrusting.send({ to: 'a@acme.example', subject: 'x', text: 'x', messageId: 'tls2@x' }))
  t.match(error.message, /self-signed|certificate/i, 'a certificate nobody vouches for is refused')
})

t.test('an SMTP URL of another scheme is refused when the mailer is made', async (t) => {
  t.throws(() => createMailer({ smtpUrl: 'http://mail.example:25', from: FROM }), /smtp:\/\/ or smtps:\/\//)
})
