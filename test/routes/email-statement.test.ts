// E-mail minutes on the monthly statement (issue #15): under a contract that counts them, an
// answered request is a line of its own next to the calls, split at the quota line as it was
// counted, so the statement's totals equal the month's usage (JSON, CSV and the Usage page).
import { readFileSync } from 'node:fs'
import t from 'tap'
import type { DeskFile } from '../../src/domain/desk-file.js'
import { playCall } from '../../webhooks/simulator.js'
import { TEST_ADMIN_TOKEN } from '../helpers/app.js'
import { signIn } from '../helpers/dashboard.js'
import { eachDatabase } from '../helpers/databases.js'
import { deskApp, deskFile } from '../helpers/desk.js'
import { startSmtpServer } from '../helpers/smtp.js'

const SECRET = 'inbound-email-secret-0123456789'
const DESK = '+21321000000'
const ACME = '+213661000001' // bill, 5 h
const fixture = (name: string) => readFileSync(new URL(`../fixtures/email/${name}.eml`, import.meta.url))

/** The shipped desk, with ACME known by its domain and counting its e-mail minutes. */
function mailDesk(): DeskFile {
  const file = deskFile('intercom')
  for (const client of file.clients) {
    if (client.id !== 'acme') continue
    client.emailDomains = ['acme.dz']
    for (const contract of client.contracts) contract.emailMinutesCountIntoQuota = true
  }
  return file
}

