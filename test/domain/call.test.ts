// decide(): every branch of the contract, with plain values, in DESIGN.md's order.
import t from 'tap'
import {
  type Decision,
  afterQuotaCut,
  chosenLanguage,
  contractInForce,
  decide,
  decideCall,
  dialStep,
  languageMenu,
  overageQuestion,
  redialAfterConsent,
  routeAfterAcceptance,
  whisperLines,
  whisperText,
} from '../../src/domain/call.js'
import { planPath } from '../../src/domain/what-if.js'
import { SATURDAY_10H, acme, acmeContract, agents, facts, intercomDesk } from '../fixtures/call-facts.js'

const text = (decision: Decision) => ('say' in decision.plan ? decision.plan.say.map((s) => s.text).join(' ') : '')

type Case = [
  what: string,
  input: Parameters<typeof decide>[0],
  at: Date,
  expect: { kind: string; outcome?: string; says?: RegExp },
]

const THURSDAY = new Date('2026-11-26T10:00:00+01:00')
const cases: Case[] = [
  [
    'a registered caller in hours is dialled through',
    facts(),
    SATURDAY_10H,
    { kind: 'dial', says: /Nous vous mettons en relation/ },
  ],
  [
    'an unknown caller is told so, even when suspended clients exist',
    facts({ caller: null }),
    SATURDAY_10H,
    { kind: 'hangup', outcome: 'unknown_caller', says: /Assistance INTERcom/ },
  ],
  [
    'an unknown caller outside hours is still an unknown caller',
    facts({ caller: null }),
    THURSDAY,
    { kind: 'hangup', outcome: 'unknown_caller' },
  ],
  [
    'a suspended client is refused before anything else',
    facts({ caller: acme({ suspended: true }, []) }),
    THURSDAY,
    { kind: 'hangup', outcome: 'suspended' },
  ],
  [
    'no contract in force',
    facts({ caller: acme({}, [acmeContract({ terms: { start: '2027-01-01', months: 12, noticeMonths: 3 } })]) }),
    SATURDAY_10H,
    { kind: 'hangup', outcome: 'no_contract' },
  ],
  ['no contract at all', facts({ caller: acme({}, []) }), SATURDAY_10H, { kind: 'hangup', outcome: 'no_contract' }],
  [
    'a holiday, named',
    facts(),
    new Date('2026-11-01T10:00:00+01:00'),
    { kind: 'closed', outcome: 'closed_holiday', says: /Révolution/ },
  ],
  [
    'a closure, named',
    facts(),
    new Date('2026-12-31T10:00:00+01:00'),
    { kind: 'closed', outcome: 'closed_closure', says: /Inventaire/ },
  ],
  [
    'outside hours, with the hours and the next opening',
    facts(),
    THURSDAY,
    { kind: 'closed', outcome: 'closed_hours', says: /du samedi au mercredi.+samedi à 9 h 30/ },
  ],
  [
    'outside hours, the hours in force that day',
    facts({
      desk: {
        ...intercomDesk(),
        calendar: { ...intercomDesk().calendar, weeklyChanges: [{ from: '2026-11-01', weekly: { sat: ['08:00-12:00'] } }] },
      },
    }),
    THURSDAY,
    { kind: 'closed', says: /ouvert le samedi, de 8 h à 12 h/ },
  ],
  [
    'quota used up, bill',
    facts({ caller: acme({}, [acmeContract({ usedSeconds: 18_000 })]) }),
    SATURDAY_10H,
    { kind: 'dial', says: /facturé en dehors du forfait/ },
  ],
  [
    'quota used up, ask',
    facts({ caller: acme({}, [acmeContract({ usedSeconds: 18_001, overage: 'ask' })]) }),
    SATURDAY_10H,
    { kind: 'ask_overage', says: /appuyez sur 1/ },
  ],
  [
    'quota used up, refuse',
    facts({ caller: acme({}, [acmeContract({ usedSeconds: 20_000, overage: 'refuse' })]) }),
    SATURDAY_10H,
    { kind: 'hangup', outcome: 'quota_refused' },
  ],
  [
    'one second left is not used up',
    facts({ caller: acme({}, [acmeContract({ usedSeconds: 17_999, overage: 'refuse' })]) }),
    SATURDAY_10H,
    { kind: 'dial' },
  ],
  [
    'a revised quota applies from its date',
    facts({
      caller: acme({}, [
        acmeContract({ usedSeconds: 18_000, overage: 'refuse', changes: [{ from: '2026-11-01', monthlyQuotaMinutes: 600 }] }),
      ]),
    }),
    SATURDAY_10H,
    { kind: 'dial' },
  ],
  [
    'a revision not yet in force does not',
    facts({
      caller: acme({}, [
        acmeContract({ usedSeconds: 18_000, overage: 'refuse', changes: [{ from: '2026-12-01', monthlyQuotaMinutes: 600 }] }),
      ]),
    }),
    SATURDAY_10H,
    { kind: 'hangup', outcome: 'quota_refused' },
  ],
  [
    'a zero quota with "refuse" refuses at once',
    facts({ caller: acme({}, [acmeContract({ quotaSeconds: 0, overage: 'refuse' })]) }),
    SATURDAY_10H,
    { kind: 'hangup', outcome: 'quota_refused' },
  ],
  ['no agent on duty: voicemail', facts({ agents: [] }), SATURDAY_10H, { kind: 'voicemail', says: /Aucun technicien/ }],
  [
    'a number that is not a desk',
    facts({ desk: null }),
    SATURDAY_10H,
    { kind: 'hangup', outcome: 'failed', says: /difficulté technique/ },
  ],
  [
    'an English-speaking client hears English',
    facts({ caller: acme({ language: 'en-GB' }) }),
    SATURDAY_10H,
    { kind: 'dial', says: /Connecting you to a support engineer/ },
  ],
  [
    'a desk template replaces the default',
    facts({ desk: intercomDesk({}, { 'fr-FR': { connecting: 'Bonjour {client}, un technicien INTERcom arrive.' } }) }),
    SATURDAY_10H,
    { kind: 'dial', says: /^Bonjour ACME SARL, un technicien INTERcom arrive\.$/ },
  ],
]

