// Issue #12's broken requests, as they were sent: each is now a 400 problem naming its field (the
// dashboard's, a 400 page), nothing reached the database, and the process serves on. Then what a
// caller hears is bounded, and a dashboard session ends with its client or its token.
import t from 'tap'
import { callbacks } from '../../../db/schema.js'
import { SPOKEN_MAX } from '../../../src/domain/boundary.js'
import { addCalendarEntry } from '../../../src/store/calendar.js'
import { newSid, payload } from '../../../webhooks/index.js'
import { playCall, readTwiml } from '../../../webhooks/simulator.js'
import { HOSTILE_CASES, HOSTILE_PAGES } from '../../fixtures/api/hostile-cases.js'
import { ACME_CALLER, ATLAS_CALLER, DESK_NUMBER, apiApp } from '../../helpers/api.js'
import { signIn } from '../../helpers/dashboard.js'
import { eachDatabase } from '../../helpers/databases.js'

eachDatabase(t, async (t, database) => {
  const api = await apiApp(t, database)
  const { app, send, tokens, twilio, clock } = api
  await playCall(twilio, { from: ACME_CALLER, to: DESK_NUMBER, talkSeconds: 90 })
  await playCall(twilio, { from: ACME_CALLER, to: DESK_NUMBER, answer: false })
  const [callback] = await database.db.select({ id: callbacks.id }).from(callbacks)

  t.test('each request of the issue is a 400 naming its field', async (t) => {
    for (const hostile of HOSTILE_CASES) {
      const response = await send(hostile.method, hostile.path.replace('{callback}', String(callback?.id)), {
        token: tokens[hostile.asker],
        body: hostile.body,
        ...(hostile.accept ? { accept: hostile.accept } : {}),
      })
      t.equal(response.statusCode, 400, `${hostile.why}: 400 (${response.body.slice(0, 200)})`)
      t.match(response.headers['content-type'], /^application\/problem\+json/, `${hostile.why}: a problem`)
      const fields = (response.json().errors ?? []).map((e: { field: string }) => e.field)
      t.ok(fields.includes(hostile.field), `${hostile.why}: names ${hostile.field} (it names ${fields.join(', ')})`)
    }
  })

  t.test("the dashboard's, with a client's session: a 400 page", async (t) => {
    const client = await signIn(app, tokens.client as string)
    for (const url of HOSTILE_PAGES) {
      const response = await app.inject({ url, headers: { cookie: client.cookie } })
      t.equal(response.statusCode, 400, `${url}: 400`)
      t.match(response.headers['content-type'], /^text\/html/, `${url}: a page`)
    }
  })

  t.test('the process serves on, CSV exports included', async (t) => {
    t.equal((await app.inject('/healthz')).statusCode, 200, '/healthz')
    const csv = await send('GET', '/api/calls?from=2026-11-01', { token: tokens.client, accept: 'text/csv' })
    t.equal(csv.statusCode, 200, 'a CSV of real dates')
    t.match(csv.body, /^callSid,desk,from,/, 'with its header')
  })

  t.test('what a caller hears is bounded: one rule for every spoken text', async (t) => {
    const longest = 'é'.repeat(SPOKEN_MAX)
    const accepted = await send('POST', '/api/desks/intercom/closures', {
      token: tokens.manager,
      body: { date: '2026-12-24', name: longest },
    })
    t.equal(accepted.statusCode, 201, `a closure named with ${SPOKEN_MAX} characters is accepted`)
    for (const [path, body] of [
      ['/api/desks/intercom/closures', { date: '2026-12-24', name: `${longest}x` }],
      ['/api/desks/intercom/holidays', { name: `${longest}x`, start: '2026-12-20' }],
    ] as const) {
      const refused = await send('POST', path, { token: tokens.manager, body })
      t.equal(refused.statusCode, 400, `${path}: one character more is refused`)
    }
    const reason = await send('PUT', '/api/desks/intercom/closed-now', { token: tokens.manager, body: { reason: `${longest}x` } })
    t.equal(reason.statusCode, 400, 'the closed-now reason has the same bound')

    // A name stored before the bound (here, past the API) is still read out no longer than the bound.
    await addCalendarEntry(
      database.db,
      'intercom',
      'closure',
      { start: '2026-12-26', name: 'y'.repeat(5_000) },
      {
        name: 'test',
        now: new Date(),
      },
    )
    clock.set('2026-12-26T10:00:00+01:00')
    const call = await twilio.webhook(
      '/webhooks/twilio/voice',
      payload('incoming-call', { callSid: newSid(), from: ACME_CALLER, to: DESK_NUMBER }),
    )
    const said = readTwiml(call.body).flatMap((verb) => (verb.text ? [verb.text] : []))
    t.ok(
      said.some((text) => text.includes('y'.repeat(SPOKEN_MAX))),
      'the closure is said',
    )
    t.ok(
      said.every((text) => !text.includes('y'.repeat(SPOKEN_MAX + 1))),
      `but no more than ${SPOKEN_MAX} characters of it`,
    )
    clock.set('2026-11-28T10:00:00+01:00')
  })

  t.test('a dashboard session ends with its client, or its token, at once', async (t) => {
    const atlas = await signIn(app, api.atlasToken)
    await playCall(twilio, { from: ATLAS_CALLER, to: DESK_NUMBER, talkSeconds: 60 })
    for (const page of ['/dashboard/calls', '/dashboard/usage'])
      t.equal(
        (await app.inject({ url: page, headers: { cookie: atlas.cookie } })).statusCode,
        200,
        `${page} while Atlas is a client`,
      )
    const removed = await send('DELETE', '/api/clients/atlas', { token: tokens.admin })
    t.equal(removed.statusCode, 204, 'Atlas is deactivated')
    t.equal((await send('GET', '/api/calls', { token: api.atlasToken })).statusCode, 401, "the API refuses Atlas's token")
    for (const page of ['/dashboard/calls', '/dashboard/usage']) {
      const response = await app.inject({ url: page, headers: { cookie: atlas.cookie } })
      t.equal(response.statusCode, 303, `${page}: the session is over too`)
      t.match(response.headers.location, /^\/dashboard\/sign-in/, 'back to the sign-in page')
    }
  })
})
