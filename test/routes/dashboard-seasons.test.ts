// The calendar page's seasons (issue #17): listed with their dates, status and hours; a manager
// confirms or moves a Hijri occurrence from the page, a client only reads.
import t from 'tap'
import { apiApp } from '../helpers/api.js'
import { signIn } from '../helpers/dashboard.js'
import { eachDatabase } from '../helpers/databases.js'
import { deskFile } from '../helpers/desk.js'

const PAGE = '/dashboard/calendar'
// Ramadan 1448 runs from Monday 8 February to Monday 8 March 2027 (Umm al-Qura estimate).
const DURING_RAMADAN = '2027-02-13T10:00:00+01:00'
const FORM = { desk: 'intercom', year: '2027' }

const rowOf = (body: string, id: string): string =>
  new RegExp(`<tr[^>]*data-season="${id}"[^>]*>([\\s\\S]*?)</tr>`).exec(body)?.[0] ?? ''

eachDatabase(t, async (t, database) => {
  const { app, tokens, send } = await apiApp(t, database, { file: deskFile('intercom-ramadan'), at: DURING_RAMADAN })
  const manager = await signIn(app, tokens.manager as string)
  const acme = await signIn(app, tokens.client as string)
  const get = (url: string, who = manager) => app.inject({ method: 'GET', url, headers: { cookie: who.cookie } })
  const post = (url: string, form: Record<string, string>, who = manager) =>
    app.inject({ method: 'POST', url, payload: { ...FORM, ...form, _csrf: who.csrf }, headers: { cookie: who.cookie } })
  const ramadan = async () =>
    (await send('GET', '/api/desks/intercom/seasons?year=2027')).json().items.find((s: { key: string }) => s.key === 'ramadan')

  t.test('the page lists the seasons; a manager gets the forms, a client does not', async (t) => {
    const page = await get(`${PAGE}?year=2027`)
    t.equal(page.statusCode, 200)
    t.match(page.body, /<h2 id="seasons-title">Saisons 2027<\/h2>/)
    const row = rowOf(page.body, 'ramadan-1448')
    t.match(row, /Ramadan[\s\S]*data-status="estimated"/)
    t.match(row, /action="\/dashboard\/calendar\/seasons\/ramadan-1448\/confirm"/)
    const client = await get(`${PAGE}?year=2027`, acme)
    t.match(rowOf(client.body, 'ramadan-1448'), /Ramadan/)
    t.notMatch(rowOf(client.body, 'ramadan-1448'), /<form/)
    const past = await get(`${PAGE}?year=2026`)
    t.match(rowOf(past.body, 'ramadan-1447'), /data-status="past-unconfirmed"/)
    t.notMatch(rowOf(past.body, 'ramadan-1447'), /\/confirm"/, 'no confirmation for a past estimate')
    const english = await get(`${PAGE}?year=2027&lang=en`)
    t.match(english.body, /Seasons 2027/)
  })

  t.test("Today's hours sentence names the season in force and until when", async (t) => {
    const page = await get('/dashboard')
    t.equal(page.statusCode, 200)
    t.match(page.body, /Ramadan \(jusqu&#39;au [^)]*\) : /)
    t.match((await get('/dashboard?lang=en')).body, /Ramadan \(until [^)]*\): /)
  })

  t.test('a client may not decide; a past estimate is not confirmed', async (t) => {
    t.equal((await post(`${PAGE}/seasons/ramadan-1448/confirm`, {}, acme)).statusCode, 403)
    const past = await post(`${PAGE}/seasons/ramadan-1447/confirm`, { year: '2026' })
    t.equal(past.statusCode, 404)
    t.equal((await post(`${PAGE}/seasons/ramadan-1449/confirm`, {})).statusCode, 404, 'not a season of the year shown')
  })

  t.test('confirm then move from the page', async (t) => {
    const confirmed = await post(`${PAGE}/seasons/ramadan-1448/confirm`, {})
    t.equal(confirmed.statusCode, 303)
    t.match(await ramadan(), { start: '2027-02-08', bounds: { start: { status: 'confirmed', by: 'desk manager' } } })
    const backwards = await post(`${PAGE}/seasons/ramadan-1448/move`, { start: '2027-03-01', end: '2027-02-20' })
    t.equal(backwards.statusCode, 400)
    const moved = await post(`${PAGE}/seasons/ramadan-1448/move`, { start: '2027-02-09', end: '2027-03-09' })
    t.equal(moved.statusCode, 303)
    t.match(await ramadan(), { start: '2027-02-09', end: '2027-03-09', status: 'confirmed' })
    const page = await get(`${PAGE}?year=2027`)
    t.match(rowOf(page.body, 'ramadan-1448'), /data-status="confirmed"/)
  })
})
