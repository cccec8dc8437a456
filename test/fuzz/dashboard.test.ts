// The dashboard's GET pages and forms fuzzed with a session of each role (and none): every query
// and form field a good value or a bad one, the form token right or wrong. No 5xx, the process
// alive. The seed is printed; FUZZ_SEED replays it.
import type { InjectOptions } from 'fastify'
import fc from 'fast-check'
import t from 'tap'
import { callbacks, calendarEntries, contracts } from '../../db/schema.js'
import { playCall } from '../../webhooks/simulator.js'
import { DASHBOARD_ROUTES } from '../fixtures/fuzz/dashboard-routes.js'
import { ACME_CALLER, DESK_NUMBER, apiApp } from '../helpers/api.js'
import { TEST_ADMIN_TOKEN } from '../helpers/app.js'
import { type SignedIn, signIn } from '../helpers/dashboard.js'
import { eachDatabase } from '../helpers/databases.js'
import { anyAddress, expectNo5xx, fillPath, fuzzSeed, goodText, paramValue, queryString } from '../helpers/fuzz.js'

eachDatabase(t, async (t, database) => {
  const api = await apiApp(t, database)
  const { app, tokens, twilio } = api
  const call = (await playCall(twilio, { from: ACME_CALLER, to: DESK_NUMBER, talkSeconds: 90 })).callSid
  await playCall(twilio, { from: ACME_CALLER, to: DESK_NUMBER, answer: false })
  await api.send('POST', '/api/desks/intercom/closures', { body: { date: '2026-12-24', name: 'Inventaire' } })
  const [contract] = await database.db.select({ id: contracts.id }).from(contracts)
  const [callback] = await database.db.select({ id: callbacks.id }).from(callbacks)
  const [entry] = await database.db.select({ id: calendarEntries.id }).from(calendarEntries)
  const placeholders = new Map([
    ['{call}', call],
    ['{contract}', String(contract?.id)],
    ['{callback}', String(callback?.id)],
    ['{entry}', String(entry?.id)],
  ])
  const fill = (value: string) => placeholders.get(value) ?? value

  const sessions: Record<string, SignedIn | null> = {
    none: null,
    admin: await signIn(app, TEST_ADMIN_TOKEN),
    manager: await signIn(app, tokens.manager as string),
    client: await signIn(app, tokens.client as string),
  }
  /** A path parameter's right value: what the segment before {id} names, or by its name. */
  const goodPath = (path: string, name: string): string => {
    if (name === 'asset') return 'style.css'
    if (name !== 'id') return goodText(name) ?? 'x'
    const kind = /\/dashboard\/(\w+)\/\{id\}/.exec(path)?.[1] ?? ''
    return { agents: 'karim', desks: 'intercom', callbacks: '{callback}', contracts: '{contract}' }[kind] ?? 'x'
  }

  // One field (or path parameter) spoilt at a time, the rest right, the form token right mostly.
  const request = fc.constantFrom(...DASHBOARD_ROUTES).chain((route) => {
    const params = [...route.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => name as string)
    const targets = [
      ...params.map((name) => `path:${name}`),
      ...route.fields.flatMap((name) => [`field:${name}`, `field:${name}`, `omit:${name}`]),
      'field:_csrf',
      'none',
    ]
    return fc.record({
      route: fc.constant(route),
      target: fc.constantFrom(...targets),
      bad: paramValue('bad'),
      repeated: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
      asker: fc.oneof(
        { weight: 8, arbitrary: fc.constantFrom('admin', 'manager', 'manager') },
        { weight: 2, arbitrary: fc.constantFrom('client', 'none') },
      ),
      csrf: fc.constantFrom('right', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'wrong', 'none'),
      crossSite: fc.integer({ min: 0, max: 19 }).map((n) => n === 0),
      ip: anyAddress,
    })
  })

  const seed = fuzzSeed(t)
  const started = Date.now()
  let sent = 0
  const stats = new Map<string, number>()
  await fc.assert(
    fc.asyncProperty(request, async ({ route, target, bad, repeated, asker, csrf, crossSite, ip }) => {
      const session = sessions[asker] ?? null
      const params = [...route.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => name as string)
      const values = Object.fromEntries(
        params.map((name) => [name, target === `path:${name}` ? bad : fill(goodPath(route.path, name))]),
      )
      const fields = route.fields.flatMap((name): [string, string][] => {
        if (target === `field:${name}`)
          return repeated
            ? [
                [name, bad],
                [name, bad],
              ]
            : [[name, bad]]
        const good = goodText(name)
        return target !== `omit:${name}` && good !== undefined ? [[name, fill(good)]] : []
      })
      if (target === 'field:_csrf') fields.push(['_csrf', bad])
      else if (route.method === 'POST' && session && csrf !== 'none')
        fields.push(['_csrf', csrf === 'right' ? session.csrf : 'x'.repeat(43)])
      const form = queryString(fields)
      const injected: InjectOptions = {
        method: route.method,
        url: `${fillPath(route.path, values, false)}${route.method === 'GET' && form ? `?${form}` : ''}`,
        remoteAddress: ip,
        headers: {
          ...(session ? { cookie: session.cookie } : {}),
          ...(crossSite ? { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' } : {}),
          ...(route.method === 'POST' ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        },
        ...(route.method === 'POST' ? { payload: form } : {}),
      }
      sent++
      const { statusCode } = await expectNo5xx(app, injected)
      const key = `${route.method} ${route.path} ${target} ${statusCode}`
      stats.set(key, (stats.get(key) ?? 0) + 1)
    }),
    { seed, numRuns: 1000, endOnFailure: true },
  )
  t.pass(`${sent} page and form requests, as ${Object.keys(sessions).join(', ')}: no 5xx`)
  // FUZZ_STATS=1 lists the answers by route, spoilt part and status: what the fuzz reached.
  if (process.env.FUZZ_STATS)
    t.comment(
      [...stats]
        .sort()
        .map(([key, count]) => `${key}: ${count}`)
        .join('\n'),
    )
  t.comment(`${sent} requests in ${((Date.now() - started) / 1000).toFixed(1)} s`)
  t.equal((await app.inject('/healthz')).statusCode, 200, 'the process serves on: /healthz 200')
})