for (const [what, input, at, expect] of cases) {
  t.test(what, async (t) => {
    const decision = decide(input, at)
    t.equal(decision.plan.kind, expect.kind, `the plan is ${expect.kind}`)
    if (expect.outcome)
      t.equal('outcome' in decision.plan ? decision.plan.outcome : null, expect.outcome, `the outcome is ${expect.outcome}`)
    if (expect.says) t.match(text(decision), expect.says, 'the caller hears it')
    // the verdict alone (what the what-if replay asks for) is the path the spoken plan takes, with the same record
    const verdict = decideCall(input, at)
    t.equal(verdict.path, planPath(decision.plan), 'the verdict without words takes the same path')
    t.same(
      [verdict.deskId, verdict.clientId, verdict.contractId, verdict.usageMonth],
      [decision.deskId, decision.clientId, decision.contractId, decision.usageMonth],
      'and keeps the same record',
    )
  })
}

t.test('the decision records the desk, client, contract and month', async (t) => {
  t.match(decide(facts(), SATURDAY_10H), {
    deskId: 'intercom',
    clientId: 'acme',
    contractId: 1,
    usageMonth: '2026-11',
  })
  t.match(decide(facts({ caller: null }), SATURDAY_10H), { clientId: null, contractId: null, usageMonth: null })
  // 31 December 23:30 UTC is already 1 January in Algiers: the call counts into January.
  t.equal(decide(facts(), new Date('2027-01-02T09:00:00Z')).usageMonth, '2027-01')
})

