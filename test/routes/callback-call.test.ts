// Calling a client back through the line (issue #16), with real parts: supportline listening on a
// port, the Twilio REST emulator driven by the real twilio client, placing the calls and playing
// them back as signed webhooks, on both databases.
import { randomBytes, randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { and, eq } from 'drizzle-orm'
import t, { type Test } from 'tap'
import { callbackAttempts, callbacks, calls, contracts, overageConsents, talkLegs, usage } from '../../db/schema.js'
import { Journal } from '../../src/journal.js'
import { attemptPlaced, openAttempt } from '../../src/store/callback-calls.js'
import { createToken } from '../../src/store/tokens.js'
import { WEBHOOK_WRITE_FORMAT, type WebhookWrite, applyWebhookWrites } from '../../src/store/webhook-writes.js'
import { playCall } from '../../webhooks/simulator.js'
import { TwilioEmulator } from '../../webhooks/twilio-emulator.js'
import { TEST_AUTH_TOKEN } from '../helpers/app.js'
import { sender } from '../helpers/api.js'
import { eachDatabase } from '../helpers/databases.js'
import { main as callCli } from '../../src/cli/call.js'
import { TEST_ADMIN_TOKEN } from '../helpers/app.js'
import { runInProcess } from '../helpers/cli.js'
import { signIn } from '../helpers/dashboard.js'
import { deskApp } from '../helpers/desk.js'
import { ACME, AMINA, DESK, KARIM, SATURDAY_10H } from '../fixtures/intercom.js'

const ACCOUNT = `AC${randomBytes(16).toString('hex')}`
const ACME_OTHER = '+213661000002'
const DJURDJURA = '+213555000001'
const ATLAS = '+213770000001'

/** A port nobody listens on now, for the emulator to take once the app's address is known. */
async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

async function setup(t: Test, database: Parameters<typeof deskApp>[1], options: { account?: boolean } = {}) {
  const port = await freePort()
  const env: Record<string, string> =
    options.account === false ? {} : { TWILIO_ACCOUNT_SID: ACCOUNT, TWILIO_API_URL: `http://127.0.0.1:${port}` }
  const desk = await deskApp(t, database, { at: SATURDAY_10H, env })
  await desk.app.listen({ port: 0, host: '127.0.0.1' })
  const address = desk.app.server.address()
  const target = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`
  const emulator = await TwilioEmulator.start({
    accountSid: ACCOUNT,
    authToken: TEST_AUTH_TOKEN,
    numbers: [DESK],
    port,
    target,
    phones: {
      [AMINA]: { answerAfterSeconds: 4, presses: ['1'], talkSeconds: 3600 },
      [KARIM]: { answerAfterSeconds: 4, presses: ['1'], talkSeconds: 3600 },
      [ACME]: { answerAfterSeconds: 6, talkSeconds: 120 },
      [ACME_OTHER]: { answerAfterSeconds: 6, talkSeconds: 20 },
      [DJURDJURA]: { answerAfterSeconds: 6, talkSeconds: 120 },
    },
  })
  t.teardown(() => emulator.close())
  const now = new Date()
  const manager = (await createToken(database.db, { name: 'Leila', role: 'manager', clientId: null, actor: 'test', now })).token
  const amina = (
    await createToken(database.db, { name: 'Amina', role: 'agent', clientId: null, agentId: 'amina', actor: 'test', now })
  ).token
  const send = sender(desk.app)
  /** A missed call from `from`: a callback request, open; its id. */
  const request = async (from: string) => {
    const { callSid } = await playCall(desk.twilio, { from, to: DESK, answer: false })
    const [row] = await database.db.select().from(callbacks).where(eq(callbacks.callSid, callSid))
    if (!row) throw new Error('no callback request')
    return row.id
  }
  const call = (id: number, body: unknown, token = manager) => send('POST', `/api/callbacks/${id}/call`, { token, body })
  return { ...desk, emulator, send, manager, amina, request, call }
}

eachDatabase(t, async (t, database) => {
  const { db } = database
  const app = await setup(t, database)
  const { emulator, call, request, send, manager, amina } = app

  t.test('answered: the agent presses 1, the client talks, counted once, the request closes itself', async (t) => {
    const id = await request(ACME)
    const placed = await call(id, { agentId: 'karim' })
    t.equal(placed.statusCode, 201, placed.body)
    const { attempt } = placed.json()
    t.match(attempt, { agentId: 'karim', number: ACME, from: DESK, status: 'initiated', callSid: /^CA/ })
    const played = await emulator.finished(attempt.callSid)
    t.equal(played.error, undefined, 'every webhook answered with TwiML')
    t.match(played, { from: DESK, to: KARIM }, "the agent's phone rang first, from the desk's number")
    t.same(
      played.steps.map((s) => s.path.split('?')[0]),
      ['/webhooks/twilio/callback-call', '/webhooks/twilio/callback-call/accept', '/webhooks/twilio/dial'],
      'whisper, the key, the dial action',
    )
    t.match(played.steps[0]?.response.body, /<Gather[^>]*numDigits="1".*rappel de ACME SARL, demande du 28 novembre/s)
    t.match(played.steps[1]?.response.body, new RegExp(`<Dial[^>]*callerId="\\${DESK}"[^>]*>.*${'\\'}${ACME}`, 's'))
    t.match(played.steps[2]?.params, { DialCallStatus: 'completed', DialCallDuration: '120' })

    const item = (await send('GET', `/api/callbacks/${id}`, { token: manager })).json()
    t.match(item, { status: 'done', doneBy: 'Karim', note: /120 s/, attempts: [{ status: 'answered', talkSeconds: 120 }] })
    const [record] = await db.select().from(calls).where(eq(calls.callSid, attempt.callSid))
    t.match(record, { direction: 'outbound', callbackId: id, outcome: 'answered', agentId: 'karim', talkSeconds: 120 })
    const legs = await db.select().from(talkLegs).where(eq(talkLegs.callSid, attempt.callSid))
    t.equal(legs.length, 1, 'one leg counted')

    // Twilio delivers the dial action again: nothing more counts.
    const [contract] = await db.select().from(contracts).where(eq(contracts.clientId, 'acme'))
    const month = async () =>
      (
        await db
          .select()
          .from(usage)
          .where(and(eq(usage.contractId, contract?.id ?? 0), eq(usage.month, '2026-11')))
      )[0]
    const before = await month()
    t.match(before, { calls: 1 }, "the talk is in ACME's month")
    const dial = played.steps[2]
    if (dial) await app.twilio.postTo(new URL(dial.url), dial.params)
    t.same(await month(), before, 'a repeated dial action adds nothing')
    const log = (await send('GET', `/api/calls/${attempt.callSid}`, { token: manager })).json()
    t.match(log, { direction: 'outbound', callbackId: id }, 'the call log says outbound, and its request')
  })

  t.test('the client does not answer: the attempt is kept, the request stays open and due as before', async (t) => {
    emulator.phones.set(ACME, { answers: 'no-answer' })
    t.teardown(() => emulator.phones.set(ACME, { answerAfterSeconds: 6, talkSeconds: 120 }))
    const id = await request(ACME)
    const [before] = await db.select().from(callbacks).where(eq(callbacks.id, id))
    const placed = await call(id, { agentId: 'amina' })
    t.equal(placed.statusCode, 201, placed.body)
    await emulator.finished(placed.json().attempt.callSid)
    const item = (await send('GET', `/api/callbacks/${id}`, { token: manager })).json()
    t.match(item, { status: 'open', dueAt: before?.dueAt?.toISOString(), attempts: [{ status: 'no_answer', talkSeconds: 0 }] })
  })

  t.test('a short talk is an attempt, not the client reached; another registered number may be called', async (t) => {
    const id = await request(ACME)
    const placed = await call(id, { agentId: 'amina', number: ACME_OTHER })
    t.equal(placed.statusCode, 201, placed.body)
    await emulator.finished(placed.json().attempt.callSid)
    const item = (await send('GET', `/api/callbacks/${id}`, { token: manager })).json()
    t.match(item, { status: 'open', attempts: [{ status: 'answered', talkSeconds: 20, number: ACME_OTHER }] })
  })

  t.test('the agent does not press 1: not connected, the client never dialled', async (t) => {
    emulator.phones.set(KARIM, { answerAfterSeconds: 4, presses: [''] })
    t.teardown(() => emulator.phones.set(KARIM, { answerAfterSeconds: 4, presses: ['1'], talkSeconds: 3600 }))
    const id = await request(ACME)
    const placed = await call(id, { agentId: 'karim' })
    const played = await emulator.finished(placed.json().attempt.callSid)
    t.notOk(
      played.steps.some((s) => s.path.startsWith('/webhooks/twilio/dial')),
      'no dial',
    )
    const item = (await send('GET', `/api/callbacks/${id}`, { token: manager })).json()
    t.match(item, { status: 'open', attempts: [{ status: 'agent_unavailable' }] })
    const [record] = await db.select().from(calls).where(eq(calls.callSid, played.sid))
    t.match(record, { direction: 'outbound', outcome: 'no_answer', callStatus: 'completed' }, 'in the log: nobody reached')
  })

  t.test('an agent token calls as its own agent, whatever it names', async (t) => {
    const id = await request(ACME)
    const placed = await call(id, { agentId: 'karim' }, amina)
    t.equal(placed.statusCode, 201, placed.body)
    t.match(placed.json().attempt, { agentId: 'amina' })
    t.equal(emulator.calls.at(-1)?.to, AMINA, "Amina's phone rang")
    await emulator.finished(placed.json().attempt.callSid)
  })

  t.test('a double click is one call', async (t) => {
    emulator.phones.set(AMINA, { answerAfterSeconds: 4, answers: 'no-answer' })
    t.teardown(() => emulator.phones.set(AMINA, { answerAfterSeconds: 4, presses: ['1'], talkSeconds: 3600 }))
    const id = await request(ACME)
    const callsBefore = emulator.calls.length
    // The first call's play waits for nothing: hold its end by asking again at once.
    const [first, second] = await Promise.all([call(id, {}, amina), call(id, {}, amina)])
    const statuses = [first.statusCode, second.statusCode].sort()
    t.same(statuses, [200, 201], `one placed, the other the same (${first.body} / ${second.body})`)
    t.equal(first.json().attempt.id, second.json().attempt.id, 'the same attempt')
    t.equal(emulator.calls.length, callsBefore + 1, 'Twilio was asked once')
    await emulator.idle()
  })

  t.test('bad input names its field; an unknown request is 404, a done one 409', async (t) => {
    const id = await request(ACME)
    const ghost = await call(id, { agentId: 'ghost' })
    t.match(ghost, { statusCode: 400 })
    t.match(ghost.json(), { code: 'validation_failed', errors: [{ field: 'body.agentId' }] })
    const unassigned = await call(id, {})
    t.match(unassigned.json(), { errors: [{ field: 'body.agentId', message: /unassigned/ }] }, 'nobody named, nobody assigned')
    const bodiless = await send('POST', `/api/callbacks/${id}/call`, { token: manager })
    t.match(bodiless.json(), { errors: [{ field: 'body.agentId' }] }, 'no body at all: the same')
    const stranger = await call(id, { agentId: 'amina', number: '+213699999999' })
    t.match(stranger.json(), { code: 'validation_failed', errors: [{ field: 'body.number' }] })
    t.equal((await call(999_999, { agentId: 'amina' })).statusCode, 404)
    await send('POST', `/api/callbacks/${id}/done`, { token: manager, body: { note: 'rappelé depuis le portable' } })
    t.match((await call(id, { agentId: 'amina' })).json(), { status: 409, code: 'conflict' })
    const [row] = await db.select().from(callbackAttempts).where(eq(callbackAttempts.callbackId, id))
    t.equal(row, undefined, 'no attempt recorded')
  })

  t.test('a month the contract refuses: 409, no call', async (t) => {
    const id = await request(DJURDJURA)
    const [contract] = await db.select().from(contracts).where(eq(contracts.clientId, 'djurdjura'))
    await db.insert(usage).values({ contractId: contract?.id ?? 0, month: '2026-11', quotaSeconds: 7200, usedSeconds: 7200 })
    const callsBefore = emulator.calls.length
    const refused = await call(id, { agentId: 'amina' })
    t.match(refused.json(), { status: 409, code: 'quota_refused' })
    t.equal(emulator.calls.length, callsBefore, 'Twilio never asked')
  })

  t.test('an ask month used up: the client is asked on answering; a yes is kept, the talk consented overage', async (t) => {
    // Two missed calls while time was left (a caller whose month is used up is asked, never missed).
    const id = await request(ATLAS)
    const other = await request(ATLAS)
    const [contract] = await db.select().from(contracts).where(eq(contracts.clientId, 'atlas'))
    const full = { quotaSeconds: 18_000, usedSeconds: 18_000 }
    await db
      .insert(usage)
      .values({ contractId: contract?.id ?? 0, month: '2026-11', ...full })
      .onConflictDoUpdate({ target: [usage.contractId, usage.month], set: full })
    emulator.phones.set(ATLAS, { answerAfterSeconds: 5, presses: ['1'], talkSeconds: 90 })
    const placed = await call(id, { agentId: 'amina' })
    t.equal(placed.statusCode, 201, placed.body)
    const callSid = placed.json().attempt.callSid
    const played = await emulator.finished(callSid)
    t.same(
      played.steps.map((s) => s.path.split('?')[0]),
      [
        '/webhooks/twilio/callback-call',
        '/webhooks/twilio/callback-call/accept',
        '/webhooks/twilio/callback-call/client',
        '/webhooks/twilio/callback-call/consent',
        '/webhooks/twilio/dial',
      ],
      "the question on the client's leg, then the bridge",
    )
    t.match(played.steps[2]?.response.body, /<Gather[^>]*>.*Atlas Pharma/s, 'the client hears the question')
    const [consent] = await db.select().from(overageConsents).where(eq(overageConsents.callSid, callSid))
    t.match(consent, { digit: '1', question: 'start', words: /Atlas Pharma/ }, 'the yes kept as evidence')
    const [leg] = await db.select().from(talkLegs).where(eq(talkLegs.callSid, callSid))
    t.match(leg, { consented: true, talkSeconds: 90, includedSeconds: 0 }, 'consented talk beyond the quota')
    t.ok((leg?.overageSeconds ?? 0) > 0, 'billable')
    t.match((await send('GET', `/api/callbacks/${id}`, { token: manager })).json(), {
      status: 'done',
      attempts: [{ status: 'answered', talkSeconds: 90 }],
    })

    emulator.phones.set(ATLAS, { answerAfterSeconds: 5, presses: [''], talkSeconds: 90 })
    const again = await call(other, { agentId: 'amina' })
    const refused = await emulator.finished(again.json().attempt.callSid)
    t.notOk(refused.steps.some((s) => s.path.startsWith('/webhooks/twilio/dial') && s.params.DialCallStatus === 'completed'))
    t.equal((await db.select().from(talkLegs).where(eq(talkLegs.callSid, refused.sid))).length, 0, 'no yes: nothing counted')
    t.match((await send('GET', `/api/callbacks/${other}`, { token: manager })).json(), {
      status: 'open',
      attempts: [{ status: 'no_answer', talkSeconds: 0 }],
    })
  })

  t.test('outside the hours: 409 saying when it becomes possible', async (t) => {
    const id = await request(ACME)
    app.clock.set('2026-11-28T19:00:00+01:00')
    t.teardown(() => app.clock.set(SATURDAY_10H))
    const closed = await call(id, { agentId: 'amina' })
    t.match(closed.json(), { status: 409, code: 'desk_closed', detail: /possible from 2026-11-29T08:30:00.000Z/ })
  })

  t.test('Twilio refusing or unreachable: the message, the request unchanged', async (t) => {
    const id = await request(ACME)
    emulator.failNext({ status: 400, code: 21211, message: "The 'To' number +213550000001 is not a valid phone number." })
    const refused = await call(id, { agentId: 'amina' })
    t.match(refused.json(), { status: 400, code: 'twilio_refused', detail: /21211.*not a valid phone number.*unchanged/ })
    emulator.failNext({ status: 503, code: 20503, message: 'Service Unavailable' })
    const failed = await call(id, { agentId: 'amina' })
    t.match(failed.json(), { status: 502, code: 'twilio_failed', detail: /Service Unavailable/ })
    emulator.unreachable = true
    const away = await call(id, { agentId: 'amina' })
    emulator.unreachable = false
    t.match(away.json(), { status: 502, code: 'twilio_failed', detail: /could not reach/ })
    const item = (await send('GET', `/api/callbacks/${id}`, { token: manager })).json()
    t.match(item, { status: 'open', attempts: [] }, 'no attempt, still open')
  })

  t.test('npm run call -- --callback <id>: placed, followed to its end, the request printed', async (t) => {
    const id = await request(ACME)
    const address = app.app.server.address()
    const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`
    const env = { NODE_ENV: 'test', ADMIN_TOKEN: TEST_ADMIN_TOKEN, DATA_DIR: tmpdir() }
    const ran = await runInProcess(callCli, ['--callback', String(id), '--agent', 'karim', '--url', url], env)
    t.equal(ran.code, 0, ran.stderr)
    t.match(ran.stdout, /^Call placed: attempt \d+, karim's phone rings, then \+213661000001/)
    t.match(ran.stdout, /Attempt \d+: answered, 120 s with the client[\s\S]*"status": "done"/)
    const refused = await runInProcess(callCli, ['--callback', String(id), '--url', url], env)
    t.match(refused, { code: 1, stderr: /answered 409 conflict: Callback \d+ is already done/ })
  })

  t.test('the database away: the journaled writes of a call back replay, settling the attempt once', async (t) => {
    const id = await request(ACME)
    const opened = await openAttempt(db, {
      callbackId: id,
      agentId: 'amina',
      number: ACME,
      fromNumber: DESK,
      actor: 'test',
      now: new Date(SATURDAY_10H),
      windowMs: 0,
    })
    if (!opened.ok) throw new Error('no attempt')
    const callSid = `CA${randomBytes(16).toString('hex')}`
    const [contract] = await db.select().from(contracts).where(eq(contracts.clientId, 'acme'))
    await attemptPlaced(db, {
      attempt: opened.attempt,
      callSid,
      deskId: 'intercom',
      clientId: 'acme',
      contractId: contract?.id ?? null,
      usageMonth: '2026-11',
      now: new Date(SATURDAY_10H),
    })
    const base = { callSid, at: '2026-11-28T09:05:00.000Z', params: { CallSid: callSid, From: DESK, To: AMINA } }
    const writes: WebhookWrite[] = [
      {
        ...base,
        id: randomUUID(),
        event: 'dial:agents',
        kind: 'dial',
        leg: 'agents',
        dialCallSid: `CA${randomBytes(16).toString('hex')}`,
        dialStatus: 'completed',
        attempt: 1,
        talkSeconds: 95,
        contractId: contract?.id ?? null,
        usageMonth: '2026-11',
        callback: null,
        consented: false,
        callbackAttempt: opened.attempt.id,
      },
      {
        ...base,
        id: randomUUID(),
        event: 'status:completed',
        kind: 'status',
        callStatus: 'completed',
        durationSeconds: 130,
        final: true,
        callbackAttempt: opened.attempt.id,
      },
    ]
    // Journaled as the writer journals them, read back as a release reads them.
    const dir = mkdtempSync(join(tmpdir(), 'supportline-test-'))
    t.teardown(() => rmSync(dir, { recursive: true, force: true }))
    const journal = await Journal.open(dir, WEBHOOK_WRITE_FORMAT)
    for (const write of writes) await journal.append(write, new Date())
    await journal.close()
    const reopened = await Journal.open(dir, WEBHOOK_WRITE_FORMAT)
    const read = (await reopened.entries()).map((entry) => entry.write)
    await reopened.close()
    t.match(read, [
      { kind: 'dial', callbackAttempt: opened.attempt.id },
      { kind: 'status', callbackAttempt: opened.attempt.id },
    ])
    t.equal(await applyWebhookWrites(db, read), 2, 'replayed')
    t.equal(await applyWebhookWrites(db, read), 0, 'replayed again (a batch cut short): nothing')
    const [attempt] = await db.select().from(callbackAttempts).where(eq(callbackAttempts.id, opened.attempt.id))
    t.match(attempt, { status: 'answered', talkSeconds: 95 }, 'the status that followed did not undo it')
    t.match((await db.select().from(callbacks).where(eq(callbacks.id, id)))[0], { status: 'done', doneBy: 'Amina' })
    t.equal((await db.select().from(talkLegs).where(eq(talkLegs.callSid, callSid))).length, 1, 'one leg counted')
  })

  t.test('the dashboard: "Rappeler" with the form token, the attempt listed, a refusal shown', async (t) => {
    const id = await request(ACME)
    const session = await signIn(app.app, manager)
    const post = (form: Record<string, string>, csrf = session.csrf) =>
      app.app.inject({
        method: 'POST',
        url: `/dashboard/callbacks/${id}/call`,
        headers: { cookie: session.cookie },
        payload: { _csrf: csrf, desk: 'intercom', ...form },
      })
    t.equal((await post({ caller: 'karim' }, 'forged')).statusCode, 403, 'no form token, no call')
    const placed = await post({ caller: 'karim' })
    t.equal(placed.statusCode, 303, placed.body.slice(0, 300))
    t.match(placed.headers.location, /done=callback-called/)
    await emulator.idle()
    const page = await app.app.inject({ url: String(placed.headers.location), headers: { cookie: session.cookie } })
    t.match(page.body, /Appel lancé : le téléphone de l’agent sonne/, 'the page says the call is placed')
    t.match((await send('GET', `/api/callbacks/${id}`, { token: manager })).json(), { status: 'done', doneBy: 'Karim' })
    t.notMatch(page.body, new RegExp(`data-callback="${id}"[^>]*>[\\s\\S]*?/${id}/call"`), 'done: no longer in the open list')
    const other = await request(ACME)
    emulator.phones.set(ACME, { answers: 'busy' })
    t.teardown(() => emulator.phones.set(ACME, { answerAfterSeconds: 6, talkSeconds: 120 }))
    const busy = await app.app.inject({
      method: 'POST',
      url: `/dashboard/callbacks/${other}/call`,
      headers: { cookie: session.cookie },
      payload: { _csrf: session.csrf, desk: 'intercom', caller: 'amina' },
    })
    t.equal(busy.statusCode, 303)
    await emulator.idle()
    const listed = await app.app.inject({ url: '/dashboard/callbacks', headers: { cookie: session.cookie } })
    t.match(listed.body, /Tentatives \(1\)[\s\S]*?Amina → \+213661000001 : <strong>occupé<\/strong>/, 'the busy attempt listed')
    emulator.failNext({ status: 400, code: 21211, message: "The 'To' number is not a valid phone number." })
    const refused = await app.app.inject({
      method: 'POST',
      url: `/dashboard/callbacks/${other}/call`,
      headers: { cookie: session.cookie },
      payload: { _csrf: session.csrf, desk: 'intercom', caller: 'amina' },
    })
    t.equal(refused.statusCode, 400)
    t.match(refused.body, /Twilio refused the call \(21211\)/, "Twilio's refusal on the page")
  })
})

eachDatabase(t, async (t, database) => {
  const app = await setup(t, database, { account: false })
  t.test('without a Twilio account: 503 with a code that says so', async (t) => {
    const id = await app.request(ACME)
    const answer = await app.call(id, { agentId: 'amina' })
    t.match(answer.json(), { status: 503, code: 'twilio_not_configured', detail: /TWILIO_ACCOUNT_SID/ })
  })
})
