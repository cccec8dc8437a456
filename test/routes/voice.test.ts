// The incoming-call webhook end to end: every decision branch, with what the caller hears and the
// call record it leaves, on PGlite and on Postgres.
import { eq } from 'drizzle-orm'
import t from 'tap'
import { agents, callbacks, calls, usage } from '../../db/schema.js'
import { newSid, payload } from '../../webhooks/index.js'
import { readTwiml, type Verb } from '../../webhooks/simulator.js'
import { eachDatabase } from '../helpers/databases.js'
import { deskApp } from '../helpers/desk.js'
import { ACME, DESK, SATURDAY_10H } from '../fixtures/intercom.js'

const said = (verbs: Verb[]): string =>
  verbs
    .flatMap((verb) => (verb.name === 'Say' ? [verb.text] : verb.children.filter((c) => c.name === 'Say').map((c) => c.text)))
    .join(' ')

eachDatabase(t, async (t, database) => {
  const {
    app,
    clock,
    twilio,
    database: { db },
  } = await deskApp(t, database, { at: SATURDAY_10H })

  async function incoming(from: string, options: { to?: string; at?: string } = {}) {
    if (options.at) clock.set(options.at)
    const callSid = newSid()
    const response = await twilio.webhook(
      '/webhooks/twilio/voice',
      payload('incoming-call', { callSid, from, to: options.to ?? DESK }),
    )
    t.equal(response.status, 200, 'the webhook answers 200')
    t.match(response.contentType, /^text\/xml/, 'with XML')
    const verbs = readTwiml(response.body)
    const [record] = await db.select().from(calls).where(eq(calls.callSid, callSid))
    return { callSid, verbs, text: said(verbs), record, body: response.body }
  }

  t.test('a registered caller in hours is put through to the agents on duty', async (t) => {
    const { verbs, text, record, body } = await incoming(ACME, { at: SATURDAY_10H })
    t.match(text, /Bonjour ACME SARL\. Nous vous mettons en relation avec un technicien/)
    const dial = verbs.find((verb) => verb.name === 'Dial')
    t.match(dial?.attributes, {
      answerOnBridge: 'true',
      callerId: ACME,
      timeout: '20',
      action: '/webhooks/twilio/dial?leg=agents&attempt=1',
    })
    t.same(
      dial?.children.map((n) => n.text),
      ['+213550000001', '+213550000002'],
      'amina and karim ring at once, yacine is off duty',
    )
    t.ok(
      dial?.children.every((n) => n.attributes.url === '/webhooks/twilio/whisper?desk=intercom'),
      'each agent hears the whisper first',
    )
    t.match(record, { deskId: 'intercom', clientId: 'acme', decision: 'dial', outcome: null, usageMonth: '2026-11' })
    t.ok(body.length < 64 * 1024, 'the TwiML is under 64 KB')
  })

  t.test('an unknown number hears that it is not registered', async (t) => {
    const { verbs, text, record } = await incoming('+213699999999')
    t.match(text, /Votre numéro n'est pas enregistré/)
    t.equal(verbs.at(-1)?.name, 'Hangup')
    t.match(record, { outcome: 'unknown_caller', clientId: null })
  })

  for (const from of ['anonymous', 'Anonymous', 'unknown', 'client:alice', 'sip:bob@example.com', '', '0661000001', '+', '+12']) {
    t.test(`a caller shown as "${from}" is an unknown caller, never an error`, async (t) => {
      const { record } = await incoming(from)
      t.equal(record?.outcome, 'unknown_caller')
    })
  }

  t.test('a suspended client hears the suspension and nothing is routed', async (t) => {
    const { verbs, text, record } = await incoming('+213661000003')
    t.match(text, /L'assistance de Numidia Transport est actuellement suspendue/)
    t.notOk(
      verbs.some((v) => v.name === 'Dial'),
      'no dial',
    )
    t.equal(record?.outcome, 'suspended')
  })

  t.test('a client whose contract ended after notice has no contract in force', async (t) => {
    const { text, record } = await incoming('+21323000000')
    t.match(text, /pas de contrat d'assistance en vigueur pour Oasis Voyages/)
    t.equal(record?.outcome, 'no_contract')
  })

  t.test('outside hours, the caller hears the hours and the next opening, and may leave a message', async (t) => {
    const { verbs, text, record } = await incoming(ACME, { at: '2026-11-26T10:00:00+01:00' }) // a Thursday
    t.match(text, /Le service d'assistance est ouvert du samedi au mercredi, de 9 h 30 à 12 h et de 13 h 15 à 16 h\./)
    t.match(text, /Nous serons de nouveau disponibles samedi à 9 h 30\./)
    t.ok(
      verbs.some((v) => v.name === 'Gather'),
      'the on-call line is offered',
    )
    t.match(verbs.find((v) => v.name === 'Record')?.attributes, { action: '/webhooks/twilio/recording' })
    t.equal(record?.outcome, 'closed_hours')
  })

  t.test('during the lunch break the next opening is today at 13 h 15', async (t) => {
    const { text, record } = await incoming(ACME, { at: '2026-11-28T12:30:00+01:00' })
    t.match(text, /aujourd'hui à 13 h 15/)
    t.equal(record?.outcome, 'closed_hours')
  })

  t.test('on a public holiday the caller hears which one', async (t) => {
    const { text, record } = await incoming(ACME, { at: '2026-11-01T10:00:00+01:00' }) // a Sunday, 1 November
    t.match(text, /fermé aujourd'hui, jour férié : Anniversaire du déclenchement de la Révolution/)
    t.equal(record?.outcome, 'closed_holiday')
  })

  t.test('a closure of the desk file closes the desk', async (t) => {
    const { text, record } = await incoming(ACME, { at: '2026-12-31T10:00:00+01:00' }) // a Thursday anyway
    t.match(text, /Inventaire/)
    t.equal(record?.outcome, 'closed_closure', 'a closure, told apart from a holiday')
  })

  t.test('with the quota used up', async (t) => {
    clock.set(SATURDAY_10H)
    // Use up every client's November quota.
    for (const contractId of [1, 2, 3, 4, 5]) {
      await db
        .insert(usage)
        .values({ contractId, month: '2026-11', quotaSeconds: 18_000, usedSeconds: 18_000, includedSeconds: 18_000 })
        .onConflictDoNothing()
    }
    await db.update(usage).set({ usedSeconds: 99_999 })
    t.teardown(() => db.delete(usage))

    t.test('"bill": the caller is told the call is billed, then put through', async (t) => {
      const { verbs, text, record } = await incoming(ACME)
      t.match(text, /sera facturé en dehors du forfait/)
      t.ok(verbs.some((v) => v.name === 'Dial'))
      t.equal(record?.decision, 'dial')
    })
    t.test('"ask": the caller is asked to press 1', async (t) => {
      const { verbs, text, record } = await incoming('+213770000001')
      t.match(text, /appuyez sur 1/)
      t.match(verbs[0], {
        name: 'Gather',
        attributes: { numDigits: '1', action: '/webhooks/twilio/overage', actionOnEmptyResult: 'true' },
      })
      t.equal(record?.decision, 'ask_overage')
    })
    t.test('"refuse": the call is refused', async (t) => {
      const { text, record } = await incoming('+213555000001')
      t.match(text, /forfait d'assistance de ce mois est épuisé/)
      t.equal(record?.outcome, 'quota_refused')
    })
  })

  t.test('with no agent on duty the caller leaves a message, due back within 24 working hours', async (t) => {
    await db.update(agents).set({ onDuty: false })
    t.teardown(() => db.update(agents).set({ onDuty: true }).where(eq(agents.id, 'amina')))
    const { verbs, text, callSid, record } = await incoming(ACME, { at: SATURDAY_10H })
    t.match(text, /Aucun technicien n'est disponible/)
    t.match(text, /dans les 24 heures ouvrées/)
    t.ok(verbs.some((v) => v.name === 'Record'))
    t.equal(record?.decision, 'voicemail')
    const [request] = await db.select().from(callbacks).where(eq(callbacks.callSid, callSid))
    // INTERcom days have 5 h 15 of hours. From Saturday 10:00: 4 h 45 left on Saturday, then
    // Sunday, Monday, Tuesday (15 h 45) make 20 h 30; the last 3 h 30 are Wednesday's morning
    // (2 h 30) and one hour of its afternoon: due Wednesday 2 December at 14:15 in Algiers.
    t.match(request, { reason: 'no_agent', status: 'open', clientId: 'acme' })
    t.equal(request?.dueAt?.toISOString(), '2026-12-02T13:15:00.000Z', 'due on Wednesday 2 December at 14:15 in Algiers')
  })

  t.test('a number that is not one of our desks gets an apology', async (t) => {
    const { text, record } = await incoming(ACME, { to: '+21321999999' })
    t.match(text, /difficulté technique/)
    t.equal(record?.outcome, 'failed')
  })

  t.test('the same incoming call delivered twice leaves one record', async (t) => {
    const callSid = newSid()
    const params = payload('incoming-call', { callSid, from: ACME, to: DESK })
    const first = await twilio.webhook('/webhooks/twilio/voice', params)
    const second = await twilio.webhook('/webhooks/twilio/voice', params)
    t.equal(second.body, first.body, 'the same answer twice')
    t.equal((await db.select().from(calls).where(eq(calls.callSid, callSid))).length, 1, 'one record')
  })

  t.test('/readyz sees the database', async (t) => {
    const response = await app.inject('/readyz')
    t.equal(response.statusCode, 200)
  })
})
