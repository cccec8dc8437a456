// A real SMTP server for tests (the smtp-server package) on a free port of this machine: it keeps
// every message it accepts, parsed with mailparser, and refuses what a test tells it to.
import type { AddressInfo } from 'node:net'
import { type ParsedMail, simpleParser } from 'mailparser'
import { SMTPServer, type SMTPServerAddress } from 'smtp-server'
import type { Test } from 'tap'

export interface ReceivedMail {
  /** MAIL FROM and RCPT TO, as the client gave them */
  envelope: { from: string; to: string[] }
  /** the user the client authenticated as, if it did */
  user: string | undefined
  raw: string
  parsed: ParsedMail
}

/** A refusal: an SMTP reply code (4xx: try later, 5xx: never) and its text. */
export interface Refusal {
  code: number
  message: string
}

export interface SmtpServerOptions {
  /** require AUTH with these credentials (otherwise AUTH is optional) */
  auth?: { user: string; pass: string }
  /** implicit TLS (smtps) with this key and certificate */
  tls?: { key: string; cert: string }
  /** refuse a recipient at RCPT TO */
  refuseRecipient?: (address: string) => Refusal | null
  /** refuse a message once its data is in */
  refuseMessage?: (mail: ReceivedMail) => Refusal | null
}

export interface SmtpServerHandle {
  host: string
  port: number
  /** `smtp://127.0.0.1:<port>` (or `smtps://localhost:<port>`, with the credentials when given) */
  url: string
  messages: ReceivedMail[]
  /** The next message accepted (or one already kept that no earlier call returned). */
  nextMessage(): Promise<ReceivedMail>
  close(): Promise<void>
}

function refusal({ code, message }: Refusal): Error {
  return Object.assign(new Error(message), { responseCode: code })
}

export async function startSmtpServer(t: Test, options: SmtpServerOptions = {}): Promise<SmtpServerHandle> {
  const messages: ReceivedMail[] = []
  const waiting: ((mail: ReceivedMail) => void)[] = []
  let handedOut = 0

  const server = new SMTPServer({
    logger: false,
    // No STARTTLS on plain SMTP: its built-in certificate is expired, and the client would try it.
    disabledCommands: options.tls ? [] : ['STARTTLS'],
    ...(options.tls ? { secure: true, key: options.tls.key, cert: options.tls.cert } : {}),
    authOptional: !options.auth,
    allowInsecureAuth: true,
    onAuth(auth, _session, callback) {
      const ok = options.auth && auth.username === options.auth.user && auth.password === options.auth.pass
      if (!ok) return callback(refusal({ code: 535, message: 'Authentication credentials invalid' }))
      callback(null, { user: auth.username })
    },
    onRcptTo(address: SMTPServerAddress, _session, callback) {
      const refused = options.refuseRecipient?.(address.address)
      callback(refused ? refusal(refused) : null)
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (chunk: Buffer) => chunks.push(chunk))
      stream.on('end', async () => {
        const raw = Buffer.concat(chunks).toString('utf8')
        const from = session.envelope.mailFrom
        const mail: ReceivedMail = {
          envelope: { from: from ? from.address : '', to: session.envelope.rcptTo.map((rcpt) => rcpt.address) },
          user: typeof session.user === 'string' ? session.user : undefined,
          raw,
          parsed: await simpleParser(raw),
        }
        const refused = options.refuseMessage?.(mail)
        if (refused) return callback(refusal(refused))
        messages.push(mail)
        const next = waiting.shift()
        if (next) {
          handedOut++
          next(mail)
        }
        callback(null)
      })
    },
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const { port } = server.server.address() as AddressInfo
  const close = () => new Promise<void>((resolve) => server.close(() => resolve()))
  t.teardown(close)

  const credentials = options.auth ? `${encodeURIComponent(options.auth.user)}:${encodeURIComponent(options.auth.pass)}@` : ''
  // Over TLS the name must match the certificate's (localhost), not the address.
  const url = options.tls ? `smtps://${credentials}localhost:${port}` : `smtp://${credentials}127.0.0.1:${port}`
  return {
    host: '127.0.0.1',
    port,
    url,
    messages,
    nextMessage() {
      const kept = messages[handedOut]
      if (kept) {
        handedOut++
        return Promise.resolve(kept)
      }
      return new Promise((resolve) => waiting.push(resolve))
    },
    close,
  }
}
