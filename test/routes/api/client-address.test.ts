// Whose address the brake on failed tokens counts (and the logs record): the peer's unless
// TRUST_PROXY says which proxies to believe. A client's own X-Forwarded-For chooses nothing.
import { Writable } from 'node:stream'
import type { FastifyInstance } from 'fastify'
import t from 'tap'
import { buildApp } from '../../../src/app.js'
import { clientAddressOf } from '../../../src/client-address.js'
import { loadConfig } from '../../../src/config.js'
import { loggerOptions } from '../../../src/logging.js'
import { createToken } from '../../../src/store/tokens.js'
import { TEST_DEADLINES, TestClock, testConfig } from '../../helpers/app.js'
import { freshDatabase } from '../../helpers/databases.js'

interface Attempt {
  peer: string
  forwardedFor?: string
  flyClientIp?: string
  token?: string
}

t.test('the brake and the logs count the client address TRUST_PROXY allows', async (t) => {
  const database = await freshDatabase(t, 'pglite')
  const { token: valid } = await createToken(database.db, {
    name: 'Leila',
    role: 'manager',
    clientId: null,
    actor: 'test',
    now: new Date(),
  })

  async function appWith(env: Record<string, string>, lines: string[] = []): Promise<FastifyInstance> {
    const config = testConfig(env)
    const stream = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk))
        done()
      },
    })
    const app = await buildApp({
      config,
      database,
      clock: new TestClock().now,
      deadlines: TEST_DEADLINES,
      logger: { ...(loggerOptions('info', clientAddressOf(config.trustProxy)) as object), stream },
    })
    t.teardown(() => app.close())
    await app.ready()
    return app
  }

  const ask = (app: FastifyInstance, attempt: Attempt) =>
    app.inject({
      url: '/api/calls',
      remoteAddress: attempt.peer,
      headers: {
        authorization: `Bearer ${attempt.token ?? `sl_guess-${Math.random()}`}`,
        ...(attempt.forwardedFor ? { 'x-forwarded-for': attempt.forwardedFor } : {}),
        ...(attempt.flyClientIp ? { 'fly-client-ip': attempt.flyClientIp } : {}),
      },
    })
  const failTwenty = async (app: FastifyInstance, attempt: Attempt) => {
    for (let i = 0; i < 20; i++) t.equal((await ask(app, attempt)).statusCode, 401, `failure ${i + 1}`)
  }

  t.test('unset: the peer counts, whatever X-Forwarded-For says', async (t) => {
    const lines: string[] = []
    const app = await appWith({}, lines)
    const statuses: number[] = []
    for (let i = 0; i < 30; i++)
      statuses.push((await ask(app, { peer: '203.0.113.5', forwardedFor: `198.51.100.${i + 1}` })).statusCode)
    t.same(statuses.slice(0, 20), Array(20).fill(401), '30 bad tokens, each with another X-Forwarded-For: 20 are 401')
    t.same(statuses.slice(20), Array(10).fill(429), 'and the rest 429')

    await failTwenty(app, { peer: '203.0.113.6', forwardedFor: '1.2.3.4' })
    const fromThere = await ask(app, { peer: '1.2.3.4', token: valid })
    t.equal(fromThere.statusCode, 200, 'failures "from" 1.2.3.4 sent by someone else do not lock 1.2.3.4 out')

    const logged = lines.map((line) => JSON.parse(line)).filter((line) => line.req)
    t.ok(logged.length > 0, 'requests are logged')
    t.ok(
      logged.every((line) => !line.req.ip.startsWith('198.51.100.')),
      'the logs record the peer, never a forwarded-for address',
    )
    t.ok(
      logged.some((line) => line.req.ip === '203.0.113.5'),
      'the spoofer is logged under its own address',
    )
  })

  t.test('a hop count: the address the nearest proxy saw', async (t) => {
    const app = await appWith({ TRUST_PROXY: '1' })
    await failTwenty(app, { peer: '10.0.0.1', forwardedFor: '9.9.9.9, 1.2.3.4' })
    t.equal((await ask(app, { peer: '10.0.0.2', forwardedFor: '1.2.3.4' })).statusCode, 429, '1.2.3.4 is braked')
    t.equal(
      (await ask(app, { peer: '10.0.0.1', forwardedFor: '1.2.3.4, 5.6.7.8' })).statusCode,
      401,
      'a client naming 1.2.3.4 on its left is another client (5.6.7.8)',
    )
  })

  t.test("addresses: only those proxies' word is taken", async (t) => {
    const app = await appWith({ TRUST_PROXY: '10.0.0.0/8, fd00::/8' })
    await failTwenty(app, { peer: '10.1.2.3', forwardedFor: '1.2.3.4' })
    t.equal((await ask(app, { peer: '10.9.9.9', forwardedFor: '1.2.3.4' })).statusCode, 429, 'through a trusted proxy')
    t.equal(
      (await ask(app, { peer: '203.0.113.9', forwardedFor: '1.2.3.4' })).statusCode,
      401,
      'a peer outside the range speaks for itself',
    )
  })

  t.test("Fly-Client-IP: the address Fly's proxy accepted the connection from", async (t) => {
    const lines: string[] = []
    const app = await appWith({ TRUST_PROXY: 'Fly-Client-IP' }, lines)
    await failTwenty(app, { peer: '172.16.0.2', flyClientIp: '1.2.3.4', forwardedFor: '7.7.7.7' })
    t.equal((await ask(app, { peer: '172.16.0.3', flyClientIp: '1.2.3.4' })).statusCode, 429, '1.2.3.4 is braked')
    t.equal((await ask(app, { peer: '172.16.0.2', flyClientIp: '7.7.7.7' })).statusCode, 401, 'X-Forwarded-For was not it')
    t.equal((await ask(app, { peer: '1.2.3.4', token: valid })).statusCode, 429, 'a request without the header counts its peer')
    const logged = lines.map((line) => JSON.parse(line)).filter((line) => line.req)
    t.ok(
      logged.some((line) => line.req.ip === '1.2.3.4' && line.req.url === '/api/calls'),
      'the logs record the client address',
    )
  })
})

t.test('TRUST_PROXY is read once, and a wrong value is named', async (t) => {
  t.equal(testConfig().trustProxy, false, 'unset: no proxy')
  t.equal(loadConfig({ TRUST_PROXY: '2' }).trustProxy, 2, 'a hop count')
  t.same(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 192.0.2.1, loopback' }).trustProxy, ['10.0.0.0/8', '192.0.2.1', 'loopback'])
  t.same(loadConfig({ TRUST_PROXY: 'fly-client-ip' }).trustProxy, { header: 'fly-client-ip' })
  for (const [value, says] of [
    ['true', /must not trust every proxy/],
    ['0', /between 1 and 10/],
    ['10.0.0.0/33', /no valid prefix length/],
    ['proxy.example.com', /"proxy.example.com" is not an address/],
  ] as const) {
    t.throws(() => loadConfig({ TRUST_PROXY: value }), { message: says }, `${value} is refused`)
  }
})
