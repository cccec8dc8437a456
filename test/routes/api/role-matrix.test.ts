// The role matrix: every endpoint with no token, a wrong token, a revoked token, each role, and a
// client token asking for another client's data. Refusals are 401/403/404 problems, never data.
import { eq } from 'drizzle-orm'
import t from 'tap'
import { callbacks, contracts } from '../../../db/schema.js'
import type { Role } from '../../../src/domain/access.js'
import { createToken } from '../../../src/store/tokens.js'
import { playCall } from '../../../webhooks/simulator.js'
import { CURRENT_CONFIG, type EndpointCase, endpoints, withSpares } from '../../fixtures/api/endpoints.js'
import { ACME_CALLER, ATLAS_CALLER, type Asker, DESK_NUMBER, PROBLEM_KEYS, apiApp } from '../../helpers/api.js'
import { eachDatabase } from '../../helpers/databases.js'
import { deskFile } from '../../helpers/desk.js'

const ASKERS: Asker[] = ['none', 'wrong', 'revoked', 'client', 'agent', 'manager', 'admin']

eachDatabase(t, async (t, database) => {
  const file = withSpares(deskFile('intercom'))
  const api = await apiApp(t, database, { file })
  const {
    send,
    tokens,
    twilio,
    database: { db },
  } = api

  // Calls of both clients, and callback requests (nobody answers) to assign and close.
  const acmeCall = (await playCall(twilio, { from: ACME_CALLER, to: DESK_NUMBER, talkSeconds: 90 })).callSid
  const atlasCall = (await playCall(twilio, { from: ATLAS_CALLER, to: DESK_NUMBER, talkSeconds: 60 })).callSid
  for (let i = 0; i < 4; i++) await playCall(twilio, { from: ACME_CALLER, to: DESK_NUMBER, answer: false })
  const open = await db.select({ id: callbacks.id }).from(callbacks).orderBy(callbacks.id)
  const [assignable, ...fresh] = open.map((row) => String(row.id))
  const contractOf = async (clientId: string) =>
    String((await db.select().from(contracts).where(eq(contracts.clientId, clientId)))[0]?.id)
  const spareToken = await createToken(db, { name: 'to revoke', role: 'manager', clientId: null, actor: 'test', now: new Date() })

  const fill = (path: string) =>
    path
      .replace('{acmeCall}', acmeCall)
      .replace('{atlasCall}', atlasCall)
      .replace('{callback}', assignable ?? '0')
      .replace('{spareToken}', String(spareToken.info.id))
  /** `usesUp`: the request will succeed, so a once-only resource ({freshCallback}) is taken from the pool. */
  const resolve = async (path: string, usesUp: boolean) => {
    let filled = fill(path)
    if (filled.includes('{freshCallback}'))
      filled = filled.replace('{freshCallback}', (usesUp ? fresh.shift() : assignable) ?? '0')
    if (filled.includes('{contract}')) filled = filled.replace('{contract}', await contractOf('acme'))
    if (filled.includes('{spareContract}')) filled = filled.replace('{spareContract}', await contractOf('spare'))
    return filled
  }
  const bodyOf = async (endpoint: EndpointCase) =>
    endpoint.body === CURRENT_CONFIG ? (await send('GET', '/api/config')).json() : endpoint.body

  const expected = (endpoint: EndpointCase, asker: Asker): number => {
    if (asker === 'none' || asker === 'wrong' || asker === 'revoked') return 401
    return endpoint.roles.includes(asker as Role) ? endpoint.ok : 403
  }

  let address = 0
  const ask = async (endpoint: EndpointCase, asker: Asker, path = endpoint.path) =>
    send(endpoint.method, await resolve(path, expected(endpoint, asker) < 300), {
      token: tokens[asker],
      body: await bodyOf(endpoint),
      // Failed authentications are limited per address: each refusal comes from an address of its own.
      ip: `10.0.${Math.floor(address / 250)}.${(address++ % 250) + 1}`,
    })

  for (const endpoint of endpoints(file)) {
    t.test(`${endpoint.method} ${endpoint.path}`, async (t) => {
      for (const asker of ASKERS) {
        const response = await ask(endpoint, asker)
        const status = expected(endpoint, asker)
        t.equal(response.statusCode, status, `${asker} gets ${status} (${response.body.slice(0, 160)})`)
        if (status >= 400) {
          t.match(response.headers['content-type'], /^application\/problem\+json/, `${asker}'s refusal is a problem`)
          const keys = Object.keys(response.json())
          t.ok(
            keys.every((key) => PROBLEM_KEYS.has(key)),
            `${asker}'s refusal carries no data (keys: ${keys.join(', ')})`,
          )
        }
        if (asker === 'client' && status < 300 && response.body) {
          t.notMatch(response.body, /atlas/i, "a client's answer says nothing of another client")
        }
      }
      if (endpoint.otherClient) {
        const { path, status } = endpoint.otherClient
        const response = await ask(endpoint, 'client', path)
        t.equal(response.statusCode, status, `asking for Atlas's data with ACME's token gets ${status}`)
        t.notMatch(response.body, /Atlas Pharma|"items"|"callSid"/, 'and nothing of Atlas')
      }
    })
  }

  t.test('without a token, no write reads its body: 401 before any validation', async (t) => {
    const document = (await send('GET', '/docs/json')).json() as { paths: Record<string, Record<string, unknown>> }
    let checked = 0
    for (const [template, operations] of Object.entries(document.paths)) {
      if (!template.startsWith('/api/')) continue
      for (const method of Object.keys(operations).filter((m) => ['post', 'put', 'patch', 'delete'].includes(m))) {
        const path = template.replace(/\{[^}]+\}/g, '1')
        const response = await send(method.toUpperCase() as 'POST', path, {
          token: null,
          body: { unexpected: true },
          ip: `10.9.${Math.floor(checked / 250)}.${(checked % 250) + 1}`,
        })
        t.equal(response.statusCode, 401, `${method.toUpperCase()} ${template}`)
        checked++
      }
    }
    t.ok(checked > 20, `${checked} writes checked`)
  })

  t.test('the matrix covers every endpoint the API documents (the desk calendar has its own tests)', async (t) => {
    const document = (await send('GET', '/docs/json')).json() as { paths: Record<string, Record<string, { tags?: string[] }>> }
    const cases = endpoints(file).map((e) => `${e.method} ${e.path.split('?')[0]}`)
    for (const [template, operations] of Object.entries(document.paths)) {
      if (!template.startsWith('/api/')) continue
      const pattern = new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`)
      for (const [method, operation] of Object.entries(operations)) {
        if (operation.tags?.includes('calendar')) continue
        const covered = cases.some((c) => c.startsWith(`${method.toUpperCase()} `) && pattern.test(c.slice(method.length + 1)))
        t.ok(covered, `${method.toUpperCase()} ${template} is in the role matrix`)
      }
    }
  })
})
