// The Twilio emulator driven by the real twilio client: calls played against a small TwiML
// server (how each verb and each phone behaves), its API's reads, and a whole call played
// against the real supportline listening on a port, its signatures accepted.
import { randomBytes } from 'node:crypto'
import t, { type Test } from 'tap'
import { validateRequest } from 'twilio/lib/webhooks/webhooks.js'
import { createTwilioRest } from '../../src/outside/twilio-rest.js'
import type { Phone } from '../../webhooks/simulator.js'
import { TwilioEmulator } from '../../webhooks/twilio-emulator.js'
import { TEST_ADMIN_TOKEN, TEST_AUTH_TOKEN, TEST_PUBLIC_URL } from '../helpers/app.js'
import { eachDatabase } from '../helpers/databases.js'
import { deskApp } from '../helpers/desk.js'
import { startReceiver } from '../helpers/receiver.js'
import { ACME, AMINA, DESK, KARIM, YACINE } from '../fixtures/intercom.js'

const ACCOUNT = `AC${randomBytes(16).toString('hex')}`
const TOKEN = 'emulated-auth-token'

async function emulator(
  t: Test,
  phones: Record<string, Phone>,
  options: { numbers?: string[]; target?: string; authToken?: string } = {},
) {
  const emulated = await TwilioEmulator.start({
    accountSid: ACCOUNT,
    authToken: options.authToken ?? TOKEN,
    numbers: options.numbers ?? [DESK],
    phones,
    ...(options.target ? { target: options.target } : {}),
  })
  t.teardown(() => emulated.close())
  return emulated
}

/** A TwiML server: a document per path, every request's signature checked as supportline checks it. */
async function twimlServer(t: Test, documents: Record<string, string>) {
  const signatures: boolean[] = []
  const server = await startReceiver(t, (request, response) => {
    const params = Object.fromEntries(new URLSearchParams(request.body))
    signatures.push(validateRequest(TOKEN, request.headers['x-twilio-signature'] ?? '', server.url + request.url, params))
    const document = documents[request.url.split('?')[0] ?? '']
    response.writeHead(document === undefined ? 404 : 200, { 'content-type': 'text/xml' })
    response.end(document ?? 'not found')
  })
  return Object.assign(server, { signatures })
}

const rest = (emulated: TwilioEmulator, authToken = TOKEN) =>
  createTwilioRest({ accountSid: ACCOUNT, authToken, apiUrl: emulated.url })

t.test('a callback as #16 will place it: the agent presses 1, the client is dialled, the talk is timed', async (t) => {
  const app = await twimlServer(t, {
    '/agent': `<Response>
      <Gather numDigits="1" action="/agent/accept"><Say language="fr-FR">Rappel de ACME SARL : appuyez sur 1.</Say></Gather>
      <Say>Rappel annulé.</Say><Hangup/>
    </Response>`,
    '/agent/accept': `<Response><Dial callerId="${DESK}" action="../dial?leg=callback" timeout="25" timeLimit="600">
      <Number url="/client/whisper">${ACME}</Number></Dial></Response>`,
    '/client/whisper': '<Response/>',
    '/dial': '<Response><Say>Merci.</Say><Hangup/></Response>',
    '/status': '<Response/>',
  })
  const twilio = await emulator(t, {
    [AMINA]: { answerAfterSeconds: 6, presses: ['1'] },
    [ACME]: { answerAfterSeconds: 10, talkSeconds: 900 },
  })
  const call = await rest(twilio).createCall({
    from: DESK,
    to: AMINA,
    url: `${app.url}/agent`,
    statusCallback: `${app.url}/status`,
  })
  const played = await twilio.finished(call.sid)
  t.same(
    played.steps.map((s) => s.path),
    ['/agent', '/agent/accept', '/client/whisper', '/dial?leg=callback'],
    'the agent leg, the acceptance, the client leg, the dial action (relative URLs resolved)',
  )
  t.match(played.steps[1]?.params, { Digits: '1', CallSid: call.sid }, 'the agent pressed 1')
  t.match(
    played.steps[2]?.params,
    { ParentCallSid: call.sid, Direction: 'outbound-dial', From: DESK, To: ACME, CallStatus: 'in-progress' },
    'the client leg is a child of the call, from the callerId',
  )
  t.match(
    played.steps[3]?.params,
    { DialCallStatus: 'completed', DialCallDuration: '600', DialBridged: 'true' },
    'the talk stops at timeLimit (600 s), not at the 900 s the client would have talked',
  )
  t.match(played, { status: 'completed', error: undefined }, 'completed')
  t.equal(played.callbacks.length, 1, 'only the completed status was asked for (the default)')
  t.match(played.callbacks[0]?.params, { CallStatus: 'completed', CallDuration: String(played.duration) }, 'with its duration')
  t.ok((played.duration ?? 0) > 610, `the duration (${played.duration} s) holds the ringing and the talk`)
  t.ok(app.signatures.length === 5 && app.signatures.every((ok) => ok), 'five requests, each signed over its own URL')
})

