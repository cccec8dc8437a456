// A desk file's seasons, languages and a number's own language reach the live call (issue #17):
// stored by applying the file, exported back unchanged, and read by the voice webhook.
import { eq } from 'drizzle-orm'
import t from 'tap'
import { callerLanguages, calls } from '../../db/schema.js'
import { newSid, payload } from '../../webhooks/index.js'
import { playCall, readTwiml, type Verb } from '../../webhooks/simulator.js'
import { exportDeskFile } from '../../src/store/admin-config.js'
import { applyDeskFile } from '../../src/store/configuration.js'
import { applyWebhookWrites } from '../../src/store/webhook-writes.js'
import type { DeskFile } from '../../src/domain/desk-file.js'
import { createToken } from '../../src/store/tokens.js'
import { TEST_ADMIN_TOKEN } from '../helpers/app.js'
import { signIn } from '../helpers/dashboard.js'
import { eachDatabase } from '../helpers/databases.js'
import { deskApp, deskFile } from '../helpers/desk.js'
import { ACME, DESK } from '../fixtures/intercom.js'

const ATLAS = '+213770000001'

const said = (verbs: Verb[]): string =>
  verbs
    .flatMap((verb) => (verb.name === 'Say' ? [verb.text] : verb.children.filter((c) => c.name === 'Say').map((c) => c.text)))
    .join(' ')

/** db/desks/intercom-ramadan.json: INTERcom in French and Arabic, an example Ramadan (Saturday–Wednesday 09:00–14:00), ACME's second number speaking Arabic. */
const ramadanFile = (): DeskFile => deskFile('intercom-ramadan')

// Ramadan 1448 runs from Monday 8 February to Monday 8 March 2027 (Umm al-Qura estimate).
const RAMADAN_SATURDAY_10H = '2027-02-13T10:00:00+01:00'
const RAMADAN_SATURDAY_15H = '2027-02-13T15:00:00+01:00'
const ACME_SECOND = '+213661000002'

