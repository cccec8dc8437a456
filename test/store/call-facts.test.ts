// The in-memory configuration of the voice webhook: two app instances on one database, each with
// its own copy; a change made through either (or any writer that bumps config_version) is heard
// on the next call of both, and usage and duty are never taken from the copy.
import { eq } from 'drizzle-orm'
import t from 'tap'
import { agents, configVersion, usage } from '../../db/schema.js'
import type { DeskFile } from '../../src/domain/desk-file.js'
import { CallFactsLoader } from '../../src/store/call-facts.js'
import { applyDeskFile } from '../../src/store/configuration.js'
import { Twilio, injectPost, newSid, payload } from '../../webhooks/index.js'
import { readTwiml } from '../../webhooks/simulator.js'
import { TEST_AUTH_TOKEN, TEST_PUBLIC_URL, testApp } from '../helpers/app.js'
import { eachDatabase } from '../helpers/databases.js'
import { deskApp, deskFile } from '../helpers/desk.js'
import { ACME, DESK, SATURDAY_10H } from '../fixtures/intercom.js'

const DJURDJURA = '+213555000001'

const said = (xml: string) =>
  readTwiml(xml)
    .flatMap((verb) => [verb.text, ...verb.children.map((c) => c.text)])
    .join(' ')

eachDatabase(t, async (t, database) => {
  // Instance A applied the desk file; instance B shares the database and has its own copy.
  const a = await deskApp(t, database, { at: SATURDAY_10H })
  const b = await testApp(t, database, { at: SATURDAY_10H })
  const twilioB = new Twilio(injectPost(b.app), TEST_AUTH_TOKEN, TEST_PUBLIC_URL)
  const { db } = database
  const call = async (twilio: Twilio, from: string, to = DESK) => {
    const response = await twilio.webhook('/webhooks/twilio/voice', payload('incoming-call', { callSid: newSid(), from, to }))
    t.equal(response.status, 200, 'the webhook answers')
    return said(response.body)
  }
  const apply = (change: (file: DeskFile) => void) => {
    const file = structuredClone(deskFile('intercom'))
    change(file)
    return applyDeskFile(db, file, { actor: 'test', now: new Date() })
  }
  t.teardown(() => apply(() => {}))

  t.test('both instances warm their copy on the first call', async (t) => {
    t.match(await call(a.twilio, ACME), /Bonjour ACME SARL/, 'A puts ACME through')
    t.match(await call(twilioB, ACME), /Bonjour ACME SARL/, 'B puts ACME through')
  })

  t.test('a client suspended by the desk file is refused on the next call of both instances', async (t) => {
    await apply((file) => {
      const acme = file.clients.find((client) => client.id === 'acme')!
      acme.suspended = true
      acme.suspendedReason = 'Factures impayées'
    })
    t.match(await call(twilioB, ACME), /suspendu/, 'B, which did not make the change, hears it')
    t.match(await call(a.twilio, ACME), /suspendu/, 'A too')
    await apply(() => {})
    t.match(await call(a.twilio, ACME), /Bonjour ACME SARL/, 'lifted: A puts ACME through again')
    t.match(await call(twilioB, ACME), /Bonjour ACME SARL/, 'and so does B')
  })

  t.test('a closure added for today closes the desk on both instances', async (t) => {
    await apply((file) => {
      file.desks[0]!.schedule.holidays.closures.push({ start: '2026-11-28', name: 'Inventaire de novembre' })
    })
    t.match(await call(a.twilio, ACME), /Inventaire de novembre/, 'A says why the desk is closed')
    t.match(await call(twilioB, ACME), /Inventaire de novembre/, 'so does B')
    await apply(() => {})
    t.match(await call(twilioB, ACME), /Bonjour ACME SARL/, 'removed: B is open again')
  })

  t.test('a number registered on another instance is recognised at once', async (t) => {
    const NEW = '+213661000099'
    t.match(await call(a.twilio, NEW), /pas reconnu|n'est pas enregistré|inconnu/i, 'unknown at first')
    await apply((file) => {
      file.clients.find((client) => client.id === 'acme')!.numbers.push({ number: NEW, contact: 'Nouveau' })
    })
    t.match(await call(a.twilio, NEW), /Bonjour ACME SARL/, 'A knows the new number')
    t.match(await call(twilioB, NEW), /Bonjour ACME SARL/, 'and so does B')
    await apply(() => {})
  })

  t.test('usage is read on every call, never from the copy', async (t) => {
    t.match(await call(a.twilio, DJURDJURA), /Bonjour Djurdjura/, 'within its quota, Djurdjura is put through')
    // Another instance counts the rest of the month's quota (2 hours, refused beyond it).
    await db
      .insert(usage)
      .values({ contractId: 3, month: '2026-11', quotaSeconds: 7_200, usedSeconds: 7_200, includedSeconds: 7_200 })
    t.teardown(() => db.delete(usage).where(eq(usage.contractId, 3)))
    t.match(await call(a.twilio, DJURDJURA), /épuisé/, 'the very next call is refused, without any configuration change')
  })

  t.test('agents on duty are read on every call, never from the copy', async (t) => {
    await db.update(agents).set({ onDuty: false })
    t.teardown(() => db.update(agents).set({ onDuty: true }).where(eq(agents.id, 'amina')))
    t.match(await call(twilioB, ACME), /Aucun technicien n'est disponible/, 'nobody on duty: a message')
  })

  t.test('a version bumped with no change reloads the copy and decides the same', async (t) => {
    const loader = new CallFactsLoader(db)
    const key = { to: DESK, from: ACME, rawFrom: ACME, now: a.clock.now() }
    const before = await loader.load(key)
    await db.update(configVersion).set({ version: 1_000 })
    const after = await loader.load(key)
    t.same(after, before, 'the same facts after the reload')
  })
})