t.test('simultaneous ringing dials every agent on duty with the whisper', async (t) => {
  const { plan } = decide(facts(), SATURDAY_10H)
  if (plan.kind !== 'dial') return t.fail('not a dial')
  t.same(
    plan.dial.targets.map((a) => a.id),
    ['amina', 'karim'],
  )
  t.match(plan.dial, {
    ringSeconds: 20,
    whisper: true,
    callerId: '+213661000001',
    attempt: 1,
    countInto: { contractId: 1, month: '2026-11' },
  })
  t.equal(plan.billed, false, 'within the quota: not billed')
})

t.test('sequential ringing dials one agent per attempt', async (t) => {
  const desk = intercomDesk({ ring: 'sequential' })
  t.same(
    dialStep(desk, agents, '+213661000001', 1, null).targets.map((a) => a.id),
    ['amina'],
  )
  t.same(
    dialStep(desk, agents, '+213661000001', 2, null).targets.map((a) => a.id),
    ['karim'],
  )
})

t.test('closed: the on-call line and the voicemail are offered only when configured', async (t) => {
  const THU = new Date('2026-11-26T10:00:00+01:00')
  const offered = decide(facts(), THU).plan
  t.ok(offered.kind === 'closed' && offered.onCall && offered.voicemail, 'both offered by default with an on-call number')
  const bare = decide(facts({ desk: intercomDesk({ onCall: null, voicemail: { maxSeconds: 60, whenClosed: false } }) }), THU).plan
  t.ok(bare.kind === 'closed' && !bare.onCall && !bare.voicemail, 'neither when switched off')
})

t.test('after accepting the overage charge the call is routed, billed', async (t) => {
  const plan = routeAfterAcceptance(facts(), SATURDAY_10H)
  t.equal(plan?.kind, 'dial')
  t.equal(plan?.kind === 'dial' && plan.billed, true)
  t.same(plan?.kind === 'dial' && plan.dial.countInto, { contractId: 1, month: '2026-11' }, 'counted into the contract and month')
  t.equal(routeAfterAcceptance(facts({ caller: null }), SATURDAY_10H), null, 'nothing for an unknown caller')
  t.equal(routeAfterAcceptance(facts({ agents: [] }), SATURDAY_10H)?.kind, 'voicemail', 'voicemail when nobody is on duty')
})

t.test('the contract in force is the most recently signed one', async (t) => {
  const old = acmeContract({ id: 1, terms: { start: '2025-01-15', months: 12, noticeMonths: 3 } })
  const renewed = acmeContract({ id: 2, terms: { start: '2026-01-15', months: 12, noticeMonths: 3 } })
  t.equal(contractInForce([old, renewed], '2026-11-28')?.id, 2)
  t.equal(contractInForce([renewed, old], '2026-11-28')?.id, 2, 'whatever their order')
  t.equal(contractInForce([old], '2024-12-31'), null, 'before the signature: none')
})

t.test('the whisper tells the agent who calls and what is left of the quota', async (t) => {
  t.equal(
    whisperText({ clientName: 'ACME SARL', quotaSeconds: 18_000, usedSeconds: 5_400, language: 'fr-FR', templates: {} }),
    'Appel d’ACME SARL. Reste du forfait ce mois-ci : 3 heures 30 minutes. Appuyez sur 1 pour prendre l’appel.',
  )
  t.match(
    whisperText({ clientName: 'ACME', quotaSeconds: 60, usedSeconds: 600, language: 'en-US', templates: {} }),
    /time left this month: less than a minute/,
  )
})

t.test('with no configuration at hand, FALLBACK_NUMBERS ring, and nothing is counted', async (t) => {
  const { fallbackPlan } = await import('../../src/domain/call.js')
  t.equal(fallbackPlan([], '+213661000001'), null, 'no numbers: no plan')
  const plan = fallbackPlan(['+213550000001', '+213550000002'], '+213661000001')
  t.equal(plan?.kind, 'dial')
  if (plan?.kind !== 'dial') return
  t.same(
    plan.dial.targets.map((target) => target.number),
    ['+213550000001', '+213550000002'],
  )
  t.match(plan.dial, { whisper: true, countInto: null, deskId: null, callerId: '+213661000001' })
  t.match(plan.say[0]?.text, /difficulté technique/)
})

