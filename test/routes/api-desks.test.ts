// The desk calendar over HTTP: status at an instant for both contracts, the year's holidays, and
// managers' decisions that change the answer at once (and the next call).
import t from 'tap'
import { applyDeskFile } from '../../src/store/configuration.js'
import { createToken } from '../../src/store/tokens.js'
import { newSid, payload } from '../../webhooks/index.js'
import { readTwiml } from '../../webhooks/simulator.js'
import { TEST_ADMIN_TOKEN } from '../helpers/app.js'
import { eachDatabase } from '../helpers/databases.js'
import { deskApp, deskFile } from '../helpers/desk.js'

type Case = [at: string, open: boolean, reason: string, extra?: Record<string, unknown>]

const INTERCOM: Case[] = [
  ['2026-11-28T09:29:59+01:00', false, 'outside_hours', { nextOpening: '2026-11-28T09:30:00.000+01:00' }],
  ['2026-11-28T09:30:00+01:00', true, 'open', { closesAt: '2026-11-28T12:00:00.000+01:00' }],
  ['2026-11-28T11:59:59+01:00', true, 'open'],
  ['2026-11-28T12:00:00+01:00', false, 'outside_hours', { nextOpening: '2026-11-28T13:15:00.000+01:00' }],
  ['2026-11-28T13:15:00+01:00', true, 'open'],
  ['2026-11-28T16:00:00+01:00', false, 'outside_hours', { nextOpening: '2026-11-29T09:30:00.000+01:00' }],
  ['2026-11-26T10:00:00+01:00', false, 'outside_hours', { nextOpening: '2026-11-28T09:30:00.000+01:00' }], // Thursday
  ['2026-11-27T10:00:00+01:00', false, 'outside_hours'], // Friday
  ['2026-11-01T10:00:00+01:00', false, 'holiday', { holiday: 'Anniversaire du déclenchement de la Révolution' }],
  ['2026-12-31T10:00:00+01:00', false, 'closure', { closure: 'Inventaire' }],
  ['2025-03-31T10:00:00+01:00', false, 'holiday', { holiday: 'Aïd el-Fitr' }], // observed, shipped as confirmed
]

const MODEL: Case[] = [
  ['2026-11-27T08:59:59+01:00', false, 'outside_hours', { nextOpening: '2026-11-27T09:00:00.000+01:00' }],
  ['2026-11-27T17:59:59+01:00', true, 'open'],
  ['2026-11-27T18:00:00+01:00', false, 'outside_hours', { nextOpening: '2026-11-30T09:00:00.000+01:00' }], // Friday → Monday
  ['2026-11-11T10:00:00+01:00', false, 'holiday', { holiday: 'Armistice 1918' }],
  ['2026-03-27T18:30:00+01:00', false, 'outside_hours', { nextOpening: '2026-03-30T09:00:00.000+02:00' }], // across the spring DST change
  // The hours revised from 4 January 2027 (model clause: revised with 30 days' notice).
  ['2026-12-31T17:45:00+01:00', true, 'open'],
  ['2027-01-05T12:45:00+01:00', false, 'outside_hours', { nextOpening: '2027-01-05T13:30:00.000+01:00' }],
  [
    '2027-01-05T17:45:00+01:00',
    false,
    'outside_hours',
    { message: /du lundi au vendredi, de 8 h 30 à 12 h 30 et de 13 h 30 à 17 h 30/ },
  ],
]

