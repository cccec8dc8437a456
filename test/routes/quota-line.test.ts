// The quota line inside a call (issue #13), played through signed webhooks as Twilio plays them:
// `refuse` cuts the agents' leg after the quota left and the desk's grace, and says what remains;
// `ask` cuts it at the quota left and asks to go on, billed, then dials the agent again; `bill`
// routes and says so. Usage, statements and the call log tell included, billable and grace apart.
import { and, eq } from 'drizzle-orm'
import t from 'tap'
import { calls, overageConsents, talkLegs, usage } from '../../db/schema.js'
import { message } from '../../src/domain/messages.js'
import { loadStatement } from '../../src/store/statements.js'
import { newSid, payload } from '../../webhooks/index.js'
import { type Step, playCall } from '../../webhooks/simulator.js'
import { eachDatabase, freshDatabase, kinds } from '../helpers/databases.js'
import { deskApp, deskFile } from '../helpers/desk.js'
import { TEST_ADMIN_TOKEN } from '../helpers/app.js'
import { signIn } from '../helpers/dashboard.js'

const DESK = '+21321000000'
const ACME = '+213661000001' // bill, 5 h
const ATLAS = '+213770000001' // ask, 5 h
const DJURDJURA = '+213555000001' // refuse, 2 h
const SATURDAY_10H = '2026-11-28T10:00:00+01:00'

const paths = (steps: Step[]) => steps.map((step) => step.path.split('?')[0])
const dialOf = (step: Step | undefined) => step?.verbs.find((verb) => verb.name === 'Dial')
const said = (step: Step | undefined) =>
  (step?.verbs ?? []).flatMap((verb) =>
    verb.name === 'Say' ? [verb.text] : verb.name === 'Gather' ? verb.children.map((child) => child.text) : [],
  )

