// Logs are structured JSON and never carry a full phone number or a secret.
import { Writable } from 'node:stream'
import { sql } from 'drizzle-orm'
import t from 'tap'
import { buildApp } from '../src/app.js'
import { loggerOptions } from '../src/logging.js'
import { applyDeskFile } from '../src/store/configuration.js'
import { createToken } from '../src/store/tokens.js'
import { Twilio, injectPost, newSid, payload } from '../webhooks/index.js'
import { TEST_ADMIN_TOKEN, TEST_AUTH_TOKEN, TEST_PUBLIC_URL, TestClock, testConfig } from './helpers/app.js'
import { freshDatabase } from './helpers/databases.js'
import { deskFile } from './helpers/desk.js'

t.test('phone numbers and tokens are masked in the logs', async (t) => {
  const database = await freshDatabase(t, 'pglite')
  await applyDeskFile(database.db, deskFile('intercom'), { actor: 'test', now: new Date() })
  const lines: string[] = []
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk))
      done()
    },
  })
  const clock = new TestClock('2026-11-28T10:00:00+01:00')
  const app = await buildApp({
    config: testConfig(),
    database,
    clock: clock.now,
    logger: { ...(loggerOptions('debug') as object), stream },
  })
  t.teardown(() => app.close())
  const twilio = new Twilio(injectPost(app), TEST_AUTH_TOKEN, TEST_PUBLIC_URL)
  await twilio.webhook(
    '/webhooks/twilio/voice',
    payload('incoming-call', { callSid: newSid(), from: '+213661000001', to: '+21321000000' }),
  )
  // A number that is no desk (a desk file that left it out): the operator is told, masked.
  await twilio.webhook(
    '/webhooks/twilio/voice',
    payload('incoming-call', { callSid: newSid(), from: '+213661000001', to: '+21321999999' }),
  )
  await app.inject({ url: '/api/calls?caller=%2B213661000001', headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } })
  app.log.info({ from: '+213661000002', call: { To: '+21321000000' } }, 'a line with numbers')

  const log = lines.join('')
  t.ok(lines.length > 3, `${lines.length} log lines`)
  t.ok(
    lines.every((line) => JSON.parse(line).level !== undefined),
    'every line is JSON',
  )
  t.notMatch(log, /213661000001|213661000002|21321000000|21321999999/, 'no full phone number')
  const noDesk = lines.map((line) => JSON.parse(line)).find((line) => /no active desk/.test(line.msg))
  t.match(noDesk, { level: 40, to: '+213*****999' }, 'a call to a number no desk has is a warning')
  t.match(log, /\+213\*+001/, 'masked numbers keep enough to tell them apart')
  t.notMatch(log, new RegExp(TEST_ADMIN_TOKEN), 'no token')
})

t.test('errors are masked too: failed queries carry their parameters', async (t) => {
  const database = await freshDatabase(t, 'pglite')
  await applyDeskFile(database.db, deskFile('intercom'), { actor: 'test', now: new Date() })
  const lines: string[] = []
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk))
      done()
    },
  })
  const app = await buildApp({
    config: testConfig(),
    database,
    clock: new TestClock('2026-11-28T10:00:00+01:00').now,
    logger: { ...(loggerOptions('debug') as object), stream },
  })
  t.teardown(() => app.close())
  const failure = async (work: () => Promise<unknown>) =>
    work().then(
      () => t.fail('the statement was meant to fail'),
      (error: unknown) => error,
    )

  // A statement whose parameter is a number, rejected: the number is in drizzle's message and in Postgres's.
  const numbered = await failure(() => database.db.execute(sql`select ${'+213661000001'}::int`))
  app.log.error({ err: numbered }, 'a failed query with a number')
  // A failed token insert (a NUL in its name, past the API): its parameters hold the token's SHA-256.
  const tokenInsert = await failure(() =>
    createToken(database.db, { name: 'portail\u0000', role: 'manager', clientId: null, actor: 'test', now: new Date() }),
  )
  app.log.error({ err: tokenInsert }, 'a failed token insert')
  const hashes = (tokenInsert as Error).message.match(/[0-9a-f]{64}/g) ?? []
  t.ok(hashes.length > 0, "the error's own message holds the token's hash")

  // A NUL in From, signed by Twilio: an apology for the caller, and no number in the logs.
  const twilio = new Twilio(injectPost(app), TEST_AUTH_TOKEN, TEST_PUBLIC_URL)
  const answer = await twilio.webhook(
    '/webhooks/twilio/voice',
    payload('incoming-call', { callSid: newSid(), from: '+213661000001\u0000', to: '+21321000000' }),
  )
  t.equal(answer.status, 200, 'the caller hears an apology')
  t.match(answer.body, /difficulté technique/)

  const log = lines.join('')
  t.match(log, /a failed query with a number/)
  t.match(log, /params: \+213\*+001/, "the statement's parameters are masked")
  t.notMatch(log, /213661000001/, 'no full phone number, in any message, field or cause')
  t.match(log, /params: \[not logged: a credential statement\]/, "a token statement's parameters are left out")
  for (const hash of hashes) t.notMatch(log, hash, "the token's hash is not logged")
})
