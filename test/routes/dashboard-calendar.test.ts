// The calendar page's holiday and opening forms through buildApp + inject: adding a holiday and
// removing one (the desk works that day), adding and removing an exceptional opening; each changes
// what the API answers (status, holidays, openings), records who did it, needs the form token, is
// refused to a client's session, and names the fields to correct.
import type { LightMyRequestResponse } from 'fastify'
import t from 'tap'
import { SATURDAY_10H, apiApp } from '../helpers/api.js'
import { type SignedIn, signIn } from '../helpers/dashboard.js'
import { eachDatabase } from '../helpers/databases.js'
import { deskFile } from '../helpers/desk.js'

const PAGE = '/dashboard/calendar'
const DESK = { desk: 'intercom', year: '2026' }

interface HolidayItem {
  id: string
  date: string
  name: string
  status: string
  by?: string
  at?: string
}
interface EntryItem {
  id: number
  entry: { date: string; end?: string; hours: string[]; name?: string }
  by: string
  at: string
}
interface AuditItem {
  action: string
  actor: string
  entityId: string
  at: string
}

/** The INTERcom desk, with one exceptional opening of its own in the desk file (a Thursday morning). */
function fileWithOpening() {
  const file = deskFile('intercom')
  const [desk] = file.desks
  if (!desk) throw new Error('no desk in the intercom file')
  desk.schedule.holidays.openings = [{ date: '2026-12-17', hours: ['09:00-12:00'], name: "Permanence d'inventaire" }]
  return file
}

/** The row of a table whose first tag carries `attribute="value"`, up to its end. */
function rowOf(body: string, attribute: string, value: string): string {
  return new RegExp(`<tr[^>]*${attribute}="${value}"[^>]*>([\\s\\S]*?)</tr>`).exec(body)?.[0] ?? ''
}

