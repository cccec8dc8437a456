// The outbox's sender, on every instance: claims due notifications (FOR UPDATE SKIP LOCKED, so
// instances share the work and never deliver one notification at once), delivers each through its
// channel (SMTP, Twilio's REST API, a signed webhook) and records what became of it: sent, tried
// again later (exponential backoff with jitter, for 24 hours), or failed. It runs beside the
// requests, never in them: nothing on the voice path waits for SMTP or HTTP.
import type { FastifyBaseLogger, FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { Database } from '../../db/client.js'
import type { Config } from '../config.js'
import {
  type AttemptOutcome,
  type Channel,
  type EmailOutData,
  type EventType,
  RETRY_POLICY,
  type RetryPolicy,
  afterAttempt,
  emailBodies,
  renderMessage,
  renderSms,
} from '../domain/notifications.js'
import { MailError, type Mailer, createMailer, messageIdFor } from '../outside/mailer.js'
import { type TwilioRest, TwilioRestError, createTwilioRest } from '../outside/twilio-rest.js'
import { deliver } from '../outside/webhook-signer.js'
import { type Claimed, claimDue, scanTimedFacts, settle, webhookSecret } from '../store/notifications.js'

declare module 'fastify' {
  interface FastifyInstance {
    notificationSender: NotificationSender
  }
}

/** How long closing waits for deliveries under way (the server's grace period is 10 s, shared). */
const STOP_WAIT_MS = 3_000

export interface SenderOptions {
  /** how often an idle sender looks for due notifications (default 1 s) */
  pollMs?: number
  /** how often it looks for late callbacks and notice deadlines (default 60 s) */
  scanMs?: number
  /** notifications claimed at a time, delivered together (default 20) */
  batch?: number
  /** the retry schedule (default: from 30 s doubling to 1 h, for 24 h) */
  retry?: RetryPolicy
  /** the jitter's source, [0, 1) */
  random?: () => number
}

export interface RunSummary {
  claimed: number
  sent: number
  retried: number
  failed: number
}

export class NotificationSender {
  private timer: NodeJS.Timeout | null = null
  private running: Promise<unknown> | null = null
  private stopped = true
  private lastScan = Number.NEGATIVE_INFINITY
  private readonly mailer: Mailer | null
  private readonly rest: TwilioRest | null
  /** the channels this instance can deliver; the others' notifications wait (kept, not sent) */
  readonly channels: Channel[]

  constructor(
    private readonly db: Database,
    private readonly config: Config,
    private readonly clock: () => Date,
    private readonly log: FastifyBaseLogger,
    private readonly options: Required<SenderOptions>,
  ) {
    const timeoutMs = config.notificationTimeoutMs
    this.mailer = config.smtp ? createMailer({ smtpUrl: config.smtp.url, from: config.smtp.from, timeoutMs }) : null
    this.rest = config.twilioRest
      ? createTwilioRest({
          accountSid: config.twilioRest.accountSid,
          authToken: config.twilioAuthToken,
          ...(config.twilioRest.apiUrl ? { apiUrl: config.twilioRest.apiUrl } : {}),
          timeoutMs,
        })
      : null
    this.channels = ['webhook', ...(this.mailer ? ['email' as const] : []), ...(this.rest ? ['sms' as const] : [])]
  }

  /** A claim outlives the slowest attempt: after it lapses, another sender may take the notification. */
  private get leaseMs(): number {
    return Math.max(60_000, 3 * this.config.notificationTimeoutMs)
  }

  /** Starts polling (the server does; tests drive runOnce with their clock). */
  start(): void {
    if (!this.stopped) return
    this.stopped = false
    this.schedule(0)
  }

  /**
   * Stops polling and waits a little for the deliveries under way: a close must not take the
   * server's grace period, and a delivery cut short is sent again by another instance (same id).
   */
  async stop(): Promise<void> {
    this.stopped = true
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    let timeout: NodeJS.Timeout | undefined
    const waited = new Promise<void>((resolve) => {
      timeout = setTimeout(resolve, STOP_WAIT_MS)
    })
    await Promise.race([this.running, waited])
    clearTimeout(timeout)
    this.mailer?.close()
  }

  private schedule(ms: number): void {
    if (this.stopped) return
    this.timer = setTimeout(() => {
      this.timer = null
      const run = this.tick()
      this.running = run
      void run.then((busy) => this.schedule(busy ? 0 : this.options.pollMs))
    }, ms)
    this.timer.unref()
  }

  /** One poll; true when a whole batch was claimed (more may be due at once). */
  private async tick(): Promise<boolean> {
    try {
      const now = this.clock().getTime()
      if (now - this.lastScan >= this.options.scanMs) {
        this.lastScan = now
        await this.scan()
      }
      const summary = await this.runOnce()
      return summary.claimed >= this.options.batch
    } catch (error) {
      // The database away, most likely: the notifications wait in it, and the next poll tries again.
      this.log.warn({ err: error }, 'notification sender: poll failed')
      return false
    }
  }

  /** Writes the facts that come with time (late callbacks, notice deadlines); how many notifications. */
  scan(): Promise<number> {
    return scanTimedFacts(this.db, this.clock(), { noticeDays: this.config.noticeReminderDays })
  }

  /** Claims one batch of due notifications and delivers it. */
  async runOnce(): Promise<RunSummary> {
    const claimed = await claimDue(this.db, {
      now: this.clock(),
      leaseMs: this.leaseMs,
      limit: this.options.batch,
      channels: this.channels,
    })
    const verdicts = await Promise.all(claimed.map((notification) => this.attempt(notification)))
    const summary: RunSummary = { claimed: claimed.length, sent: 0, retried: 0, failed: 0 }
    for (const status of verdicts) {
      if (status === 'sent') summary.sent++
      else if (status === 'pending') summary.retried++
      else summary.failed++
    }
    return summary
  }

  /** Runs batches until nothing is due (tests). */
  async drain(): Promise<RunSummary> {
    const total: RunSummary = { claimed: 0, sent: 0, retried: 0, failed: 0 }
    for (;;) {
      const summary = await this.runOnce()
      if (summary.claimed === 0) return total
      total.claimed += summary.claimed
      total.sent += summary.sent
      total.retried += summary.retried
      total.failed += summary.failed
    }
  }

  private async attempt(notification: Claimed): Promise<'sent' | 'pending' | 'failed'> {
    const outcome = await this.send(notification).catch(
      (error: unknown): AttemptOutcome => ({ ok: false, transient: true, error: (error as Error).message }),
    )
    const now = this.clock()
    const verdict = afterAttempt(
      outcome,
      notification.attempts,
      now,
      notification.windowStart,
      this.options.random(),
      this.options.retry,
    )
    await settle(this.db, notification.id, notification.attempts, verdict, now)
    if (verdict.status === 'failed')
      this.log.warn({ notification: notification.id, type: notification.type, error: verdict.error }, 'notification failed')
    return verdict.status
  }

  private async send(notification: Claimed): Promise<AttemptOutcome> {
    const { event } = notification
    const type = notification.type as EventType
    const data = event.data as never
    const context = {
      deskName: event.context.deskName,
      timezone: event.context.timezone,
      language: notification.language,
    }
    switch (notification.channel) {
      case 'webhook': {
        const secret = await webhookSecret(this.db, notification.deskId, notification.recipient, type)
        if (!secret) return { ok: false, transient: false, error: 'this webhook is no longer configured for this event' }
        const result = await deliver(
          { url: notification.recipient, secret, id: notification.id, type, timestamp: event.occurredAt, data: event.data },
          // signed at the attempt's real time: receivers compare it with their own clock
          { timeoutMs: this.config.notificationTimeoutMs, now: new Date() },
        )
        if (result.outcome === 'delivered') return { ok: true }
        return {
          ok: false,
          transient: result.outcome === 'transient',
          error: result.error,
          retryAfterSeconds: result.outcome === 'transient' ? result.retryAfterSeconds : undefined,
        }
      }
      case 'email': {
        const mailer = this.mailer as Mailer
        const message = renderMessage(type, data, context)
        try {
          await mailer.send({
            to: notification.recipient,
            subject: message.subject,
            ...emailBodies(message, notification.language),
            messageId: messageIdFor(notification.id, (this.config.smtp as { from: string }).from),
            headers: { 'X-Supportline-Event': type, 'Content-Language': notification.language },
            ...(type.startsWith('email.') ? threaded(type, event.data as unknown as EmailOutData) : {}),
          })
          return { ok: true }
        } catch (error) {
          if (error instanceof MailError) return { ok: false, transient: error.transient, error: error.message }
          throw error
        }
      }
      case 'sms': {
        const rest = this.rest as TwilioRest
        if (!event.context.smsFrom) return { ok: false, transient: false, error: 'the desk has no number to send from' }
        try {
          await rest.sendSms({
            from: event.context.smsFrom,
            to: notification.recipient,
            body: renderSms(type, data, context),
            idempotencyKey: notification.id,
          })
          return { ok: true }
        } catch (error) {
          if (error instanceof TwilioRestError) return { ok: false, transient: error.transient, error: error.message }
          throw error
        }
      }
    }
  }
}

/**
 * An e-mail request's message (issue #15) keeps the Message-ID and threading headers written with
 * it, so that the client's reply finds its request; what no person wrote says so (RFC 3834), and
 * asks the client's systems for no automatic answer in return.
 */
function threaded(type: EventType, data: EmailOutData) {
  return {
    messageId: data.messageId,
    ...(data.inReplyTo ? { inReplyTo: data.inReplyTo } : {}),
    ...(data.references.length > 0 ? { references: data.references } : {}),
    headers: {
      'X-Supportline-Event': type,
      'Content-Language': data.language,
      ...(data.automatic ? { 'Auto-Submitted': 'auto-replied', 'X-Auto-Response-Suppress': 'All' } : {}),
    },
  }
}

export default fp<SenderOptions>(
  async (app: FastifyInstance, options) => {
    const sender = new NotificationSender(app.db, app.config, app.clock, app.log, {
      pollMs: options.pollMs ?? 1_000,
      scanMs: options.scanMs ?? 60_000,
      batch: options.batch ?? 20,
      retry: options.retry ?? RETRY_POLICY,
      random: options.random ?? Math.random,
    })
    app.decorate('notificationSender', sender)
    app.addHook('onClose', () => sender.stop())
  },
  { name: 'notification-sender' },
)
