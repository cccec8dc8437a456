// The call log and usage over HTTP: tokens, client scope, filters, keyset pages, CSV.
import { eq } from 'drizzle-orm'
import t from 'tap'
import { tokens } from '../../db/schema.js'
import { applyDeskFile } from '../../src/store/configuration.js'
import { createToken, revokeToken } from '../../src/store/tokens.js'
import { playCall } from '../../webhooks/simulator.js'
import { TEST_ADMIN_TOKEN } from '../helpers/app.js'
import { eachDatabase } from '../helpers/databases.js'
import { deskApp, deskFile } from '../helpers/desk.js'
import { DESK, SATURDAY_10H } from '../fixtures/intercom.js'

eachDatabase(t, async (t, database) => {
  const { app, clock, twilio } = await deskApp(t, database, { at: SATURDAY_10H })
  const now = new Date()
  const { token: acmeToken } = await createToken(database.db, {
    name: 'acme portal',
    role: 'client',
    clientId: 'acme',
    actor: 'test',
    now,
  })
  const { token: atlasToken } = await createToken(database.db, {
    name: 'atlas portal',
    role: 'client',
    clientId: 'atlas',
    actor: 'test',
    now,
  })
  const revoked = await createToken(database.db, { name: 'old', role: 'manager', clientId: null, actor: 'test', now })
  await revokeToken(database.db, revoked.info.id, 'test', now)

  const get = (url: string, token: string | null = TEST_ADMIN_TOKEN, accept = 'application/json') =>
    app.inject({ method: 'GET', url, headers: { accept, ...(token ? { authorization: `Bearer ${token}` } : {}) } })

  // Five ACME calls a minute apart, two Atlas calls, one unknown caller.
  const acmeCalls: string[] = []
  for (let i = 0; i < 5; i++) {
    clock.set(new Date(new Date(SATURDAY_10H).getTime() + i * 60_000))
    acmeCalls.push((await playCall(twilio, { from: '+213661000001', to: DESK, talkSeconds: 100 + i })).callSid)
  }
  clock.advance(60_000)
  const atlasCall = (await playCall(twilio, { from: '+213770000001', to: DESK, talkSeconds: 50 })).callSid
  clock.advance(60_000)
  await playCall(twilio, { from: '+213770000001', to: DESK, answer: false })
  clock.advance(60_000)
  await playCall(twilio, { from: '+213699999999', to: DESK })

  t.test('no token, a wrong token, a revoked token: 401, never data', async (t) => {
    for (const [token, why] of [
      [null, 'no token'],
      ['sl_not-a-token', 'an unknown token'],
      [revoked.token, 'a revoked token'],
    ] as const) {
      const response = await get('/api/calls', token)
      t.equal(response.statusCode, 401, `${why}: 401`)
      t.match(response.headers['content-type'], /application\/problem\+json/)
      t.notMatch(response.body, /CA[0-9a-f]{32}/, 'no call in the answer')
    }
  })

  t.test('the newest calls come first, with the fields of DESIGN.md', async (t) => {
    const response = await get('/api/calls?limit=3')
    t.equal(response.statusCode, 200)
    const { items, nextCursor } = response.json()
    t.equal(items.length, 3)
    t.ok(nextCursor, 'a next page')
    t.match(items[0], {
      callSid: /^CA/,
      desk: 'intercom',
      from: '+213699999999',
      to: DESK,
      clientId: null,
      outcome: 'unknown_caller',
      startedAt: /Z$/,
      talkSeconds: 0,
      agentId: null,
    })
  })

  t.test('pages follow each other without gaps or repeats, even while calls arrive', async (t) => {
    const first = (await get('/api/calls?client=acme&limit=2')).json()
    clock.set('2026-11-28T11:00:00+01:00')
    await playCall(twilio, { from: '+213661000001', to: DESK, talkSeconds: 10 }) // arrives between pages
    const second = (await get(`/api/calls?client=acme&limit=2&cursor=${first.nextCursor}`)).json()
    const third = (await get(`/api/calls?client=acme&limit=2&cursor=${second.nextCursor}`)).json()
    const seen = [...first.items, ...second.items, ...third.items].map((c: { callSid: string }) => c.callSid)
    t.same(seen, [...acmeCalls].reverse(), 'the five calls of the first listing, in order, once each')
    t.equal(third.nextCursor, null, 'and then no more')
  })

  t.test('filters: outcome, caller, desk-local dates', async (t) => {
    t.equal((await get('/api/calls?outcome=unknown_caller')).json().items.length, 1)
    t.equal((await get('/api/calls?outcome=answered,no_answer&client=atlas')).json().items.length, 2)
    t.equal((await get('/api/calls?caller=%2B213770000001')).json().items.length, 2)
    t.equal((await get('/api/calls?from=2026-11-28&to=2026-11-28')).json().items.length, 9, 'all of Saturday in Algiers')
    t.equal((await get('/api/calls?from=2026-11-29')).json().items.length, 0, 'nothing on Sunday')
  })

  t.test('a bad filter names the field', async (t) => {
    const response = await get('/api/calls?outcome=great&limit=0&from=yesterday')
    t.equal(response.statusCode, 400)
    const fields = response.json().errors.map((e: { field: string }) => e.field)
    t.ok(
      fields.includes('query.limit') &&
        fields.includes('query.from') &&
        fields.some((f: string) => f.startsWith('query.outcome')),
      fields.join(', '),
    )
  })

  t.test('a client token sees its own calls and nothing else', async (t) => {
    const own = (await get('/api/calls', acmeToken)).json().items
    t.ok(own.length > 0 && own.every((c: { clientId: string }) => c.clientId === 'acme'), 'only ACME calls')
    t.equal((await get('/api/calls?client=atlas', acmeToken)).statusCode, 403, "asking for Atlas's calls: 403")
    t.equal((await get(`/api/calls/${atlasCall}`, acmeToken)).statusCode, 404, "Atlas's call: 404")
    t.equal((await get(`/api/calls/${atlasCall}`, atlasToken)).statusCode, 200, 'Atlas reads its own call')
    const usage = (await get('/api/usage?month=2026-11', acmeToken)).json().items
    t.same(
      usage.map((u: { clientId: string }) => u.clientId),
      ['acme'],
      'and its own usage only',
    )
  })

  t.test('one call with its events and counted legs', async (t) => {
    const call = (await get(`/api/calls/${acmeCalls[0]}`)).json()
    t.match(call, { outcome: 'answered', talkSeconds: 100, agentId: 'amina' })
    t.same(
      call.events.map((e: { kind: string }) => e.kind),
      ['voice', 'whisper', 'whisper:accepted', 'dial:agents', 'status:completed'],
    )
    t.match(call.legs, [{ talkSeconds: 100, countedSeconds: 100, includedSeconds: 100, overageSeconds: 0 }])
  })

  t.test('usage of the month', async (t) => {
    const { items } = (await get('/api/usage?month=2026-11')).json()
    const acme = items.find((u: { clientId: string }) => u.clientId === 'acme')
    t.match(acme, {
      desk: 'intercom',
      month: '2026-11',
      quotaSeconds: 18_000,
      usedSeconds: 100 + 101 + 102 + 103 + 104 + 10,
      overageSeconds: 0,
      calls: 6,
    })
    t.ok(
      items.some((u: { clientId: string; usedSeconds: number }) => u.clientId === 'djurdjura' && u.usedSeconds === 0),
      'contracts without calls are listed at zero',
    )
    t.notOk(
      items.some((u: { clientId: string }) => u.clientId === 'oasis'),
      'a contract that ended is not',
    )
  })

  t.test("a token's last use is recorded", async (t) => {
    await get('/api/usage', acmeToken)
    const [row] = await database.db.select({ lastUsedAt: tokens.lastUsedAt }).from(tokens).where(eq(tokens.name, 'acme portal'))
    t.ok(row?.lastUsedAt, 'last used is set')
  })

  t.test('CSV export streams every matching call', async (t) => {
    const response = await get('/api/calls?client=acme', TEST_ADMIN_TOKEN, 'text/csv')
    t.equal(response.statusCode, 200)
    t.match(response.headers['content-type'], /^text\/csv/)
    const lines = response.body.trim().split('\n')
    t.match(lines[0], /^callSid,desk,from,to,clientId,outcome,startedAt/)
    t.equal(lines.length, 1 + 6, 'a header and the six ACME calls')
  })

  t.test('a client dropped from the configuration: its token reads nothing more', async (t) => {
    const file = deskFile('intercom')
    file.clients = file.clients.filter((client) => client.id !== 'atlas')
    await applyDeskFile(database.db, file, { actor: 'test', now: new Date() })
    t.equal((await get('/api/calls', atlasToken)).statusCode, 401)
  })
})
