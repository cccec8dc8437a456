// Dashboard sessions: the cookie's secret, what is stored of it, the form token derived from it,
// how long a session lasts, and where a sign-in may send the browser back to.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import { hashToken } from './access.js'

/** A working day and some: a session started in the morning lasts the day, not the week. */
export const SESSION_HOURS = 12

/** 256 random bits, the cookie's value. */
export function newSessionSecret(): string {
  return randomBytes(32).toString('base64url')
}

/** What the database keeps of a session's secret: its SHA-256, so a leaked table opens no session. */
export function sessionIdOf(secret: string): string {
  return hashToken(secret)
}

/**
 * The session's form token (CSRF): an HMAC of the cookie's secret, so it needs no storage, changes
 * with every session, and reveals nothing of the cookie (which scripts cannot read: HttpOnly).
 */
export function csrfTokenOf(secret: string): string {
  return createHmac('sha256', secret).update('supportline dashboard form').digest('base64url')
}

/** Compares two secrets in constant time (their lengths are not secret). */
export function sameSecret(given: string, expected: string): boolean {
  const [a, b] = [Buffer.from(given), Buffer.from(expected)]
  return a.length === b.length && timingSafeEqual(a, b)
}

/**
 * A session opened with the bootstrap ADMIN_TOKEN (which is never stored) keeps a 64-bit
 * fingerprint of it: enough to end the session when the token changes, too short to stand for it.
 */
export function adminFingerprint(adminToken: string): string {
  return createHash('sha256').update(`supportline session fingerprint\0${adminToken}`).digest('hex').slice(0, 16)
}

export function sessionExpiry(now: Date): Date {
  return new Date(now.getTime() + SESSION_HOURS * 3_600_000)
}

/** Where to go after signing in: a dashboard path given by the sign-in form, never another site. */
export function safeNextPath(next: string | undefined, home: string): string {
  if (!next) return home
  // "/dashboard…" only: no scheme, no "//host", no backslash tricks, no control characters.
  if (!/^\/dashboard(?:[/?][^\\\s]*)?$/.test(next) || next.startsWith('//')) return home
  return next
}
