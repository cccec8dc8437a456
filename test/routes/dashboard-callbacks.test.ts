// The callbacks page through buildApp + inject: the desk's open requests late first, assigning one
// to an agent and closing it with a note (back on the page it came from), the latest done ones,
// pages of the queue, and who may see and post: managers only, with the form token.
import { eq } from 'drizzle-orm'
import type { LightMyRequestResponse } from 'fastify'
import t from 'tap'
import { callbacks } from '../../db/schema.js'
import { playCall } from '../../webhooks/simulator.js'
import { ACME_CALLER, ATLAS_CALLER, DESK_NUMBER, SATURDAY_10H, apiApp } from '../helpers/api.js'
import { type SignedIn, signIn } from '../helpers/dashboard.js'
import { eachDatabase } from '../helpers/databases.js'

const PAGE = '/dashboard/callbacks'

interface Row {
  id: number
  callSid: string
  text: string
}

/** The rows of one of the page's two tables ("open" or "done"), in order. */
function rowsOf(body: string, section: 'open' | 'done'): Row[] {
  const [before, after = ''] = body.split('id="done-title"')
  const part = section === 'open' ? (before as string) : after
  return [...part.matchAll(/<tr data-callback="(\d+)"[^>]*>([\s\S]*?)<\/tr>/g)].map((match) => ({
    id: Number(match[1]),
    callSid: /\/dashboard\/calls\/(CA[0-9a-f]+)/.exec(match[2] as string)?.[1] ?? '',
    text: match[2] as string,
  }))
}

