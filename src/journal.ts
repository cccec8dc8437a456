// A durable local journal: what could not be written to the database is appended here (one JSON
// line per entry, fsync'd before the webhook is answered) and replayed into the database, in
// order, once it is back. Exactly once is the applier's to keep (the webhook writes key the call
// event they log by their id, in the same transaction: see store/webhook-writes.ts). Each line
// carries the version of its format, so that a release reads what the one before it journaled.
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

/**
 * How a journal's writes are written and read across releases. Every line carries the version of
 * the format it was written in (`v`; a line without one is version 1, written before there were
 * versions). A release keeps a reader for every version a journal may still hold, each reading
 * that version's write into the current shape: see docs/RELIABILITY.md, "A release and the journal".
 */
export interface JournalFormat<T> {
  /** the version this release writes */
  version: number
  /** per version still in the field: its write, read into the current shape (throws if it cannot be) */
  readers: Readonly<Record<number, (write: unknown) => T>>
}

/** A format whose writes never change shape: version 1, read as written. */
export function unversioned<T>(): JournalFormat<T> {
  return { version: 1, readers: { 1: (write) => write as T } }
}

export interface ReplayResult {
  applied: number
  remaining: number
  /** lines no reader of this release can read (a later format), set aside in rejected.jsonl */
  setAside: number
  /** why the replay stopped early, when it did */
  error?: unknown
}

/** A line as it is on disk. */
interface JournalLine {
  /** the format version; absent on lines written before versions (version 1) */
  v?: number
  id: string
  at: string
  write: unknown
}

/** A line no reader can read, kept as it was. */
interface Unreadable {
  line: JournalLine
  reason: string
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
    private readonly format: JournalFormat<T>,
    private readonly unlock: () => Promise<void>,
  ) {}

  /** Opens the journal of a directory; one process at a time (InUseError otherwise). */
  static async open<T>(dir: string, format: JournalFormat<T> = unversioned<T>()): Promise<Journal<T>> {
    await mkdir(dir, { recursive: true })
    const unlock = await lockWithPid(
      join(dir, 'owner.pid'),
      (owner) => `the journal in ${dir} is in use by process ${owner}: each instance needs a DATA_DIR of its own`,
    )
    const journal = new Journal<T>(dir, format, unlock)
    journal.inCurrent = journal.parse(await readFile(join(dir, CURRENT), 'utf8').catch(() => '')).entries.length
    for (const segment of await journal.segments())
      journal.inSegments += journal.parse(await readFile(join(dir, segment), 'utf8')).entries.length
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
    return texts.flatMap((text) => this.parse(text).entries)
  }

  /** Appends an entry and returns once it is on disk. Appends are serialised, in call order. */
  append(write: T, at: Date): Promise<JournalEntry<T>> {
    const entry: JournalEntry<T> = { id: randomUUID(), at: at.toISOString(), write }
    return this.queueAppend(async () => {
      this.handle ??= await open(join(this.dir, CURRENT), 'a')
      await this.handle.write(this.line(entry))
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
    let setAside = 0
    for (const segment of await this.segments()) {
      const { entries, unreadable } = this.parse(await readFile(join(this.dir, segment), 'utf8'))
      // Never dropped, never blocking what follows: kept as written, for a release that reads them.
      if (unreadable.length)
        await this.appendRejected(
          unreadable.map(({ line, reason }) => `${JSON.stringify({ ...line, rejected: reason })}\n`).join(''),
        )
      setAside += unreadable.length
      for (let index = 0; index < entries.length; index += batchSize) {
        const batch = entries.slice(index, index + batchSize)
        try {
          await apply(batch)
        } catch (error) {
          // Keep this batch and the rest of the segment, in order, for the next attempt.
          await this.rewrite(segment, entries.slice(index))
          return { applied, remaining: this.pending, setAside, error }
        }
        applied += batch.length
        this.inSegments -= batch.length
      }
      await rm(join(this.dir, segment))
    }
    return { applied, remaining: this.pending, setAside }
  }

  /**
   * Sets aside an entry that can never be applied (a bug, not an outage), so that it does not hold
   * back the entries behind it; it stays on disk, with the reason, for someone to look at.
   */
  async quarantine(entry: JournalEntry<T>, reason: string): Promise<void> {
    await this.appendRejected(`${JSON.stringify({ v: this.format.version, ...entry, rejected: reason })}\n`)
  }

  private async appendRejected(text: string): Promise<void> {
    const handle = await open(join(this.dir, REJECTED), 'a')
    try {
      await handle.write(text)
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
    await handle.write(entries.map((entry) => this.line(entry)).join(''))
    await handle.datasync()
    await handle.close()
    await rename(temporary, join(this.dir, segment))
  }

  /** An entry as a line in this release's format. */
  private line(entry: JournalEntry<T>): string {
    const line: JournalLine = { v: this.format.version, ...entry }
    return `${JSON.stringify(line)}\n`
  }

  /**
   * Lines of JSON, each read into the current shape by the reader of its version; a line of a
   * version this release has no reader for is unreadable (kept aside, never dropped). A torn last
   * line (a crash mid-append, never acknowledged) is dropped.
   */
  private parse(text: string): { entries: JournalEntry<T>[]; unreadable: Unreadable[] } {
    const entries: JournalEntry<T>[] = []
    const unreadable: Unreadable[] = []
    for (const line of text.split('\n')) {
      if (!line.trim()) continue
      let parsed: JournalLine
      try {
        parsed = JSON.parse(line) as JournalLine
      } catch {
        continue
      }
      const version = parsed.v ?? 1
      const read = this.format.readers[version]
      try {
        if (!read) throw new Error(`format version ${version}: this release reads ${Object.keys(this.format.readers).join(', ')}`)
        entries.push({ id: parsed.id, at: parsed.at, write: read(parsed.write) })
      } catch (error) {
        unreadable.push({ line: parsed, reason: error instanceof Error ? error.message : String(error) })
      }
    }
    return { entries, unreadable }
  }
}
