// The manager API fuzzed from its own OpenAPI document: every operation chosen, with
// generated parameters and bodies, as each role and as no one, on a desk with calls, callbacks,
// a contract and a closure to name. Used by the test/fuzz/api-*.test.ts files.
import { eq } from 'drizzle-orm'
import type { InjectOptions } from 'fastify'
import fc from 'fast-check'
import type { Test } from 'tap'
import { callbacks, calendarEntries, contracts } from '../../db/schema.js'
import { playCall } from '../../webhooks/simulator.js'
import { GOOD_BODIES, GOOD_IDS } from '../fixtures/fuzz/values.js'
import { ACME_CALLER, ATLAS_CALLER, DESK_NUMBER, apiApp } from './api.js'
import { TEST_ADMIN_TOKEN } from './app.js'
import type { DatabaseHandle } from '../../db/client.js'
import { deskFile } from './desk.js'
import {
  type Operation,
  REMOVE,
  anyAddress,
  badJson,
  badString,
  bodyPaths,
  bodyValue,
  expectNo5xx,
  fillPath,
  fuzzSeed,
  goodText,
  openApiOperations,
  queryString,
  spoil,
} from './fuzz.js'

/** Deleting these by a good id would end the fuzz's own tokens, client or desk: an unknown id only. */
const PROTECTED = /^DELETE \/api\/(desks|clients|agents|tokens|contracts)\/\{id\}$/

const ACCEPTS = ['application/json', 'text/csv', '*/*', 'text/csv;q=0.5, application/json', 'text/html', '']