eachDatabase(t, async (t, database) => {
  const file = ramadanFile()
  const { app, clock, twilio } = await deskApp(t, database, { file, at: RAMADAN_SATURDAY_10H })
  const { db } = database

  t.test('seasons and a number language are stored, exported, and re-applying the export changes nothing', async (t) => {
    const exported = await exportDeskFile(db)
    const desk = exported.desks.find((d) => d.id === 'intercom')
    t.same(desk?.schedule.seasons, file.desks[0]?.schedule.seasons, 'the Ramadan season comes back')
    t.same(desk?.languages, ['fr-FR', 'ar'], 'and the languages')
    const acme = exported.clients.find((c) => c.id === 'acme')
    t.same(
      acme?.numbers.map((n) => n.language ?? null),
      [null, 'ar'],
      'the second number speaks Arabic',
    )
    t.same((await applyDeskFile(db, exported, { actor: 'test', now: new Date() })).changes, [], 'no change')
  })

  async function incoming(from: string, at: string) {
    clock.set(at)
    const response = await twilio.webhook(
      '/webhooks/twilio/voice',
      payload('incoming-call', { callSid: newSid(), from, to: DESK }),
    )
    t.equal(response.status, 200)
    const verbs = readTwiml(response.body)
    return { verbs, text: said(verbs) }
  }

  async function press(callSid: string, from: string, digits: string) {
    const response = await twilio.webhook(
      '/webhooks/twilio/language',
      payload('incoming-call', { callSid, from, to: DESK }, { Digits: digits }),
    )
    t.equal(response.status, 200)
    const verbs = readTwiml(response.body)
    return { verbs, text: said(verbs) }
  }

  t.test('a registered caller of unknown language hears the menu, and the choice is remembered', async (t) => {
    clock.set(RAMADAN_SATURDAY_10H)
    const callSid = newSid()
    const menu = readTwiml(
      (await twilio.webhook('/webhooks/twilio/voice', payload('incoming-call', { callSid, from: ATLAS, to: DESK }))).body,
    )
    const gather = menu.find((verb) => verb.name === 'Gather')
    t.match(gather?.attributes, { action: '/webhooks/twilio/language', numDigits: '1' }, 'a one-key menu')
    t.match(said(menu), /Pour le français, tapez 1/)
    t.match(said(menu), /[\u0600-\u06FF]/, 'and a line in Arabic')
    t.same(await db.select().from(calls).where(eq(calls.callSid, callSid)), [], 'no call recorded before the choice')

    const chosen = await press(callSid, ATLAS, '2')
    t.match(chosen.text, /[\u0600-\u06FF]/, 'the call goes on in Arabic')
    t.notMatch(chosen.text, /Bonjour/)
    const [call] = await db.select().from(calls).where(eq(calls.callSid, callSid))
    t.match(call, { clientId: 'atlas', deskId: 'intercom' }, 'the call is recorded')
    t.match(await db.select().from(callerLanguages), [{ number: ATLAS, language: 'ar', chosenBy: 'caller' }], 'the choice kept')

    const next = await incoming(ATLAS, RAMADAN_SATURDAY_10H)
    t.notOk(
      next.verbs.some((verb) => verb.name === 'Gather' && verb.attributes.action === '/webhooks/twilio/language'),
      'no menu the next time',
    )
    t.match(next.text, /[\u0600-\u06FF]/, 'Arabic at once')
    const recorded = await twilio.webhook('/webhooks/twilio/recording', payload('recording', { callSid, from: ATLAS, to: DESK }))
    t.match(said(readTwiml(recorded.body)), /[\u0600-\u06FF]/, 'and the webhooks after the voice one speak it too')
  })

  t.test('nothing pressed: the default language for this call, nothing remembered', async (t) => {
    clock.set(RAMADAN_SATURDAY_10H)
    const callSid = newSid()
    await twilio.webhook('/webhooks/twilio/voice', payload('incoming-call', { callSid, from: ACME, to: DESK }))
    const silent = await press(callSid, ACME, '')
    t.match(silent.text, /Bonjour ACME SARL/, 'in French')
    t.same(await db.select().from(callerLanguages).where(eq(callerLanguages.number, ACME)), [], 'not remembered')
    // ACME chooses French for the tests below
    await press(newSid(), ACME, '1')
    t.match(await db.select().from(callerLanguages).where(eq(callerLanguages.number, ACME)), [{ language: 'fr-FR' }])
  })

  t.test('during Ramadan the season hours decide: open at 10:00, closed at 15:00 with the season spoken', async (t) => {
    const morning = await incoming(ACME, RAMADAN_SATURDAY_10H)
    t.ok(
      morning.verbs.some((verb) => verb.name === 'Dial'),
      'put through at 10:00',
    )
    const afternoon = await incoming(ACME, RAMADAN_SATURDAY_15H)
    t.notOk(
      afternoon.verbs.some((verb) => verb.name === 'Dial'),
      'not put through at 15:00, in the weekly hours but after the season closes',
    )
    t.match(afternoon.text, /Ramadan/, 'the closed message speaks the season hours')
    t.match(afternoon.text, /9 h/, 'from 9 h')
  })

  t.test("a registered number's own language is the one its caller hears", async (t) => {
    const { text, verbs } = await incoming(ACME_SECOND, RAMADAN_SATURDAY_15H)
    t.match(text, /[\u0600-\u06FF]/, 'spoken in Arabic')
    const say = verbs.find((verb) => verb.name === 'Say')
    t.equal(say?.attributes.language, 'arb', 'with the Arabic voice')
  })

  t.test("GET /api/desks/{id}/seasons lists the year's occurrences, for every role", async (t) => {
    const { token: clientToken } = await createToken(db, {
      name: 'acme',
      role: 'client',
      clientId: 'acme',
      actor: 'test',
      now: new Date(),
    })
    for (const token of [TEST_ADMIN_TOKEN, clientToken]) {
      const response = await app.inject({
        method: 'GET',
        url: '/api/desks/intercom/seasons?year=2027',
        headers: { authorization: `Bearer ${token}` },
      })
      t.equal(response.statusCode, 200)
      const { items } = response.json()
      t.match(items, [
        {
          id: 'ramadan-1448',
          name: 'Ramadan',
          start: '2027-02-08',
          end: '2027-03-08',
          status: 'estimated',
          weekly: { sat: ['09:00-14:00'] },
        },
      ])
      t.equal(items.length, 1, 'one Ramadan in 2027')
    }
    const status = await app.inject({
      method: 'GET',
      url: `/api/desks/intercom/status?at=${encodeURIComponent(RAMADAN_SATURDAY_15H)}`,
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
    })
    t.match(status.json(), { open: false, reason: 'outside_hours', message: /Ramadan/ }, 'the status speaks the season hours')
    const unknown = await app.inject({
      method: 'GET',
      url: '/api/desks/nope/seasons',
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
    })
    t.equal(unknown.statusCode, 404)
  })

  t.test('a journaled language write applies once, and a later choice replaces the earlier', async (t) => {
    const base = { callSid: newSid(), event: 'language', params: {}, kind: 'language' as const, number: '+213770000099' }
    const first = { ...base, id: 'lang-1', at: '2027-02-13T09:00:00.000Z', language: 'ar' }
    const second = { ...base, id: 'lang-2', at: '2027-02-14T09:00:00.000Z', language: 'fr-FR' }
    t.equal(await applyWebhookWrites(db, [first, first]), 1, 'the same delivery twice applies once')
    t.equal(await applyWebhookWrites(db, [second]), 1)
    t.match(await db.select().from(callerLanguages).where(eq(callerLanguages.number, base.number)), [{ language: 'fr-FR' }])
  })

  t.test('the simulator plays the menu: press 2, the call goes on in Arabic and is put through', async (t) => {
    clock.set(RAMADAN_SATURDAY_10H)
    const played = await playCall(twilio, { from: '+213555000001', to: DESK, press: ['2'], talkSeconds: 60 })
    const heard = played.steps.map((step) => said(step.verbs)).join(' ')
    t.ok(played.steps.length > 0)
    t.match(heard, /Pour le français, tapez 1/, 'the menu')
    t.ok(
      played.steps.some((step) => step.path.startsWith('/webhooks/twilio/language')),
      'the choice posted',
    )
    t.match(heard, /[\u0600-\u06FF]/, 'then Arabic')
    t.match(await db.select().from(callerLanguages).where(eq(callerLanguages.number, '+213555000001')), [{ language: 'ar' }])
  })

  t.test('a manager changes or forgets the language remembered for a number', async (t) => {
    const put = (number: string, body: unknown, token = TEST_ADMIN_TOKEN) =>
      app.inject({
        method: 'PUT',
        url: `/api/numbers/${encodeURIComponent(number)}/language`,
        headers: { authorization: `Bearer ${token}` },
        payload: body as object,
      })
    const changed = await put(ATLAS, { language: 'fr-FR' })
    t.equal(changed.statusCode, 200)
    t.match(changed.json(), { number: ATLAS, language: 'fr-FR', chosenBy: 'ADMIN_TOKEN' }, 'set by the token that asked')
    t.match((await incoming(ATLAS, RAMADAN_SATURDAY_10H)).text, /Bonjour Atlas/, 'the next call is in French')
    const { cookie } = await signIn(app, TEST_ADMIN_TOKEN)
    const contractsPage = await app.inject({ method: 'GET', url: '/dashboard/contracts', headers: { cookie } })
    t.match(
      contractsPage.body,
      new RegExp(
        `\\${ATLAS}</span>[^:]* : <span lang="fr-FR" title="fr-FR">français \\(France\\)</span> <small class="muted">\\(choisie par ADMIN_TOKEN le `,
      ),
      'the Contracts page shows the language the number hears and who chose it',
    )

    t.equal((await put(ATLAS, { language: 'de-DE' })).statusCode, 400, 'a language supportline does not speak')
    const { token: clientToken } = await createToken(db, {
      name: 'atlas',
      role: 'client',
      clientId: 'atlas',
      actor: 'test',
      now: new Date(),
    })
    t.equal((await put(ATLAS, { language: 'ar' }, clientToken)).statusCode, 403, 'not for a client')

    const forgotten = await put(ATLAS, { language: null })
    t.match(forgotten.json(), { number: ATLAS, language: null })
    const again = await incoming(ATLAS, RAMADAN_SATURDAY_10H)
    t.ok(
      again.verbs.some((verb) => verb.name === 'Gather' && verb.attributes.action === '/webhooks/twilio/language'),
      'forgotten: the menu again',
    )
    const read = await app.inject({
      method: 'GET',
      url: `/api/numbers/${encodeURIComponent(ATLAS)}/language`,
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
    })
    t.same(read.json(), { number: ATLAS, language: null })
  })
})
