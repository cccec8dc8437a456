// Tokens over HTTP: the secret shown once and stored hashed, a revoked token refused at once,
// each change audited, and no secret ever in the logs.
import { Writable } from 'node:stream'
import { eq } from 'drizzle-orm'
import t from 'tap'
import { auditLog, tokens as tokenTable } from '../../../db/schema.js'
import { buildApp } from '../../../src/app.js'
import { hashToken } from '../../../src/domain/access.js'
import { loggerOptions } from '../../../src/logging.js'
import { applyDeskFile } from '../../../src/store/configuration.js'
import { TEST_ADMIN_TOKEN, TestClock, testConfig } from '../../helpers/app.js'
import { sender } from '../../helpers/api.js'
import { eachDatabase } from '../../helpers/databases.js'
import { deskFile } from '../../helpers/desk.js'

eachDatabase(t, async (t, database) => {
  await applyDeskFile(database.db, deskFile('intercom'), { actor: 'test', now: new Date() })
  // The app as the server builds it, its logs (at the most talkative level) kept to be read.
  let logs = ''
  const stream = new Writable({
    write: (chunk, _encoding, done) => {
      logs += String(chunk)
      done()
    },
  })
  const clock = new TestClock()
  const logger = loggerOptions('trace')
  if (typeof logger !== 'object') throw new Error('the logger options are an object')
  const app = await buildApp({ config: testConfig(), database, clock: clock.now, logger: { ...logger, stream } })
  t.teardown(() => app.close())
  const send = sender(app)
  const secrets: string[] = []

  t.test('a token is created with its secret shown once, and works', async (t) => {
    const created = await send('POST', '/api/tokens', { body: { name: 'Leila (manager)', role: 'manager' } })
    t.equal(created.statusCode, 201)
    const { token, id } = created.json()
    secrets.push(token)
    t.match(token, /^sl_[A-Za-z0-9_-]{43}$/, 'a 256-bit secret')
    const [row] = await database.db.select().from(tokenTable).where(eq(tokenTable.id, id))
    t.equal(row?.tokenHash, hashToken(token), 'stored as its hash')
    t.notOk(JSON.stringify(row).includes(token), 'never in clear')
    t.equal((await send('GET', '/api/calls', { token })).statusCode, 200, 'it reads the call log')
    t.equal((await send('GET', '/api/tokens', { token })).statusCode, 403, 'but a manager does not manage tokens')
    const listed = await send('GET', '/api/tokens')
    t.match(listed.json().items, [
      { id, name: 'Leila (manager)', role: 'manager', clientId: null, createdBy: 'ADMIN_TOKEN', revokedAt: null },
    ])
    t.notOk(listed.body.includes(token) || listed.body.includes(hashToken(token)), 'the list carries neither secret nor hash')
  })

  t.test('a client token reads its client only', async (t) => {
    const created = await send('POST', '/api/tokens', { body: { name: 'ACME portal', role: 'client', clientId: 'acme' } })
    const { token } = created.json()
    secrets.push(token)
    t.equal((await send('GET', '/api/clients/acme/usage', { token })).statusCode, 200)
    t.equal((await send('GET', '/api/clients/atlas/usage', { token })).statusCode, 404)
  })

  t.test('an agent token names an active agent, and reads the queue only', async (t) => {
    const created = await send('POST', '/api/tokens', { body: { name: 'Amina', role: 'agent', agentId: 'amina' } })
    t.equal(created.statusCode, 201)
    t.match(created.json(), { role: 'agent', agentId: 'amina', clientId: null })
    const { token } = created.json()
    secrets.push(token)
    t.equal((await send('GET', '/api/callbacks', { token })).statusCode, 200)
    t.equal((await send('GET', '/api/usage?month=2026-11', { token })).statusCode, 403, 'no usage')
    t.equal((await send('GET', '/api/calls', { token })).statusCode, 403, 'no call log')
    const field = async (body: object) => (await send('POST', '/api/tokens', { body })).json().errors?.[0]?.field
    t.equal(await field({ name: 'x', role: 'agent' }), 'body.agentId', 'an agent token without its agent')
    t.equal(await field({ name: 'x', role: 'agent', agentId: 'ghost' }), 'body.agentId', 'nor with an unknown one')
    t.equal(await field({ name: 'x', role: 'manager', agentId: 'amina' }), 'body.agentId', 'a manager names no agent')
  })

  t.test('a revoked token stops working at once, and the change is audited', async (t) => {
    const { token, id } = (await send('POST', '/api/tokens', { body: { name: 'temp', role: 'admin' } })).json()
    secrets.push(token)
    t.equal((await send('DELETE', `/api/tokens/${id}`, { token })).statusCode, 204, 'an admin token can revoke itself')
    t.equal((await send('GET', '/api/tokens', { token })).statusCode, 401, 'and then fails')
    t.equal((await send('DELETE', `/api/tokens/${id}`)).statusCode, 404, 'a revoked token cannot be revoked again')
    const entries = await database.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.entityId, String(id)))
    t.match(entries, [
      { action: 'token.create', actor: 'ADMIN_TOKEN', after: { name: 'temp', role: 'admin' } },
      { action: 'token.revoke', actor: 'temp' },
    ])
  })

  t.test('no secret, hash or Authorization header reaches the logs', async (t) => {
    await send('GET', '/api/calls', { token: 'sl_wrong-secret-wrong-secret' })
    t.ok(logs.length > 0, 'the app did log')
    for (const secret of [...secrets, TEST_ADMIN_TOKEN, 'sl_wrong-secret-wrong-secret']) {
      t.notOk(logs.includes(secret), `${secret.slice(0, 6)}… is not in the logs`)
      t.notOk(logs.includes(hashToken(secret)), 'nor its hash')
    }
  })
})
