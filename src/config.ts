// The environment, parsed once with zod: the only reader of process.env.
import { isIP } from 'node:net'
import { z } from 'zod'
import { e164Schema } from './domain/phone.js'
import { parseImapUrl } from './outside/mailbox.js'

/** Signs webhooks outside production when TWILIO_AUTH_TOKEN is unset (the simulator uses it too). */
export const DEVELOPMENT_AUTH_TOKEN = 'supportline-development-token'
/** The admin token outside production when ADMIN_TOKEN is unset: accepted from this machine only. */
export const DEVELOPMENT_ADMIN_TOKEN = 'supportline-development-admin'

const port = z.coerce
  .number({ message: 'must be a number' })
  .int('must be an integer')
  .min(1, 'must be between 1 and 65535')
  .max(65535, 'must be between 1 and 65535')

/**
 * Whose word on the client's address is taken (TRUST_PROXY): no one's (the socket's peer counts),
 * a number of proxy hops, the proxies' addresses, or a header the one proxy in front sets (Fly's
 * `Fly-Client-IP`). The first three are Fastify's `trustProxy`.
 */
export type TrustProxy = false | number | string[] | { header: string }

/** proxy-addr's names for ranges, which Fastify's trustProxy takes besides addresses. */
const NAMED_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal'])

function addressProblem(entry: string): string | null {
  if (NAMED_RANGES.has(entry)) return null
  const [address = '', prefix, ...rest] = entry.split('/')
  const family = isIP(address)
  if (family === 0 || rest.length > 0)
    return `"${entry}" is not an address, a CIDR range or one of ${[...NAMED_RANGES].join(', ')}`
  if (prefix === undefined) return null
  const bits = Number(prefix)
  if (!/^\d+$/.test(prefix) || bits > (family === 4 ? 32 : 128)) return `"${entry}" has no valid prefix length`
  return null
}

const trustProxy = z.string().transform((value, ctx): TrustProxy => {
  const text = value.trim()
  if (/^\d+$/.test(text)) {
    const hops = Number(text)
    if (hops >= 1 && hops <= 10) return hops
    ctx.addIssue({ code: 'custom', message: 'as a hop count must be between 1 and 10 (leave it unset to trust no proxy)' })
    return z.NEVER
  }
  if (text.toLowerCase() === 'fly-client-ip') return { header: 'fly-client-ip' }
  if (text.toLowerCase() === 'true') {
    ctx.addIssue({
      code: 'custom',
      message: "must not trust every proxy (any client could choose its own address): give a hop count or the proxies' addresses",
    })
    return z.NEVER
  }
  const entries = text.split(',').map((entry) => entry.trim())
  const problem = entries.map(addressProblem).find((found) => found !== null)
  if (problem) {
    ctx.addIssue({ code: 'custom', message: `must be a hop count, addresses or CIDR ranges, or Fly-Client-IP: ${problem}` })
    return z.NEVER
  }
  return entries
})

const envSchema = z
  .object({
    NODE_ENV: z.enum(['production', 'development', 'test']).default('development'),
    DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, message: 'must be a postgres:// or postgresql:// URL' }).optional(),
    DATA_DIR: z.string().min(1).default('./data'),
    TWILIO_AUTH_TOKEN: z.string().min(8, 'must be at least 8 characters').optional(),
    PUBLIC_URL: z
      .url({ protocol: /^https?$/, message: 'must be an http:// or https:// URL' })
      .transform((url) => url.replace(/\/+$/, ''))
      .optional(),
    PORT: port.default(3000),
    HOST: z.string().min(1).default('0.0.0.0'),
    DESK_FILE: z.string().min(1).optional(),
    ADMIN_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
    FALLBACK_NUMBERS: z
      .string()
      .transform((text) =>
        text
          .split(',')
          .map((number) => number.trim())
          .filter(Boolean),
      )
      .pipe(z.array(e164Schema))
      .optional(),
    CLOCK_START: z.iso
      .datetime({ offset: true, message: 'must be an ISO-8601 instant like 2026-11-28T10:00:00+01:00' })
      .optional(),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    TRUST_PROXY: trustProxy.optional(),
    SMTP_URL: z.url({ protocol: /^smtps?$/, message: 'must be an smtp:// or smtps:// URL' }).optional(),
    MAIL_FROM: z.string().min(3).optional(),
    TWILIO_ACCOUNT_SID: z
      .string()
      .regex(/^AC[0-9a-fA-F]{32}$/, 'must be "AC" and 32 hexadecimal digits')
      .optional(),
    TWILIO_API_URL: z.url({ protocol: /^https?$/, message: 'must be an http:// or https:// URL' }).optional(),
    NOTICE_REMINDER_DAYS: z.coerce.number().int().min(1).max(365).default(30),
    NOTIFICATION_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
    /** e-mail assistance (issue #15): the bearer a provider posts raw messages with; unset, the webhook answers 404 */
    INBOUND_EMAIL_SECRET: z.string().min(24, 'must be at least 24 characters').optional(),
    /** the support mailbox read over IMAP: imaps://user:password@host/INBOX */
    IMAP_URL: z
      .string()
      .superRefine((value, ctx) => {
        try {
          parseImapUrl(value)
        } catch (error) {
          ctx.addIssue({ code: 'custom', message: (error as Error).message.replace(/^IMAP_URL /, '') })
        }
      })
      .optional(),
    /** once ingested, messages move to this folder (created when missing); unset, they stay, seen */
    IMAP_MOVE_TO: z.string().min(1).max(200).optional(),
  })
  .superRefine((env, ctx) => {
    if (env.SMTP_URL && !env.MAIL_FROM)
      ctx.addIssue({ code: 'custom', path: ['MAIL_FROM'], message: 'is required with SMTP_URL' })
    if (env.NODE_ENV !== 'production') return
    if (env.CLOCK_START)
      ctx.addIssue({ code: 'custom', path: ['CLOCK_START'], message: 'is for demonstrations and tests, never production' })
    for (const name of ['TWILIO_AUTH_TOKEN', 'PUBLIC_URL'] as const) {
      if (!env[name]) ctx.addIssue({ code: 'custom', path: [name], message: 'is required in production' })
    }
    // The development secrets are published (README, this file): set on purpose, they would open
    // the webhooks and the admin API to anyone who reads them.
    for (const [name, published] of [
      ['TWILIO_AUTH_TOKEN', DEVELOPMENT_AUTH_TOKEN],
      ['ADMIN_TOKEN', DEVELOPMENT_ADMIN_TOKEN],
    ] as const) {
      if (env[name] === published)
        ctx.addIssue({
          code: 'custom',
          path: [name],
          message: 'is the published development token, never accepted in production',
        })
    }
  })