t.test('accepting the overage charge without a contract in force routes the call, counted nowhere', async (t) => {
  const plan = routeAfterAcceptance(facts({ caller: acme({}, []) }), SATURDAY_10H)
  t.equal(plan?.kind === 'dial' && plan.dial.countInto, null)
})

t.test('the whisper says as much as is known, and always asks for 1', async (t) => {
  const desk = intercomDesk()
  const said = (input: Parameters<typeof whisperLines>[0]) => {
    const { line, declined } = whisperLines(input)
    t.match(line.text, /Appuyez sur 1 pour prendre l’appel\.$/, 'press 1')
    t.equal(declined?.text, 'Appel non pris. Au revoir.')
    return line.text
  }
  t.equal(
    said({ desk, clientName: 'ACME SARL', onCall: false, quota: { quotaSeconds: 18_000, usedSeconds: 5_400 } }),
    'Appel d’ACME SARL. Reste du forfait ce mois-ci : 3 heures 30 minutes. Appuyez sur 1 pour prendre l’appel.',
  )
  t.equal(
    said({ desk, clientName: 'ACME SARL', onCall: false, quota: null }),
    'Appel d’ACME SARL. Appuyez sur 1 pour prendre l’appel.',
    'the usage unread: the client only',
  )
  t.match(
    said({ desk, clientName: 'ACME SARL', onCall: true, quota: { quotaSeconds: 18_000, usedSeconds: 0 } }),
    /^Astreinte : appel d’ACME SARL, facturé en dehors du contrat\./,
    'the on-call line: billed apart, no quota',
  )
  t.equal(
    said({ desk, clientName: null, onCall: false, quota: null }),
    'Appel sur la ligne d’assistance. Appuyez sur 1 pour prendre l’appel.',
  )
  t.equal(
    said({ desk: null, clientName: 'ACME SARL', onCall: false, quota: null }),
    'Appel sur la ligne d’assistance. Appuyez sur 1 pour prendre l’appel.',
    'no desk: French, and nothing of the call',
  )
})

t.test('the caller’s language: the number’s, the client’s, the desk’s default; Arabic read by Polly', async (t) => {
  const bilingual = (): ReturnType<typeof intercomDesk> => ({ ...intercomDesk(), languages: ['ar', 'fr-FR'] })
  const first = (decision: Decision) => ('say' in decision.plan ? decision.plan.say[0] : undefined)
  const arabic = decide(facts({ caller: acme({ language: 'ar' }) }), SATURDAY_10H)
  t.same(
    first(arabic),
    { text: 'مرحباً ACME SARL. نحن بصدد تحويلكم إلى أحد التقنيين.', language: 'arb', voice: 'Polly.Zeina' },
    'an Arabic-speaking client hears Arabic, in Polly’s Modern Standard Arabic voice',
  )
  t.equal(arabic.plan.say[0]?.language, 'arb', 'the caller hears it in Arabic')
  t.equal(
    decide(facts({ caller: { ...acme({ language: 'en-US' }), numberLanguage: 'ar' } }), SATURDAY_10H).plan.say[0]?.language,
    'arb',
    'the number’s language before the client’s',
  )
  t.equal(
    decide(facts({ desk: bilingual() }), SATURDAY_10H).plan.say[0]?.language,
    'arb',
    'then the first of the desk’s languages',
  )
  const neural = intercomDesk({ voices: { ar: { language: 'ar-AE', voice: 'Polly.Hala-Neural' } } })
  t.match(
    first(decide(facts({ desk: neural, caller: acme({ language: 'ar-DZ' }) }), SATURDAY_10H)),
    { language: 'ar-AE', voice: 'Polly.Hala-Neural' },
    'a desk may choose another Arabic voice',
  )
  t.match(
    first(decide(facts({ desk: intercomDesk({ voice: 'Polly.Lea' }) }), SATURDAY_10H)),
    { language: 'fr-FR', voice: 'Polly.Lea' },
    'the desk’s voice still reads French',
  )
  const plan = routeAfterAcceptance(facts({ caller: acme({ language: 'ar' }) }), SATURDAY_10H)
  t.match(plan?.kind === 'dial' && plan.say[0], { language: 'arb', text: /نحن بصدد تحويلكم/ }, 'and after accepting the charge')
})

