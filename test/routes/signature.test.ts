// Twilio's signature on every webhook: nothing is answered, and nothing recorded, without it.
import t, { type Test } from 'tap'
import { calls } from '../../db/schema.js'
import { Twilio, injectPost, newSid, payload, sign } from '../../webhooks/index.js'
import { TEST_AUTH_TOKEN, TEST_PUBLIC_URL } from '../helpers/app.js'
import { freshDatabase } from '../helpers/databases.js'
import { deskApp } from '../helpers/desk.js'

t.test('signatures', async (t) => {
  const database = await freshDatabase(t, 'pglite')
  const { app, twilio } = await deskApp(t, database, { at: '2026-11-28T10:00:00+01:00' })
  const call = () => ({ callSid: newSid(), from: '+213661000001', to: '+21321000000' })
  const voice = '/webhooks/twilio/voice'

  const refused = (t: Test, response: { status: number; contentType: string; body: string }, why: string) => {
    t.equal(response.status, 403, `${why}: 403`)
    t.match(response.contentType, /^application\/problem\+json/, 'as a problem, not TwiML')
    t.notMatch(response.body, /<Response/, 'with no TwiML')
  }

  t.test('a correctly signed webhook is answered', async (t) => {
    t.equal((await twilio.webhook(voice, payload('incoming-call', call()))).status, 200)
  })

  t.test('a missing signature is refused', async (t) => {
    refused(t, await twilio.webhook(voice, payload('incoming-call', call()), { signature: null }), 'no header')
  })

  t.test('a signature made with another auth token is refused', async (t) => {
    const other = new Twilio(injectPost(app), 'someone-elses-token', TEST_PUBLIC_URL)
    refused(t, await other.webhook(voice, payload('incoming-call', call())), 'wrong token')
  })

  t.test('a tampered parameter is refused', async (t) => {
    const params = payload('incoming-call', call())
    const signature = sign(TEST_AUTH_TOKEN, TEST_PUBLIC_URL + voice, params)
    refused(t, await twilio.webhook(voice, { ...params, From: '+213661000002' }, { signature }), 'From changed after signing')
  })

  t.test('a signature over another host is refused', async (t) => {
    const params = payload('incoming-call', call())
    const signature = sign(TEST_AUTH_TOKEN, `https://attacker.example.com${voice}`, params)
    refused(t, await twilio.webhook(voice, params, { signature }), 'signed for another URL')
  })

  t.test('the query string is part of what is signed', async (t) => {
    const path = '/webhooks/twilio/dial?leg=agents&attempt=1'
    const c = call()
    await twilio.webhook(voice, payload('incoming-call', c))
    const params = payload('dial-no-answer', c)
    t.equal((await twilio.webhook(path, params)).status, 200, 'signed with its query string: accepted')
    const withoutQuery = sign(TEST_AUTH_TOKEN, `${TEST_PUBLIC_URL}/webhooks/twilio/dial`, params)
    refused(t, await twilio.webhook(path, params, { signature: withoutQuery }), 'signed without it')
  })

  t.test('parameters Twilio adds in future are signed and accepted', async (t) => {
    const params = { ...payload('incoming-call', call()), SomeNewParameter: 'value', CallerName: 'ACME' }
    t.equal((await twilio.webhook(voice, params)).status, 200)
  })

  t.test('behind a TLS-terminating proxy, the public URL is what counts', async (t) => {
    const params = payload('incoming-call', call())
    const response = await app.inject({
      method: 'POST',
      url: voice,
      payload: new URLSearchParams(params).toString(),
      headers: {
        host: 'supportline.internal:8080',
        'x-forwarded-proto': 'https',
        'x-forwarded-for': '54.172.60.1',
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': sign(TEST_AUTH_TOKEN, TEST_PUBLIC_URL + voice, params),
      },
    })
    t.equal(response.statusCode, 200, 'the internal host and scheme do not matter')
  })

  t.test('an unsigned request is refused before its body is looked at', async (t) => {
    const json = await app.inject({ method: 'POST', url: voice, payload: { CallSid: 'x' } })
    t.equal(json.statusCode, 403, 'JSON without a signature: 403')
    const empty = await app.inject({
      method: 'POST',
      url: voice,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: '',
    })
    t.equal(empty.statusCode, 403, 'an empty form: 403')
  })

  t.test('no refused request left a call record', async (t) => {
    const rows = await database.db.select({ from: calls.fromNumber }).from(calls)
    t.ok(
      rows.every((row) => row.from === '+213661000001'),
      'only the accepted calls were recorded',
    )
  })
})
