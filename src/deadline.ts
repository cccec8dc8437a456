// Deadlines for work that must not hold up an answer: the webhook path answers within its own
// budget whatever the database does (Twilio gives up after 15 s; a caller hears silence meanwhile).

export class DeadlineError extends Error {
  override name = 'DeadlineError'
}

/** `work`, or a DeadlineError after `ms`. The work itself goes on: callers must be idempotent. */
export function withDeadline<T>(work: Promise<T>, ms: number, what = 'the operation'): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineError(`${what} took longer than ${ms} ms`)), ms)
  })
  work.catch(() => {}) // a late failure after the deadline is nobody's to handle
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer))
}

/** The database cannot be reached, or will not take a connection: it is away. */
const AWAY_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '53300', // too_many_connections
])

/** The database is there but lost a race: the same work succeeds a moment later. */
const CONTENTION_CODES = new Set([
  '40001', // serialization_failure
  '40P01', // deadlock_detected
])

/** True when an error means "try again later" (the database is away, slow or busy), as opposed to a bad query. */
export function isUnavailable(error: unknown): boolean {
  return someCause(error, (e) => e instanceof DeadlineError || CONTENTION_CODES.has(codeOf(e)) || isAwayCode(codeOf(e)))
}

/**
 * True when an error says the database itself is out of reach (no connection, or one lost), not
 * merely slow (a missed deadline) or contended (a serialization failure): only this is worth
 * answering every request without it until it is back.
 */
export function isDatabaseAway(error: unknown): boolean {
  return someCause(error, (e) => isAwayCode(codeOf(e)))
}

const isAwayCode = (code: string) => AWAY_CODES.has(code) || code.startsWith('08') // connection_exception

function codeOf(error: unknown): string {
  const code = (error as { code?: unknown }).code
  return typeof code === 'string' ? code : ''
}

function someCause(error: unknown, test: (e: unknown) => boolean): boolean {
  for (let e: unknown = error; e; e = (e as { cause?: unknown }).cause) {
    if (test(e)) return true
    if (e === (e as { cause?: unknown }).cause) break
  }
  return false
}