t.test('<Dial> to several numbers: busy, a whisper that hangs up, then one that takes it', async (t) => {
  const app = await twimlServer(t, {
    '/voice': `<Response><Dial action="/dial" timeout="20">
      <Number url="/whisper">${AMINA}</Number><Number url="/whisper">${KARIM}</Number><Number url="/whisper">${YACINE}</Number>
    </Dial></Response>`,
    '/whisper': `<Response><Gather numDigits="1" action="/whisper/accept"><Say>Appuyez sur 1.</Say></Gather><Hangup/></Response>`,
    '/whisper/accept': '<Response/>',
    '/dial': '<Response><Hangup/></Response>',
  })
  const twilio = await emulator(t, {
    [DESK]: { talkSeconds: 45 },
    [AMINA]: { answers: 'busy' },
    [KARIM]: { answerAfterSeconds: 2, presses: [''] }, // its voicemail: presses nothing
    [YACINE]: { answerAfterSeconds: 8, presses: ['1'] },
  })
  const call = await rest(twilio).createCall({ from: DESK, to: DESK, url: `${app.url}/voice`, statusCallback: `${app.url}/dial` })
  const played = await twilio.finished(call.sid)
  t.same(
    played.steps.map((s) => `${s.path} ${s.params.To}`),
    [`/voice ${DESK}`, `/whisper ${KARIM}`, `/whisper ${YACINE}`, `/whisper/accept ${YACINE}`, `/dial ${DESK}`],
    'Karim picks up first but presses nothing: the Gather falls through to <Hangup>; Yacine takes it',
  )
  t.match(played.steps.at(-1)?.params, { DialCallStatus: 'completed', DialCallDuration: '45' }, 'the caller hung up after 45 s')
})

t.test('nobody takes a <Dial>: busy when all are busy, no-answer otherwise, and a document without action goes on', async (t) => {
  const app = await twimlServer(t, {
    '/busy': `<Response><Dial action="/after"><Number>${AMINA}</Number><Number>${KARIM}</Number></Dial></Response>`,
    '/late': `<Response><Dial timeout="10"><Number>${YACINE}</Number></Dial><Redirect>/after</Redirect></Response>`,
    '/after': '<Response><Say>Personne.</Say></Response>',
  })
  const twilio = await emulator(t, {
    [AMINA]: { answers: 'busy' },
    [KARIM]: { answers: 'busy' },
    [YACINE]: { answerAfterSeconds: 15 },
  })
  const busy = await twilio.finished(
    (await rest(twilio).createCall({ from: DESK, to: DESK, url: `${app.url}/busy`, statusCallback: `${app.url}/after` })).sid,
  )
  t.match(busy.steps.at(-1)?.params, { DialCallStatus: 'busy', DialBridged: 'false' }, 'every number busy: busy')
  const late = await twilio.finished(
    (await rest(twilio).createCall({ from: DESK, to: DESK, url: `${app.url}/late`, statusCallback: `${app.url}/after` })).sid,
  )
  t.same(
    late.steps.map((s) => s.path),
    ['/late', '/after'],
    'past the timeout nobody answered; without an action the document went on to <Redirect>',
  )
})

t.test('the number called does not answer, is busy, fails: the status says so and the Url is never requested', async (t) => {
  const app = await twimlServer(t, { '/voice': '<Response/>', '/status': '<Response/>' })
  const twilio = await emulator(t, {
    [AMINA]: { answerAfterSeconds: 40 },
    [KARIM]: { answers: 'busy' },
    [YACINE]: { answers: 'failed' },
  })
  for (const [to, status] of [
    [AMINA, 'no-answer'],
    [KARIM, 'busy'],
    [YACINE, 'failed'],
  ] as const) {
    const call = await rest(twilio).createCall({
      from: DESK,
      to,
      url: `${app.url}/voice`,
      statusCallback: `${app.url}/status`,
      timeout: 30,
    })
    const played = await twilio.finished(call.sid)
    t.match(played, { status, duration: 0, steps: [] }, `${to}: ${status}`)
    t.match(played.callbacks, [{ params: { CallStatus: status, CallDuration: '0' }, status: 200 }], 'posted as the final status')
  }
  t.equal(app.requests.filter((r) => r.url === '/voice').length, 0, 'the TwiML URL was never requested')
})

t.test('a TwiML URL answering an error ends the call, and the emulator says why', async (t) => {
  const app = await twimlServer(t, { '/status': '<Response/>' })
  const twilio = await emulator(t, {})
  const call = await rest(twilio).createCall({
    from: DESK,
    to: AMINA,
    url: `${app.url}/missing`,
    statusCallback: `${app.url}/status`,
  })
  const played = await twilio.finished(call.sid)
  t.match(played, { status: 'completed', error: /\/missing answered 404/ }, 'completed, with the reason kept')
})

