// A durable local journal: what could not be written to the database is appended here (one JSON
// line per entry, fsync'd before the webhook is answered) and replayed into the database, in
// order, once it is back. Replaying is exactly once because each entry's id is recorded in the
// same transaction that applies it (see store/journal-applied.ts).
import { randomUUID } from 'node:crypto'
import { type FileHandle, mkdir, open, readFile, readdir, rename, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { lockWithPid } from './pid-lock.js'

export interface JournalEntry<T = unknown> {
  id: string
  /** when it was journaled */
  at: string
  write: T
}

export interface ReplayResult {
  applied: number
  remaining: number
  /** why the replay stopped early, when it did */
  error?: unknown
}

const CURRENT = 'current.jsonl'
const REJECTED = 'rejected.jsonl'
const SEGMENT = /^segment-(\d+)\.jsonl$/

/**
 * Appends go to `current.jsonl`. A replay first renames it to a numbered segment (so appends made
 * meanwhile go to a fresh file), then applies the segments in order and deletes each one once
 * every entry in it is applied.
 */
export class Journal<T = unknown> {
  private handle: FileHandle | null = null
  /** appends (and rotations, which must not cut one in two), one after another */
  private appends: Promise<unknown> = Promise.resolve()
  /** replays, one after another; they never hold up an append */
  private replays: Promise<unknown> = Promise.resolve()
  private inCurrent = 0
  private inSegments = 0

  private constructor(
    readonly dir: string,
    private readonly unlock: () => Promise<void>,
  ) {}

  /** Opens the journal of a directory; one process at a time (InUseError otherwise). */
  static async open<T>(dir: string): Promise<Journal<T>> {
    await mkdir(dir, { recursive: true })
    const unlock = await lockWithPid(
      join(dir, 'owner.pid'),
      (owner) => `the journal in ${dir} is in use by process ${owner}: each instance needs a DATA_DIR of its own`,
    )
    const journal = new Journal<T>(dir, unlock)
    journal.inCurrent = parseLines(await readFile(join(dir, CURRENT), 'utf8').catch(() => '')).length
    for (const segment of await journal.segments())
      journal.inSegments += parseLines(await readFile(join(dir, segment), 'utf8')).length
    return journal
  }

  /** Entries journaled and not yet replayed. */
  get pending(): number {
    return this.inCurrent + this.inSegments
  }

  /** Every entry journaled and not yet replayed, in order (segments, then the current file). */
  async entries(): Promise<JournalEntry<T>[]> {
    const files = [...(await this.segments()), CURRENT]
    const texts = await Promise.all(files.map((file) => readFile(join(this.dir, file), 'utf8').catch(() => '')))
    return texts.flatMap((text) => parseLines<T>(text))
  }

  /** Appends an entry and returns once it is on disk. Appends are serialised, in call order. */
  append(write: T, at: Date): Promise<JournalEntry<T>> {
    const entry: JournalEntry<T> = { id: randomUUID(), at: at.toISOString(), write }
    return this.queueAppend(async () => {
      this.handle ??= await open(join(this.dir, CURRENT), 'a')
      await this.handle.write(`${JSON.stringify(entry)}\n`)
      await this.handle.datasync()
      this.inCurrent++
      return entry
    })
  }

  private queueAppend<R>(work: () => Promise<R>): Promise<R> {
    const done = this.appends.then(work)
    this.appends = done.catch(() => {})
    return done
  }

  /**
   * Applies every journaled entry in order, `batchSize` at a time, with `apply`; stops at the first
   * batch that fails (the database is still away) and leaves it and what follows for the next
   * replay. Appends go on meanwhile, into a fresh file that the next replay takes.
   */
  replay(apply: (entries: JournalEntry<T>[]) => Promise<void>, batchSize = 1): Promise<ReplayResult> {
    const done = this.replays.then(async () => {
      await this.queueAppend(() => this.rotate())
      return this.replaySegments(apply, Math.max(1, batchSize))
    })
    this.replays = done.catch(() => {})
    return done
  }

  private async replaySegments(apply: (entries: JournalEntry<T>[]) => Promise<void>, batchSize: number): Promise<ReplayResult> {
    let applied = 0
    for (const segment of await this.segments()) {
      const entries = parseLines<T>(await readFile(join(this.dir, segment), 'utf8'))
      for (let index = 0; index < entries.length; index += batchSize) {
        const batch = entries.slice(index, index + batchSize)
        try {
          await apply(batch)
        } catch (error) {
          // Keep this batch and the rest of the segment, in order, for the next attempt.
          await this.rewrite(segment, entries.slice(index))
          return { applied, remaining: this.pending, error }
        }
        applied += batch.length
        this.inSegments -= batch.length
      }
      await rm(join(this.dir, segment))
    }
    return { applied, remaining: this.pending }
  }

  /**
   * Sets aside an entry that can never be applied (a bug, not an outage), so that it does not hold
   * back the entries behind it; it stays on disk, with the reason, for someone to look at.
   */
  async quarantine(entry: JournalEntry<T>, reason: string): Promise<void> {
    const handle = await open(join(this.dir, REJECTED), 'a')
    try {
      await handle.write(`${JSON.stringify({ ...entry, rejected: reason })}\n`)
      await handle.datasync()
    } finally {
      await handle.close()
    }
  }

  async close(): Promise<void> {
    await Promise.all([this.appends, this.replays])
    await this.handle?.close()
    this.handle = null
    await this.unlock()
  }

  /** Moves current.jsonl aside as the next segment, so replay and appends never share a file. */
  private async rotate(): Promise<void> {
    await this.handle?.close()
    this.handle = null
    this.inSegments += this.inCurrent
    this.inCurrent = 0
    const numbers = (await this.segments()).map((name) => Number(SEGMENT.exec(name)?.[1]))
    const next = Math.max(0, ...numbers) + 1
    await rename(join(this.dir, CURRENT), join(this.dir, `segment-${String(next).padStart(9, '0')}.jsonl`)).catch(
      (error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error
      },
    )
  }

  private async segments(): Promise<string[]> {
    return (await readdir(this.dir)).filter((name) => SEGMENT.test(name)).sort()
  }

  private async rewrite(segment: string, entries: JournalEntry<T>[]): Promise<void> {
    const temporary = join(this.dir, `${segment}.tmp`)
    const handle = await open(temporary, 'w')
    await handle.write(entries.map((entry) => `${JSON.stringify(entry)}\n`).join(''))
    await handle.datasync()
    await handle.close()
    await rename(temporary, join(this.dir, segment))
  }
}

/** Lines of JSON; a torn last line (a crash mid-append, never acknowledged) is dropped. */
function parseLines<T>(text: string): JournalEntry<T>[] {
  return text.split('\n').flatMap((line) => {
    if (!line.trim()) return []
    try {
      return [JSON.parse(line) as JournalEntry<T>]
    } catch {
      return []
    }
  })
}
