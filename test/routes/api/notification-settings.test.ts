// The desk file's notification settings through the API and the file loader: wrong addresses,
// unknown event names and (in production) webhooks that are not https are refused with their
// path; the client's contact is in the clients API.
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { DeskFileError, readDeskFile } from '../../../src/load-desk-file.js'
import { applyDeskFile } from '../../../src/store/configuration.js'
import { SECRET, notifyingFile } from '../../fixtures/notifications.js'
import { TEST_ADMIN_TOKEN, testApp } from '../../helpers/app.js'
import { eachDatabase } from '../../helpers/databases.js'

t.setTimeout(120_000)

const auth = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` }
const insecure = notifyingFile('http://tickets.example.com/hook')

t.test('a desk file with an http:// webhook is refused in production only, naming the field', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'supportline-notify-'))
  const path = join(dir, 'desk.json')
  writeFileSync(path, JSON.stringify(insecure))
  t.ok(await readDeskFile(path), 'accepted outside production')
  const refused = await readDeskFile(path, { production: true }).catch((error: unknown) => error)
  t.ok(refused instanceof DeskFileError)
  t.same((refused as DeskFileError).lines, ['desks[0].notifications.webhooks[0].url: must be an https:// URL in production'])
})

eachDatabase(t, async (t, database) => {
  await applyDeskFile(database.db, notifyingFile(), { actor: 'test', now: new Date() })
  const { app } = await testApp(t, database, { env: { NODE_ENV: 'production' } })

  t.test('the whole file: every wrong value by its path', async (t) => {
    const file = structuredClone(insecure) as unknown as Record<string, unknown[]>
    const desk = (file.desks as Record<string, unknown>[])[0] as { notifications: Record<string, unknown> }
    desk.notifications.managers = ['not-an-address']
    const response = await app.inject({ method: 'PUT', url: '/api/config', headers: auth, payload: file })
    t.equal(response.statusCode, 400)
    t.same(
      response.json().errors.map((e: { field: string }) => e.field),
      ['body.desks[0].notifications.managers[0]'],
      'the schema first',
    )
    const http = await app.inject({ method: 'PUT', url: '/api/config', headers: auth, payload: insecure })
    t.equal(http.statusCode, 400)
    t.same(http.json().errors, [
      { field: 'body.desks[0].notifications.webhooks[0].url', message: 'must be an https:// URL in production' },
    ])
  })

  t.test('one desk: unknown events and http:// URLs named as the request sent them', async (t) => {
    const desk = (await app.inject({ method: 'GET', url: '/api/desks/intercom', headers: auth })).json()
    const events = await app.inject({
      method: 'PUT',
      url: '/api/desks/intercom',
      headers: auth,
      payload: {
        ...desk,
        notifications: {
          ...desk.notifications,
          webhooks: [{ url: 'https://x.example.com/', secret: SECRET, events: ['call.made'] }],
        },
      },
    })
    t.equal(events.statusCode, 400)
    t.match(events.json().errors, [
      { field: 'body.notifications.webhooks[0].events[0]', message: /must be one of voicemail\.recorded/ },
    ])
    const http = await app.inject({
      method: 'PUT',
      url: '/api/desks/intercom',
      headers: auth,
      payload: {
        ...desk,
        notifications: {
          ...desk.notifications,
          webhooks: [{ url: 'http://x.example.com/', secret: SECRET, events: ['desk.reopened'] }],
        },
      },
    })
    t.equal(http.statusCode, 400)
    t.same(http.json().errors, [
      { field: 'body.notifications.webhooks[0].url', message: 'must be an https:// URL in production' },
    ])
  })

  t.test("the client's designated technical contact is in the clients API", async (t) => {
    const acme = await app.inject({ method: 'GET', url: '/api/clients/acme', headers: auth })
    t.same(acme.json().contact, { name: 'M. Benali', email: 'benali@acme.example', phone: '+213661000001', fax: '+21321000099' })
  })
})
