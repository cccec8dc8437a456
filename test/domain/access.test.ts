// Who may hold which token, with plain values.
import t from 'tap'
import { tokenScopeProblem } from '../../src/domain/access.js'

t.test('a client token names its client, and only a client token does', async (t) => {
  t.equal(tokenScopeProblem('client', 'acme'), null)
  t.equal(tokenScopeProblem('manager', null), null)
  t.match(tokenScopeProblem('client', null), /must name its client/)
  t.match(tokenScopeProblem('admin', 'acme'), /only client tokens/)
})

t.test('a client principal is confined to its client; the others see all', async (t) => {
  const { clientScope } = await import('../../src/domain/access.js')
  t.equal(clientScope({ name: 'acme portal', role: 'client', clientId: 'acme', tokenId: 1 }), 'acme')
  t.equal(clientScope({ name: 'Leila', role: 'manager', clientId: null, tokenId: 2 }), null)
  t.equal(clientScope({ name: 'ADMIN_TOKEN', role: 'admin', clientId: null, tokenId: null }), null)
})

t.test('tokens are long random secrets, stored as their SHA-256', async (t) => {
  const { hashToken, newToken } = await import('../../src/domain/access.js')
  const [a, b] = [newToken(), newToken()]
  t.match(a, /^sl_[A-Za-z0-9_-]{43}$/, 'sl_ and 256 bits in base64url')
  t.not(a, b, 'never the same twice')
  t.match(hashToken(a), /^[0-9a-f]{64}$/)
  t.equal(hashToken(a), hashToken(a), 'the same hash for the same token')
})

t.test('a stored token stands for its principal while it is live: one rule for the API and sessions', async (t) => {
  const { principalOfToken } = await import('../../src/domain/access.js')
  const manager = { id: 2, name: 'Leila', role: 'manager' as const, clientId: null, revokedAt: null, clientActive: null }
  const client = { id: 3, name: 'acme portal', role: 'client' as const, clientId: 'acme', revokedAt: null, clientActive: true }
  t.same(principalOfToken(manager), { name: 'Leila', role: 'manager', clientId: null, tokenId: 2 })
  t.same(principalOfToken(client), { name: 'acme portal', role: 'client', clientId: 'acme', tokenId: 3 })
  t.equal(principalOfToken({ ...manager, revokedAt: new Date() }), null, 'a revoked token stands for no one')
  t.equal(principalOfToken({ ...client, clientActive: false }), null, 'nor a client token whose client was deactivated')
  t.equal(principalOfToken({ ...client, clientActive: null }), null, 'nor one whose client is gone')
})
