// Managers confirm or move a Hijri season occurrence (issue #17), like the lunar holidays: stored
// with who and when, audited, read back by the seasons list and the live hours; confirming or
// moving Eid al-Fitr moves the end of Ramadan.
import t from 'tap'
import { eq } from 'drizzle-orm'
import { auditLog, notificationEvents, seasonOverrides } from '../../db/schema.js'
import { createToken } from '../../src/store/tokens.js'
import { TEST_ADMIN_TOKEN } from '../helpers/app.js'
import { eachDatabase } from '../helpers/databases.js'
import { deskApp, deskFile } from '../helpers/desk.js'

// Ramadan 1448 runs from Monday 8 February to Monday 8 March 2027 (Umm al-Qura estimate).
const DURING_RAMADAN = '2027-02-13T10:00:00+01:00'

eachDatabase(t, async (t, database) => {
  const { app } = await deskApp(t, database, { file: deskFile('intercom-ramadan'), at: DURING_RAMADAN })
  const { db } = database
  const call = (method: 'GET' | 'POST', url: string, payload?: object, token = TEST_ADMIN_TOKEN) =>
    app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload ? { payload } : {}) })
  const ramadan = async (year: number) =>
    (await call('GET', `/api/desks/intercom/seasons?year=${year}`)).json().items.find((s: { key: string }) => s.key === 'ramadan')

  t.test('a client may not decide a season', async (t) => {
    const { token } = await createToken(db, { name: 'acme', role: 'client', clientId: 'acme', actor: 'test', now: new Date() })
    const response = await call('POST', '/api/desks/intercom/seasons/ramadan-1448/confirm', undefined, token)
    t.equal(response.statusCode, 403)
  })

  t.test('unknown seasons and desks are 404', async (t) => {
    t.equal((await call('POST', '/api/desks/intercom/seasons/ramadan-9999/confirm')).statusCode, 404)
    t.equal((await call('POST', '/api/desks/intercom/seasons/summer-1448/confirm')).statusCode, 404)
    t.equal((await call('POST', '/api/desks/intercom/seasons/ramadan/confirm')).statusCode, 404)
    t.equal((await call('POST', '/api/desks/nope/seasons/ramadan-1448/confirm')).statusCode, 404)
  })

  t.test('a past occurrence never confirmed is refused, and may be moved', async (t) => {
    const past = await ramadan(2026)
    t.match(past, { id: 'ramadan-1447', status: 'estimated' })
    const refused = await call('POST', '/api/desks/intercom/seasons/ramadan-1447/confirm')
    t.equal(refused.statusCode, 409)
    t.match(refused.json(), { code: 'season_past', detail: /Ramadan .* is over and was never confirmed/ })
    const moved = await call('POST', '/api/desks/intercom/seasons/ramadan-1447/move', { start: past.start })
    t.equal(moved.statusCode, 200)
  })

  t.test('confirming records who, when and the dates it confirmed, audited', async (t) => {
    const before = await ramadan(2027)
    t.match(before, { id: 'ramadan-1448', start: '2027-02-08', end: '2027-03-08', status: 'estimated' })
    const response = await call('POST', '/api/desks/intercom/seasons/ramadan-1448/confirm')
    t.equal(response.statusCode, 200)
    t.match(response.json(), {
      seasonId: 'ramadan-1448',
      action: 'confirm',
      start: '2027-02-08',
      end: '2027-03-08',
      by: 'ADMIN_TOKEN',
    })
    const after = await ramadan(2027)
    t.match(after, { start: '2027-02-08', bounds: { start: { status: 'confirmed', by: 'ADMIN_TOKEN' } } })
    const rows = await db.select().from(seasonOverrides)
    t.ok(rows.some((row) => row.seasonId === 'ramadan-1448' && row.action === 'confirm'))
    const audit = await db.select().from(auditLog)
    t.ok(audit.some((row) => row.action === 'season.confirm' && row.entityId === 'intercom/ramadan-1448'))
  })

  t.test('moving sets a bound; the seasons list and the hours follow', async (t) => {
    const response = await call('POST', '/api/desks/intercom/seasons/ramadan-1448/move', { start: '2027-02-09' })
    t.equal(response.statusCode, 200)
    t.match(response.json(), { action: 'move', start: '2027-02-09' })
    t.match(await ramadan(2027), { start: '2027-02-09', bounds: { start: { status: 'confirmed', movedFrom: '2027-02-08' } } })
    const bad = await call('POST', '/api/desks/intercom/seasons/ramadan-1448/move', {})
    t.equal(bad.statusCode, 400)
    const reversed = await call('POST', '/api/desks/intercom/seasons/ramadan-1448/move', { start: '2027-03-20' })
    t.equal(reversed.statusCode, 400, 'a start after the end is refused')
  })

  t.test('moving Eid al-Fitr moves the end of Ramadan', async (t) => {
    const moved = await call('POST', '/api/desks/intercom/holidays/eid-al-fitr-1448/move', { start: '2027-03-10', days: 2 })
    t.equal(moved.statusCode, 200)
    t.match(await ramadan(2027), { end: '2027-03-09', status: 'confirmed' })
    const refused = await call('POST', '/api/desks/intercom/seasons/ramadan-1448/move', { end: '2027-03-07' })
    t.equal(refused.statusCode, 409, "the end Eid decided is not Ramadan's own to move")
    t.match(refused.json(), {
      code: 'season_bound_decided',
      detail: /last day of Ramadan \(2027-03-09\) follows the holiday eid-al-fitr-1448 .*: move that holiday instead/,
    })
    t.match(await ramadan(2027), { end: '2027-03-09' }, 'nothing recorded')
    const same = await call('POST', '/api/desks/intercom/seasons/ramadan-1448/move', { start: '2027-02-08', end: '2027-03-09' })
    t.equal(same.statusCode, 200, 'repeating the decided end with a new start is no problem')
  })

  t.test("the desk's clients are told of each season decision", async (t) => {
    const told = await db.select().from(notificationEvents).where(eq(notificationEvents.type, 'holiday.changed'))
    const seasons = told.filter((row) => (row.data as { kind: string }).kind === 'season')
    t.ok(seasons.length >= 3, 'the confirmation and the moves')
    t.match(seasons.find((row) => (row.data as { action: string }).action === 'confirm')?.data, {
      kind: 'season',
      holidayId: 'ramadan-1448',
      name: 'Ramadan',
      start: '2027-02-08',
      days: 29,
      by: 'ADMIN_TOKEN',
    })
    t.ok(
      told.some((row) => (row.data as { kind: string }).kind === 'holiday'),
      "Eid's move is a holiday's",
    )
  })
})
