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

  t.test('agents do not simulate', async (t) => {
    const answer = await post('/dashboard/what-if/contract', { contract: '1', quota: '10', ...period }, agent)
    t.equal(answer.statusCode, 403)
  })
})
