// Twilio's Fallback URL, and the whisper when little is known of a call: the contract rules still
// hold from the configuration in memory, and whoever picks up presses 1 to take the call, so that
// an agent's phone voicemail never takes it.
import t from 'tap'
import { newSid, payload } from '../../webhooks/index.js'
import { playCall, readTwiml, type Verb } from '../../webhooks/simulator.js'
import { eachDatabase } from '../helpers/databases.js'
import { deskApp } from '../helpers/desk.js'
import { ACME, DESK, SATURDAY_10H, STRANGER } from '../fixtures/intercom.js'

const NUMIDIA = '+213661000003' // suspended
const SPARE = '+33600000001'

const spoken = (verbs: Verb[]): string =>
  verbs.map((verb) => [verb.name === 'Say' ? verb.text : '', spoken(verb.children)].join(' ')).join(' ')

eachDatabase(t, async (t, database) => {
  const { clock, twilio } = await deskApp(t, database, { at: SATURDAY_10H, env: { FALLBACK_NUMBERS: SPARE } })
  // Any call loads the configuration into the instance's memory.
  await playCall(twilio, { from: ACME, to: DESK, talkSeconds: 10 })

  const fallback = async (from: string, to = DESK) => {
    const response = await twilio.webhook(
      '/webhooks/twilio/fallback',
      payload('incoming-call', { callSid: newSid(), from, to }, { ErrorCode: '11200' }),
    )
    t.equal(response.status, 200)
    return readTwiml(response.body)
  }

  t.test('a client in hours: the fallback numbers ring, each with the whisper, and the talk will count', async (t) => {
    const dial = (await fallback(ACME)).find((verb) => verb.name === 'Dial')
    t.same(
      dial?.children.map((number) => number.text),
      ['+213550000001', SPARE],
      "the desk's fallback number, then FALLBACK_NUMBERS",
    )
    t.ok(
      dial?.children.every((number) => number.attributes.url === '/webhooks/twilio/whisper?desk=intercom'),
      'each hears the whisper',
    )
    t.match(dial?.attributes.action, /contract=1&month=2026-11/, "into ACME's November")
  })

  t.test('the contract rules still hold: an unknown caller and a suspended client are not put through', async (t) => {
    const stranger = await fallback(STRANGER)
    t.notOk(
      stranger.some((verb) => verb.name === 'Dial'),
      'nothing rings for a stranger',
    )
    t.match(spoken(stranger), /réservée aux contacts techniques/)
    const suspended = await fallback(NUMIDIA)
    t.notOk(
      suspended.some((verb) => verb.name === 'Dial'),
      'nor for a suspended client',
    )
    t.match(spoken(suspended), /suspendue/)
  })

  t.test('outside hours: the desk is closed, as the voice webhook would say', async (t) => {
    clock.set('2026-11-26T20:00:00+01:00') // Thursday evening
    t.teardown(() => clock.set(SATURDAY_10H))
    const closed = await fallback(ACME)
    t.match(spoken(closed), /ouvert du samedi au mercredi/)
    t.notOk(
      closed.some((verb) => verb.name === 'Dial'),
      'no agent rings',
    )
  })

  t.test('a number that is no desk in memory: FALLBACK_NUMBERS ring', async (t) => {
    const dial = (await fallback(ACME, '+21321999999')).find((verb) => verb.name === 'Dial')
    t.same(
      dial?.children.map((number) => number.text),
      [SPARE],
    )
    t.equal(dial?.children[0]?.attributes.url, '/webhooks/twilio/whisper', 'with the whisper, though no desk is known')
  })

  t.test('the whisper of a call nothing is known of still asks to press 1', async (t) => {
    for (const path of ['/webhooks/twilio/whisper', '/webhooks/twilio/whisper?desk=intercom']) {
      const response = await twilio.webhook(
        path,
        payload('whisper', { callSid: newSid(), from: STRANGER, to: DESK }, { CallSid: newSid(), To: SPARE }),
      )
      const [gather, ...rest] = readTwiml(response.body)
      t.equal(gather?.name, 'Gather', `${path}: the agent must answer`)
      t.equal(gather?.attributes.action, '/webhooks/twilio/whisper/accept')
      t.match(spoken([gather as Verb]), /Appuyez sur 1 pour prendre l’appel/)
      t.same(
        rest.map((verb) => verb.name),
        ['Say', 'Hangup'],
        'silence (a voicemail) ends the leg',
      )
    }
  })
})