export async function fuzzApi(
  t: Test,
  database: DatabaseHandle,
  options: { select: (operation: Operation) => boolean; numRuns: number },
): Promise<void> {
  const api = await apiApp(t, database)
  const { app, tokens, twilio } = api
  const call = (await playCall(twilio, { from: ACME_CALLER, to: DESK_NUMBER, talkSeconds: 90 })).callSid
  await playCall(twilio, { from: ATLAS_CALLER, to: DESK_NUMBER, talkSeconds: 60 })
  // Callback requests are closed once: several, so that bad notes keep meeting open ones.
  for (let i = 0; i < 8; i++) await playCall(twilio, { from: ACME_CALLER, to: DESK_NUMBER, answer: false })
  const closure = await api.send('POST', '/api/desks/intercom/closures', { body: { date: '2026-12-24', name: 'Inventaire' } })
  const [contract] = await database.db.select({ id: contracts.id }).from(contracts).where(eq(contracts.clientId, 'acme'))
  const callbackIds = (await database.db.select({ id: callbacks.id }).from(callbacks)).map((row) => String(row.id))
  const [entry] = await database.db.select({ id: calendarEntries.id }).from(calendarEntries)
  t.equal(closure.statusCode, 201, 'a closure to name')
  const placeholders = new Map([
    ['{call}', call],
    ['{contract}', String(contract?.id)],
    ['{entry}', String(entry?.id)],
  ])
  /** A placeholder's value; {callback} is one of the requests, as the case picks. */
  const fill = (value: string, pick = 0) =>
    value === '{callback}' ? (callbackIds[pick % callbackIds.length] ?? '0') : (placeholders.get(value) ?? value)

  const operations = (await openApiOperations(app)).filter(options.select)
  t.ok(operations.length > 10, `${operations.length} operations to fuzz`)
  const bearer: Record<string, string | null> = {
    none: null,
    wrong: 'sl_not-a-token',
    bootstrap: TEST_ADMIN_TOKEN,
    admin: tokens.admin,
    manager: tokens.manager,
    client: tokens.client,
  }
  const file = deskFile('intercom')
  const entities: Record<string, unknown> = {
    '{config}': (await api.send('GET', '/api/config')).json(),
    '{intercom}': file.desks.find((desk) => desk.id === 'intercom'),
    '{amina}': file.agents.find((agent) => agent.id === 'amina'),
    '{acme}': file.clients.find((client) => client.id === 'acme'),
    '{acmeContract}': file.clients.find((client) => client.id === 'acme')?.contracts[0],
  }
  const goodBody = (op: Operation): unknown => {
    const body = GOOD_BODIES[`${op.method} ${op.path}`]
    return typeof body === 'string' ? entities[body] : body
  }
  /** The value a path parameter takes when it is right: what the segment before {id} names, or by name. */
  const goodPath = (op: Operation, name: string): string => {
    if (name !== 'id') return goodText(name) ?? 'x'
    if (PROTECTED.test(`${op.method} ${op.path}`)) return '99999'
    const kind = /\/api\/(\w+)\/\{id\}/.exec(op.path)?.[1] ?? ''
    return GOOD_IDS[kind] ?? 'x'
  }

  // One field spoilt at a time (a path or query parameter, a body field, a key added, the whole
  // body), the rest right, so that the bad value gets as far as a good request would; and now and
  // then a body generated from the schema alone.
  type Target =
    | { in: 'path' | 'query'; name: string }
    | { in: 'body'; path: (string | number)[] }
    | { in: 'remove'; path: (string | number)[] }
    | { in: 'extra' | 'whole' | 'schema' | 'raw' | 'none' }
  const request = fc.constantFrom(...operations).chain((op) => {
    const body = goodBody(op)
    const paths = body === undefined ? [] : bodyPaths(body)
    const fields: Target[] = [
      ...op.pathParams.map((name) => ({ in: 'path' as const, name })),
      ...op.queryParams.map((name) => ({ in: 'query' as const, name })),
      ...paths.map((path) => ({ in: 'body' as const, path })),
    ]
    const others: Target[] = [
      ...(op.body ? [{ in: 'whole' as const }, { in: 'schema' as const }, { in: 'raw' as const }] : []),
      ...paths.slice(0, 3).map((path) => ({ in: 'remove' as const, path })),
      ...(paths.length > 0 ? [{ in: 'extra' as const }] : []),
      { in: 'none' as const },
    ]
    return fc.record({
      op: fc.constant(op),
      target:
        fields.length > 0
          ? fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...fields) }, { weight: 1, arbitrary: fc.constantFrom(...others) })
          : fc.constantFrom(...others),
      badText: badString,
      badValue: badJson,
      queryKept: fc.array(fc.boolean(), { minLength: op.queryParams.length, maxLength: op.queryParams.length }),
      schemaBody: op.body ? bodyValue('body', op.body) : fc.constant(undefined),
      rawBody: fc.constantFrom('{"name":', '[', 'null', '"x"', '\u0000', '{"a":1}{"b":2}'),
      rawPath: fc.boolean(),
      pick: fc.nat(),
      // Mostly those who may act, so that bad values get past the role checks (the role matrix tests the refusals).
      asker: fc.oneof(
        { weight: 7, arbitrary: fc.constantFrom('bootstrap', 'admin', 'manager', 'manager') },
        { weight: 3, arbitrary: fc.constantFrom('client', 'none', 'wrong') },
      ),
      accept: fc.constantFrom(...ACCEPTS),
      ip: anyAddress,
    })
  })

  /** The request a generated case stands for. */
  function injection(c: Generated): InjectOptions {
    const { op, target } = c
    const pathValues = Object.fromEntries(
      op.pathParams.map((name) => [name, target.in === 'path' && target.name === name ? c.badText : goodPath(op, name)]),
    )
    const query = op.queryParams.flatMap((name, index): [string, string][] => {
      if (target.in === 'query' && target.name === name) return [[name, c.badText]]
      const good = goodText(name)
      return c.queryKept[index] && good !== undefined ? [[name, good]] : []
    })
    const good = goodBody(op)
    let payload: string | undefined
    if (target.in === 'raw') payload = c.rawBody
    else if (target.in === 'whole') payload = JSON.stringify(c.badValue)
    else if (target.in === 'schema') payload = JSON.stringify(c.schemaBody)
    else if (target.in === 'body') payload = JSON.stringify(spoil(good, target.path, c.badValue))
    else if (target.in === 'remove') payload = JSON.stringify(spoil(good, target.path, REMOVE))
    else if (target.in === 'extra') payload = JSON.stringify({ ...(good as object), colour: c.badValue })
    else if (good !== undefined) payload = JSON.stringify(good)
    else if (op.body) payload = JSON.stringify(c.schemaBody)
    const search = queryString(query.map(([k, v]) => [k, fill(v)]))
    const token = bearer[c.asker]
    return {
      method: op.method,
      url: `${fillPath(op.path, Object.fromEntries(Object.entries(pathValues).map(([k, v]) => [k, fill(v, c.pick)])), c.rawPath)}${search ? `?${search}` : ''}`,
      remoteAddress: c.ip,
      headers: {
        ...(c.accept ? { accept: c.accept } : {}),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(payload === undefined ? {} : { payload }),
    }
  }
  type Generated = typeof request extends fc.Arbitrary<infer T> ? T : never

  const seed = fuzzSeed(t)
  const started = Date.now()
  let sent = 0
  const seen = new Map<string, number>()
  await fc.assert(
    fc.asyncProperty(request, async (generated) => {
      sent++
      const response = await expectNo5xx(app, injection(generated))
      const key = `${generated.op.method} ${generated.op.path} ${generated.target.in} ${response.statusCode}`
      seen.set(key, (seen.get(key) ?? 0) + 1)
    }),
    { seed, numRuns: options.numRuns, endOnFailure: true },
  )
  t.pass(`${sent} requests to ${operations.length} operations, as ${Object.keys(bearer).join(', ')}: no 5xx`)
  t.comment(`${sent} requests in ${((Date.now() - started) / 1000).toFixed(1)} s`)
  // FUZZ_STATS=1 lists the answers by operation, spoilt part and status: what the fuzz reached.
  if (process.env.FUZZ_STATS)
    t.comment(
      [...seen]
        .sort()
        .map(([key, count]) => `${key}: ${count}`)
        .join('\n'),
    )
  t.equal((await app.inject('/healthz')).statusCode, 200, 'the process serves on: /healthz 200')
}

/** The API's daily changes (the desk calendar, the closed-now switch, callbacks, duty, notices). */
export const isDailyChange = (op: Operation) =>
  op.method !== 'GET' && /^\/api\/desks\/\{id\}\/|^\/api\/callbacks\/|\/duty$|\/notice$/.test(op.path)

/** The API's configuration changes (desks, agents, clients, contracts, the desk file, tokens). */
export const isConfigurationChange = (op: Operation) => op.method !== 'GET' && !isDailyChange(op)