t.test('an unknown caller on a desk of several languages hears the refusal in each', async (t) => {
  const { plan } = decide(facts({ caller: null, desk: { ...intercomDesk(), languages: ['fr-FR', 'ar'] } }), SATURDAY_10H)
  t.match(plan, {
    kind: 'hangup',
    outcome: 'unknown_caller',
    say: [
      { language: 'fr-FR', text: /^Bonjour\. Vous êtes sur la ligne Assistance INTERcom/ },
      { language: 'arb', voice: 'Polly.Zeina', text: /^مرحباً\. أنتم على خط Assistance INTERcom،/ },
    ],
  })
})

t.test('closed during Ramadan: the season’s hours, said as such, in the caller’s language', async (t) => {
  const ramadanHours = ['09:00-14:00']
  const desk = intercomDesk()
  desk.calendar = {
    ...desk.calendar,
    seasons: [
      {
        name: 'Ramadan',
        hijriMonth: 9,
        weekly: { sat: ramadanHours, sun: ramadanHours, mon: ramadanHours, tue: ramadanHours, wed: ramadanHours },
      },
    ],
  }
  // Thursday 26 February 2026, within Ramadan 1447 (estimated from 18 February)
  const thursday = new Date('2026-02-26T10:00:00+01:00')
  t.equal(
    text(decide(facts({ desk }), thursday)),
    "Bonjour ACME SARL. Pendant le Ramadan, le service d'assistance est ouvert du samedi au mercredi, de 9 h à 14 h. Nous serons de nouveau disponibles samedi à 9 h.",
  )
  t.equal(
    text(decide(facts({ desk, caller: acme({ language: 'ar' }) }), thursday)),
    'مرحباً ACME SARL. خلال شهر رمضان، تعمل خدمة الدعم الفني من السبت إلى الأربعاء، من التاسعة صباحاً إلى الثانية ظهراً. سنكون في خدمتكم من جديد يوم السبت في الساعة التاسعة صباحاً.',
  )
  t.equal(
    text(decide(facts({ desk, caller: acme({ language: 'ar' }) }), THURSDAY)),
    'مرحباً ACME SARL. تعمل خدمة الدعم الفني من السبت إلى الأربعاء، من التاسعة والنصف صباحاً إلى الثانية عشرة ظهراً ومن الواحدة والربع ظهراً إلى الرابعة مساءً. سنكون في خدمتكم من جديد يوم السبت في الساعة التاسعة والنصف صباحاً.',
    'INTERcom’s usual hours in Arabic, out of the season',
  )
})