eachDatabase(t, async (t, database) => {
  const { app, clock, twilio } = await deskApp(t, database, { at: '2026-11-28T10:00:00+01:00' })
  const models = deskFile('model-clause')
  // Both desks at once: the INTERcom file plus the model clause's desk, agents and clients.
  const both = deskFile('intercom')
  both.desks.push(...models.desks)
  both.agents.push(...models.agents)
  both.clients.push(...models.clients)
  await applyDeskFile(database.db, both, { actor: 'test', now: new Date() })
  const { token: clientToken } = await createToken(database.db, {
    name: 'acme',
    role: 'client',
    clientId: 'acme',
    actor: 'test',
    now: new Date(),
  })

  const call = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, body?: unknown, token = TEST_ADMIN_TOKEN) =>
    app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${token}` },
      ...(body === undefined ? {} : { payload: body as object }),
    })

  for (const [desk, cases] of [
    ['intercom', INTERCOM],
    ['model', MODEL],
  ] as const) {
    for (const [at, open, reason, extra] of cases) {
      t.test(`${desk} at ${at} is ${open ? 'open' : `closed (${reason})`}`, async (t) => {
        const response = await call('GET', `/api/desks/${desk}/status?at=${encodeURIComponent(at)}`)
        t.equal(response.statusCode, 200)
        t.match(response.json(), { open, reason, ...extra })
      })
    }
  }

  t.test('the closed answer carries what a caller hears', async (t) => {
    const status = (await call('GET', `/api/desks/intercom/status?at=${encodeURIComponent('2026-11-28T16:30:00+01:00')}`)).json()
    t.equal(
      status.message,
      "Le service d'assistance est ouvert du samedi au mercredi, de 9 h 30 à 12 h et de 13 h 15 à 16 h. Nous serons de nouveau disponibles dimanche à 9 h 30.",
    )
  })

  t.test('the 2025 Algerian holidays come out as observed', async (t) => {
    const { items } = (await call('GET', '/api/desks/intercom/holidays?year=2025')).json()
    const dates = (key: string) => items.filter((h: { key: string }) => h.key === key).map((h: { date: string }) => h.date)
    t.same(dates('eid-al-fitr'), ['2025-03-31', '2025-04-01', '2025-04-02'])
    t.same(dates('eid-al-adha'), ['2025-06-06', '2025-06-07', '2025-06-08'])
    t.same(dates('awal-muharram'), ['2025-06-27'])
    t.same(dates('ashura'), ['2025-07-06'])
    t.same(dates('mawlid'), ['2025-09-05'])
    t.ok(
      items.filter((h: { key: string }) => h.key === 'eid-al-fitr').every((h: { status: string }) => h.status === 'confirmed'),
      'confirmed',
    )
  })

  t.test('a manager moves an estimated Eid, and the status and the next call follow at once', async (t) => {
    const { items } = (await call('GET', '/api/desks/intercom/holidays?year=2027')).json()
    const eid = items.find((h: { key: string; day?: number }) => h.key === 'eid-al-fitr' && h.day === 1)
    t.equal(eid.status, 'estimated', 'the 2027 Eid is an estimate')
    // Move it one day later, as is often observed in Algeria.
    const later = new Date(`${eid.date}T00:00:00Z`)
    later.setUTCDate(later.getUTCDate() + 1)
    const start = later.toISOString().slice(0, 10)
    const moved = await call('POST', `/api/desks/intercom/holidays/${eid.id}/move`, { start })
    t.equal(moved.statusCode, 200)
    t.match(moved.json(), { action: 'move', start, by: 'ADMIN_TOKEN' })
    const after = (await call('GET', '/api/desks/intercom/holidays?year=2027'))
      .json()
      .items.filter((h: { id: string }) => h.id === eid.id)
    t.equal(after[0].date, start, 'the holiday starts on the new date')
    t.match(after[0], { status: 'confirmed', movedFrom: eid.date, by: 'ADMIN_TOKEN' })
  })

  t.test('a confirmation is recorded with who, when and the date it confirmed', async (t) => {
    const { items } = (await call('GET', '/api/desks/intercom/holidays?year=2027')).json()
    const fitr = items.find((h: { key: string }) => h.key === 'eid-al-fitr')
    const response = await call('POST', `/api/desks/intercom/holidays/${fitr.id}/confirm`)
    t.equal(response.statusCode, 200)
    t.match(response.json(), { action: 'confirm', start: fitr.date }, 'the date confirmed is kept with the decision')
    const again = (await call('GET', '/api/desks/intercom/holidays?year=2027'))
      .json()
      .items.find((h: { id: string }) => h.id === fitr.id)
    t.match(again, { status: 'confirmed', date: fitr.date, by: 'ADMIN_TOKEN', at: /^2026-11-28T09:00:00/ })
  })

  t.test('an estimate that is over and was never confirmed is no longer confirmed, only moved', async (t) => {
    const { items } = (await call('GET', '/api/desks/intercom/holidays?year=2026')).json()
    const mawlid = items.find((h: { key: string }) => h.key === 'mawlid')
    const refused = await call('POST', `/api/desks/intercom/holidays/${mawlid.id}/confirm`)
    t.equal(refused.statusCode, 409)
    t.match(refused.json(), { code: 'holiday_past', detail: /Mawlid Ennabaoui \(2026-08-25\) is over and was never confirmed/ })
    const moved = await call('POST', `/api/desks/intercom/holidays/${mawlid.id}/move`, { start: '2026-08-26' })
    t.equal(moved.statusCode, 200, 'moving it to the date observed records that date')
  })

  t.test('a closure through the API closes the desk for the next caller', async (t) => {
    clock.set('2026-11-29T10:00:00+01:00') // Sunday, open
    const created = await call('POST', '/api/desks/intercom/closures', {
      start: '2026-11-29',
      from: '09:00',
      to: '13:00',
      name: 'Coupure réseau',
    })
    t.equal(created.statusCode, 201)
    const status = (await call('GET', `/api/desks/intercom/status?at=${encodeURIComponent('2026-11-29T10:00:00+01:00')}`)).json()
    t.match(status, { open: false, reason: 'closure', closure: 'Coupure réseau', nextOpening: '2026-11-29T13:15:00.000+01:00' })
    const voice = await twilio.webhook(
      '/webhooks/twilio/voice',
      payload('incoming-call', { callSid: newSid(), from: '+213661000001', to: '+21321000000' }),
    )
    t.match(readTwiml(voice.body)[0]?.text, /exceptionnellement fermé : Coupure réseau/, 'the caller hears the closure')
    const removed = await call('DELETE', `/api/desks/intercom/closures/${created.json().id}`)
    t.equal(removed.statusCode, 204)
    t.match((await call('GET', '/api/desks/intercom/status')).json(), { open: true }, 'removed: open again')
  })

  t.test('an exceptional opening opens the desk on a Thursday', async (t) => {
    const created = await call('POST', '/api/desks/intercom/openings', {
      date: '2026-12-03',
      hours: ['09:00-12:00'],
      name: 'Permanence',
    })
    t.equal(created.statusCode, 201)
    t.match((await call('GET', `/api/desks/intercom/status?at=${encodeURIComponent('2026-12-03T10:00:00+01:00')}`)).json(), {
      open: true,
    })
  })

  t.test('the closed-now switch closes at once and reopens', async (t) => {
    const closed = await call('PUT', '/api/desks/intercom/closed-now', { reason: 'Incident électrique' })
    t.equal(closed.statusCode, 200)
    t.match((await call('GET', '/api/desks/intercom/status')).json(), {
      open: false,
      reason: 'closure',
      closure: 'Incident électrique',
      nextOpening: null,
    })
    t.equal((await call('DELETE', '/api/desks/intercom/closed-now')).statusCode, 204)
    t.match((await call('GET', '/api/desks/intercom/status')).json(), { open: true })
    t.equal((await call('DELETE', '/api/desks/intercom/closed-now')).statusCode, 409, 'not closed: 409')
  })

  t.test('bad input names the field; unknown desks and holidays are 404', async (t) => {
    const bad = await call('POST', '/api/desks/intercom/closures', { start: '2026-13-01', name: '' })
    t.equal(bad.statusCode, 400)
    t.match(
      bad.json().errors.map((e: { field: string }) => e.field),
      ['body.start', 'body.name'],
    )
    t.equal((await call('GET', '/api/desks/intercom/status?at=tomorrow')).json().errors[0].field, 'query.at')
    t.equal((await call('GET', '/api/desks/nowhere/status')).statusCode, 404)
    t.equal((await call('POST', '/api/desks/intercom/holidays/no-such-holiday-2026/confirm')).statusCode, 404)
  })

  t.test('a client token reads the status but cannot change the calendar', async (t) => {
    t.equal((await call('GET', '/api/desks/intercom/status', undefined, clientToken)).statusCode, 200)
    t.equal((await call('POST', '/api/desks/intercom/closures', { start: '2026-12-01', name: 'x' }, clientToken)).statusCode, 403)
    t.equal((await call('PUT', '/api/desks/intercom/closed-now', { reason: 'x' }, clientToken)).statusCode, 403)
  })
})