eachDatabase(t, async (t, database) => {
  const { app, twilio } = await deskApp(t, database, { at: SATURDAY_10H })
  const db = database.db
  const record = async (callSid: string) => (await db.select().from(calls).where(eq(calls.callSid, callSid)))[0]
  const legs = (callSid: string) => db.select().from(talkLegs).where(eq(talkLegs.callSid, callSid)).orderBy(talkLegs.consented)
  const month = async (contractId: number) =>
    (
      await db
        .select()
        .from(usage)
        .where(and(eq(usage.contractId, contractId), eq(usage.month, '2026-11')))
    )[0]
  const used = async (contractId: number, quotaSeconds: number, usedSeconds: number) => {
    await db.delete(usage).where(eq(usage.contractId, contractId))
    await db.insert(usage).values({
      contractId,
      month: '2026-11',
      quotaSeconds,
      usedSeconds,
      includedSeconds: Math.min(usedSeconds, quotaSeconds),
      overageSeconds: Math.max(0, usedSeconds - quotaSeconds),
    })
  }

  t.test('refuse: the leg stops after the quota left and the grace; the caller hears what remains', async (t) => {
    await used(3, 7_200, 7_000)
    const { callSid, steps } = await playCall(twilio, { from: DJURDJURA, to: DESK, talkSeconds: 9_000 })
    const dial = dialOf(steps[0])
    t.equal(dial?.attributes.timeLimit, '260', 'timeLimit: the 200 s left and the 60 s of grace')
    t.match(said(steps[1])[0], /Reste du forfait ce mois-ci : 3 minutes\. Au-delà, l’appel sera coupé\./, 'the whisper says so')
    t.same(paths(steps), [
      '/webhooks/twilio/voice',
      '/webhooks/twilio/whisper',
      '/webhooks/twilio/whisper/accept',
      '/webhooks/twilio/dial',
      '/webhooks/twilio/status',
    ])
    const cut = steps[3]
    t.match(cut?.params, { CallStatus: 'in-progress', DialCallStatus: 'completed', DialCallDuration: '260' })
    t.same(said(cut), [message('quota_cut_refuse', 'fr-FR'), message('quota_cut_on_call', 'fr-FR'), message('goodbye', 'fr-FR')])
    t.equal(cut?.verbs.at(-1)?.name, 'Hangup')
    t.match(await legs(callSid), [{ talkSeconds: 260, includedSeconds: 200, overageSeconds: 0, graceSeconds: 60 }])
    t.match(await month(3), { usedSeconds: 7_260, includedSeconds: 7_200, overageSeconds: 0, graceSeconds: 60 })
    t.match(await record(callSid), { outcome: 'answered', talkSeconds: 260 })
  })

  t.test('refuse: an agent who hangs up before the limit ends the call as before', async (t) => {
    await used(3, 7_200, 0)
    const { callSid, steps } = await playCall(twilio, { from: DJURDJURA, to: DESK, talkSeconds: 300 })
    t.equal(dialOf(steps[0])?.attributes.timeLimit, '7260')
    t.same(said(steps[3]), [], 'no message: the agent hung up')
    t.match(await month(3), { usedSeconds: 300, includedSeconds: 300, overageSeconds: 0, graceSeconds: 0 })
    t.match(await record(callSid), { outcome: 'answered' })
  })

  t.test('refuse: a client never shows billable seconds, on its statement or in the usage API', async (t) => {
    const statement = await loadStatement(db, 'djurdjura', '2026-11')
    t.match(statement.totals, { overageSeconds: 0 })
    const response = await app.inject({
      url: '/api/usage?month=2026-11',
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
    })
    const item = response.json().items.find((each: { clientId: string }) => each.clientId === 'djurdjura')
    t.match(item, { overageSeconds: 0, graceSeconds: 0 })
  })

  t.test('ask: cut at the quota line, the caller presses 1, the same agent is dialled again, billed', async (t) => {
    await used(2, 18_000, 17_800)
    const { callSid, steps } = await playCall(twilio, { from: ATLAS, to: DESK, talkSeconds: 500, press: ['1'] })
    t.equal(dialOf(steps[0])?.attributes.timeLimit, '200', 'timeLimit: the seconds left, no grace')
    t.match(said(steps[1])[0], /Au-delà, le client devra accepter la facturation\./)
    t.same(paths(steps), [
      '/webhooks/twilio/voice',
      '/webhooks/twilio/whisper',
      '/webhooks/twilio/whisper/accept',
      '/webhooks/twilio/dial',
      '/webhooks/twilio/overage',
      '/webhooks/twilio/whisper',
      '/webhooks/twilio/dial',
      '/webhooks/twilio/status',
    ])
    const question = steps[3]?.verbs[0]
    t.equal(question?.name, 'Gather')
    t.equal(question?.children[0]?.text, message('quota_cut_ask', 'fr-FR'))
    t.match(question?.attributes.action, /question=cut.*agent=amina/)
    const redial = dialOf(steps[4])
    t.same(
      redial?.children.map((number) => number.text),
      ['+213550000001'],
      'only the agent who answered',
    )
    t.equal(redial?.attributes.timeLimit, undefined, 'consented: no limit')
    t.same(said(steps[4]), ['Merci. Nous vous mettons en relation.'], 'no greeting again')
    t.same(
      steps[5]?.verbs.map((verb) => verb.name),
      ['Say'],
      'the whisper asks nothing',
    )
    t.equal(steps[5]?.verbs[0]?.text, message('whisper_consented', 'fr-FR'))
    t.match(await legs(callSid), [
      { talkSeconds: 200, includedSeconds: 200, overageSeconds: 0, graceSeconds: 0, consented: false },
      { talkSeconds: 300, includedSeconds: 0, overageSeconds: 300, graceSeconds: 0, consented: true },
    ])
    t.match(await month(2), { usedSeconds: 18_300, includedSeconds: 18_000, overageSeconds: 300, graceSeconds: 0, calls: 2 })
    t.match(await record(callSid), { outcome: 'answered', talkSeconds: 500, overageAccepted: true, agentId: 'amina' })
    const [consent] = await db.select().from(overageConsents).where(eq(overageConsents.callSid, callSid))
    t.match(consent, { digit: '1', question: 'cut', words: message('quota_cut_ask', 'fr-FR') })

    const statement = await loadStatement(db, 'atlas', '2026-11')
    const lines = statement.contracts[0]?.calls.filter((line) => line.callSid === callSid)
    t.equal(lines?.find((line) => line.includedSeconds === 200)?.consent, null, 'the included leg: no consent')
    t.match(
      lines?.find((line) => line.overageSeconds === 300)?.consent,
      { digit: '1', question: 'cut', words: message('quota_cut_ask', 'fr-FR') },
      'next to its seconds',
    )
    const json = await app.inject({
      url: '/api/clients/atlas/statements/2026-11',
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
    })
    const consented = json
      .json()
      .contracts[0].calls.find(
        (line: { callSid: string; overageSeconds: number }) => line.callSid === callSid && line.overageSeconds,
      )
    t.match(
      consented,
      { overageSeconds: 300, graceSeconds: 0, consent: { at: String, digit: '1', question: 'cut' } },
      'in the API',
    )
    const csv = await app.inject({
      url: '/api/clients/atlas/statements/2026-11',
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, accept: 'text/csv' },
    })
    t.match(csv.body, /graceSeconds/)
    t.match(csv.body, /Le temps d'assistance inclus/)
  })

  t.test("the dashboard: the consent next to the seconds it covers, and a refuse client's grace apart", async (t) => {
    const { cookie } = await signIn(app, TEST_ADMIN_TOKEN)
    const page = await app.inject({ url: '/dashboard/usage?client=atlas&month=2026-11', headers: { cookie } })
    t.equal(page.statusCode, 200)
    t.match(page.body, /Facturation acceptée le .* \(touche 1\) : « Le temps d&#39;assistance inclus/)
    await db
      .update(usage)
      .set({ usedSeconds: 7_260, includedSeconds: 7_200, overageSeconds: 0, graceSeconds: 60 })
      .where(eq(usage.contractId, 3))
    const all = await app.inject({ url: '/dashboard/usage?month=2026-11', headers: { cookie } })
    const djurdjura = /<article class="card usage" data-client="djurdjura">[\s\S]*?<\/article>/.exec(all.body)?.[0] ?? ''
    t.match(djurdjura, /Hors forfait, non facturé/, 'its grace, named')
    t.notMatch(djurdjura, /class="bar-overage"/, 'nothing billable drawn')
  })

  t.test('ask: cut, then nothing pressed: a polite goodbye, the call stays answered, nothing billed', async (t) => {
    await used(2, 18_000, 17_800)
    const { callSid, steps } = await playCall(twilio, { from: ATLAS, to: DESK, talkSeconds: 500, press: [''] })
    t.same(said(steps[4]), [message('declined', 'fr-FR')])
    t.match(await record(callSid), { outcome: 'answered', overageAccepted: false, talkSeconds: 200 })
    t.match(await month(2), { usedSeconds: 18_000, overageSeconds: 0, graceSeconds: 0 })
    t.equal((await db.select().from(overageConsents).where(eq(overageConsents.callSid, callSid))).length, 0)
  })

  t.test('ask: talk beyond the line without a yes (another call crossed it meanwhile) is grace, never billed', async (t) => {
    await used(2, 18_000, 17_990)
    const call = { callSid: newSid(), from: ATLAS, to: DESK }
    const voice = await twilio.webhook('/webhooks/twilio/voice', payload('incoming-call', call))
    const action = /action="([^"]+)"/.exec(voice.body)?.[1]?.replaceAll('&amp;', '&')
    t.match(action, /limit=10&after=ask/)
    // Another call takes the month to the line while this one talks its 10 s.
    await db.update(usage).set({ usedSeconds: 18_000, includedSeconds: 18_000 }).where(eq(usage.contractId, 2))
    await twilio.webhook(action as string, payload('dial-completed', call, { DialCallDuration: '10', CallStatus: 'completed' }))
    t.match(await legs(call.callSid), [{ talkSeconds: 10, includedSeconds: 0, overageSeconds: 0, graceSeconds: 10 }])
    t.match(await month(2), { usedSeconds: 18_010, overageSeconds: 0, graceSeconds: 10 })
  })

  t.test('ask at the start: the caller is greeted once, the whisper says the call is billed', async (t) => {
    await used(2, 18_000, 18_000)
    const { callSid, steps } = await playCall(twilio, { from: ATLAS, to: DESK, talkSeconds: 120, press: ['1'] })
    t.same(said(steps[1]), ['Merci. Nous vous mettons en relation.'], 'no second "Bonjour Atlas Pharma"')
    t.equal(dialOf(steps[1])?.attributes.timeLimit, undefined)
    t.match(said(steps[2])[0], /cet appel est facturé en dehors du forfait/)
    t.notMatch(said(steps[2])[0], /moins d'une minute/)
    t.match(await month(2), { usedSeconds: 18_120, overageSeconds: 120, graceSeconds: 0 })
    const [consent] = await db.select().from(overageConsents).where(eq(overageConsents.callSid, callSid))
    t.match(consent, { digit: '1', question: 'start' })
    t.match(consent?.words, /^Bonjour Atlas Pharma\. Le forfait d'assistance de ce mois est épuisé/)
  })

  t.test('bill: no limit, the whisper says the quota is used up and the call billed', async (t) => {
    await used(1, 18_000, 18_000)
    const { steps } = await playCall(twilio, { from: ACME, to: DESK, talkSeconds: 100 })
    t.equal(dialOf(steps[0])?.attributes.timeLimit, undefined)
    t.match(said(steps[1])[0], /^Appel d’ACME SARL\. Le forfait du mois est épuisé : cet appel est facturé/)
    t.match(await month(1), { usedSeconds: 18_100, overageSeconds: 100, graceSeconds: 0 })
  })
})

t.test("the cut is said in the caller's language, and the consent keeps those words", async (t) => {
  for (const kind of kinds) {
    await t.test(kind, async (t) => {
      const file = deskFile('intercom')
      const atlas = file.clients.find((client) => client.id === 'atlas')
      if (atlas) atlas.language = 'ar'
      const database = await freshDatabase(t, kind)
      const { twilio } = await deskApp(t, database, { file, at: SATURDAY_10H })
      await database.db
        .insert(usage)
        .values({ contractId: 2, month: '2026-11', quotaSeconds: 18_000, usedSeconds: 17_800, includedSeconds: 17_800 })
      const { callSid, steps } = await playCall(twilio, { from: ATLAS, to: DESK, talkSeconds: 500, press: ['1'] })
      const question = message('quota_cut_ask', 'ar')
      t.same(said(steps[3]), [question], 'asked in Arabic')
      const [consent] = await database.db.select().from(overageConsents).where(eq(overageConsents.callSid, callSid))
      t.equal(consent?.words, question, 'the words played')
    })
  }
})
