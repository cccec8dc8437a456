// The notifications page through buildApp + inject: what was sent, what is kept (no SMTP, no
// Twilio account here), what failed and why; a manager sends a failed one again with the form
// token; a client's session sees its own client's only, without the form.
import t from 'tap'
import { recordHolidayOverride } from '../../src/store/calendar.js'
import { applyWebhookWrite } from '../../src/store/webhook-writes.js'
import { newSid } from '../../webhooks/index.js'
import { notifyingFile, voicemailWrites } from '../fixtures/notifications.js'
import { apiApp } from '../helpers/api.js'
import { signIn } from '../helpers/dashboard.js'
import { eachDatabase } from '../helpers/databases.js'
import { startReceiver } from '../helpers/receiver.js'

t.setTimeout(120_000)

const PAGE = '/dashboard/notifications'

eachDatabase(t, async (t, database) => {
  // A receiver that refuses for good: the webhook fails at once.
  const receiver = await startReceiver(t, (_request, response) => {
    response.statusCode = 404
    response.end('no such hook')
  })
  const { app, tokens, atlasToken } = await apiApp(t, database, { file: notifyingFile(`${receiver.url}/hook`) })
  for (const write of voicemailWrites(newSid(), '2026-11-28T08:00:00.000Z'))
    await applyWebhookWrite(database.db, write, { live: true })
  await app.notificationSender.drain()
  // A holiday moved: ACME's contact is told (an e-mail kept, no SMTP here), and the webhook.
  await recordHolidayOverride(
    database.db,
    'intercom',
    { holidayId: 'eid-al-adha-1448', action: 'move', start: '2027-05-17', days: 3 },
    { name: 'Nadia', now: new Date('2026-11-28T08:30:00Z') },
  )
  const manager = await signIn(app, tokens.manager as string)
  const acme = await signIn(app, tokens.client as string)
  const atlas = await signIn(app, atlasToken)

  const page = await app.inject({ method: 'GET', url: PAGE, headers: { cookie: manager.cookie } })
  t.equal(page.statusCode, 200)
  t.match(page.body, /data-kept>Non configuré sur ce serveur : E-mail, SMS/, 'says what is kept, not sent')
  const rows = [...page.body.matchAll(/<tr data-notification="(msg_[0-9a-f]{32})"[^>]*>([\s\S]*?)<\/tr>/g)]
  t.equal(rows.length, 8)
  const failed = rows.filter((row) => /Échec/.test(row[2] as string))
  t.equal(failed.length, 2, 'both webhooks of the voicemail failed')
  t.match(failed[0]?.[2], /answered 404: no such hook/)
  const id = failed[0]?.[1] as string
  t.match(failed[0]?.[2], new RegExp(`action="${PAGE}/${id}/resend"`))

  const filtered = await app.inject({
    method: 'GET',
    url: `${PAGE}?status=failed&type=voicemail.recorded`,
    headers: { cookie: manager.cookie },
  })
  t.equal([...filtered.body.matchAll(/<tr data-notification=/g)].length, 1)

  const noToken = await app.inject({
    method: 'POST',
    url: `${PAGE}/${id}/resend`,
    payload: {},
    headers: { cookie: manager.cookie },
  })
  t.equal(noToken.statusCode, 403, 'the form token is required')
  const resent = await app.inject({
    method: 'POST',
    url: `${PAGE}/${id}/resend`,
    payload: { _csrf: manager.csrf },
    headers: { cookie: manager.cookie },
  })
  t.equal(resent.statusCode, 303)
  t.equal(resent.headers.location, `${PAGE}?done=notification-resent`)
  const again = await app.inject({
    method: 'POST',
    url: `${PAGE}/${id}/resend`,
    payload: { _csrf: manager.csrf },
    headers: { cookie: manager.cookie },
  })
  t.equal(again.statusCode, 409, 'only a failed one')

  const client = await app.inject({ method: 'GET', url: PAGE, headers: { cookie: acme.cookie } })
  const seen = [...client.body.matchAll(/<tr data-notification=[^>]*>([\s\S]*?)<\/tr>/g)].map((m) => m[1] as string)
  t.equal(seen.length, 1, 'ACME sees what was sent to its contact only')
  t.match(seen[0], /holiday\.changed[\s\S]*benali@acme\.example/)
  t.notMatch(client.body, /\+21355000000/, "never the agents' numbers (their SMS about ACME's voicemail)")
  t.notMatch(client.body, /resend"/, 'no form for a client')
  const api = await app.inject({
    method: 'GET',
    url: '/api/notifications',
    headers: { authorization: `Bearer ${tokens.client}` },
  })
  t.same(
    api.json().items.map((i: { type: string; recipient: string }) => `${i.type} ${i.recipient}`),
    ['holiday.changed benali@acme.example'],
    'the API says the same',
  )
  const forbidden = await app.inject({
    method: 'POST',
    url: `${PAGE}/${failed[1]?.[1]}/resend`,
    payload: { _csrf: acme.csrf },
    headers: { cookie: acme.cookie },
  })
  t.equal(forbidden.statusCode, 403)
  const other = await app.inject({ method: 'GET', url: PAGE, headers: { cookie: atlas.cookie } })
  t.match(other.body, /Aucune notification/, 'another client sees none of it')
})