eachDatabase(t, async (t, database) => {
  const smtp = await startSmtpServer(t)
  const { app, clock, twilio } = await deskApp(t, database, {
    file: mailDesk(),
    // Tuesday 1 December 2026, 09:35 in Algiers: the desk is open.
    at: '2026-12-01T09:35:00+01:00',
    env: { SMTP_URL: smtp.url, MAIL_FROM: 'Assistance SERVICESsoft <support@vendor.dz>', INBOUND_EMAIL_SECRET: SECRET },
  })
  const api = (method: 'GET' | 'POST', url: string, payload?: unknown, headers: Record<string, string> = {}) =>
    app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, ...headers },
      ...(payload ? { payload } : {}),
    })

  // 4 h 50 of calls, then half an hour later an answer of 15 minutes (10 within the quota, 5 beyond, billed under
  // `bill`), then a 2-minute call all beyond.
  // (two calls: Twilio dials for 4 hours at most)
  const first = await playCall(twilio, { from: ACME, to: DESK, talkSeconds: 8_700 })
  const second = await playCall(twilio, { from: ACME, to: DESK, talkSeconds: 8_700 })
  clock.advance(1_800_000)
  const opened = await app.inject({
    method: 'POST',
    url: '/webhooks/email/inbound',
    headers: { 'content-type': 'message/rfc822', authorization: `Bearer ${SECRET}` },
    payload: fixture('french-client'),
  })
  t.equal(opened.statusCode, 202)
  const requestId: number = opened.json().requestId
  clock.advance(1_800_000)
  const answered = await api('POST', `/api/callbacks/${requestId}/reply`, { text: 'Bonjour,\n\nC’est réglé.', minutes: 15 })
  t.match(answered.json(), { status: 'done', counted: true })
  clock.advance(1_800_000)
  const last = await playCall(twilio, { from: ACME, to: DESK, talkSeconds: 120 })

  await t.test('the JSON statement lists the answer between the calls, and its totals are the usage', async (t) => {
    const usage = (await api('GET', '/api/usage?month=2026-12'))
      .json()
      .items.find((i: { clientId: string }) => i.clientId === 'acme')
    t.match(usage, { usedSeconds: 18_420, includedSeconds: 18_000, overageSeconds: 420, graceSeconds: 0, calls: 3 })
    const res = await api('GET', '/api/clients/acme/statements/2026-12')
    t.equal(res.statusCode, 200)
    const [contract] = res.json().contracts
    t.same(contract.calls.map((c: { callSid: string }) => c.callSid).sort(), [first.callSid, second.callSid, last.callSid].sort())
    t.match(contract.calls, [
      { includedSeconds: 8_700, overageSeconds: 0 },
      { includedSeconds: 8_700, overageSeconds: 0 },
      { callSid: last.callSid, includedSeconds: 0, overageSeconds: 120 },
    ])
    t.same(contract.emails, [
      {
        requestId,
        subject: "Problème de connexion à l'application de facturation",
        answeredAt: '2026-12-01T09:35:00.000Z',
        countedSeconds: 900,
        includedSeconds: 600,
        overageSeconds: 300,
        graceSeconds: 0,
      },
    ])
    const totals = {
      usedSeconds: usage.usedSeconds,
      includedSeconds: usage.includedSeconds,
      overageSeconds: usage.overageSeconds,
      graceSeconds: usage.graceSeconds,
      onCallSeconds: usage.onCallSeconds,
      calls: usage.calls,
      emails: 1,
    }
    t.same(contract.totals, totals, "the contract's totals equal GET /api/usage")
    t.same(res.json().totals, totals, "the client's totals too")
  })

  await t.test('the CSV has the e-mail line, and its total is the usage', async (t) => {
    const res = await api('GET', '/api/clients/acme/statements/2026-12', undefined, { accept: 'text/csv' })
    t.equal(res.statusCode, 200)
    const [header = '', ...rows] = res.body.trim().split(/\r?\n/)
    const columns = header.split(',')
    const cells = rows.map((row) => Object.fromEntries(row.split(',').map((cell, i) => [columns[i], cell])))
    t.same(
      cells.map((row) => row.kind),
      ['call', 'call', 'call', 'email', 'total'],
    )
    t.match(cells[3], {
      requestId: String(requestId),
      answeredAt: '2026-12-01T09:35:00.000Z',
      countedSeconds: '900',
      includedSeconds: '600',
      overageSeconds: '300',
    })
    t.match(res.body, /Problème de connexion/, 'the subject')
    t.match(cells[4], { countedSeconds: '18420', includedSeconds: '18000', overageSeconds: '420' })
  })

  await t.test('the what-if replay counts the e-mail minutes where they were counted, among the calls', async (t) => {
    const period = { from: '2026-12-01', to: '2026-12-01' }
    const acme = (rows: { clientId: string }[]) => rows.filter((row) => row.clientId === 'acme')
    const same = await api('POST', '/api/what-if', { deskFile: mailDesk(), ...period })
    t.equal(same.statusCode, 200)
    t.same(same.json().changed, [], 'the file in force changes no call')
    t.same(
      acme(same.json().usage),
      [
        {
          clientId: 'acme',
          desk: 'intercom',
          month: '2026-12',
          recorded: { includedSeconds: 18_000, billableSeconds: 420, graceSeconds: 0, onCallSeconds: 0 },
          wouldBe: { includedSeconds: 18_000, billableSeconds: 420, graceSeconds: 0, onCallSeconds: 0 },
        },
      ],
      'the month as recorded (the usage, e-mail included) and as it would be are the same',
    )
    // Not counting e-mail minutes: the last call falls within the quota, nothing is billed.
    const withoutEmail = await api('POST', '/api/what-if', { deskFile: deskFile('intercom'), ...period })
    t.equal(withoutEmail.statusCode, 200)
    t.match(acme(withoutEmail.json().usage), [
      { recorded: { includedSeconds: 18_000, billableSeconds: 420 }, wouldBe: { includedSeconds: 17_520, billableSeconds: 0 } },
    ])
    t.match(withoutEmail.json().mostAffected, [{ clientId: 'acme', secondsMovedBeyondQuota: -420, minutesMovedBeyondQuota: -7 }])
  })

  await t.test("the Usage page's statement shows the e-mail line and counts it in the total", async (t) => {
    const manager = await signIn(app, TEST_ADMIN_TOKEN)
    const page = await app.inject({
      method: 'GET',
      url: '/dashboard/usage?client=acme&month=2026-12',
      headers: { cookie: manager.cookie },
    })
    t.equal(page.statusCode, 200)
    t.match(page.body, new RegExp(`data-email-line="${requestId}"`))
    t.match(page.body, /E-mails comptés dans le forfait/)
    t.match(page.body, new RegExp(`Demande n° ${requestId} : Problème de connexion à l&#39;application de facturation`))
    t.match(page.body, /Total \(3 \+ 1 e-mail\)/)
  })
})