export interface Config {
  env: 'production' | 'development' | 'test'
  databaseUrl: string | undefined
  dataDir: string
  twilioAuthToken: string
  /** true when the development token stands in for TWILIO_AUTH_TOKEN */
  usingDevelopmentToken: boolean
  /** base URL Twilio calls, without a trailing slash; signatures are checked against it */
  publicUrl: string
  port: number
  host: string
  deskFile: string | undefined
  adminToken: string | undefined
  /** true when the development admin token stands in for ADMIN_TOKEN (loopback clients only) */
  usingDevelopmentAdminToken: boolean
  logLevel: string
  /** rung when the database is away and no desk configuration is in memory (with each desk's own) */
  fallbackNumbers: string[]
  /** outside production: the service's clock starts at this instant and runs on in real time */
  clockStart: Date | undefined
  /** whose word on the client's address is taken (TRUST_PROXY); false: the socket's peer counts */
  trustProxy: TrustProxy
  /** outgoing e-mail (SMTP_URL, MAIL_FROM); null: e-mail notifications are kept, not sent */
  smtp: { url: string; from: string } | null
  /** Twilio's REST API for SMS (TWILIO_ACCOUNT_SID with the auth token); null: SMS are kept, not sent */
  twilioRest: { accountSid: string; apiUrl: string | undefined } | null
  /** contract.notice_due this many days before a notice deadline */
  noticeReminderDays: number
  /** one delivery attempt (SMTP, Twilio, a webhook), at most */
  notificationTimeoutMs: number
  /** the bearer of POST /webhooks/email/inbound (INBOUND_EMAIL_SECRET); null: the webhook is off (404) */
  inboundEmailSecret: string | null
  /** the support mailbox (IMAP_URL, IMAP_MOVE_TO); null: nobody reads a mailbox */
  imap: { url: string; moveTo: string | undefined } | null
}

/** Thrown with one line that names the variable; the server prints it and exits. */
export class ConfigError extends Error {
  override name = 'ConfigError'
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // An empty variable is an unset one (a common way to "unset" in a shell or a .env file).
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''))
  const parsed = envSchema.safeParse(present)
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? 'environment')
      // Echo what was given, except where it is a secret (tokens, a URL with a password).
      const secret =
        name.endsWith('TOKEN') || name.endsWith('SECRET') || name === 'DATABASE_URL' || name === 'SMTP_URL' || name === 'IMAP_URL'
      const got = present[name] === undefined || secret ? '' : ` (got "${present[name]}")`
      return `${name} ${issue.message}${got}`
    })
    throw new ConfigError(`invalid configuration: ${lines.join('; ')}`)
  }
  const e = parsed.data
  return {
    env: e.NODE_ENV,
    databaseUrl: e.DATABASE_URL,
    dataDir: e.DATA_DIR,
    twilioAuthToken: e.TWILIO_AUTH_TOKEN ?? DEVELOPMENT_AUTH_TOKEN,
    usingDevelopmentToken: e.TWILIO_AUTH_TOKEN === undefined,
    publicUrl: e.PUBLIC_URL ?? `http://localhost:${e.PORT}`,
    port: e.PORT,
    host: e.HOST,
    deskFile: e.DESK_FILE,
    adminToken: e.ADMIN_TOKEN ?? (e.NODE_ENV === 'production' ? undefined : DEVELOPMENT_ADMIN_TOKEN),
    usingDevelopmentAdminToken: e.ADMIN_TOKEN === undefined && e.NODE_ENV !== 'production',
    logLevel: e.LOG_LEVEL,
    clockStart: e.CLOCK_START ? new Date(e.CLOCK_START) : undefined,
    fallbackNumbers: e.FALLBACK_NUMBERS ?? [],
    trustProxy: e.TRUST_PROXY ?? false,
    smtp: e.SMTP_URL && e.MAIL_FROM ? { url: e.SMTP_URL, from: e.MAIL_FROM } : null,
    twilioRest: e.TWILIO_ACCOUNT_SID ? { accountSid: e.TWILIO_ACCOUNT_SID, apiUrl: e.TWILIO_API_URL } : null,
    noticeReminderDays: e.NOTICE_REMINDER_DAYS,
    notificationTimeoutMs: e.NOTIFICATION_TIMEOUT_MS,
    inboundEmailSecret: e.INBOUND_EMAIL_SECRET ?? null,
    imap: e.IMAP_URL ? { url: e.IMAP_URL, moveTo: e.IMAP_MOVE_TO } : null,
  }
}
