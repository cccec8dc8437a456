// The one CSV writer: a query failing mid-export ends that response only (the process serves on),
// and no cell a spreadsheet would run as a formula leaves the service, while numbers stay readable.
import type { FastifyInstance } from 'fastify'
import t from 'tap'
import { buildApp } from '../../../src/app.js'
import { CSV_COLUMNS, serialiseEach } from '../../../src/routes/shared/calls.js'
import { neutraliseCell, sendCsv } from '../../../src/routes/shared/csv.js'
import { applyDeskFile } from '../../../src/store/configuration.js'
import { eachCall } from '../../../src/store/call-log.js'
import { Twilio, injectPost, newSid, payload } from '../../../webhooks/index.js'
import { playCall } from '../../../webhooks/simulator.js'
import { TEST_ADMIN_TOKEN, TEST_AUTH_TOKEN, TEST_DEADLINES, TEST_PUBLIC_URL, TestClock, testConfig } from '../../helpers/app.js'
import { ACME_CALLER, DESK_NUMBER } from '../../helpers/api.js'
import { eachDatabase } from '../../helpers/databases.js'
import { deskFile } from '../../helpers/desk.js'

t.test('cells that start like a formula are neutralised; E.164 numbers are not', async (t) => {
  const cases: [cell: string, written: string][] = [
    ['=HYPERLINK("http://evil","x")', `'=HYPERLINK("http://evil","x")`],
    ['+1+1', `'+1+1`],
    ['-2+3', `'-2+3`],
    ['@SUM(A1)', `'@SUM(A1)`],
    ['\tcmd', `'\tcmd`],
    ['\rcmd', `'\rcmd`],
    ['+213661000001', '+213661000001'],
    ['+33612345678', '+33612345678'],
    ['+0213661000001', `'+0213661000001`],
    ['+21366100000112345', `'+21366100000112345`],
    ['ACME SARL', 'ACME SARL'],
    ['2026-11-28T09:00:00.000Z', '2026-11-28T09:00:00.000Z'],
    ['', ''],
  ]
  for (const [cell, written] of cases) t.equal(neutraliseCell(cell), written, JSON.stringify(cell))
})

eachDatabase(t, async (t, database) => {
  await applyDeskFile(database.db, deskFile('intercom'), { actor: 'test', now: new Date() })
  const clock = new TestClock('2026-11-28T10:00:00+01:00')
  const app: FastifyInstance = await buildApp({
    config: testConfig(),
    database,
    clock: clock.now,
    logger: false,
    deadlines: TEST_DEADLINES,
  })
  t.teardown(() => app.close())
  // The calls, then a query with a date the database rejects (what /api/calls?from=0000-01-01 ran
  // before #12), through the writer every CSV goes through: before the first byte, or after rows.
  app.get<{ Querystring: { rowsFirst?: string } }>('/test/failing-export', async (request, reply) => {
    const rowsFirst = request.query.rowsFirst === 'yes'
    async function* callsThenRejected() {
      if (rowsFirst) yield* eachCall(app.db, {})
      yield* eachCall(app.db, { fromDate: '0000-01-01' })
    }
    return sendCsv(reply, 'calls.csv', CSV_COLUMNS, serialiseEach(callsThenRejected()))
  })
  await app.ready()
  const twilio = new Twilio(injectPost(app), TEST_AUTH_TOKEN, TEST_PUBLIC_URL)
  for (let i = 0; i < 3; i++) await playCall(twilio, { from: ACME_CALLER, to: DESK_NUMBER, talkSeconds: 60 })
  const csv = () =>
    app.inject({ url: '/api/calls', headers: { accept: 'text/csv', authorization: `Bearer ${TEST_ADMIN_TOKEN}` } })

  t.test('a query failing mid-export ends that response, not the process', async (t) => {
    const before = await app.inject('/test/failing-export')
    t.equal(before.statusCode, 500, 'before the first byte: a 500 problem')
    t.match(before.headers['content-type'], /^application\/problem\+json/)
    const after = await app.inject('/test/failing-export?rowsFirst=yes').then(
      (response) => `cut after ${response.body.length} bytes`,
      (error: Error) => `cut: ${error.message}`,
    )
    t.match(after, /^cut/, `after rows: the response is cut (${after})`)
    t.equal((await app.inject('/healthz')).statusCode, 200, 'the process serves on')
    const whole = await csv()
    t.equal(whole.statusCode, 200, 'and the next export is whole')
    t.equal(whole.body.trim().split('\n').length, 4, 'a header and the three calls')
  })

  t.test("a caller's number that is a formula is written as text", async (t) => {
    const evil = '=HYPERLINK("http://evil","x")'
    const answer = await twilio.webhook(
      '/webhooks/twilio/voice',
      payload('incoming-call', { callSid: newSid(), from: evil, to: DESK_NUMBER }),
    )
    t.equal(answer.status, 200, 'the call is answered (an unknown caller)')
    const body = (await csv()).body
    t.match(body, `"'=HYPERLINK(""http://evil"",""x"")"`, 'the cell starts with a quote mark')
    t.notMatch(body, /(^|,)"?[=@]/m, 'no cell starts with = or @')
    t.match(body, /,\+213661000001,/, 'real numbers stay as they are')
  })
})