t.test("the API's reads: a call and the lists, with Basic auth; unknown resources are 404", async (t) => {
  const app = await twimlServer(t, { '/voice': '<Response><Hangup/></Response>', '/status': '<Response/>' })
  const twilio = await emulator(t, { [KARIM]: { sms: 'undelivered' } })
  const client = rest(twilio)
  const call = await client.createCall({ from: DESK, to: AMINA, url: `${app.url}/voice`, statusCallback: `${app.url}/status` })
  await twilio.finished(call.sid)
  const sms = await client.sendSms({ from: DESK, to: KARIM, body: 'Rappel à 14 h', statusCallback: `${app.url}/status` })
  await twilio.idle()

  const auth = `Basic ${Buffer.from(`${ACCOUNT}:${TOKEN}`).toString('base64')}`
  const get = async (path: string, authorization = auth) => {
    const response = await fetch(`${twilio.url}/2010-04-01/Accounts/${ACCOUNT}/${path}`, { headers: { authorization } })
    return { status: response.status, body: (await response.json()) as Record<string, unknown> }
  }
  t.match(
    await get(`Calls/${call.sid}.json`),
    {
      status: 200,
      body: {
        sid: call.sid,
        account_sid: ACCOUNT,
        from: DESK,
        to: AMINA,
        status: 'completed',
        direction: 'outbound-api',
        duration: '0',
        date_created: /^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} \+0000$/,
        uri: `/2010-04-01/Accounts/${ACCOUNT}/Calls/${call.sid}.json`,
      },
    },
    "a call, in Twilio's field names",
  )
  t.match((await get(`Calls.json?To=${encodeURIComponent(AMINA)}`)).body, { calls: [{ sid: call.sid }] }, 'the calls to a number')
  t.match(
    await get(`Messages/${sms.sid}.json`),
    { status: 200, body: { sid: sms.sid, body: 'Rappel à 14 h', status: 'undelivered', error_code: 30003, num_segments: '1' } },
    'a message, undelivered as its phone says',
  )
  t.match((await get('Messages.json')).body, { messages: [{ sid: sms.sid }] }, 'the messages')
  t.match(await get(`Calls/CA${'f'.repeat(32)}.json`), { status: 404, body: { code: 20404 } }, 'an unknown call: 20404')
  t.match(
    await get('Calls.json', 'Basic bm9ib2R5Om5vdGhpbmc='),
    { status: 401, body: { code: 20003, message: 'Authenticate' } },
    'bad credentials: 20003',
  )
})

eachDatabase(t, async (t, database) => {
  // supportline itself, listening on a port, checking signatures against its PUBLIC_URL: the
  // emulator requests the public URLs it is given, signs over them, and sends them to the port.
  const { app } = await deskApp(t, database, { at: '2026-11-28T10:00:00+01:00' })
  await app.listen({ port: 0, host: '127.0.0.1' })
  const address = app.server.address()
  const target = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`
  const callRecord = async (sid: string) =>
    (await app.inject({ url: `/api/calls/${sid}`, headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } })).json()

  // ACME's number as a verified caller ID of the account, calling the desk: supportline answers
  // it as it answers any client's call, and rings its agents.
  const phones: Record<string, Phone> = {
    [AMINA]: { answerAfterSeconds: 3, presses: ['1'], talkSeconds: 240 },
    [KARIM]: { answerAfterSeconds: 7, presses: ['1'] },
  }
  const twilio = await emulator(t, phones, { numbers: [ACME], target, authToken: TEST_AUTH_TOKEN })
  const client = createTwilioRest({ accountSid: ACCOUNT, authToken: TEST_AUTH_TOKEN, apiUrl: twilio.url })
  const place = async () => {
    const { sid } = await client.createCall({
      from: ACME,
      to: DESK,
      url: `${TEST_PUBLIC_URL}/webhooks/twilio/voice`,
      statusCallback: `${TEST_PUBLIC_URL}/webhooks/twilio/status`,
    })
    return twilio.finished(sid)
  }

  t.test('a call the emulator plays against supportline: signatures accepted, the talk counted', async (t) => {
    const played = await place()
    t.equal(played.error, undefined, 'supportline answered every webhook with TwiML (a refused signature would be a 403)')
    t.same(
      played.steps.map((s) => s.path.split('?')[0]),
      ['/webhooks/twilio/voice', '/webhooks/twilio/whisper', '/webhooks/twilio/whisper/accept', '/webhooks/twilio/dial'],
      'voice, whisper, accept, dial',
    )
    t.match(played.callbacks, [{ params: { CallStatus: 'completed' }, status: 200 }], 'the status callback was accepted')
    t.match(
      await callRecord(played.sid),
      { outcome: 'answered', talkSeconds: 240, agentId: 'amina' },
      'counted as answered by Amina',
    )
  })

  t.test('nobody answers: supportline offers a voicemail, and the message is left', async (t) => {
    twilio.phones.set(AMINA, { answers: 'no-answer' })
    twilio.phones.set(KARIM, { answers: 'busy' })
    twilio.phones.set(DESK, { recordSeconds: 15 }) // whoever answered the call at the desk's number leaves it
    const played = await place()
    t.equal(played.error, undefined, 'no webhook refused')
    t.match(
      played.steps.at(-1),
      { path: '/webhooks/twilio/recording', params: { RecordingDuration: '15' } },
      'the recording posted',
    )
    t.match(await callRecord(played.sid), { outcome: 'voicemail', talkSeconds: 0 }, 'a voicemail in the log')
  })
})
