// The Twilio REST module (the twilio package's own client) against the local emulator: what it
// creates, what Twilio's refusals become, and which failures are worth another attempt.
import { randomBytes } from 'node:crypto'
import t, { type Test } from 'tap'
import { validateRequest } from 'twilio/lib/webhooks/webhooks.js'
import { TwilioRestError, createTwilioRest } from '../../src/outside/twilio-rest.js'
import { TwilioEmulator } from '../../webhooks/twilio-emulator.js'
import { startReceiver } from '../helpers/receiver.js'
import { DESK } from '../fixtures/intercom.js'

const ACCOUNT = `AC${randomBytes(16).toString('hex')}`
const TOKEN = 'emulated-auth-token'
const AGENT = '+213550000001'
const CLIENT = '+213661000001'

async function emulator(t: Test, options: Partial<Parameters<typeof TwilioEmulator.start>[0]> = {}) {
  const emulated = await TwilioEmulator.start({ accountSid: ACCOUNT, authToken: TOKEN, numbers: [DESK], ...options })
  t.teardown(() => emulated.close())
  return emulated
}

async function refusal(promise: Promise<unknown>): Promise<TwilioRestError> {
  try {
    await promise
  } catch (error) {
    if (error instanceof TwilioRestError) return error
    throw error
  }
  throw new Error('expected Twilio to refuse')
}

/** A TwiML document server that checks Twilio's signature on every request, as supportline does. */
async function twimlServer(t: Test, twiml: string) {
  const signatures: boolean[] = []
  const server = await startReceiver(t, (request, response) => {
    const params = Object.fromEntries(new URLSearchParams(request.body))
    signatures.push(validateRequest(TOKEN, request.headers['x-twilio-signature'] ?? '', server.url + request.url, params))
    response.writeHead(200, { 'content-type': 'text/xml' })
    response.end(request.url.startsWith('/status') ? '<Response/>' : twiml)
  })
  return Object.assign(server, { signatures })
}

t.test('an SMS is created, stored by the emulator, and its status posted back signed', async (t) => {
  const twilio = await emulator(t)
  const receiver = await twimlServer(t, '<Response/>')
  const rest = createTwilioRest({ accountSid: ACCOUNT, authToken: TOKEN, apiUrl: twilio.url })
  const body = 'Message vocal de ACME SARL (20 s), à rappeler avant 12 h. رسالة'
  const sms = await rest.sendSms({ from: DESK, to: AGENT, body, statusCallback: `${receiver.url}/status/sms` })
  t.match(sms, { sid: /^SM[0-9a-f]{32}$/, status: 'queued' }, 'Twilio answers with a queued message')
  await twilio.idle()
  t.match(
    twilio.messages,
    [{ sid: sms.sid, from: DESK, to: AGENT, body, status: 'delivered', numSegments: 1 }],
    'the emulator kept it',
  )
  t.same(
    receiver.requests.map((r) => new URLSearchParams(r.body).get('MessageStatus')),
    ['sent', 'delivered'],
    'the status callback says sent, then delivered',
  )
  t.same(receiver.signatures, [true, true], 'each callback is signed with the auth token over its URL')
})

t.test('a call is created, then played: the TwiML URL requested once the number answers, the status posted', async (t) => {
  const twilio = await emulator(t, { phones: { [AGENT]: { answerAfterSeconds: 4 } } })
  const app = await twimlServer(t, '<Response><Say language="fr-FR">Rappel de ACME SARL.</Say><Hangup/></Response>')
  const rest = createTwilioRest({ accountSid: ACCOUNT, authToken: TOKEN, apiUrl: twilio.url })
  const call = await rest.createCall({
    from: DESK,
    to: AGENT,
    url: `${app.url}/voice/callback?request=7`,
    statusCallback: `${app.url}/status/call`,
    statusCallbackEvent: ['initiated', 'ringing', 'answered', 'completed'],
    timeout: 20,
  })
  t.match(call, { sid: /^CA[0-9a-f]{32}$/, status: 'queued' }, 'Twilio answers with a queued call')
  const played = await twilio.finished(call.sid)
  t.match(played, { status: 'completed', from: DESK, to: AGENT, timeout: 20 }, 'the call completed')
  t.equal(played.error, undefined, 'nothing went wrong while playing it')
  const [voice] = played.steps
  t.equal(voice?.path, '/voice/callback?request=7', 'the Url was requested with its query')
  t.match(
    voice?.params,
    { CallSid: call.sid, AccountSid: ACCOUNT, From: DESK, To: AGENT, CallStatus: 'in-progress', Direction: 'outbound-api' },
    'with the parameters Twilio sends',
  )
  t.same(
    played.callbacks.map((c) => c.params.CallStatus),
    ['initiated', 'ringing', 'in-progress', 'completed'],
    'every status event asked for, in order',
  )
  t.match(played.callbacks.at(-1)?.params, { CallDuration: '2', Duration: '1' }, 'the final one with the duration')
  t.ok(
    app.signatures.every((ok) => ok),
    'every request signed as Twilio signs',
  )
})

