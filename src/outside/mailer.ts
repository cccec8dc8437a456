// Outgoing e-mail over SMTP (nodemailer): one message at a time, with the caller's Message-ID, and
// every failure said to be worth retrying or not. No config parsing here: the options are explicit.
import nodemailer from 'nodemailer'
import type { NodemailerError } from 'nodemailer/lib/errors'

export interface MailerOptions {
  /** `smtp://user:pass@host:port` (STARTTLS when the server offers it) or `smtps://…` (TLS from the start) */
  smtpUrl: string
  /** the From of every message: `support@example.com` or `Assistance INTERcom <support@example.com>` */
  from: string
  /** connection, greeting and socket inactivity timeouts, each (default 10 s) */
  timeoutMs?: number
  /** a CA to trust besides the system's (a private relay's certificate) */
  ca?: string | Buffer
}

export interface OutgoingMail {
  to: string | string[]
  subject: string
  text: string
  html?: string
  /**
   * The message's Message-ID, stable across retries (receivers drop duplicates by it):
   * `<id@domain>` or `id@domain`. `messageIdFor` builds one.
   */
  messageId: string
  inReplyTo?: string
  references?: string | string[]
  headers?: Record<string, string>
}

export interface SentMail {
  messageId: string
  /** the recipients the server accepted (all of them, unless some appear in `rejected`) */
  accepted: string[]
  /** recipients refused while others were accepted: the message went to the rest */
  rejected: string[]
  /** the server's last reply ("250 OK: queued as …") */
  response: string
  /** the id the server gave the message when it replaces the Message-ID (Amazon SES, Microsoft 365) */
  serverMessageId?: string
}

/**
 * A message that did not go. `transient`: worth sending again later (a 4xx reply, the server down,
 * unreachable or too slow); otherwise the same message would be refused again (a 5xx reply, bad
 * credentials, an unusable address) until someone changes something.
 */
export class MailError extends Error {
  override name = 'MailError'
  constructor(
    message: string,
    readonly transient: boolean,
    /** nodemailer's code: ECONNECTION, ETIMEDOUT, EENVELOPE, EMESSAGE, EAUTH, … */
    readonly code: string | undefined,
    /** the SMTP reply code, when the server answered (421, 450, 550, …) */
    readonly responseCode: number | undefined,
    /** the SMTP command that was refused (RCPT TO, DATA, AUTH PLAIN, …) */
    readonly command: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options)
  }
}

export interface Mailer {
  send(mail: OutgoingMail): Promise<SentMail>
  /** Connects and authenticates without sending: a readiness check. */
  verify(): Promise<void>
  close(): void
}

const DEFAULT_TIMEOUT_MS = 10_000

/** Reply codes and failures that another attempt may get past. */
const NETWORK_CODES = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ETLS', 'EPROXY'])

export function createMailer(options: MailerOptions): Mailer {
  const url = new URL(options.smtpUrl)
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') {
    throw new TypeError(`the SMTP URL must be smtp:// or smtps:// (got ${url.protocol}//)`)
  }
  const timeout = options.timeoutMs ?? DEFAULT_TIMEOUT_MS
  // nodemailer loads at start, not with the first message: loading it inside a send would spend the
  // send's own deadline on it (a first e-mail retried on a busy machine).
  // One connection per message, no pool: a message is the outbox's unit of retry, and a pooled
  // connection gone stale would fail a message that a fresh one delivers.
  const transport = nodemailer.createTransport({
    url: options.smtpUrl,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
    dnsTimeout: timeout,
    ...(options.ca ? { tls: { ca: options.ca } } : {}),
  })

  return {
    async send(mail) {
      const messageId = bracketed(mail.messageId)
      try {
        const info = await transport.sendMail({
          from: options.from,
          to: mail.to,
          subject: mail.subject,
          text: mail.text,
          ...(mail.html !== undefined ? { html: mail.html } : {}),
          messageId,
          ...(mail.inReplyTo ? { inReplyTo: bracketed(mail.inReplyTo) } : {}),
          ...(mail.references ? { references: [mail.references].flat().map(bracketed) } : {}),
          ...(mail.headers ? { headers: mail.headers } : {}),
        })
        return {
          messageId,
          accepted: (info.accepted ?? []).map(String),
          rejected: (info.rejected ?? []).map(String),
          response: info.response ?? '',
          ...(info.serverMessageId ? { serverMessageId: info.serverMessageId } : {}),
        }
      } catch (error) {
        throw mailError(error)
      }
    },
    async verify() {
      try {
        await transport.verify()
      } catch (error) {
        throw mailError(error)
      }
    },
    close() {
      transport.close()
    },
  }
}

/** A Message-ID for a notification: `<key@domain of the sender>`, the same on every attempt. */
export function messageIdFor(key: string, from: string): string {
  const domain = /@([^\s>]+)>?\s*$/.exec(from)?.[1] ?? 'localhost'
  return `<${key.replace(/[^A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]/g, '-')}@${domain}>`
}

function bracketed(id: string): string {
  const bare = id.trim().replace(/^<|>$/g, '')
  return `<${bare}>`
}

/** nodemailer's error as a MailError, classified by RFC 5321 reply class or by what failed. */
export function mailError(error: unknown): MailError {
  const failure = error as NodemailerError
  const responseCode = typeof failure?.responseCode === 'number' ? failure.responseCode : undefined
  const code = typeof failure?.code === 'string' ? failure.code : undefined
  const message = failure instanceof Error ? failure.message : String(error)
  return new MailError(message, isTransient(code, responseCode), code, responseCode, failure?.command, { cause: error })
}

function isTransient(code: string | undefined, responseCode: number | undefined): boolean {
  // 4yz: "try again later" (RFC 5321 §4.2.1); 503 is a bad sequence of commands, a session's
  // accident rather than a verdict on the message. Every other 5yz is final.
  if (responseCode !== undefined && responseCode >= 400) return responseCode < 500 || responseCode === 503
  return code !== undefined && NETWORK_CODES.has(code)
}
