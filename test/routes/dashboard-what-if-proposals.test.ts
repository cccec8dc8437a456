// "Simuler" from the Contracts and Calendar pages, before anything is saved: a contract's revised
// terms and a desk's hours or closure, built on the file in force and replayed over calls the
// simulator played; the answer names the proposal and ranks the clients most affected. Nothing
// is written; agents never see the forms.
import t from 'tap'
import { playCall } from '../../webhooks/simulator.js'
import { ACME_CALLER, ATLAS_CALLER, DESK_NUMBER, apiApp } from '../helpers/api.js'
import { signIn } from '../helpers/dashboard.js'
import { eachDatabase } from '../helpers/databases.js'

eachDatabase(t, async (t, database) => {
  const { app, send, tokens, twilio, clock } = await apiApp(t, database)
  // Saturday 21 November in Algiers: ACME talks 20 min, then 15; Atlas 5.
  clock.set('2026-11-21T10:00:00+01:00')
  await playCall(twilio, { from: ACME_CALLER, to: DESK_NUMBER, talkSeconds: 1200 })
  clock.set('2026-11-21T11:00:00+01:00')
  await playCall(twilio, { from: ACME_CALLER, to: DESK_NUMBER, talkSeconds: 900 })
  clock.set('2026-11-21T11:30:00+01:00')
  await playCall(twilio, { from: ATLAS_CALLER, to: DESK_NUMBER, talkSeconds: 300 })
  clock.set('2026-11-28T12:00:00+01:00')
  const manager = await signIn(app, tokens.manager as string)
  const agent = await signIn(app, tokens.agent as string)
  const before = (await send('GET', '/api/config')).json()
  const before0 = before
  const post = (url: string, fields: Record<string, string>, session = manager) =>
    app.inject({
      method: 'POST',
      url,
      headers: { cookie: session.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: session.csrf, ...fields }).toString(),
    })
  const period = { from: '2026-11-01', to: '2026-11-28' }

  t.test('the Contracts page offers a revision to simulate; ACME at 10 minutes, refused beyond', async (t) => {
    const page = await app.inject({ method: 'GET', url: '/dashboard/contracts', headers: { cookie: manager.cookie } })
    t.match(
      page.body,
      /<form method="post" action="\/dashboard\/what-if\/contract"[^>]*data-simulate="1">/,
      'a form per contract',
    )
    t.match(page.body, /name="from" value="2026-10-01"/, 'the last month and this one by default')
    const answer = await post('/dashboard/what-if/contract', { contract: '1', quota: '10', overage: 'refuse', ...period })
    t.equal(answer.statusCode, 200, answer.body.slice(0, 300))
    t.match(answer.body, /data-proposal><strong>Simulation : ACME SARL \(intercom\) — /, 'the proposal named')
    t.match(answer.body, /3 appels rejoués, 1 changerait\./, "ACME's second call would meet its quota used up")
    const affected = /<section class="card" data-most-affected>([\s\S]*?)<\/section>/.exec(answer.body)?.[1]
    t.match(affected, /<li data-client="acme"><strong>ACME SARL<\/strong>/, 'ACME first among the clients most affected')
    t.notMatch(affected, /atlas/, 'Atlas not affected')
    t.match(
      answer.body,
      /&quot;changes&quot;: \[\n\s+\{\n\s+&quot;from&quot;: &quot;2026-11-01&quot;/,
      'the revision from the period on, in the file shown',
    )
    t.same((await send('GET', '/api/config')).json(), before, 'nothing saved')

    const nothing = await post('/dashboard/what-if/contract', { contract: '1', quota: '', overage: '', ...period })
    t.equal(nothing.statusCode, 400)
    t.match(nothing.body, /<code>revision<\/code> : give at least one term to revise/)
    const missing = await post('/dashboard/what-if/contract', { contract: '999', quota: '10', ...period })
    t.equal(missing.statusCode, 404, 'an unknown contract')
  })

  t.test('the Calendar page offers hours and a closure to simulate', async (t) => {
    const page = await app.inject({ method: 'GET', url: '/dashboard/calendar', headers: { cookie: manager.cookie } })
    t.match(page.body, /<form method="post" action="\/dashboard\/what-if\/calendar"[^>]*data-simulate>/)
    const closedSaturday = await post('/dashboard/what-if/calendar', { desk: 'intercom', weekday: 'sat', hours: '', ...period })
    t.equal(closedSaturday.statusCode, 200, closedSaturday.body.slice(0, 300))
    t.match(closedSaturday.body, /Simulation : intercom — fermé le samedi/)
    t.match(closedSaturday.body, /3 appels rejoués, 3 changeraient\./, 'every Saturday call closed')
    t.match(closedSaturday.body, /ACME SARL : 2 appels trouveraient le service fermé \(2 nouveaux\)/)
    const closure = await post('/dashboard/what-if/calendar', {
      desk: 'intercom',
      weekday: '',
      closureStart: '2026-11-21',
      ...period,
    })
    t.match(closure.body, /fermé le 2026-11-21/)
    t.match(closure.body, /3 appels rejoués, 3 changeraient\./)
    const shorter = await post('/dashboard/what-if/calendar', {
      desk: 'intercom',
      weekday: 'sat',
      hours: '09:30-10:30',
      ...period,
    })
    t.match(shorter.body, /le samedi : 09:30-10:30/)
    t.match(shorter.body, /3 appels rejoués, 2 changeraient\./, 'the calls after 10:30 closed')
    const bad = await post('/dashboard/what-if/calendar', { desk: 'intercom', weekday: 'sat', hours: '25:00-26:00', ...period })
    t.equal(bad.statusCode, 400, 'hours that do not validate')
    t.match(bad.body, /<code>calendar<\/code>/)
    const empty = await post('/dashboard/what-if/calendar', { desk: 'intercom', ...period })
    t.match(empty.body, /give hours for a weekday or a closure/)
    const noDesk = await post('/dashboard/what-if/calendar', { desk: 'nowhere', closureStart: '2026-11-21', ...period })
    t.match(noDesk.body, /desk nowhere not found/)
    t.same((await send('GET', '/api/config')).json(), before, 'nothing saved')
  })

  t.test('a revision or new hours from their own date: calls before it under the terms in force', async (t) => {
    // Wednesday 25 November: ACME talks 10 min more (its month then at 45 min).
    clock.set('2026-11-25T10:00:00+01:00')
    await playCall(twilio, { from: ACME_CALLER, to: DESK_NUMBER, talkSeconds: 600 })
    clock.set('2026-11-28T12:00:00+01:00')
    const page = await app.inject({ method: 'GET', url: '/dashboard/contracts', headers: { cookie: manager.cookie } })
    t.match(
      page.body,
      /<label for="simulate-1-effective">À partir du [\s\S]*?<input id="simulate-1-effective" type="date" name="effective" max="2026-11-28">/,
    )
    const revision = { contract: '1', quota: '10', overage: 'refuse', ...period }
    const whole = await post('/dashboard/what-if/contract', revision)
    t.match(whole.body, /4 appels rejoués, 2 changeraient\./, 'by default from the first day: both calls beyond 10 min refused')
    const fromWednesday = await post('/dashboard/what-if/contract', { ...revision, effective: '2026-11-25' })
    t.equal(fromWednesday.statusCode, 200, fromWednesday.body.slice(0, 300))
    t.match(fromWednesday.body, /Simulation : ACME SARL \(intercom\) — [^<]*, à partir du 2026-11-25/, 'the date said')
    t.match(
      fromWednesday.body,
      /4 appels rejoués, 1 changerait\./,
      "Saturday's calls under the terms in force, Wednesday's refused",
    )
    const changed = /<table class="what-if-calls[\s\S]*?<\/table>/.exec(fromWednesday.body)?.[0] ?? ''
    t.equal(changed.match(/<tr data-call=/g)?.length, 1, 'one changed call')
    t.match(changed, /mercredi 25|25\/11\/2026/, "Wednesday's")
    t.match(fromWednesday.body, /&quot;from&quot;: &quot;2026-11-25&quot;/, 'the change from its date in the file shown')
    const after = await post('/dashboard/what-if/contract', { ...revision, effective: '2026-11-26' })
    t.match(after.body, /4 appels rejoués, 0 changeraient\./, 'from after the last call: nothing changes')
    const before = await post('/dashboard/what-if/contract', { ...revision, effective: '2025-06-01' })
    t.match(before.body, /4 appels rejoués, 2 changeraient\./, 'a date before the period: the whole period revised')

    const late = await post('/dashboard/what-if/contract', { ...revision, effective: '2026-11-29' })
    t.equal(late.statusCode, 400, 'a date after the period')
    t.match(
      late.body,
      /<code>effective<\/code> : must not be after the period&#39;s last day \(2026-11-28\)|<code>effective<\/code> : must not be after the period.s last day \(2026-11-28\)/,
    )
    const notDate = await post('/dashboard/what-if/contract', { ...revision, effective: '2026-02-30' })
    t.equal(notDate.statusCode, 400, 'a date that is not one')
    t.match(notDate.body, /<code>effective<\/code> : /)
    t.notMatch(notDate.body, /data-what-if-summary/, 'nothing replayed')

    const calendar = await app.inject({ method: 'GET', url: '/dashboard/calendar', headers: { cookie: manager.cookie } })
    t.match(calendar.body, /<input id="simulate-effective" type="date" name="effective"/)
    const wednesdays = await post('/dashboard/what-if/calendar', {
      desk: 'intercom',
      weekday: 'wed',
      hours: '',
      effective: '2026-11-25',
      ...period,
    })
    t.equal(wednesdays.statusCode, 200, wednesdays.body.slice(0, 300))
    t.match(wednesdays.body, /Simulation : intercom — fermé le mercredi, à partir du 2026-11-25/)
    t.match(wednesdays.body, /4 appels rejoués, 1 changerait\./, "Wednesday's call closed")
    const saturdays = await post('/dashboard/what-if/calendar', {
      desk: 'intercom',
      weekday: 'sat',
      hours: '',
      effective: '2026-11-22',
      ...period,
    })
    t.match(
      saturdays.body,
      /4 appels rejoués, 0 changeraient\./,
      "closed on Saturdays from the 22nd: the 21st's calls as they were",
    )
    const badHours = await post('/dashboard/what-if/calendar', {
      desk: 'intercom',
      weekday: 'sat',
      hours: '',
      effective: 'soon',
      ...period,
    })
    t.match(badHours.body, /<code>effective<\/code> : /)
    t.same((await send('GET', '/api/config')).json(), before0, 'nothing saved')
  })

  t.test('agents do not simulate', async (t) => {
    const answer = await post('/dashboard/what-if/contract', { contract: '1', quota: '10', ...period }, agent)
    t.equal(answer.statusCode, 403)
  })
})
