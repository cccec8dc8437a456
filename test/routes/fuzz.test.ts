// No request shape, however wrong, gets a 5xx: random and mutated webhook payloads, signed and
// unsigned, odd content types and sizes, against every webhook path.
import type { InjectOptions } from 'fastify'
import fc from 'fast-check'
import t from 'tap'
import { type Params, newSid, payload, sign } from '../../webhooks/index.js'
import { readTwiml } from '../../webhooks/simulator.js'
import { TEST_AUTH_TOKEN, TEST_PUBLIC_URL } from '../helpers/app.js'
import { freshDatabase } from '../helpers/databases.js'
import { deskApp } from '../helpers/desk.js'

const PATHS = [
  '/webhooks/twilio/voice',
  '/webhooks/twilio/dial',
  '/webhooks/twilio/dial?leg=on-call&attempt=2',
  '/webhooks/twilio/dial?attempt=-1&leg=%00',
  '/webhooks/twilio/whisper',
  '/webhooks/twilio/whisper/accept',
  '/webhooks/twilio/overage',
  '/webhooks/twilio/on-call',
  '/webhooks/twilio/recording',
  '/webhooks/twilio/status',
]

const PAYLOADS = [
  'incoming-call',
  'dial-completed',
  'dial-no-answer',
  'whisper',
  'gather',
  'recording',
  'status-completed',
] as const

const weirdValue = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.constantFrom(
    '',
    'anonymous',
    '+',
    '+999999999999999999999',
    'client:x',
    '-1',
    '1e309',
    'NaN',
    '99999999999',
    'completed',
    `CA${'f'.repeat(32)}`,
    '<Response/>',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a template injection attempt, sent as text
    '${x}',
    '%00',
  ),
  fc.integer().map(String),
)

/** A real payload with some parameters changed, removed or added. */
const mutatedPayload = fc
  .record({
    base: fc.constantFrom(...PAYLOADS),
    changes: fc.array(
      fc.tuple(
        fc.constantFrom(
          'CallSid',
          'From',
          'To',
          'DialCallStatus',
          'DialCallDuration',
          'DialCallSid',
          'Digits',
          'ParentCallSid',
          'CallStatus',
          'CallDuration',
          'RecordingUrl',
          'RecordingDuration',
          'Extra',
        ),
        fc.option(weirdValue),
      ),
      { maxLength: 4 },
    ),
  })
  .map(({ base, changes }) => {
    const params: Params = payload(base, { callSid: newSid(), from: '+213661000001', to: '+21321000000' })
    for (const [key, value] of changes) {
      if (value === null) delete params[key]
      else params[key] = value
    }
    return params
  })

t.test('fuzzing the webhooks', async (t) => {
  const database = await freshDatabase(t, 'pglite')
  const { app } = await deskApp(t, database, { at: '2026-11-28T10:00:00+01:00' })

  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...PATHS), mutatedPayload, fc.boolean(), async (path, params, signed) => {
      const body = new URLSearchParams(params).toString()
      const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' }
      if (signed) headers['x-twilio-signature'] = sign(TEST_AUTH_TOKEN, TEST_PUBLIC_URL + path, params)
      const response = await app.inject({ method: 'POST', url: path, payload: body, headers })
      if (response.statusCode >= 500) throw new Error(`${path} answered ${response.statusCode}: ${response.body}`)
      if (signed && response.statusCode === 200) readTwiml(response.body) // valid TwiML, or this throws
      if (!signed && response.statusCode !== 403) throw new Error(`unsigned ${path} answered ${response.statusCode}`)
    }),
    { numRuns: 400 },
  )
  t.pass('400 mutated webhooks, no 5xx, signed ones answered with TwiML')

  const odd: [what: string, request: InjectOptions, expected: number[]][] = [
    ['a JSON body', { method: 'POST', url: PATHS[0]!, payload: { CallSid: 'x' } }, [403]],
    [
      'a binary body',
      {
        method: 'POST',
        url: PATHS[0]!,
        payload: Buffer.from([0, 255, 1, 2]),
        headers: { 'content-type': 'application/octet-stream' },
      },
      [415],
    ],
    [
      'an unknown content type',
      { method: 'POST', url: PATHS[0]!, payload: 'x', headers: { 'content-type': 'text/x-whatever' } },
      [415],
    ],
    [
      'a body over the limit',
      {
        method: 'POST',
        url: PATHS[0]!,
        payload: `From=${'9'.repeat(300_000)}`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      },
      [413],
    ],
    ['a GET on a webhook', { method: 'GET', url: PATHS[0]! }, [404]],
    [
      'a malformed form encoding',
      {
        method: 'POST',
        url: PATHS[0]!,
        payload: '%E0%A4%A=%%%&&==',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      },
      [400, 403],
    ],
    [
      'a repeated parameter',
      {
        method: 'POST',
        url: PATHS[0]!,
        payload: 'CallSid=a&CallSid=b',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      },
      [403],
    ],
  ]
  for (const [what, request, expected] of odd) {
    const response = await app.inject(request)
    t.ok(expected.includes(response.statusCode), `${what}: ${response.statusCode} (expected ${expected.join(' or ')})`)
  }

  t.test('a signed request with repeated or missing parameters gets a polite TwiML', async (t) => {
    const path = PATHS[0]!
    const params = { From: '+213661000001' } // no CallSid, no To
    const response = await app.inject({
      method: 'POST',
      url: path,
      payload: new URLSearchParams(params).toString(),
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': sign(TEST_AUTH_TOKEN, TEST_PUBLIC_URL + path, params),
      },
    })
    t.equal(response.statusCode, 200)
    t.match(readTwiml(response.body)[0]?.text, /difficulté technique/)
  })

  const health = await app.inject('/healthz')
  t.equal(health.statusCode, 200, 'the app is alive after all that')
})
