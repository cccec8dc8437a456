// The "Simuler" page through buildApp + inject: the file in force filled in, a proposed closure
// replayed over calls the simulator played (the changed calls as cards, the usage, the summary),
// the API's refusals said with their fields, a form too big answered 413, managers only.
import t from 'tap'
import type { DeskFile } from '../../src/domain/desk-file.js'
import { playCall } from '../../webhooks/simulator.js'
import { ACME_CALLER, DESK_NUMBER, apiApp } from '../helpers/api.js'
import { signIn } from '../helpers/dashboard.js'
import { eachDatabase } from '../helpers/databases.js'

const PAGE = '/dashboard/what-if'

eachDatabase(t, async (t, database) => {
  const { app, send, tokens, twilio, clock } = await apiApp(t, database)
  clock.set('2026-11-21T10:00:00+01:00')
  const saturday = (await playCall(twilio, { from: ACME_CALLER, to: DESK_NUMBER, talkSeconds: 720 })).callSid
  clock.set('2026-11-28T12:00:00+01:00')
  const current = (await send('GET', '/api/config')).json() as DeskFile
  const manager = await signIn(app, tokens.manager as string)
  const acme = await signIn(app, tokens.client as string)
  const post = (fields: Record<string, string>, session = manager) =>
    app.inject({
      method: 'POST',
      url: PAGE,
      headers: { cookie: session.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: session.csrf, ...fields }).toString(),
    })

  const page = await app.inject({ method: 'GET', url: PAGE, headers: { cookie: manager.cookie } })
  t.equal(page.statusCode, 200)
  t.match(page.body, /<a href="\/dashboard\/what-if" aria-current="page">Simuler<\/a>/, 'in the navigation')
  t.match(page.body, /<textarea id="what-if-file" name="deskFile"[^>]*>\{\n {2}&quot;desks&quot;/, 'the file in force filled in')
  t.match(page.body, /name="from" value="2026-10-01"/, 'from the start of last month')
  t.match(page.body, /name="to" value="2026-11-28" max="2026-11-28"/, 'to today')
  t.match(page.body, /name="_csrf" value="[^"]+"/)

  const closed = structuredClone(current)
  closed.desks[0]?.schedule.holidays.closures.push({ start: '2026-11-21', name: 'Inventaire' })
  const replayed = await post({ deskFile: JSON.stringify(closed), from: '2026-11-01', to: '2026-11-28' })
  t.equal(replayed.statusCode, 200, replayed.body.slice(0, 300))
  t.match(replayed.body, /1 appel rejoué, 1 changerait\./, 'the summary')
  t.match(replayed.body, /ACME SARL : 1 appel trouverait le service fermé \(1 nouveau\)/, "by the client's name")
  t.match(replayed.body, /<table class="what-if-calls cards">/, 'the changed calls as cards on a phone')
  const row = new RegExp(`<tr data-call="${saturday}">([\\s\\S]*?)</tr>`).exec(replayed.body)?.[1]
  t.match(row, /data-label="Client">ACME SARL</)
  t.match(row, /data-label="Enregistré">Répondu</, 'recorded: answered')
  t.match(row, /data-label="Serait"><strong>Fermeture</, 'would be: the closure')
  t.match(row, /n’aurait pas été servi : 12\u00a0min/, 'its talk, said as such')
  t.match(replayed.body, /<tr data-usage="acme\/2026-11" class="is-late">/, "ACME's month would differ")
  t.match(replayed.body, /Inventaire/, 'the form keeps the proposed file')

  const english = await app.inject({
    method: 'POST',
    url: `${PAGE}?lang=en`,
    headers: { cookie: manager.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({
      _csrf: manager.csrf,
      deskFile: JSON.stringify(closed),
      from: '2026-11-01',
      to: '2026-11-28',
    }).toString(),
  })
  t.match(english.body, /would not have been served: 12 min/, 'in English, the API’s note')

  const same = await post({ deskFile: JSON.stringify(current), from: '2026-11-01', to: '2026-11-28' })
  t.match(same.body, /Aucun appel ne changerait\./, 'the file in force changes nothing')

  const broken = structuredClone(current) as unknown as { desks: { numbers: string[] }[] }
  ;(broken.desks[0] as { numbers: string[] }).numbers = ['not a number']
  const invalid = await post({ deskFile: JSON.stringify(broken), from: '2026-11-01', to: '2026-11-28' })
  t.equal(invalid.statusCode, 400, 'a desk file that does not validate')
  t.match(invalid.body, /<code>deskFile\.desks\[0\]\.numbers\[0\]<\/code>/, 'named by its path')
  const notJson = await post({ deskFile: '{ desks', from: '2026-11-01', to: '2026-11-28' })
  t.equal(notJson.statusCode, 400)
  t.match(notJson.body, /<code>deskFile<\/code> : is not valid JSON/)
  const reversed = await post({ deskFile: JSON.stringify(current), from: '2026-11-28', to: '2026-11-01' })
  t.equal(reversed.statusCode, 400)
  t.match(reversed.body, /<code>to<\/code> : must not be before from/, 'a bad period names its field')
  const long = await post({ deskFile: JSON.stringify(current), from: '2024-01-01', to: '2026-11-01' })
  t.match(long.body, /<code>to<\/code> : the period is over 24 months: at most 24 months/, 'too long a period')
  const future = await post({ deskFile: JSON.stringify(current), from: '2026-11-01', to: '2026-12-05' })
  t.match(future.body, /<code>to<\/code> : must not be after today/)
  const notDate = await post({ deskFile: JSON.stringify(current), from: '2026-02-30', to: '2026-11-01' })
  t.match(notDate.body, /<code>from<\/code> : /)

  const huge = await post({ deskFile: 'x'.repeat(25 * 1024 * 1024), from: '2026-11-01', to: '2026-11-28' })
  t.equal(huge.statusCode, 413, 'a form too big')
  t.match(huge.body, /Ce formulaire dépasse \d+ Kio/)

  const noToken = await app.inject({
    method: 'POST',
    url: PAGE,
    headers: { cookie: manager.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ deskFile: '{}', from: '2026-11-01', to: '2026-11-28' }).toString(),
  })
  t.equal(noToken.statusCode, 403, 'the form token is required')
  t.equal((await app.inject({ method: 'GET', url: PAGE, headers: { cookie: acme.cookie } })).statusCode, 403, 'not a client')
  t.equal((await post({ deskFile: '{}', from: '2026-11-01', to: '2026-11-28' }, acme)).statusCode, 403)
  const clientPage = await app.inject({ method: 'GET', url: '/dashboard', headers: { cookie: acme.cookie } })
  t.notMatch(clientPage.body, /what-if/, 'nor in a client’s navigation')
})
