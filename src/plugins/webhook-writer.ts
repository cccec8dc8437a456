// Webhook writes reach the database, or the local journal when it is away, and never hold up an
// answer: each live write has a deadline; a failure journals the write, and while the database is
// away every write is journaled at once. A recovery loop replays the journal, in order, exactly
// once, as soon as the database answers again. Order matters within a call (its voice webhook
// before its callbacks), so while a call has writes in the journal its later ones queue behind
// them; calls that start after the database is back are written directly, so a backlog drains
// however busy the desk is.
import type { FastifyBaseLogger, FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { Database } from '../../db/client.js'
import { DeadlineError, isDatabaseAway, isUnavailable, withDeadline } from '../deadline.js'
import { Journal, type JournalEntry } from '../journal.js'
import type { ConfigurationSnapshot } from '../store/call-facts.js'
import { WEBHOOK_WRITE_FORMAT, type WebhookWrite, applyWebhookWrite, applyWebhookWrites } from '../store/webhook-writes.js'

declare module 'fastify' {
  interface FastifyInstance {
    writer: WebhookWriter
  }
}

/** Journaled writes applied per transaction on replay: short transactions, few commits. */
const REPLAY_BATCH = 50
/**
 * A replay is not on a caller's path: its deadline only tells a hung database from a busy one
 * (a tight one would fail every batch under load, and the backlog would never drain).
 */
const REPLAY_DEADLINE_MS = 30_000
/**
 * Live writes missing their deadline one after another, none answered between: the database
 * hangs (a hung connection never errors), and is treated as away. One slow write is only journaled.
 */
const HUNG_AFTER_MISSES = 3
/** How long closing waits for the journal to reach the database (within the 10 s the server gives a close). */
const DRAIN_MS = 5_000

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
  /** set by a live write that found the database away, cleared by a replay that reached it */
  private databaseAway = false
  /** live writes that missed their deadline since the last one the database took */
  private missedDeadlines = 0
  /** while closing: when the last replay must stop, leaving the rest in the journal */
  private drainUntil: number | null = null
  /** the calls with writes in the journal, and how many each */
  private readonly journaledCalls = new Map<string, number>()

  constructor(
    private readonly db: Database,
    readonly journal: Journal<WebhookWrite>,
    private readonly log: FastifyBaseLogger,
    private readonly options: WriterOptions,
    private readonly clock: () => Date,
    journaled: readonly JournalEntry<WebhookWrite>[] = [],
  ) {
    for (const entry of journaled) this.count(entry.write.callSid, 1)
    if (journal.pending > 0) this.scheduleReplay(0)
  }

  private count(callSid: string, delta: number): void {
    const left = (this.journaledCalls.get(callSid) ?? 0) + delta
    if (left > 0) this.journaledCalls.set(callSid, left)
    else this.journaledCalls.delete(callSid)
  }

  /** True while anything waits in the journal. */
  get degraded(): boolean {
    return this.journal.pending > 0
  }

  /**
   * True from a write that found the database away until a replay reaches it again: reads on the
   * webhook path skip it meanwhile rather than wait out their deadline on every request.
   */
  get databaseIsAway(): boolean {
    return this.databaseAway
  }

  /**
   * Writes now, or journals; resolves once the write is durable in one or the other. A write the
   * database refuses for another reason than being away (a bug) is set aside and the error thrown:
   * the caller hears an apology, and the write waits in the quarantine for someone to look at it.
   */
  async record(write: WebhookWrite, configuration: ConfigurationSnapshot | null = null): Promise<'database' | 'journal'> {
    if (!this.databaseAway && !this.journaledCalls.has(write.callSid)) {
      try {
        // The deadline goes with the write too: an incoming call's record still queued for its
        // batch when the caller stops waiting is not sent (it is journaled below instead).
        const deadline = performance.now() + this.options.deadlineMs
        await withDeadline(
          applyWebhookWrite(this.db, write, { live: true, configuration, deadline }),
          this.options.deadlineMs,
          `writing ${write.event}`,
        )
        this.missedDeadlines = 0
        return 'database'
      } catch (error) {
        if (!isUnavailable(error)) {
          await this.journal.quarantine({ id: write.id, at: this.clock().toISOString(), write }, errorMessage(error))
          throw error
        }
        this.noteFailure(error, write)
      }
    }
    await this.journal.append(write, this.clock())
    this.count(write.callSid, 1)
    this.scheduleReplay(this.options.retryMs)
    return 'journal'
  }

  /**
   * A live write the database did not take now: journaled in any case, and the database known to
   * be away when it is out of reach, or hangs (deadlines missed one after another); a single slow
   * write or a lost race (a serialization failure) does not make the webhooks do without it.
   */
  private noteFailure(error: unknown, write: WebhookWrite): void {
    const missed = error instanceof DeadlineError ? ++this.missedDeadlines : 0
    if (isDatabaseAway(error) || missed >= HUNG_AFTER_MISSES) {
      this.databaseAway = true
      this.log.warn({ err: error, write: write.event }, 'the database is away: writes are journaled for replay')
    } else {
      this.log.info(
        { err: error, write: write.event, callSid: write.callSid },
        'a write did not reach the database in time: journaled',
      )
    }
  }

  /** Replays what is journaled now (also what the recovery loop does); for tests and shutdown. */
  async replay(): Promise<void> {
    this.replaying ??= this.replayOnce().finally(() => {
      this.replaying = null
    })
    return this.replaying
  }

  private async replayOnce(): Promise<void> {
    const result = await this.journal.replay((entries) => this.applyJournaled(entries), REPLAY_BATCH)
    if (result.applied > 0) this.log.info({ applied: result.applied, remaining: result.remaining }, 'journal replayed')
    if (result.setAside > 0)
      this.log.error(
        { setAside: result.setAside },
        'journaled writes in a format this release cannot read (written by a later one?) set aside in rejected.jsonl',
      )
    if (result.remaining > 0) this.scheduleReplay(this.options.retryMs)
  }

  /** A batch the database took: it is back, and these calls have that much less journaled. */
  private async applyJournaled(entries: JournalEntry<WebhookWrite>[]): Promise<void> {
    if (this.drainUntil !== null && Date.now() >= this.drainUntil)
      throw new DeadlineError('closing: the rest stays in the journal')
    await this.applyBatch(entries)
    this.missedDeadlines = 0
    if (this.databaseAway)
      this.log.warn({ journaled: this.journal.pending }, 'the database is back: new calls are written directly')
    this.databaseAway = false
    for (const entry of entries) this.count(entry.write.callSid, -1)
  }

  /**
   * A batch in one transaction (one commit for many writes); if the database refuses it for
   * another reason than being away, the batch is applied write by write so that only the write at
   * fault is set aside.
   */
  private async applyBatch(entries: JournalEntry<WebhookWrite>[]): Promise<void> {
    const writes = entries.map((entry) => entry.write)
    try {
      await withDeadline(applyWebhookWrites(this.db, writes), this.replayDeadline(), 'replaying the journal')
      return
    } catch (error) {
      // The database still away: stop here, keep the order, try again later.
      if (isUnavailable(error)) throw error
    }
    for (const entry of entries) {
      try {
        await withDeadline(applyWebhookWrite(this.db, entry.write, { live: false }), this.replayDeadline(), 'replaying a write')
      } catch (error) {
        if (isUnavailable(error)) throw error
        // Anything else will fail the same way every time: set it aside rather than block the rest.
        this.log.error(
          { err: error, write: entry.write.event, callSid: entry.write.callSid },
          'journaled write rejected by the database; quarantined',
        )
        await this.journal.quarantine(entry, errorMessage(error))
      }
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

  /** A batch's deadline: a hung database's, or what is left of the time given to close. */
  private replayDeadline(): number {
    if (this.drainUntil === null) return REPLAY_DEADLINE_MS
    return Math.max(1, Math.min(REPLAY_DEADLINE_MS, this.drainUntil - Date.now()))
  }

  /**
   * Stops the recovery loop and, within DRAIN_MS, replays what the journal holds: a deploy or a
   * scale-down should not leave writes on a machine's disk (lost with the machine, and replayed
   * only when that machine starts again). What the database does not take in time stays journaled
   * for the next start (a batch already under way may run past DRAIN_MS: the server's own bound on
   * closing ends the process, and a batch cut short is replayed again, exactly once).
   */
  async close(): Promise<void> {
    this.closed = true
    if (this.timer) clearTimeout(this.timer)
    this.drainUntil = Date.now() + DRAIN_MS
    await this.replaying?.catch(() => {})
    if (this.journal.pending > 0) {
      await this.replay().catch((error: unknown) => this.log.warn({ err: error }, 'closing: the journal could not be replayed'))
      if (this.journal.pending > 0) this.log.warn({ journaled: this.journal.pending }, 'closing with writes still journaled')
    }
    await this.journal.close()
  }
}

const errorMessage = (error: unknown) => (error instanceof Error ? error.message : String(error))

async function webhookWriter(app: FastifyInstance, options: WriterOptions & { journalDir: string }) {
  const journal = await Journal.open(options.journalDir, WEBHOOK_WRITE_FORMAT)
  const writer = new WebhookWriter(app.db, journal, app.log, options, app.clock, await journal.entries())
  app.decorate('writer', writer)
  app.addHook('onClose', () => writer.close())
}

export default fp(webhookWriter, { name: 'webhook-writer' })
