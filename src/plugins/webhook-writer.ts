// Webhook writes reach the database, or the local journal when it is away, and never hold up an
// answer: each live write has a deadline; a failure journals the write; while anything is
// journaled, new writes queue behind it (so a call's facts keep their order) and a recovery loop
// replays the journal, exactly once, as soon as the database answers again.
import type { FastifyBaseLogger, FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { Database } from '../../db/client.js'
import { isUnavailable, withDeadline } from '../deadline.js'
import { Journal, type JournalEntry } from '../journal.js'
import { type WebhookWrite, applyWebhookWrite } from '../store/webhook-writes.js'

declare module 'fastify' {
  interface FastifyInstance {
    writer: WebhookWriter
  }
}

export interface WriterOptions {
  /** a live write waits this long before the write is journaled instead */
  deadlineMs: number
  /** how often a degraded instance tries the database again */
  retryMs: number
}

export class WebhookWriter {
  private timer: NodeJS.Timeout | null = null
  private replaying: Promise<void> | null = null
  private closed = false

  constructor(
    private readonly db: Database,
    readonly journal: Journal<WebhookWrite>,
    private readonly log: FastifyBaseLogger,
    private readonly options: WriterOptions,
    private readonly clock: () => Date,
  ) {
    if (journal.pending > 0) this.scheduleReplay(0)
  }

  /** True while writes are journaled rather than written (the database is, or was just, away). */
  get degraded(): boolean {
    return this.journal.pending > 0
  }

  /**
   * Writes now, or journals; resolves once the write is durable in one or the other. A write the
   * database refuses for another reason than being away (a bug) is set aside and the error thrown:
   * the caller hears an apology, and the write waits in the quarantine for someone to look at it.
   */
  async record(write: WebhookWrite): Promise<'database' | 'journal'> {
    if (!this.degraded) {
      try {
        await withDeadline(applyWebhookWrite(this.db, write, { live: true }), this.options.deadlineMs, `writing ${write.event}`)
        return 'database'
      } catch (error) {
        if (!isUnavailable(error)) {
          await this.journal.quarantine({ id: write.id, at: this.clock().toISOString(), write }, errorMessage(error))
          throw error
        }
        this.log.warn({ err: error, write: write.event }, 'the database is away: write journaled for replay')
      }
    }
    await this.journal.append(write, this.clock())
    this.scheduleReplay(this.options.retryMs)
    return 'journal'
  }

  /** Replays what is journaled now (also what the recovery loop does); for tests and shutdown. */
  async replay(): Promise<void> {
    this.replaying ??= this.replayOnce().finally(() => {
      this.replaying = null
    })
    return this.replaying
  }

  private async replayOnce(): Promise<void> {
    const result = await this.journal.replay((entry) => this.applyJournaled(entry))
    if (result.applied > 0) this.log.info({ applied: result.applied, remaining: result.remaining }, 'journal replayed')
    if (result.remaining > 0) this.scheduleReplay(this.options.retryMs)
  }

  private async applyJournaled(entry: JournalEntry<WebhookWrite>): Promise<void> {
    try {
      await withDeadline(
        applyWebhookWrite(this.db, entry.write, { live: false }),
        this.options.deadlineMs * 5,
        'replaying a write',
      )
    } catch (error) {
      // The database still away: stop here, keep the order, try again later.
      if (isUnavailable(error)) throw error
      // Anything else will fail the same way every time: set it aside rather than block the rest.
      this.log.error(
        { err: error, write: entry.write.event, callSid: entry.write.callSid },
        'journaled write rejected by the database; quarantined',
      )
      await this.journal.quarantine(entry, errorMessage(error))
    }
  }

  private scheduleReplay(ms: number): void {
    if (this.timer || this.closed) return
    this.timer = setTimeout(() => {
      this.timer = null
      this.replay().catch((error: unknown) => {
        this.log.warn({ err: error }, 'journal replay failed; retrying')
        this.scheduleReplay(this.options.retryMs)
      })
    }, ms)
    this.timer.unref()
  }

  async close(): Promise<void> {
    this.closed = true
    if (this.timer) clearTimeout(this.timer)
    await this.replaying?.catch(() => {})
    await this.journal.close()
  }
}

const errorMessage = (error: unknown) => (error instanceof Error ? error.message : String(error))

async function webhookWriter(app: FastifyInstance, options: WriterOptions & { journalDir: string }) {
  const journal = await Journal.open<WebhookWrite>(options.journalDir)
  const writer = new WebhookWriter(app.db, journal, app.log, options, app.clock)
  app.decorate('writer', writer)
  app.addHook('onClose', () => writer.close())
}

export default fp(webhookWriter, { name: 'webhook-writer' })
