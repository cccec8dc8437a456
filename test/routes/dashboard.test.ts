// The dashboard through buildApp + inject: sign-in and its cookie, security headers, a client's
// session confined to its client, form tokens, sessions ended by sign-out, expiry, revocation or a
// changed ADMIN_TOKEN, the language switch, and the managers' forms.
import { eq, isNull } from 'drizzle-orm'
import type { LightMyRequestResponse } from 'fastify'
import t from 'tap'
import { agents, auditLog, sessions, tokens as tokenTable } from '../../db/schema.js'
import { buildApp } from '../../src/app.js'
import { hashToken } from '../../src/domain/access.js'
import { revokeToken } from '../../src/store/tokens.js'
import { playCall } from '../../webhooks/simulator.js'
import { TEST_ADMIN_TOKEN, testApp, testConfig, TEST_DEADLINES } from '../helpers/app.js'
import { ACME_CALLER, ATLAS_CALLER, DESK_NUMBER, apiApp } from '../helpers/api.js'
import { type SignedIn, signIn } from '../helpers/dashboard.js'
import { eachDatabase, freshDatabase } from '../helpers/databases.js'

const cookiesOf = (response: LightMyRequestResponse) => [response.headers['set-cookie'] ?? []].flat().map(String)

eachDatabase(t, async (t, database) => {
  const api = await apiApp(t, database)
  const { app, tokens, clock } = api
  const acmeCall = (await playCall(api.twilio, { from: ACME_CALLER, to: DESK_NUMBER, talkSeconds: 300 })).callSid
  const atlasCall = (await playCall(api.twilio, { from: ATLAS_CALLER, to: DESK_NUMBER, talkSeconds: 200 })).callSid
  const get = (url: string, who?: SignedIn, headers: Record<string, string> = {}) =>
    app.inject({ method: 'GET', url, headers: { ...(who ? { cookie: who.cookie } : {}), ...headers } })
  const post = (url: string, who: SignedIn | null, form: Record<string, string>, headers: Record<string, string> = {}) =>
    app.inject({ method: 'POST', url, payload: form, headers: { ...(who ? { cookie: who.cookie } : {}), ...headers } })

  t.test('a stranger is sent to the sign-in page, which says where it came from', async (t) => {
    const response = await get('/dashboard/calls?client=acme')
    t.equal(response.statusCode, 303)
    t.equal(response.headers.location, '/dashboard/sign-in?next=%2Fdashboard%2Fcalls%3Fclient%3Dacme')
    const page = await get('/dashboard/sign-in?next=%2Fdashboard%2Fcalls')
    t.equal(page.statusCode, 200)
    t.match(page.body, /<input type="hidden" name="next" value="\/dashboard\/calls">/)
    t.equal((await get('/')).headers.location, '/dashboard', 'the root leads to the dashboard')
  })

  t.test('every page carries the security headers and a strict CSP', async (t) => {
    const manager = await signIn(app, tokens.manager as string)
    for (const url of [
      '/dashboard/sign-in',
      '/dashboard',
      '/dashboard/calls',
      `/dashboard/calls/${acmeCall}`,
      '/dashboard/usage?client=acme',
      '/dashboard/callbacks',
      '/dashboard/calendar',
      '/dashboard/contracts',
      '/dashboard/nowhere',
    ]) {
      const response = await get(url, url.endsWith('sign-in') ? undefined : manager)
      t.equal(response.statusCode, url.endsWith('nowhere') ? 404 : 200, `${url}: the page itself`)
      const csp = String(response.headers['content-security-policy'])
      t.match(csp, /default-src 'none'/, `${url}: CSP`)
      t.match(csp, /script-src 'self'/)
      t.match(csp, /style-src 'self'/)
      t.match(csp, /frame-ancestors 'none'/)
      t.match(csp, /form-action 'self'/)
      t.notMatch(csp, /unsafe-inline|unsafe-eval/, 'no inline script or style allowed')
      t.match(csp, /upgrade-insecure-requests/, 'PUBLIC_URL is https here')
      t.equal(response.headers['x-content-type-options'], 'nosniff')
      t.equal(response.headers['x-frame-options'], 'DENY')
      t.equal(response.headers['referrer-policy'], 'same-origin')
      t.match(response.headers['strict-transport-security'], /max-age=31536000/)
      t.equal(response.headers['cache-control'], 'no-store', 'call data is never cached')
      t.match(response.headers['content-type'], /^text\/html/)
    }
    t.equal((await get('/dashboard/nowhere', manager)).statusCode, 404, 'an unknown page is an HTML 404')
    const apiAnswer = await app.inject({
      method: 'GET',
      url: '/api/usage',
      headers: { authorization: `Bearer ${tokens.manager}` },
    })
    t.notOk(apiAnswer.headers['content-security-policy'], 'the API is left as it was')
  })

  t.test('signing in opens a server-side session in an HttpOnly, Secure, SameSite=Strict cookie', async (t) => {
    const response = await post('/dashboard/sign-in', null, { token: tokens.manager as string, next: '/dashboard/usage' })
    t.equal(response.statusCode, 303)
    t.equal(response.headers.location, '/dashboard/usage', 'back where the manager was going')
    const [cookie] = cookiesOf(response)
    t.match(cookie, /^__Host-sl_session=[A-Za-z0-9_-]{43}; Max-Age=43200; Path=\/; HttpOnly; Secure; SameSite=Strict$/)
    const secret = /=([^;]+)/.exec(cookie as string)?.[1] as string
    const [row] = await database.db
      .select()
      .from(sessions)
      .where(eq(sessions.idHash, hashToken(secret)))
    t.ok(row, 'the row is found by the hash of the secret')
    t.equal(row?.expiresAt.getTime(), clock.now().getTime() + 12 * 3_600_000, '12 hours')
    const stored = JSON.stringify(await database.db.select().from(sessions))
    t.notOk(stored.includes(secret), 'the secret itself is not stored')
  })

  t.test('a wrong token: 401 page, no cookie; a path elsewhere is not followed', async (t) => {
    const wrong = await post('/dashboard/sign-in', null, { token: 'sl_wrong' }, { 'x-forwarded-for': '192.0.2.10' })
    t.equal(wrong.statusCode, 401)
    t.match(wrong.body, /Ce jeton n&#39;est pas valide/)
    t.same(cookiesOf(wrong), [])
    const revoked = await post('/dashboard/sign-in', null, { token: tokens.revoked as string })
    t.equal(revoked.statusCode, 401, 'a revoked token cannot sign in')
    const away = await post('/dashboard/sign-in', null, { token: tokens.manager as string, next: 'https://evil.example/' })
    t.equal(away.headers.location, '/dashboard', 'an outside address is replaced by the dashboard')
  })

  t.test('repeated failures from one address are braked, as on the API', async (t) => {
    let last: LightMyRequestResponse | null = null
    for (let i = 0; i < 21; i++)
      last = await app.inject({
        method: 'POST',
        url: '/dashboard/sign-in',
        payload: { token: `sl_guess${i}` },
        remoteAddress: '198.51.100.7',
      })
    t.equal(last?.statusCode, 429)
    t.match(last?.body, /Trop d&#39;essais/)
  })

  t.test('a form without the session token, or from another site, is refused', async (t) => {
    const manager = await signIn(app, tokens.manager as string)
    const before = await database.db.select({ onDuty: agents.onDuty }).from(agents).where(eq(agents.id, 'karim'))
    const missing = await post('/dashboard/agents/karim/duty', manager, { onDuty: 'false' })
    t.equal(missing.statusCode, 403)
    t.match(missing.body, /formulaire a expiré/)
    const wrong = await post('/dashboard/agents/karim/duty', manager, { onDuty: 'false', _csrf: 'x'.repeat(43) })
    t.equal(wrong.statusCode, 403, 'a wrong token too')
    const otherSession = await signIn(app, tokens.admin as string)
    const borrowed = await post('/dashboard/agents/karim/duty', manager, { onDuty: 'false', _csrf: otherSession.csrf })
    t.equal(borrowed.statusCode, 403, "another session's token too")
    const crossSite = await post(
      '/dashboard/agents/karim/duty',
      manager,
      { onDuty: 'false', _csrf: manager.csrf },
      { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
    )
    t.equal(crossSite.statusCode, 403, 'a cross-site post, even with the token')
    t.same(
      await database.db.select({ onDuty: agents.onDuty }).from(agents).where(eq(agents.id, 'karim')),
      before,
      'nothing changed',
    )
    const ok = await post(
      '/dashboard/agents/karim/duty',
      manager,
      { onDuty: 'false', desk: 'intercom', _csrf: manager.csrf },
      { origin: 'https://supportline.example.com', 'sec-fetch-site': 'same-origin' },
    )
    t.equal(ok.statusCode, 303)
    t.equal(ok.headers.location, '/dashboard?desk=intercom&done=duty-off')
    t.same(await database.db.select({ onDuty: agents.onDuty }).from(agents).where(eq(agents.id, 'karim')), [{ onDuty: false }])
    const [audit] = await database.db.select().from(auditLog).where(eq(auditLog.action, 'api.duty'))
    t.match(audit, { actor: 'desk manager', entityId: 'karim' }, "recorded with the token's name")
    t.match((await get('/dashboard?done=duty-off', manager)).body, /retiré de la permanence/, 'the page says what was done')
    await post('/dashboard/agents/karim/duty', manager, { onDuty: 'true', _csrf: manager.csrf })
  })

  t.test("the usage page links the month's statement as CSV, the API's own", async (t) => {
    const manager = await signIn(app, tokens.manager as string)
    const page = await get('/dashboard/usage?client=acme&month=2026-11', manager)
    const link = /href="([^"]+statement\.csv[^"]*)"/.exec(page.body)?.[1]
    t.ok(link, 'a download link on the page')
    const csv = await get((link as string).replaceAll('&amp;', '&'), manager)
    t.equal(csv.statusCode, 200)
    t.match(csv.headers['content-type'], /^text\/csv/)
    t.match(csv.headers['content-disposition'], /statement-acme-2026-11\.csv/)
    const fromApi = await app.inject({
      method: 'GET',
      url: '/api/clients/acme/statements/2026-11',
      headers: { authorization: `Bearer ${tokens.manager}`, accept: 'text/csv' },
    })
    t.equal(csv.body, fromApi.body, 'the same file as the API gives')
    t.match(csv.body, new RegExp(`call,\\d+,intercom,${acmeCall}`), "ACME's call on it")
    t.notMatch(csv.body, new RegExp(atlasCall), "not Atlas's")
    const noClient = await get('/dashboard/usage/statement.csv?month=2026-11', manager)
    t.equal(noClient.statusCode, 400, 'a manager must say whose statement')
    t.equal((await get('/dashboard/usage/statement.csv?client=ghost&month=2026-11', manager)).statusCode, 404)
    t.equal((await get('/dashboard/usage/statement.csv?client=acme&month=2026-13', manager)).statusCode, 400)
    t.equal((await get('/dashboard/usage/statement.csv?client=acme&month=2026-11')).statusCode, 303, 'no session: sign in first')
  })

  t.test("a client's session sees its own client only, and changes nothing", async (t) => {
    const acme = await signIn(app, tokens.client as string)
    const calls = await get('/dashboard/calls?client=atlas', acme)
    t.equal(calls.statusCode, 200)
    t.match(calls.body, new RegExp(`data-call="${acmeCall}"`), 'its own call')
    t.notMatch(calls.body, new RegExp(atlasCall), "not Atlas's, even when asked for")
    t.notMatch(calls.body, /name="client"/, 'no client filter')
    t.equal((await get(`/dashboard/calls/${atlasCall}`, acme)).statusCode, 404, "another client's call does not exist for it")
    t.equal((await get(`/dashboard/calls/${acmeCall}`, acme)).statusCode, 200)
    const csv = await get('/dashboard/calls.csv?client=atlas', acme)
    t.match(csv.headers['content-type'], /^text\/csv/)
    t.match(csv.body, new RegExp(acmeCall))
    t.notMatch(csv.body, new RegExp(atlasCall), 'nor in the export')
    const usage = await get('/dashboard/usage?client=atlas', acme)
    t.match(usage.body, /data-client="acme"/)
    t.notMatch(usage.body, /Atlas Pharma/, "no other client's usage")
    const statement = await get('/dashboard/usage/statement.csv?client=atlas&month=2026-11', acme)
    t.equal(statement.statusCode, 200)
    t.match(statement.body, new RegExp(acmeCall), 'its own statement')
    t.notMatch(statement.body, new RegExp(atlasCall), "never another client's")
    const today = await get('/dashboard', acme)
    t.equal(today.statusCode, 200, 'Today opens for a client')
    t.notMatch(today.body, /\/duty"/, 'no duty switch')
    t.notMatch(today.body, new RegExp(atlasCall), "no other client's call of the day")
    t.equal((await get('/dashboard/contracts', acme)).statusCode, 403, 'contracts are for managers, as in the API')
    const calendar = await get('/dashboard/calendar', acme)
    t.equal(calendar.statusCode, 200, 'the calendar opens for a client')
    t.match(calendar.body, /data-holiday=/, 'and lists the holidays')
    t.notMatch(calendar.body, /holidays\/[a-z0-9-]+\/confirm/, 'the calendar is read-only')
    const refused = await post('/dashboard/agents/karim/duty', acme, { onDuty: 'false', _csrf: acme.csrf })
    t.equal(refused.statusCode, 403, 'a client cannot switch duty')
  })

  t.test('signing out deletes the session; the cookie no longer opens anything', async (t) => {
    const manager = await signIn(app, tokens.manager as string)
    const out = await post('/dashboard/sign-out', manager, { _csrf: manager.csrf })
    t.equal(out.headers.location, '/dashboard/sign-in?out=1')
    t.match(cookiesOf(out)[0], /^__Host-sl_session=; Max-Age=0; Path=\/; HttpOnly; Secure; SameSite=Strict$/)
    const after = await get('/dashboard', manager)
    t.equal(after.statusCode, 303)
    t.match(after.headers.location, /^\/dashboard\/sign-in\?next=%2Fdashboard&ended=1$/)
    t.match((await get('/dashboard/sign-in?out=1')).body, /Vous êtes déconnecté/)
  })

  t.test('revoking the token ends its sessions at once', async (t) => {
    const manager = await signIn(app, tokens.manager as string)
    t.equal((await get('/dashboard', manager)).statusCode, 200)
    const [token] = await database.db.select({ id: tokenTable.id }).from(tokenTable).where(eq(tokenTable.name, 'desk manager'))
    await revokeToken(database.db, token?.id as number, 'test', clock.now())
    const after = await get('/dashboard', manager)
    t.equal(after.statusCode, 303, 'sent back to sign in')
    t.match(cookiesOf(after)[0], /Max-Age=0/, 'and the dead cookie is cleared')
  })

  t.test('sessions expire after 12 hours', async (t) => {
    const admin = await signIn(app, tokens.admin as string)
    clock.advance(11 * 3_600_000)
    t.equal((await get('/dashboard', admin)).statusCode, 200)
    clock.advance(3_600_000)
    t.equal((await get('/dashboard', admin)).statusCode, 303)
  })

  t.test('an ADMIN_TOKEN session ends when ADMIN_TOKEN changes', async (t) => {
    const bootstrap = await signIn(app, TEST_ADMIN_TOKEN)
    const rows = await database.db.select().from(sessions).where(isNull(sessions.tokenId))
    t.match(rows, [{ adminFingerprint: /^[0-9a-f]{16}$/ }], 'no token row for it: a fingerprint of ADMIN_TOKEN')
    t.equal((await get('/dashboard/contracts', bootstrap)).statusCode, 200)
    const other = await buildApp({
      config: testConfig({ ADMIN_TOKEN: 'another-admin-token-0123456789' }),
      database,
      clock: clock.now,
      logger: false,
      deadlines: TEST_DEADLINES,
    })
    t.teardown(() => other.close())
    const response = await other.inject({ method: 'GET', url: '/dashboard', headers: { cookie: bootstrap.cookie } })
    t.equal(response.statusCode, 303, 'the new token does not keep the old sessions')
  })

  t.test('French first, English on request, remembered', async (t) => {
    const admin = await signIn(app, tokens.admin as string)
    t.match((await get('/dashboard', admin)).body, /<html lang="fr">[\s\S]*Aujourd&#39;hui/)
    const switched = await get('/dashboard/usage?lang=en', admin)
    t.match(switched.body, /<html lang="en-GB">[\s\S]*Quota usage/)
    t.match(cookiesOf(switched)[0], /^sl_lang=en; Max-Age=31536000; Path=\/; HttpOnly; Secure; SameSite=Lax$/)
    t.match((await get('/dashboard', admin, { cookie: `${admin.cookie}; sl_lang=en` })).body, /Today/, 'the cookie keeps it')
    t.match((await get('/dashboard', admin, { 'accept-language': 'en-US,en;q=0.9' })).body, /Today/, "or the browser's language")
  })

  t.test('managers decide the calendar from the page; mistakes are named', async (t) => {
    const manager = await signIn(app, tokens.admin as string)
    // 2026's estimates are all past by 28 November: next year's are the ones to confirm.
    const calendar = await get('/dashboard/calendar?year=2027', manager)
    const id = /holidays\/([a-z0-9-]+)\/confirm/.exec(calendar.body)?.[1] as string
    t.ok(id, `an estimated holiday to confirm: ${id}`)
    const confirmed = await post(`/dashboard/calendar/holidays/${id}/confirm`, manager, {
      desk: 'intercom',
      year: '2027',
      _csrf: manager.csrf,
    })
    t.equal(confirmed.headers.location, '/dashboard/calendar?desk=intercom&year=2027&done=holiday-confirmed')
    const holidays = await app.inject({
      method: 'GET',
      url: '/api/desks/intercom/holidays?year=2027',
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
    })
    t.match(
      holidays.json<{ items: { id: string; status: string; by?: string }[] }>().items.find((h) => h.id === id),
      { status: 'confirmed', by: 'ops admin' },
      'the API sees it',
    )
    const elsewhere = await post('/dashboard/calendar/holidays/not-a-holiday-2026/confirm', manager, {
      desk: 'intercom',
      year: '2026',
      _csrf: manager.csrf,
    })
    t.equal(elsewhere.statusCode, 404, 'an id the page did not show is refused')
    const backwards = await post('/dashboard/calendar/closures', manager, {
      desk: 'intercom',
      year: '2026',
      name: 'Panne',
      start: '2026-12-10',
      end: '2026-12-09',
      _csrf: manager.csrf,
    })
    t.equal(backwards.statusCode, 400)
    t.match(backwards.body, /<code>body\.end<\/code> : end &quot;2026-12-09&quot; is before start/)
    const added = await post('/dashboard/calendar/closures', manager, {
      desk: 'intercom',
      year: '2026',
      name: 'Panne électrique',
      start: '2026-12-10',
      end: '',
      from: '13:00',
      to: '',
      _csrf: manager.csrf,
    })
    t.equal(added.statusCode, 303)
    const page = await get('/dashboard/calendar?year=2026', manager)
    t.match(page.body, /10\/12\/2026, de 13\u00a0h à minuit[\s\S]*Panne électrique/, 'listed with its hours')
    const status = await app.inject({
      method: 'GET',
      url: '/api/desks/intercom/status?at=2026-12-10T14:00:00%2B01:00',
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
    })
    t.match(status.json(), { open: false, reason: 'closure', closure: 'Panne électrique' }, 'and the desk is closed then')
  })

  t.test('a notice cannot be recorded in the future', async (t) => {
    const manager = await signIn(app, tokens.admin as string)
    const page = await get('/dashboard/contracts', manager)
    const id = /contracts\/(\d+)\/notice/.exec(page.body)?.[1] as string
    const future = await post(`/dashboard/contracts/${id}/notice`, manager, { givenOn: '2030-01-01', _csrf: manager.csrf })
    t.equal(future.statusCode, 400)
    const now = await post(`/dashboard/contracts/${id}/notice`, manager, { givenOn: '2026-11-20', _csrf: manager.csrf })
    t.equal(now.headers.location, '/dashboard/contracts?done=notice-recorded')
  })
})

t.test('before any desk file, the dashboard says what to do', async (t) => {
  const database = await freshDatabase(t, 'pglite')
  const { app } = await testApp(t, database)
  const admin = await signIn(app, TEST_ADMIN_TOKEN)
  const today = await app.inject({ method: 'GET', url: '/dashboard/', headers: { cookie: admin.cookie } })
  t.equal(today.statusCode, 404)
  t.match(today.body, /Aucun service n&#39;est configuré/)
})
