// Whole calls, played as Twilio plays them: answered, not answered, voicemail, overage accepted or
// declined, the on-call line, and what each leaves in the call log, the usage and the callbacks.
import { and, eq } from 'drizzle-orm'
import t from 'tap'
import { callbacks, callEvents, calls, talkLegs, usage, usageThresholds } from '../../db/schema.js'
import { newSid, payload } from '../../webhooks/index.js'
import { playCall } from '../../webhooks/simulator.js'
import { eachDatabase, freshDatabase, kinds } from '../helpers/databases.js'
import { deskApp, deskFile } from '../helpers/desk.js'
import { ACME, DESK, SATURDAY_10H } from '../fixtures/intercom.js'

const ATLAS = '+213770000001'

eachDatabase(t, async (t, database) => {
  const {
    clock,
    twilio,
    database: { db },
  } = await deskApp(t, database, { at: SATURDAY_10H })
  const record = async (callSid: string) => (await db.select().from(calls).where(eq(calls.callSid, callSid)))[0]
  const month = async (contractId: number, m = '2026-11') =>
    (
      await db
        .select()
        .from(usage)
        .where(and(eq(usage.contractId, contractId), eq(usage.month, m)))
    )[0]

  t.test('an answered call is counted into the month, and the agent who took it is known', async (t) => {
    const { callSid, steps } = await playCall(twilio, { from: ACME, to: DESK, talkSeconds: 600 })
    t.same(
      steps.map((s) => s.path.split('?')[0]),
      [
        '/webhooks/twilio/voice',
        '/webhooks/twilio/whisper',
        '/webhooks/twilio/whisper/accept',
        '/webhooks/twilio/dial',
        '/webhooks/twilio/status',
      ],
      'voice, whisper, accept, dial, status',
    )
    const whisper = steps[1]?.verbs[0]
    t.match(whisper?.children[0]?.text, /Appel d’ACME SARL\. Reste du forfait ce mois-ci : 5 heures\. Appuyez sur 1/)
    t.match(await record(callSid), {
      outcome: 'answered',
      talkSeconds: 600,
      agentId: 'amina',
      callStatus: 'completed',
      durationSeconds: 620,
    })
    t.match(await month(1), { usedSeconds: 600, includedSeconds: 600, overageSeconds: 0, calls: 1 })
    t.equal(steps[3]?.verbs.at(-1)?.name, 'Hangup', 'the call ends once the agent hangs up')
  })

  t.test('an agent whose voicemail picks up never presses 1: the caller is not connected to it', async (t) => {
    const { callSid, steps } = await playCall(twilio, { from: ACME, to: DESK, agentPresses: '', voicemailSeconds: 20 })
    const accept = steps.find((s) => s.path === '/webhooks/twilio/whisper/accept')
    t.equal(accept?.verbs.at(-1)?.name, 'Hangup', 'the agent leg is hung up')
    t.match(await record(callSid), { outcome: 'voicemail', talkSeconds: 0 })
  })

  t.test('nobody answers: the caller leaves a message and a callback is due', async (t) => {
    const before = (await month(1))?.usedSeconds
    const { callSid, steps } = await playCall(twilio, { from: ACME, to: DESK, answer: false, voicemailSeconds: 30 })
    const afterDial = steps.find((s) => s.path.startsWith('/webhooks/twilio/dial'))
    t.ok(
      afterDial?.verbs.some((v) => v.name === 'Record'),
      'the dial callback offers a voicemail',
    )
    t.match(await record(callSid), { outcome: 'voicemail', talkSeconds: 0 })
    t.match(await record(callSid), { recordingUrl: /^https:\/\/api\.twilio\.com\/.+\/Recordings\/RE/ })
    const [request] = await db.select().from(callbacks).where(eq(callbacks.callSid, callSid))
    t.match(request, { reason: 'no_answer', recordingSeconds: 30, status: 'open' })
    t.ok(request?.dueAt, 'with a due time')
    t.equal((await month(1))?.usedSeconds, before, 'no talk counted')
  })

  t.test('nobody answers and the caller hangs up without a message: no_answer, callback still owed', async (t) => {
    const { callSid } = await playCall(twilio, { from: ACME, to: DESK, answer: false })
    t.match(await record(callSid), { outcome: 'no_answer' })
    t.equal((await db.select().from(callbacks).where(eq(callbacks.callSid, callSid))).length, 1)
  })

  t.test('the caller hangs up while the agents ring: abandoned', async (t) => {
    const callSid = newSid()
    await twilio.webhook('/webhooks/twilio/voice', payload('incoming-call', { callSid, from: ACME, to: DESK }))
    await twilio.webhook(
      '/webhooks/twilio/status',
      payload('status-completed', { callSid, from: ACME, to: DESK }, { CallDuration: '8' }),
    )
    t.match(await record(callSid), { outcome: 'abandoned', durationSeconds: 8 })
  })

  t.test('over the quota with "ask": pressing 1 routes the call, billed', async (t) => {
    await db
      .insert(usage)
      .values({ contractId: 2, month: '2026-11', quotaSeconds: 18_000, usedSeconds: 18_000, includedSeconds: 18_000 })
    const { callSid, steps } = await playCall(twilio, { from: ATLAS, to: DESK, press: ['1'], talkSeconds: 120 })
    t.equal(steps[1]?.path, '/webhooks/twilio/overage')
    t.ok(
      steps[1]?.verbs.some((v) => v.name === 'Dial'),
      'accepted: the agents ring',
    )
    t.match(await record(callSid), { outcome: 'answered', overageAccepted: true, talkSeconds: 120 })
    t.match(await month(2), { usedSeconds: 18_120, includedSeconds: 18_000, overageSeconds: 120 })
  })

  t.test('over the quota with "ask": accepted, then nobody answers: no_answer, nothing counted', async (t) => {
    const { callSid } = await playCall(twilio, { from: ATLAS, to: DESK, press: ['1'], answer: false, voicemailSeconds: 0 })
    t.match(await record(callSid), { outcome: 'no_answer', overageAccepted: true, talkSeconds: 0 })
    t.match(await month(2), { usedSeconds: 18_120 }, 'the month as it was')
  })

  t.test('over the quota with "ask": pressing nothing ends politely as quota_refused', async (t) => {
    const { callSid, steps } = await playCall(twilio, { from: ATLAS, to: DESK, press: [''] })
    t.match(steps[1]?.verbs[0]?.text, /Très bien/)
    t.match(await record(callSid), { outcome: 'quota_refused' })
  })

  t.test('a call across the quota line is split into included and overage seconds', async (t) => {
    await db.delete(usage).where(eq(usage.contractId, 1))
    await db
      .insert(usage)
      .values({ contractId: 1, month: '2026-11', quotaSeconds: 18_000, usedSeconds: 17_900, includedSeconds: 17_900 })
    const { callSid } = await playCall(twilio, { from: ACME, to: DESK, talkSeconds: 250 })
    t.match(await month(1), { usedSeconds: 18_150, includedSeconds: 18_000, overageSeconds: 150 })
    const [leg] = await db.select().from(talkLegs).where(eq(talkLegs.callSid, callSid))
    t.match(leg, { talkSeconds: 250, countedSeconds: 250, includedSeconds: 100, overageSeconds: 150 })
    const crossed = await db.select().from(usageThresholds).where(eq(usageThresholds.contractId, 1))
    t.same(
      crossed.map((row) => row.percent),
      [100],
      'the 100 % threshold is recorded once (80 % was already behind)',
    )
  })

  t.test('outside hours: the on-call line, accepted, is counted apart from the quota', async (t) => {
    clock.set('2026-11-26T20:00:00+01:00') // Thursday evening
    t.teardown(() => clock.set(SATURDAY_10H))
    const before = await month(1)
    const { callSid, steps } = await playCall(twilio, { from: ACME, to: DESK, press: ['1'], talkSeconds: 900 })
    const dial = steps[1]?.verbs.find((v) => v.name === 'Dial')
    t.same(
      dial?.children.map((n) => n.text),
      ['+213550000009'],
      'the on-call number rings',
    )
    const whisper = steps.find((s) => s.path === '/webhooks/twilio/whisper?desk=intercom&leg=on-call')
    t.match(
      whisper?.verbs[0]?.children[0]?.text,
      /^Astreinte : appel d’ACME SARL, facturé en dehors du contrat\. Appuyez sur 1/,
      'the on-call engineer hears the call is billed apart, not the quota left',
    )
    t.match(await record(callSid), { outcome: 'answered', onCall: true, talkSeconds: 900 })
    const after = await month(1)
    t.equal(after?.usedSeconds, before?.usedSeconds, 'the quota is untouched')
    t.equal((after?.onCallSeconds ?? 0) - (before?.onCallSeconds ?? 0), 900, 'the on-call seconds are counted apart')
  })

  t.test('outside hours: a voicemail becomes a callback due in working hours', async (t) => {
    clock.set('2026-11-26T20:00:00+01:00')
    t.teardown(() => clock.set(SATURDAY_10H))
    const { callSid } = await playCall(twilio, { from: ACME, to: DESK, press: [''], voicemailSeconds: 15 })
    t.match(await record(callSid), { outcome: 'closed_hours', recordingUrl: /Recordings/ })
    const [request] = await db.select().from(callbacks).where(eq(callbacks.callSid, callSid))
    t.match(request, { reason: 'closed_hours', recordingSeconds: 15 })
    // 24 working hours from Thursday evening: Saturday to Tuesday give 21 h, Wednesday's 3 h end at 13:15 + 30 min.
    t.equal(request?.dueAt?.toISOString(), '2026-12-02T12:45:00.000Z', 'due Wednesday 13:45 in Algiers')
  })

  t.test('every webhook of a call is kept as an event', async (t) => {
    const { callSid } = await playCall(twilio, { from: ACME, to: DESK, talkSeconds: 60 })
    const events = await db.select().from(callEvents).where(eq(callEvents.callSid, callSid)).orderBy(callEvents.id)
    t.same(
      events.map((e) => e.kind),
      ['voice', 'whisper', 'whisper:accepted', 'dial:agents', 'status:completed'],
    )
    t.equal(events[0]?.params.From, ACME, 'with the parameters as Twilio sent them')
  })
})

t.test('sequential ringing tries the agents one after another', async (t) => {
  for (const kind of kinds) {
    const database = await freshDatabase(t, kind)
    const file = deskFile('model-clause')
    const {
      twilio,
      database: { db },
    } = await deskApp(t, database, { file, at: '2026-11-27T10:00:00+01:00' }) // a Friday in Paris
    const { callSid, steps } = await playCall(twilio, {
      from: '+33142000001',
      to: '+33187000000',
      answer: false,
      voicemailSeconds: 10,
    })
    const dials = steps.filter((s) => s.verbs.some((v) => v.name === 'Dial'))
    t.same(
      dials.map((s) => s.verbs.find((v) => v.name === 'Dial')?.children.map((n) => n.text)),
      [['+33612000001'], ['+33612000002']],
      'claire rings, then hugo',
    )
    t.match(
      (await db.select().from(calls).where(eq(calls.callSid, callSid)))[0],
      { outcome: 'voicemail', dialAttempts: 2 },
      `on ${kind}`,
    )
  }
})
