// Dashboard sessions with plain values: what is stored, the form token, expiry, and where a sign-in may lead.
import t from 'tap'
import { hashToken } from '../../src/domain/access.js'
import {
  SESSION_HOURS,
  adminFingerprint,
  csrfTokenOf,
  newSessionSecret,
  safeNextPath,
  sameSecret,
  sessionExpiry,
  sessionIdOf,
} from '../../src/domain/sessions.js'

t.test('a session secret is random; the database keeps its hash', async (t) => {
  const [a, b] = [newSessionSecret(), newSessionSecret()]
  t.match(a, /^[A-Za-z0-9_-]{43}$/, '256 bits, base64url')
  t.not(a, b)
  t.equal(sessionIdOf(a), hashToken(a))
  t.not(sessionIdOf(a), a)
})

t.test('the form token belongs to one session and tells nothing of its cookie', async (t) => {
  const secret = newSessionSecret()
  t.equal(csrfTokenOf(secret), csrfTokenOf(secret), 'the same for every page of a session')
  t.not(csrfTokenOf(secret), csrfTokenOf(newSessionSecret()), 'another for another session')
  t.not(csrfTokenOf(secret), secret)
  t.ok(sameSecret('abc', 'abc'))
  t.notOk(sameSecret('abc', 'abd'))
  t.notOk(sameSecret('', 'abc'), 'an empty token never matches')
})

t.test('an ADMIN_TOKEN session keeps a short fingerprint, never the token', async (t) => {
  const print = adminFingerprint('a-long-bootstrap-admin-token')
  t.match(print, /^[0-9a-f]{16}$/)
  t.not(print, adminFingerprint('another-bootstrap-admin-token'))
  t.notOk(hashToken('a-long-bootstrap-admin-token').includes(print), 'not a piece of the token hash the API compares')
})

t.test('a session lasts a working day', async (t) => {
  t.equal(sessionExpiry(new Date('2026-11-28T08:00:00Z')).toISOString(), '2026-11-28T20:00:00.000Z')
  t.equal(SESSION_HOURS, 12)
})

const nextCases: [string | undefined, string][] = [
  [undefined, '/dashboard'],
  ['/dashboard/calls?client=acme', '/dashboard/calls?client=acme'],
  ['/dashboard', '/dashboard'],
  ['https://evil.example/dashboard', '/dashboard'],
  ['//evil.example/dashboard', '/dashboard'],
  ['/dashboardevil', '/dashboard'],
  ['/dashboard/\\evil', '/dashboard'],
  ['/api/tokens', '/dashboard'],
  ['/dashboard/x y', '/dashboard'],
]

t.test('after sign-in, the browser goes back to a dashboard page only', async (t) => {
  for (const [next, expected] of nextCases) t.equal(safeNextPath(next, '/dashboard'), expected, `${next} → ${expected}`)
})
