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

const UNAVAILABLE_CODES = new Set([
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
  '40001', // serialization_failure: worth trying again later
  '40P01', // deadlock_detected: idem
])

/** True when an error means "try again later" (the database is away or busy), as opposed to a bad query. */
export function isUnavailable(error: unknown): boolean {
  for (let e: unknown = error; e; e = (e as { cause?: unknown }).cause) {
    if (e instanceof DeadlineError) return true
    const code = (e as { code?: unknown }).code
    if (typeof code === 'string' && (UNAVAILABLE_CODES.has(code) || code.startsWith('08'))) return true
    if (e === (e as { cause?: unknown }).cause) break
  }
  return false
}
