// Outgoing webhooks against a real receiver on this machine that verifies them with the
// standardwebhooks package, as a ticketing system would; and how each answer is classified.
import t from 'tap'
import { Webhook } from 'standardwebhooks'
import { deliver, isWebhookSecret, newWebhookSecret, webhookBody } from '../../src/outside/webhook-signer.js'
import { startReceiver } from '../helpers/receiver.js'

const SECRET = newWebhookSecret()
const EVENT = {
  id: 'msg_2026-11-28_voicemail_41',
  type: 'voicemail.recorded',
  timestamp: new Date('2026-11-28T21:58:00Z'),
  data: { callSid: 'CA0123', client: 'ACME SARL', caller: '+213661000001', seconds: 20, note: 'été / صوت' },
}

t.test('a delivery the receiver verifies with the standardwebhooks package', async (t) => {
  const verified: unknown[] = []
  const receiver = await startReceiver(t, (request, response) => {
    try {
      verified.push(new Webhook(SECRET).verify(request.body, request.headers))
      response.statusCode = 200
    } catch {
      response.statusCode = 401
    }
    response.end('ok')
  })
  const result = await deliver({ url: `${receiver.url}/hooks/supportline`, secret: SECRET, ...EVENT })
  t.same(result, { outcome: 'delivered', status: 200 }, 'delivered')
  t.same(
    verified,
    [{ type: 'voicemail.recorded', timestamp: '2026-11-28T21:58:00.000Z', data: EVENT.data }],
    'the signature holds and the body is { type, timestamp, data }',
  )
  const [request] = receiver.requests
  t.equal(request?.method, 'POST', 'a POST')
  t.equal(request?.url, '/hooks/supportline', 'to the URL given')
  t.equal(request?.headers['content-type'], 'application/json', 'of JSON')
  t.equal(request?.headers['webhook-id'], EVENT.id, 'webhook-id is the id given')
  t.match(request?.headers['webhook-signature'], /^v1,[A-Za-z0-9+/]+=*$/, 'webhook-signature is v1,<base64>')
  t.match(request?.headers['webhook-timestamp'], /^\d{10}$/, 'webhook-timestamp is in seconds')
  t.equal(request?.body, webhookBody(EVENT), 'the body is the one signed, byte for byte')

  t.throws(
    () => new Webhook(newWebhookSecret()).verify(request?.body ?? '', request?.headers ?? {}),
    'another secret does not verify it',
  )
})

t.test('a retry carries the same id, signed at its own time', async (t) => {
  const receiver = await startReceiver(t)
  const later = new Date(Date.now() + 60_000)
  t.equal((await deliver({ url: receiver.url, secret: SECRET, ...EVENT })).outcome, 'delivered', 'first attempt')
  t.equal((await deliver({ url: receiver.url, secret: SECRET, ...EVENT }, { now: later })).outcome, 'delivered', 'second attempt')
  const [first, second] = receiver.requests
  t.equal(first?.headers['webhook-id'], second?.headers['webhook-id'], 'the receiver can drop the duplicate by its id')
  t.equal(second?.headers['webhook-timestamp'], String(Math.floor(later.getTime() / 1000)), 'the second is signed at its time')
  t.ok(new Webhook(SECRET).verify(second?.body ?? '', second?.headers ?? {}), 'and verifies')
})

t.test('answers worth another attempt: 5xx, 408, 429 (with Retry-After)', async (t) => {
  for (const [status, retryAfter] of [
    [500, null],
    [503, '30'],
    [429, '120'],
    [408, null],
  ] as const) {
    const receiver = await startReceiver(t, (_request, response) => {
      response.statusCode = status
      if (retryAfter) response.setHeader('retry-after', retryAfter)
      response.end('Internal trouble')
    })
    const result = await deliver({ url: receiver.url, secret: SECRET, ...EVENT })
    t.match(
      result,
      {
        outcome: 'transient',
        status,
        error: new RegExp(`^answered ${status}`),
        retryAfterSeconds: retryAfter ? Number(retryAfter) : undefined,
      },
      `${status} is transient${retryAfter ? `, retry after ${retryAfter} s` : ''}`,
    )
  }
})

t.test('answers that would come again: other 4xx', async (t) => {
  for (const status of [400, 401, 404, 410, 422]) {
    const receiver = await startReceiver(t, (_request, response) => {
      response.statusCode = status
      response.end()
    })
    t.match(
      await deliver({ url: receiver.url, secret: SECRET, ...EVENT }),
      { outcome: 'permanent', status },
      `${status} is permanent`,
    )
  }
})

t.test('a receiver that hangs past the deadline: transient, and the attempt ends', async (t) => {
  const receiver = await startReceiver(t, () => {}) // never answers
  const result = await deliver({ url: receiver.url, secret: SECRET, ...EVENT }, { timeoutMs: 200 })
  t.same(result, { outcome: 'transient', error: 'no answer within 200 ms' }, 'a timeout')

  const trickle = await startReceiver(t, (_request, response) => {
    response.writeHead(200, { 'content-type': 'text/plain' })
    response.write('still thinking') // headers sent, the body never ends
  })
  t.same(
    await deliver({ url: trickle.url, secret: SECRET, ...EVENT }, { timeoutMs: 200 }),
    { outcome: 'transient', error: 'no answer within 200 ms' },
    'an answer whose body never ends is a timeout too',
  )
})

t.test('redirects are not followed: the signed body goes nowhere else', async (t) => {
  const elsewhere = await startReceiver(t)
  const receiver = await startReceiver(t, (_request, response) => {
    response.writeHead(307, { location: `${elsewhere.url}/moved` })
    response.end()
  })
  const result = await deliver({ url: receiver.url, secret: SECRET, ...EVENT })
  t.match(
    result,
    { outcome: 'permanent', status: 307, error: /redirects are not followed/ },
    'a redirect is a configuration to fix',
  )
  t.equal(elsewhere.requests.length, 0, 'the other address received nothing')
})

t.test('nobody listening: transient', async (t) => {
  const receiver = await startReceiver(t)
  await receiver.close()
  t.match(
    await deliver({ url: receiver.url, secret: SECRET, ...EVENT }),
    { outcome: 'transient', error: /could not reach 127\.0\.0\.1:\d+: ECONNREFUSED/ },
    'connection refused',
  )
})

t.test('a bad URL or secret is refused before anything is sent', async (t) => {
  t.match(
    await deliver({ url: 'ftp://example.com/x', secret: SECRET, ...EVENT }),
    { outcome: 'permanent', error: /not an http/ },
    'an ftp:// URL is refused',
  )
  t.match(
    await deliver({ url: 'http://127.0.0.1:1/x', secret: 'not-a-secret', ...EVENT }),
    {
      outcome: 'permanent',
      error: /whsec_/,
    },
    'a secret not in whsec_ form is refused',
  )
  t.ok(isWebhookSecret(newWebhookSecret()), 'a new secret is a secret')
  t.notOk(isWebhookSecret('whsec_c2hvcnQ='), 'five bytes are too few')
  t.notOk(isWebhookSecret('whsec_not base64!'), 'base64 only')
})