t.test('a holiday is named in the caller’s language', async (t) => {
  const revolution = new Date('2026-11-01T10:00:00+01:00')
  t.match(
    text(decide(facts({ caller: acme({ language: 'ar' }) }), revolution)),
    /مغلقة اليوم بمناسبة ذكرى اندلاع الثورة التحريرية\./,
  )
  t.match(text(decide(facts({ caller: acme({ language: 'en-GB' }) }), revolution)), /closed today for Revolution Day\./)
  t.match(text(decide(facts(), revolution)), /fermé aujourd'hui, jour férié : Anniversaire du déclenchement de la Révolution\./)
})

t.test('the language menu: before deciding, for a caller whose language nobody knows', async (t) => {
  const bilingual = { ...intercomDesk(), languages: ['fr-FR', 'ar'] }
  const menu = languageMenu(facts({ desk: bilingual }))
  t.same(menu, {
    say: [
      { text: 'Pour le français, tapez 1.', language: 'fr-FR', voice: undefined },
      { text: 'للعربية، اضغط 2.', language: 'arb', voice: 'Polly.Zeina' },
    ],
    choices: [
      { digit: '1', language: 'fr-FR' },
      { digit: '2', language: 'ar' },
    ],
    fallback: 'fr-FR',
  })
  if (menu === null) return
  t.equal(chosenLanguage(menu, '2'), 'ar', '2 chooses Arabic')
  t.equal(chosenLanguage(menu, '1'), 'fr-FR', '1 French')
  t.equal(chosenLanguage(menu, '7'), 'fr-FR', 'another digit: the default')
  t.equal(chosenLanguage(menu, undefined), 'fr-FR', 'silence: the default')
  const chosen = { ...acme(), numberLanguage: chosenLanguage(menu, '2') }
  t.equal(
    decide(facts({ desk: bilingual, caller: chosen }), SATURDAY_10H).plan.say[0]?.language,
    'arb',
    'the choice, remembered for the number, is heard',
  )
  t.equal(languageMenu(facts({ desk: bilingual, caller: chosen })), null, 'and no menu once it is known')
  t.equal(languageMenu(facts({ desk: bilingual, caller: acme({ language: 'ar' }) })), null, 'nor for a client with a language')
  t.equal(languageMenu(facts()), null, 'nor on a desk of one language')
  t.equal(languageMenu(facts({ desk: bilingual, caller: null })), null, 'nor for an unknown caller')
  t.equal(languageMenu(facts({ desk: null })), null, 'nor without a desk')
})

t.test('the whisper stays in the desk’s language', async (t) => {
  const desk = { ...intercomDesk(), language: 'ar' }
  const { line, declined } = whisperLines({
    desk,
    clientName: 'ACME SARL',
    onCall: false,
    quota: { quotaSeconds: 18_000, usedSeconds: 5_400 },
  })
  t.same(line, {
    text: 'مكالمة من ACME SARL. المتبقي من رصيد هذا الشهر: ثلاث ساعات وثلاثون دقيقة. اضغط على الرقم 1 لتلقي المكالمة.',
    language: 'arb',
    voice: 'Polly.Zeina',
  })
  t.equal(declined?.text, 'لم يتم تلقي المكالمة. مع السلامة.')
})

t.test('the quota line: refuse and ask dial with a limit, bill and a consent without', async (t) => {
  const withPolicy = (overage: 'bill' | 'ask' | 'refuse', usedSeconds: number, grace?: number) =>
    decide(
      facts({
        desk: intercomDesk(grace === undefined ? {} : { quotaGraceSeconds: grace }),
        caller: acme({}, [acmeContract({ overage, usedSeconds })]),
      }),
      SATURDAY_10H,
    ).plan
  const limitOf = (plan: ReturnType<typeof withPolicy>) => (plan.kind === 'dial' ? plan.dial.limit : 'no dial')
  t.same(limitOf(withPolicy('refuse', 17_000)), { seconds: 1_060, after: 'refuse' }, 'refuse: left + 60 s of grace')
  t.same(limitOf(withPolicy('refuse', 17_000, 0)), { seconds: 1_000, after: 'refuse' }, "the desk's grace")
  t.same(limitOf(withPolicy('ask', 17_000)), { seconds: 1_000, after: 'ask' }, 'ask: what is left')
  t.equal(limitOf(withPolicy('bill', 17_000)), null, 'bill: none')
  const accepted = routeAfterAcceptance(
    facts({ caller: acme({}, [acmeContract({ overage: 'ask', usedSeconds: 18_000 })]) }),
    SATURDAY_10H,
  )
  t.ok(accepted?.kind === 'dial' && accepted.dial.consented && !accepted.dial.limit, 'a yes at the start: consented, no limit')
  t.same(
    accepted?.kind === 'dial' && accepted.say.map((line) => line.text),
    ['Merci. Nous vous mettons en relation.'],
    'no second greeting',
  )
})

t.test('when the limit cut the leg: refuse says what remains and goodbye, ask asks to go on', async (t) => {
  const countInto = { contractId: 1, month: '2026-11' }
  const cut = (after: 'ask' | 'refuse', desk = intercomDesk()) =>
    afterQuotaCut({ desk, language: 'fr-FR', after, agentId: 'amina', attempt: 1, countInto })
  const refused = cut('refuse')
  t.equal(refused.kind, 'hangup')
  t.same('say' in refused && refused.say.map((line) => line.text), [
    "Le temps d'assistance inclus dans votre forfait de ce mois est épuisé. Vous pourrez nous rappeler le mois prochain, ou nous écrire par e-mail.",
    "En dehors des heures d'ouverture, notre ligne d'astreinte, facturée en dehors du contrat, reste à votre disposition.",
    'Merci de votre appel, au revoir.',
  ])
  const bare = cut('refuse', intercomDesk({ onCall: null }))
  t.equal('say' in bare && bare.say.length, 2, 'no on-call line: not mentioned')
  const asked = cut('ask')
  t.same(asked.kind === 'ask_overage' && asked.atCut, { agentId: 'amina', attempt: 1, countInto })
  const english = afterQuotaCut({
    desk: intercomDesk(),
    language: 'en-US',
    after: 'ask',
    agentId: null,
    attempt: 2,
    countInto: null,
  })
  t.match('say' in english && english.say[0]?.text, /To go on with the conversation, billed beyond your contract, press 1/)
})

t.test('the question asked is kept as words; after a yes at the cut the agent who answered is dialled again', async (t) => {
  t.match(overageQuestion(facts(), true), /^Le temps d'assistance inclus/)
  t.match(overageQuestion(facts(), false), /^Bonjour ACME SARL\. Le forfait d'assistance de ce mois est épuisé/)
  t.equal(overageQuestion(facts({ caller: null }), true), null)
  const countInto = { contractId: 1, month: '2026-11' }
  const again = redialAfterConsent(facts(), { agentId: 'karim', attempt: 1, countInto })
  t.ok(again?.kind === 'dial', 'a dial')
  if (again?.kind !== 'dial') return
  t.same(
    again.dial.targets.map((agent) => agent.id),
    ['karim'],
  )
  t.match(again.dial, { attempt: 2, consented: true, redial: true, limit: null, countInto })
  const anyone = redialAfterConsent(facts(), { agentId: null, attempt: 1, countInto })
  t.ok(
    anyone?.kind === 'dial' && anyone.dial.targets.length === 2 && anyone.dial.consented && !anyone.dial.redial,
    'unknown agent: all on duty',
  )
  t.equal(redialAfterConsent(facts({ caller: null }), { agentId: 'karim', attempt: 1, countInto }), null)
})

t.test('the whisper at the quota line: time left and the cut, billed once used up, no question after a yes', async (t) => {
  const desk = intercomDesk()
  const whisper = (quota: Parameters<typeof whisperLines>[0]['quota'], redial = false) =>
    whisperLines({ desk, clientName: 'Atlas Pharma', onCall: false, redial, quota })
  t.match(
    whisper({ quotaSeconds: 18_000, usedSeconds: 17_800, policy: 'refuse' }).line.text,
    /3 minutes\. Au-delà, l’appel sera coupé/,
  )
  t.match(
    whisper({ quotaSeconds: 18_000, usedSeconds: 17_800, policy: 'ask' }).line.text,
    /le client devra accepter la facturation/,
  )
  t.match(
    whisper({ quotaSeconds: 18_000, usedSeconds: 18_000, policy: 'bill' }).line.text,
    /cet appel est facturé en dehors du forfait/,
  )
  t.match(
    whisper({ quotaSeconds: 18_000, usedSeconds: 18_500, policy: 'ask', accepted: true }).line.text,
    /cet appel est facturé/,
    'ask, accepted at the start',
  )
  t.match(
    whisper({ quotaSeconds: 18_000, usedSeconds: 100, policy: 'ask', accepted: true }).line.text,
    /Reste du forfait ce mois-ci : 4 heures/,
  )
  const again = whisper(null, true)
  t.same(again, { line: { ...again.line, text: 'Le client a accepté la facturation en dehors du forfait.' }, declined: null })
})