eachDatabase(t, async (t, database) => {
  const { app, tokens, clock, twilio } = await apiApp(t, database)
  const missed = async (from: string, at: string) => {
    clock.set(at)
    return (await playCall(twilio, { from, to: DESK_NUMBER, answer: false })).callSid
  }
  // Two calls nobody answered the week before (late by Saturday), and a voicemail left on Thursday
  // evening, outside hours (due next week).
  const tuesday = await missed(ACME_CALLER, '2026-11-17T10:00:00+01:00')
  const wednesday = await missed(ATLAS_CALLER, '2026-11-18T10:00:00+01:00')
  clock.set('2026-11-26T20:00:00+01:00')
  const thursday = (await playCall(twilio, { from: ACME_CALLER, to: DESK_NUMBER, press: ['2'], voicemailSeconds: 20 })).callSid
  clock.set(SATURDAY_10H)

  const get = (url: string, who: SignedIn) => app.inject({ method: 'GET', url, headers: { cookie: who.cookie } })
  const post = (url: string, who: SignedIn, form: Record<string, string>) =>
    app.inject({ method: 'POST', url, payload: form, headers: { cookie: who.cookie } })
  const rowOf = async (callSid: string) => {
    const [row] = await database.db.select().from(callbacks).where(eq(callbacks.callSid, callSid))
    if (!row) throw new Error(`no callback for ${callSid}`)
    return row
  }
  const manager = await signIn(app, tokens.manager as string)
  const admin = await signIn(app, tokens.admin as string)
  const acme = await signIn(app, tokens.client as string)

  t.test('the open requests, by due time: the late ones first, flagged as on Today', async (t) => {
    const page = await get(PAGE, manager)
    t.equal(page.statusCode, 200)
    const open = rowsOf(page.body, 'open')
    t.same(
      open.map((row) => row.callSid),
      [tuesday, wednesday, thursday],
      'the earliest due first',
    )
    t.match(open[0]?.text, /en retard de \d+\u00a0j/, 'Tuesday’s is late by days')
    t.match(open[1]?.text, /en retard de/)
    t.notMatch(open[2]?.text, /en retard/, 'Thursday’s is not due yet')
    t.match(open[0]?.text, /ACME SARL<br><small class="num">\+213661000001<\/small>/, 'the client and the number')
    t.match(open[0]?.text, /sans réponse/, 'the reason')
    t.match(open[2]?.text, /hors horaires<br><small>message de 20\u00a0s<\/small>/, 'a voicemail says so')
    t.match(open[2]?.text, new RegExp(`href="/dashboard/calls/${thursday}"`), "a link to the call's page")
    t.match(
      open[0]?.text,
      /<option value="">Choisir un agent<\/option><option value="amina">Amina<\/option><option value="karim">Karim<\/option><option value="yacine">Yacine<\/option>/,
      "the desk's active agents to choose from",
    )
    t.match(open[0]?.text, /name="from" value="callbacks"/, 'the done form says where it comes from')
    t.match(page.body, /Demandes ouvertes <span class="count count-bad">3<\/span>/)
    t.match(page.body, /3 demandes ouvertes, dont 2 en retard\./)
    t.match(page.body, /<a href="\/dashboard\/callbacks" aria-current="page">Rappels<\/a>/, 'in the menu, current')
    t.match(page.body, /Aucun rappel n&#39;a encore été traité/, 'nothing done yet')
    t.notMatch(page.body, /rel="next"/, 'one page only')
    const calls = (await get(`/dashboard/calls/${thursday}`, manager)).body
    t.match(calls, /Message enregistré[\s\S]*Écouter/, "the call's page has the recording")
    t.match(calls, /<code class="token">recording<\/code>/, 'and its webhooks')
    const english = await get(`${PAGE}?lang=en`, manager)
    t.match(english.body, /<h1>Callbacks · Assistance INTERcom<\/h1>[\s\S]*late by/)
  })

  t.test('the menu has the page between Calls and Usage; Today links to it', async (t) => {
    const today = (await get('/dashboard', manager)).body
    t.match(
      today,
      /href="\/dashboard\/calls">Appels<\/a><\/li>\s*<li><a href="\/dashboard\/callbacks">Rappels<\/a><\/li>\s*<li><a href="\/dashboard\/usage">/,
    )
    t.match(today, /<a href="\/dashboard\/callbacks">Toute la file des rappels<\/a>/, "from the late callbacks' card")
    t.equal((await get(`${PAGE}?desk=intercom`, manager)).statusCode, 200, 'a desk asked for')
    t.equal((await get(`${PAGE}?desk=ghost`, manager)).statusCode, 404, 'an unknown desk')
    t.equal((await get(`${PAGE}?cursor=elsewhere`, manager)).statusCode, 400, 'a cursor the page did not give out')
  })

  t.test('assigning a request records the agent and who gave it; the page shows it', async (t) => {
    const { id } = await rowOf(wednesday)
    clock.set('2026-11-28T10:05:00+01:00')
    const answer = await post(`${PAGE}/${id}/assign`, manager, { agent: 'karim', desk: 'intercom', _csrf: manager.csrf })
    t.equal(answer.statusCode, 303)
    t.equal(answer.headers.location, '/dashboard/callbacks?desk=intercom&done=callback-assigned', 'back to the page')
    t.match(await rowOf(wednesday), {
      assignedTo: 'karim',
      assignedBy: 'desk manager',
      assignedAt: new Date('2026-11-28T09:05:00Z'),
      status: 'open',
    })
    const page = await get(answer.headers.location as string, manager)
    t.match(page.body, /<p class="flash" role="status">Rappel attribué\.<\/p>/)
    const row = rowsOf(page.body, 'open').find((r) => r.callSid === wednesday)
    t.match(row?.text, /data-assigned="karim" data-label="Attribué à"><strong>Karim<\/strong>/)
    t.match(row?.text, /par desk manager, 28\/11\/2026 10\u00a0h\u00a005/)
    t.match(row?.text, /<option value="karim" selected>Karim<\/option>/, 'the select shows who has it')
    t.notMatch(row?.text, /Choisir un agent/)
    await post(`${PAGE}/${id}/assign`, admin, { agent: 'amina', _csrf: admin.csrf })
    t.match(await rowOf(wednesday), { assignedTo: 'amina', assignedBy: 'ops admin' }, 'a later assignment replaces it')
    clock.set(SATURDAY_10H)
  })

  t.test('marking done from the page comes back to it; the request moves to the done list', async (t) => {
    const { id } = await rowOf(tuesday)
    clock.set('2026-11-28T10:10:00+01:00')
    const answer = await post(`${PAGE}/${id}/done`, manager, {
      note: 'Rappelé : licence renouvelée',
      desk: 'intercom',
      from: 'callbacks',
      _csrf: manager.csrf,
    })
    t.equal(answer.headers.location, '/dashboard/callbacks?desk=intercom&done=callback-done')
    t.match(await rowOf(tuesday), { status: 'done', doneBy: 'desk manager', note: 'Rappelé : licence renouvelée' })
    const page = await get(answer.headers.location as string, manager)
    t.match(page.body, /Rappel marqué traité\./)
    t.notOk(
      rowsOf(page.body, 'open').some((row) => row.callSid === tuesday),
      'no longer open',
    )
    const [done] = rowsOf(page.body, 'done')
    t.equal(done?.callSid, tuesday, 'in the done list')
    t.match(done?.text, /28\/11\/2026 10\u00a0h\u00a010<br><small class="late">traité avec \d+\u00a0j[^<]* de retard<\/small>/)
    t.match(
      done?.text,
      /<td data-label="Par">desk manager<\/td>\s*<td class="note full">Rappelé : licence renouvelée<\/td>/,
      'by whom, and the note',
    )

    // From Today (as its form has always posted), back to Today; the latest done comes first.
    const other = await rowOf(thursday)
    clock.set('2026-11-28T10:20:00+01:00')
    const fromToday = await post(`${PAGE}/${other.id}/done`, admin, { note: 'Message écouté, rappelé', _csrf: admin.csrf })
    t.equal(fromToday.headers.location, '/dashboard?done=callback-done', 'no from: back to Today')
    t.same(
      rowsOf((await get(PAGE, manager)).body, 'done').map((row) => row.callSid),
      [thursday, tuesday],
      'most recent done first',
    )
    const elsewhere = await post(`${PAGE}/${(await rowOf(wednesday)).id}/done`, manager, {
      note: 'x',
      from: 'https://evil.example/',
      _csrf: manager.csrf,
    })
    t.equal(elsewhere.statusCode, 400, 'from is one of the pages, never an address')
    t.match(elsewhere.body, /<code>body\.from<\/code>/)
    clock.set(SATURDAY_10H)
  })

  t.test('mistakes are named: unknown request 404, done twice 409, unknown agent 400', async (t) => {
    const done = await rowOf(tuesday)
    const open = await rowOf(wednesday)
    const expect = (response: LightMyRequestResponse, status: number, body: RegExp, what: string) => {
      t.equal(response.statusCode, status, what)
      t.match(response.headers['content-type'], /^text\/html/, `${what}: an HTML page`)
      t.match(response.body, body, `${what}: says why`)
    }
    expect(
      await post(`${PAGE}/99999/assign`, manager, { agent: 'karim', _csrf: manager.csrf }),
      404,
      /Page introuvable/,
      'assigning an unknown request',
    )
    expect(
      await post(`${PAGE}/99999999999/assign`, manager, { agent: 'karim', _csrf: manager.csrf }),
      400,
      /params\.id/,
      'a request number no row can have',
    )
    t.equal((await get(`${PAGE}?cursor=${'9'.repeat(40)}`, manager)).statusCode, 400, 'nor a cursor')
    expect(
      await post(`${PAGE}/99999/done`, manager, { note: 'x', _csrf: manager.csrf }),
      404,
      /Page introuvable/,
      'closing an unknown request',
    )
    expect(
      await post(`${PAGE}/${done.id}/done`, manager, { note: 'encore', from: 'callbacks', _csrf: manager.csrf }),
      409,
      /Action impossible[\s\S]*déjà marqué traité/,
      'closing it twice',
    )
    expect(
      await post(`${PAGE}/${done.id}/assign`, manager, { agent: 'karim', _csrf: manager.csrf }),
      409,
      /déjà marqué traité/,
      'assigning a done request',
    )
    expect(
      await post(`${PAGE}/${open.id}/assign`, manager, { agent: 'nobody', _csrf: manager.csrf }),
      400,
      /<code>body\.agent<\/code> : there is no active agent with this id/,
      'an unknown agent',
    )
    expect(
      await post(`${PAGE}/${open.id}/assign`, manager, { _csrf: manager.csrf }),
      400,
      /<code>body\.agent<\/code>/,
      'no agent',
    )
    expect(
      await post(`${PAGE}/${open.id}/done`, manager, { note: '  ', _csrf: manager.csrf }),
      400,
      /<code>body\.note<\/code>/,
      'an empty note',
    )
    t.equal((await rowOf(tuesday)).note, 'Rappelé : licence renouvelée', 'the first note is kept')
    t.match(await rowOf(wednesday), { status: 'open', assignedTo: 'amina' }, 'nothing changed')
  })

  t.test("a client's session neither sees the page nor posts to it", async (t) => {
    const { id } = await rowOf(wednesday)
    const page = await get(PAGE, acme)
    t.equal(page.statusCode, 403, 'managers only, as the contracts page')
    t.match(page.body, /Accès refusé/)
    t.notMatch((await get('/dashboard', acme)).body, /\/dashboard\/callbacks/, 'no menu item, no link')
    t.equal((await post(`${PAGE}/${id}/assign`, acme, { agent: 'karim', _csrf: acme.csrf })).statusCode, 403)
    t.equal((await post(`${PAGE}/${id}/done`, acme, { note: 'x', _csrf: acme.csrf })).statusCode, 403)
    t.match(await rowOf(wednesday), { status: 'open', assignedTo: 'amina' }, 'nothing changed')
    const stranger = await app.inject({ method: 'GET', url: PAGE })
    t.equal(stranger.statusCode, 303, 'no session: sign in first')
  })

  t.test("an agent's session: Today and the queue, closing requests; no assigning, calls, usage or contracts", async (t) => {
    const amina = await signIn(app, tokens.agent as string)
    const { id } = await rowOf(wednesday)
    const page = await get(PAGE, amina)
    t.equal(page.statusCode, 200)
    t.match(page.body, new RegExp(`data-callback="${id}"`), 'the open requests')
    t.notMatch(page.body, /\/assign"/, 'no form to give a request to someone')
    t.match(page.body, /\/done"/, 'a form to close one')
    const today = await get('/dashboard', amina)
    t.equal(today.statusCode, 200)
    const menu = /<nav[\s\S]*?<\/nav>/.exec(today.body)?.[0] ?? ''
    t.match(menu, /\/dashboard\/callbacks/, 'the queue in the menu')
    t.notMatch(menu, /\/dashboard\/(usage|calls|contracts|calendar|notifications)"/, 'and nothing else but Today')
    for (const url of [
      '/dashboard/usage',
      '/dashboard/calls',
      '/dashboard/contracts',
      '/dashboard/calendar',
      '/dashboard/notifications',
    ])
      t.equal((await get(url, amina)).statusCode, 403, `${url} refused`)
    t.equal((await post(`${PAGE}/${id}/assign`, amina, { agent: 'karim', _csrf: amina.csrf })).statusCode, 403)
    t.equal((await post(`${PAGE}/99999/done`, amina, { note: 'x', _csrf: amina.csrf })).statusCode, 404, 'closing is allowed')
    t.match(await rowOf(wednesday), { status: 'open', assignedTo: 'amina' }, 'nothing changed')
  })

  t.test('a form without the session token is refused', async (t) => {
    const { id } = await rowOf(wednesday)
    const missing = await post(`${PAGE}/${id}/assign`, manager, { agent: 'karim' })
    t.equal(missing.statusCode, 403)
    t.match(missing.body, /formulaire a expiré/)
    t.equal(
      (await post(`${PAGE}/${id}/assign`, manager, { agent: 'karim', _csrf: admin.csrf })).statusCode,
      403,
      "another session's",
    )
    t.equal((await post(`${PAGE}/${id}/done`, manager, { note: 'x' })).statusCode, 403)
    t.match(await rowOf(wednesday), { status: 'open', assignedTo: 'amina' }, 'nothing changed')
  })

  t.test('a long queue comes in pages of 100, with a link to the next', async (t) => {
    // 100 more calls nobody answered, on Saturday morning: all due after the three above.
    for (let i = 0; i < 100; i++) await missed(ACME_CALLER, new Date(Date.parse(SATURDAY_10H) + (i + 1) * 60_000).toISOString())
    clock.set(SATURDAY_10H)
    const first = await get(PAGE, manager)
    const rows = rowsOf(first.body, 'open')
    t.equal(rows.length, 100, 'a hundred on the first page')
    t.match(first.body, /101 demandes ouvertes, dont 1 en retard\./, 'the count is of the whole queue')
    const next = /href="([^"]+)" rel="next"/.exec(first.body)?.[1]?.replaceAll('&amp;', '&')
    t.ok(next, 'a next page link')
    const second = await get(next as string, manager)
    const rest = rowsOf(second.body, 'open')
    t.equal(rest.length, 1, 'the last one on the second')
    t.same(new Set([...rows, ...rest].map((row) => row.id)).size, 101, 'every open request once')
    t.match(second.body, /<a href="\/dashboard\/callbacks">← Revenir aux premières<\/a>/)
    t.notMatch(second.body, /rel="next"/, 'the last page')
  })
})