eachDatabase(t, async (t, database) => {
  const { app, tokens, clock, send } = await apiApp(t, database, { file: fileWithOpening() })
  const get = (url: string, who: SignedIn) => app.inject({ method: 'GET', url, headers: { cookie: who.cookie } })
  const post = (url: string, who: SignedIn, form: Record<string, string>) =>
    app.inject({ method: 'POST', url, payload: form, headers: { cookie: who.cookie } })
  const status = async (at?: string) =>
    (await send('GET', `/api/desks/intercom/status${at ? `?at=${encodeURIComponent(at)}` : ''}`)).json()
  const holidays = async (year = 2026) =>
    (await send('GET', `/api/desks/intercom/holidays?year=${year}`)).json<{ items: HolidayItem[] }>().items
  const openings = async () => (await send('GET', '/api/desks/intercom/openings')).json<{ items: EntryItem[] }>().items
  const audit = async (entity: string) => (await send('GET', `/api/audit?entity=${entity}`)).json<{ items: AuditItem[] }>().items
  const manager = await signIn(app, tokens.manager as string)
  const admin = await signIn(app, tokens.admin as string)
  const acme = await signIn(app, tokens.client as string)

  t.test('the page lists the openings with their source; managers get the new forms', async (t) => {
    const page = await get(`${PAGE}?year=2026`, manager)
    t.equal(page.statusCode, 200)
    t.match(page.body, /<h2 id="openings-title">Ouvertures exceptionnelles<\/h2>/)
    const file = rowOf(page.body, 'data-opening', '')
    t.match(
      file,
      /17\/12\/2026[\s\S]*9\u00a0h\u00a0\u2013 12\u00a0h[\s\S]*Permanence d&#39;inventaire[\s\S]*fichier de configuration/,
    )
    t.notMatch(file, /<form/, "the desk file's opening is not removed from here")
    t.match(page.body, /action="\/dashboard\/calendar\/holidays"[\s\S]*name="start"[\s\S]*name="days" value="1"/, 'add a holiday')
    t.match(page.body, /action="\/dashboard\/calendar\/openings"/, 'add an opening')
    t.match(page.body, /name="hours" value="09:30-12:00, 13:15-16:00"/, "an opening starts as the desk's usual day")
    t.match(
      rowOf(page.body, 'data-holiday', 'yennayer-2026'),
      /<details class="work"><summary>Travailler ce jour-là<\/summary>\s*<form method="post" action="\/dashboard\/calendar\/holidays\/yennayer-2026\/remove"[\s\S]*<button type="submit" class="danger">Oui, travailler ce jour-là<\/button>/,
      'working on a holiday is confirmed by a second button, inside a details',
    )
    const english = await get(`${PAGE}?year=2026&lang=en`, manager)
    t.match(english.body, /Exceptional openings[\s\S]*desk file/)
    t.match(english.body, /Work that day[\s\S]*Add a holiday[\s\S]*Add an opening/)
  })

  t.test('a holiday added for today closes the desk; removing it opens it again', async (t) => {
    t.match(await status(), { open: true, reason: 'open' }, 'Saturday 10:00: open')
    const added = await post(`${PAGE}/holidays`, manager, {
      ...DESK,
      name: 'Deuil national',
      start: '2026-11-28',
      days: '1',
      _csrf: manager.csrf,
    })
    t.equal(added.statusCode, 303)
    t.equal(added.headers.location, `${PAGE}?desk=intercom&year=2026&done=holiday-added`)
    t.match(await status(), { open: false, reason: 'holiday', holiday: 'Deuil national' }, 'closed for the holiday')
    const item = (await holidays()).find((h) => h.name === 'Deuil national')
    t.match(item, { date: '2026-11-28', status: 'manual', by: 'desk manager', at: '2026-11-28T09:00:00.000Z' }, 'who added it')
    const id = item?.id as string
    // The API adds the same occurrence for the same name and day: a second add replaces it.
    const again = await send('POST', '/api/desks/intercom/holidays', { body: { name: 'Deuil national', start: '2026-11-28' } })
    t.equal(again.json().holidayId, id, "the page's id is the API's")
    t.equal((await holidays()).filter((h) => h.name === 'Deuil national').length, 1, 'one holiday, not two')

    const page = await get(added.headers.location as string, manager)
    t.match(page.body, /<p class="flash" role="status">Jour férié ajouté\.<\/p>/)
    t.match(rowOf(page.body, 'data-holiday', id), /Deuil national[\s\S]*data-status="manual">Ajouté/)

    clock.set('2026-11-28T10:05:00+01:00')
    const removed = await post(`${PAGE}/holidays/${id}/remove`, manager, { ...DESK, _csrf: manager.csrf })
    t.equal(removed.headers.location, `${PAGE}?desk=intercom&year=2026&done=holiday-removed`)
    t.match(await status(), { open: true, reason: 'open' }, 'open again')
    t.notOk(
      (await holidays()).some((h) => h.id === id),
      'gone from the holidays',
    )
    t.match(
      (await audit('holiday')).find((entry) => entry.action === 'holiday.remove'),
      { actor: 'desk manager', entityId: `intercom/${id}`, at: '2026-11-28T09:05:00.000Z' },
      'who removed it, in the audit log',
    )
    const after = await get(removed.headers.location as string, manager)
    t.match(after.body, /Jour férié retiré : le service travaille ce jour-là\./)
    clock.set(SATURDAY_10H)

    const nextYear = await post(`${PAGE}/holidays`, admin, {
      ...DESK,
      name: 'Pont du Nouvel An',
      start: '2027-01-02',
      days: '2',
      _csrf: admin.csrf,
    })
    t.equal(nextYear.headers.location, `${PAGE}?desk=intercom&year=2027&done=holiday-added`, 'back on the year it falls in')
    t.match(
      (await holidays(2027)).filter((h) => h.name === 'Pont du Nouvel An'),
      [{ date: '2027-01-02', by: 'ops admin' }, { date: '2027-01-03' }],
      'two days',
    )
  })

  t.test('a public holiday removed: the desk works it; the page shows it removed, with no way back', async (t) => {
    const sunday = '2026-11-01T10:00:00+01:00'
    t.match(await status(sunday), { open: false, reason: 'holiday', holiday: 'Anniversaire du déclenchement de la Révolution' })
    const removed = await post(`${PAGE}/holidays/revolution-day-2026/remove`, admin, { ...DESK, _csrf: admin.csrf })
    t.equal(removed.statusCode, 303)
    t.match(await status(sunday), { open: true, reason: 'open' }, 'a Sunday like any other')
    t.notOk(
      (await holidays()).some((h) => h.id === 'revolution-day-2026'),
      'the API lists it no more',
    )
    const page = await get(`${PAGE}?year=2026`, manager)
    const row = rowOf(page.body, 'data-holiday', 'revolution-day-2026')
    t.match(row, /<tr class="past removed"/, 'a past day, removed')
    t.match(row, /01\/11\/2026[\s\S]*<s>Anniversaire du déclenchement de la Révolution<\/s>/)
    t.match(
      row,
      /data-status="removed">Retiré \(travaillé\)<\/span><br><small class="muted">par ops admin, 28\/11\/2026 10\u00a0h/,
    )
    t.notMatch(row, /<form/, 'nothing to restore it with: the API has no restore')
    t.match(page.body, /ne se rétablit pas d&#39;ici : pour fermer ce jour-là, ajoutez un jour férié/)
    const twice = await post(`${PAGE}/holidays/revolution-day-2026/remove`, admin, { ...DESK, _csrf: admin.csrf })
    t.equal(twice.statusCode, 404, 'no longer a holiday to remove')
    t.match(twice.body, /n’est plus au calendrier \(déjà retiré, peut-être par quelqu’un d’autre\)/, 'and the page says why')
    t.match((await get(`${PAGE}?year=2026&lang=en`, manager)).body, /Removed \(worked\)/)
  })

  t.test('an exceptional opening on a closed day opens the desk then; removed, it is closed again', async (t) => {
    const thursday = '2026-12-03T11:00:00+01:00'
    t.match(await status(thursday), { open: false, reason: 'outside_hours' }, 'Thursdays are closed')
    const added = await post(`${PAGE}/openings`, manager, {
      ...DESK,
      date: '2026-12-03',
      end: '',
      hours: '10:00 - 14:00',
      name: 'Migration ACME',
      _csrf: manager.csrf,
    })
    t.equal(added.statusCode, 303)
    t.equal(added.headers.location, `${PAGE}?desk=intercom&year=2026&done=opening-added`)
    t.match(await status(thursday), { open: true, reason: 'open', closesAt: '2026-12-03T14:00:00.000+01:00' })
    t.match(await status('2026-12-03T14:30:00+01:00'), { open: false, reason: 'outside_hours' }, 'only at those hours')
    const [entry] = await openings()
    t.match(entry, { entry: { date: '2026-12-03', hours: ['10:00-14:00'], name: 'Migration ACME' }, by: 'desk manager' })
    const id = String(entry?.id)

    const page = await get(added.headers.location as string, manager)
    t.match(page.body, /Ouverture exceptionnelle ajoutée\./)
    t.match(
      rowOf(page.body, 'data-opening', id),
      /03\/12\/2026[\s\S]*10\u00a0h\u00a0\u2013 14\u00a0h[\s\S]*Migration ACME[\s\S]*par desk manager, 28\/11\/2026 10\u00a0h[\s\S]*action="\/dashboard\/calendar\/openings\/\d+\/remove"/,
    )

    // A closure wins over an opening: the desk file's inventory day stays closed.
    await post(`${PAGE}/openings`, manager, {
      ...DESK,
      date: '2026-12-31',
      hours: '09:00-12:00, 13:00-15:00',
      _csrf: manager.csrf,
    })
    t.match(await status('2026-12-31T10:00:00+01:00'), { open: false, reason: 'closure', closure: 'Inventaire' })
    t.match((await openings())[1], { entry: { hours: ['09:00-12:00', '13:00-15:00'] } }, 'two intervals, no reason')

    clock.set('2026-11-28T10:10:00+01:00')
    const removed = await post(`${PAGE}/openings/${id}/remove`, admin, { ...DESK, _csrf: admin.csrf })
    t.equal(removed.headers.location, `${PAGE}?desk=intercom&year=2026&done=opening-removed`)
    t.match(await status(thursday), { open: false, reason: 'outside_hours' }, 'closed again')
    t.notOk(
      (await openings()).some((item) => String(item.id) === id),
      'gone from the openings',
    )
    t.match(
      (await audit('opening')).find((item) => item.action === 'opening.remove'),
      { actor: 'ops admin', entityId: `intercom/${id}`, at: '2026-11-28T09:10:00.000Z' },
    )
    t.match((await get(removed.headers.location as string, manager)).body, /Ouverture exceptionnelle supprimée\./)
    clock.set(SATURDAY_10H)
    const twice = await post(`${PAGE}/openings/${id}/remove`, admin, { ...DESK, _csrf: admin.csrf })
    t.equal(twice.statusCode, 404, 'removed once')
    t.match(twice.body, /n’est plus au calendrier/, 'said plainly, not "page not found"')
    const fromFile = await post(`${PAGE}/openings/999999/remove`, admin, { ...DESK, _csrf: admin.csrf })
    t.equal(fromFile.statusCode, 404, 'an id that is no opening')
  })

  t.test('bad dates and hours are named as the other forms name them; nothing is recorded', async (t) => {
    const [holidaysBefore, openingsBefore] = [(await holidays()).length, (await openings()).length]
    const expect = (response: LightMyRequestResponse, field: string, message: RegExp, what: string) => {
      t.equal(response.statusCode, 400, what)
      t.match(response.headers['content-type'], /^text\/html/, `${what}: an HTML page`)
      t.match(
        response.body,
        new RegExp(`<code>${field.replace(/[[\].]/g, '\\$&')}</code> : ${message.source}`),
        `${what}: says which field`,
      )
    }
    const holiday = (form: Record<string, string>) =>
      post(`${PAGE}/holidays`, manager, { ...DESK, name: 'Fête', start: '2026-12-20', days: '1', ...form, _csrf: manager.csrf })
    expect(await holiday({ start: '2026-02-30' }), 'body.start', /expected a date/, 'a day that does not exist')
    expect(await holiday({ start: '' }), 'body.start', /expected a date/, 'no first day')
    expect(await holiday({ name: '   ' }), 'body.name', /./, 'a blank name')
    expect(await holiday({ days: '0' }), 'body.days', /./, 'no day at all')
    expect(await holiday({ days: '40' }), 'body.days', /./, 'more than a month')

    const opening = (form: Record<string, string>) =>
      post(`${PAGE}/openings`, manager, { ...DESK, date: '2026-12-10', hours: '09:00-12:00', ...form, _csrf: manager.csrf })
    expect(await opening({ date: 'jeudi' }), 'body.date', /expected a date/, 'an opening on no date')
    expect(await opening({ date: '2026-13-01' }), 'body.date', /expected a date/, 'a thirteenth month')
    expect(
      await opening({ end: '2026-12-09' }),
      'body.end',
      /end &quot;2026-12-09&quot; is before date/,
      'ending before it starts',
    )
    expect(await opening({ hours: '' }), 'body.hours', /an opening needs hours/, 'no hours')
    expect(await opening({ hours: '9h-12h' }), 'body.hours[0]', /./, 'hours not as HH:MM')
    expect(
      await opening({ hours: '09:00-12:00, 11:00-13:00' }),
      'body.hours',
      /&quot;09:00-12:00&quot; overlaps &quot;11:00-13:00&quot;/,
      'overlapping hours',
    )
    expect(
      await opening({ hours: '09:00-12:00, 16:00-13:15' }),
      'body.hours[1]',
      /ends before it starts/,
      'a range typed backwards (it would open the desk all night)',
    )
    t.equal((await holidays()).length, holidaysBefore, 'no holiday added')
    t.equal((await openings()).length, openingsBefore, 'no opening added')
  })

  t.test("a client's session reads the calendar and its openings, and changes nothing", async (t) => {
    const page = await get(`${PAGE}?year=2026`, acme)
    t.equal(page.statusCode, 200)
    t.match(page.body, /Ouvertures exceptionnelles[\s\S]*Permanence d&#39;inventaire/, 'the openings, read-only')
    t.notMatch(page.body, /<form(?! class="sign-out")/, 'no form but signing out')
    t.notMatch(page.body, /Travailler ce jour-là|Ajouter un jour férié|Ajouter une ouverture/)
    const [holidaysBefore, openingsBefore] = [await holidays(), await openings()]
    t.ok(openingsBefore[0], 'an opening to try removing')
    const refused = [
      await post(`${PAGE}/holidays`, acme, { ...DESK, name: 'Fête', start: '2026-12-20', _csrf: acme.csrf }),
      await post(`${PAGE}/holidays/yennayer-2026/remove`, acme, { ...DESK, _csrf: acme.csrf }),
      await post(`${PAGE}/openings`, acme, { ...DESK, date: '2026-12-10', hours: '09:00-12:00', _csrf: acme.csrf }),
      await post(`${PAGE}/openings/${openingsBefore[0]?.id}/remove`, acme, { ...DESK, _csrf: acme.csrf }),
    ]
    t.same(
      refused.map((response) => response.statusCode),
      [403, 403, 403, 403],
      'every form refused',
    )
    t.match(refused[0]?.body, /Accès refusé/)
    t.same(await holidays(), holidaysBefore, 'the holidays are as they were')
    t.same(await openings(), openingsBefore, 'and the openings')
  })

  t.test('each form needs the session token', async (t) => {
    const [holidaysBefore, openingsBefore] = [await holidays(), await openings()]
    t.ok(openingsBefore[0], 'an opening to try removing')
    const forms: [string, Record<string, string>][] = [
      [`${PAGE}/holidays`, { ...DESK, name: 'Fête', start: '2026-12-20' }],
      [`${PAGE}/holidays/yennayer-2026/remove`, DESK],
      [`${PAGE}/openings`, { ...DESK, date: '2026-12-10', hours: '09:00-12:00' }],
      [`${PAGE}/openings/${openingsBefore[0]?.id}/remove`, DESK],
    ]
    for (const [url, form] of forms) {
      const missing = await post(url, manager, form)
      t.equal(missing.statusCode, 403, `${url}: no token`)
      t.match(missing.body, /formulaire a expiré/)
      t.equal((await post(url, manager, { ...form, _csrf: admin.csrf })).statusCode, 403, `${url}: another session's`)
    }
    t.same(await holidays(), holidaysBefore, 'the holidays are as they were')
    t.same(await openings(), openingsBefore, 'and the openings')
  })
})