t.test("Twilio's refusals: typed, with Twilio's code and status, permanent", async (t) => {
  const twilio = await emulator(t)
  const rest = createTwilioRest({ accountSid: ACCOUNT, authToken: TOKEN, apiUrl: twilio.url })
  const call = { url: 'https://supportline.example.com/voice', statusCallback: 'https://supportline.example.com/status' }

  const invalidTo = await refusal(rest.createCall({ ...call, from: DESK, to: '+12' }))
  t.match(
    invalidTo,
    { code: 21211, status: 400, transient: false, moreInfo: 'https://www.twilio.com/docs/errors/21211' },
    '21211 an invalid To',
  )
  t.match(invalidTo.message, /'To' number \+12 is not a valid phone number/, "with Twilio's message")
  t.match(
    await refusal(rest.createCall({ ...call, from: CLIENT, to: AGENT })),
    { code: 21210, status: 400, transient: false },
    '21210 a From not of the account',
  )
  t.match(
    await refusal(rest.createCall({ ...call, from: 'desk', to: AGENT })),
    { code: 21212, status: 400, transient: false },
    '21212 an invalid From',
  )
  t.match(
    await refusal(rest.createCall({ ...call, from: DESK, to: AGENT, url: 'not a url' })),
    { code: 21205 },
    '21205 an invalid Url',
  )
  t.match(
    await refusal(rest.sendSms({ from: DESK, to: 'nobody', body: 'x' })),
    { code: 21211, transient: false },
    '21211 for an SMS too',
  )
  t.match(
    await refusal(rest.sendSms({ from: CLIENT, to: AGENT, body: 'x' })),
    { code: 21606, transient: false },
    '21606 an SMS from a number not of the account',
  )

  const wrongToken = createTwilioRest({ accountSid: ACCOUNT, authToken: 'not-the-token', apiUrl: twilio.url })
  t.match(
    await refusal(wrongToken.sendSms({ from: DESK, to: AGENT, body: 'x' })),
    { code: 20003, status: 401, transient: false },
    '20003 bad credentials',
  )
  t.equal(twilio.calls.length + twilio.messages.length, 0, 'nothing was created')
})

t.test('failures worth another attempt: 5xx, 429, too slow, unreachable', async (t) => {
  const twilio = await emulator(t)
  const rest = createTwilioRest({ accountSid: ACCOUNT, authToken: TOKEN, apiUrl: twilio.url, timeoutMs: 300 })
  const sms = { from: DESK, to: AGENT, body: 'x' }

  twilio.failNext({ status: 500 })
  t.match(await refusal(rest.sendSms(sms)), { code: 20500, status: 500, transient: true }, '500 is transient')
  twilio.failNext({ status: 503, code: 20503, message: 'Service Unavailable' })
  t.match(await refusal(rest.sendSms(sms)), { code: 20503, status: 503, transient: true }, '503 is transient')
  twilio.failNext({ status: 429, code: 20429, message: 'Too Many Requests' })
  t.match(await refusal(rest.sendSms(sms)), { code: 20429, status: 429, transient: true }, '429 is transient')

  twilio.failNext({ delayMs: 2_000 })
  const slow = await refusal(rest.sendSms(sms))
  t.match(
    slow,
    { transient: true, code: undefined, status: undefined, message: /^could not reach 127\.0\.0\.1:\d+: E/ },
    'an answer later than the timeout',
  )

  twilio.unreachable = true
  t.match(await refusal(rest.sendSms(sms)), { transient: true, message: /could not reach/ }, 'a connection reset')
  twilio.unreachable = false
  t.match(await rest.sendSms(sms), { status: 'queued' }, 'and once reachable again, it goes')

  await twilio.close()
  t.match(
    await refusal(rest.sendSms(sms)),
    { transient: true, message: /could not reach .*: (ECONNREFUSED|ECONNRESET)/ },
    'nothing listening',
  )
})

t.test('the same idempotency key twice is one call', async (t) => {
  const twilio = await emulator(t)
  const app = await twimlServer(t, '<Response><Hangup/></Response>')
  const rest = createTwilioRest({ accountSid: ACCOUNT, authToken: TOKEN, apiUrl: twilio.url })
  const call = {
    from: DESK,
    to: AGENT,
    url: `${app.url}/voice`,
    statusCallback: `${app.url}/status`,
    idempotencyKey: 'callback-7-attempt-1',
  }
  const [first, second] = await Promise.all([rest.createCall(call), rest.createCall(call)])
  t.equal(first?.sid, second?.sid, 'a double click gives the same call')
  t.equal(twilio.calls.length, 1, 'one call was made')
  const third = await rest.createCall({ ...call, idempotencyKey: 'callback-7-attempt-2' })
  t.not(third.sid, first?.sid, 'another key, another call')
})
