// Who may hold which token, with plain values.
import t from 'tap'
import { tokenScopeProblem } from '../../src/domain/access.js'

t.test('a client token names its client, an agent token its agent, and only they do', async (t) => {
  t.equal(tokenScopeProblem('client', 'acme'), null)
  t.equal(tokenScopeProblem('manager', null), null)
  t.equal(tokenScopeProblem('agent', null, 'amina'), null)
  t.same(tokenScopeProblem('client', null), { field: 'clientId', message: 'a client token must name its client' })
  t.match(tokenScopeProblem('admin', 'acme'), { field: 'clientId', message: /only client tokens/ })
  t.match(tokenScopeProblem('agent', 'acme', 'amina'), { field: 'clientId', message: /only client tokens.*agent/ })
  t.same(tokenScopeProblem('agent', null), { field: 'agentId', message: 'an agent token must name its agent' })
  t.match(tokenScopeProblem('manager', null, 'amina'), { field: 'agentId', message: /only agent tokens.*manager/ })
})

t.test('an agent reaches only the routes that name it; the others, routes that name them or none', async (t) => {
  const { roleAllowed, QUEUE_ROLES, READER_ROLES } = await import('../../src/domain/access.js')
  t.ok(roleAllowed('agent', QUEUE_ROLES), 'the queue')
  t.notOk(roleAllowed('agent', undefined), 'not a route that names no role (usage, calls)')
  t.notOk(roleAllowed('agent', READER_ROLES))
  t.notOk(roleAllowed('agent', ['admin', 'manager']), 'nor contracts or configuration')
  t.ok(roleAllowed('client', undefined))
  t.ok(roleAllowed('manager', QUEUE_ROLES))
  t.notOk(roleAllowed('client', QUEUE_ROLES), 'a client never sees the queue')
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
  const agent = {
    id: 4,
    name: 'Amina',
    role: 'agent' as const,
    clientId: null,
    agentId: 'amina',
    revokedAt: null,
    clientActive: null,
    agentActive: true,
  }
  t.same(principalOfToken(agent), { name: 'Amina', role: 'agent', clientId: null, agentId: 'amina', tokenId: 4 })
  t.equal(principalOfToken({ ...agent, agentId: null }), null, 'an agent token that names no agent stands for no one')
  t.equal(principalOfToken({ ...agent, revokedAt: new Date() }), null)
  t.equal(principalOfToken({ ...agent, agentActive: false }), null, 'nor one whose agent was deactivated')
  t.equal(principalOfToken({ ...agent, agentActive: null }), null, 'nor one whose agent is gone')
})
