// What the voice webhook keeps per configuration version (the desk's calendar compiled once, the
// TwiML whose words depend on the desk alone) is dropped when the configuration changes: a change
// of hours, of the desk's words or of its languages takes effect on the very next call.
import t from 'tap'
import type { DeskFile } from '../../src/domain/desk-file.js'
import { applyDeskFile } from '../../src/store/configuration.js'
import { newSid, payload } from '../../webhooks/index.js'
import { readTwiml } from '../../webhooks/simulator.js'
import { eachDatabase } from '../helpers/databases.js'
import { deskApp, deskFile } from '../helpers/desk.js'
import { ACME, DESK, SATURDAY_10H, STRANGER } from '../fixtures/intercom.js'

/** The intercom desk file with its first desk changed. */
function withDesk(change: (desk: DeskFile['desks'][number]) => DeskFile['desks'][number]): DeskFile {
  const file = deskFile('intercom')
  return { ...file, desks: file.desks.map((desk, index) => (index === 0 ? change(desk) : desk)) }
}

eachDatabase(t, async (t, database) => {
  const { twilio, database: handle } = await deskApp(t, database, { at: SATURDAY_10H })
  const apply = (file: DeskFile) => applyDeskFile(handle.db, file, { actor: 'test', now: new Date() })

  async function call(from: string) {
    const response = await twilio.webhook(
      '/webhooks/twilio/voice',
      payload('incoming-call', { callSid: newSid(), from, to: DESK }),
    )
    t.equal(response.status, 200, 'the webhook answers 200')
    return { body: response.body, verbs: readTwiml(response.body) }
  }

  t.test('a change of hours takes effect on the next call', async (t) => {
    const before = await call(ACME)
    t.ok(
      before.verbs.some((verb) => verb.name === 'Dial'),
      'Saturday 10:00 is in hours: the agents ring',
    )
    t.ok(
      (await call(ACME)).verbs.some((verb) => verb.name === 'Dial'),
      'and again on the next call (the calendar kept)',
    )

    const noSaturday = withDesk((desk) => ({
      ...desk,
      schedule: { ...desk.schedule, weekly: { ...desk.schedule.weekly, sat: [] } },
    }))
    await apply(noSaturday)
    const closed = await call(ACME)
    t.notOk(
      closed.verbs.some((verb) => verb.name === 'Dial'),
      'with Saturday taken out of the hours, the very next call is not put through',
    )
    t.match(closed.body, /dimanche/, 'it hears the next opening, Sunday')

    await apply(deskFile('intercom'))
    t.ok(
      (await call(ACME)).verbs.some((verb) => verb.name === 'Dial'),
      'the hours put back, the next call rings again',
    )
  })

  t.test("a change of the desk's words reaches the unknown caller's answer at once", async (t) => {
    const first = await call(STRANGER)
    t.equal(first.body, (await call(STRANGER)).body, 'the same answer twice (written once for the version)')
    await apply(
      withDesk((desk) => ({
        ...desk,
        templates: { ...desk.templates, 'fr-FR': { unknown_caller: 'Numéro inconnu du service, au revoir.' } },
      })),
    )
    t.match((await call(STRANGER)).body, /Numéro inconnu du service, au revoir\./, 'the new words on the next call')
    await apply(deskFile('intercom'))
    t.equal((await call(STRANGER)).body, first.body, 'and the old ones once the file is back')
  })

  t.test("a change of the desk's languages reaches the menu at once", async (t) => {
    t.notOk(/<Gather/.test((await call(ACME)).body), 'one language: no menu')
    await apply(withDesk((desk) => ({ ...desk, languages: ['fr-FR', 'ar'] })))
    const menu = await call(ACME)
    t.match(menu.body, /action="\/webhooks\/twilio\/language"/, 'two languages: the menu')
    t.notMatch(menu.body, /English/, 'in French and Arabic')
    await apply(withDesk((desk) => ({ ...desk, languages: ['fr-FR', 'ar', 'en-US'] })))
    t.match((await call(ACME)).body, /For English, press 3/, 'a third language is on the next menu')
    await apply(deskFile('intercom'))
    t.notOk(/<Gather/.test((await call(ACME)).body), 'back to one: no menu')
  })
})
