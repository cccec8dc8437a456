// Group commit, as queueing alone (no SQL here): while one batch is in flight, what arrives waits;
// when it completes, everything waiting goes out as the next batch. No timer: an item that finds
// nothing in flight goes out at once, alone, so a lone call waits for nothing; under load, the
// items that arrived during one batch's round trip share the next one (and its commit).
import { DeadlineError } from '../deadline.js'

export interface BatchOptions<T, R> {
  /** the most items one batch takes (the rest wait for the next) */
  max: number
  /** runs one batch: one result per item, in the items' order */
  run(items: readonly T[]): Promise<readonly R[]>
  /** one item on its own, after its batch failed: a failed batch must not fail an item that would have succeeded alone */
  alone(item: T): Promise<R>
  /**
   * An error every item of the batch would meet alone too (the database away): each item fails
   * with it at once rather than each trying the database again on its own.
   */
  shared(error: unknown): boolean
  /** a monotonic clock, in ms (performance.now) */
  now(): number
}

interface Waiting<T, R> {
  item: T
  /** when (on `now`'s clock) nobody waits for the item any more: still queued then, it is not sent */
  deadline: number
  resolve(result: R): void
  reject(error: unknown): void
}

export class WriteBatcher<T, R> {
  private readonly waiting: Waiting<T, R>[] = []
  private inFlight = false

  constructor(private readonly options: BatchOptions<T, R>) {}

  /** Items waiting for the batch in flight (for tests and logs). */
  get queued(): number {
    return this.waiting.length
  }

  /**
   * The item's result once its batch (or, after the batch failed, the item alone) has run. An item
   * still queued at its deadline is never sent: it fails with a DeadlineError (its caller, which
   * gave up at that deadline, has journaled it meanwhile).
   */
  submit(item: T, deadline = Number.POSITIVE_INFINITY): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.waiting.push({ item, deadline, resolve, reject })
      if (!this.inFlight) this.next()
    })
  }

  private next(): void {
    const now = this.options.now()
    const batch: Waiting<T, R>[] = []
    while (batch.length < this.options.max && this.waiting.length > 0) {
      const waiting = this.waiting.shift() as Waiting<T, R>
      if (waiting.deadline <= now) waiting.reject(new DeadlineError('the write waited for its batch past its deadline'))
      else batch.push(waiting)
    }
    if (batch.length === 0) {
      this.inFlight = false
      return
    }
    this.inFlight = true
    // As a promise even if `run` throws at once: the batcher must always reach next() again.
    const items = batch.map((waiting) => waiting.item)
    const running = (async () => this.options.run(items))()
    running
      .then(
        (results) => {
          if (results.length !== batch.length) throw new Error(`a batch of ${batch.length} gave ${results.length} results`)
          for (const [i, waiting] of batch.entries()) waiting.resolve(results[i] as R)
        },
        (error: unknown) => this.failed(batch, error),
      )
      .catch((error: unknown) => {
        for (const waiting of batch) waiting.reject(error)
      })
      .finally(() => this.next())
  }

  /**
   * A failed batch: each item fails with an error it would meet alone, else goes alone (past its
   * deadline, nowhere). A batch of one went alone already: its error is its own.
   */
  private failed(batch: Waiting<T, R>[], error: unknown): void {
    const shared = batch.length === 1 || this.options.shared(error)
    const now = this.options.now()
    for (const waiting of batch) {
      if (shared) waiting.reject(error)
      else if (waiting.deadline <= now) waiting.reject(new DeadlineError('the write missed its deadline in a failed batch'))
      else this.options.alone(waiting.item).then(waiting.resolve, waiting.reject)
    }
  }
}
