// Every TwiML answer twiml.ts writes as a string is the bytes the twilio package's VoiceResponse
// writes for the same verbs, used the documented way: compared here on text and attributes that
// need escaping, for each answer the webhooks give.
import t from 'tap'
import VoiceResponse from 'twilio/lib/twiml/VoiceResponse.js'
import type { DialStep, Plan, Say, VoicemailStep } from '../../src/domain/call.js'
import {
  PATHS,
  callbackConsentTwiml,
  callbackDialTwiml,
  callbackWhisperTwiml,
  dialTwiml,
  emptyTwiml,
  languageMenuTwiml,
  renderPlan,
  sayThenHangup,
  voicemail,
  whisperTwiml,
} from '../../src/routes/twilio/twiml.js'

type SayLanguage = NonNullable<VoiceResponse.SayAttributes['language']>
type SayVoice = NonNullable<VoiceResponse.SayAttributes['voice']>

const lines: Say[] = [
  { text: 'Bonjour ACME & Fils <SARL> "l’équipe" d\'Alger.\r\n\tÀ bientôt > demain', language: 'fr-FR' },
  { text: 'مرحباً Client 5 SARL. 😀', language: 'arb', voice: 'Polly.Zeina' },
  { text: '', language: 'en-US' },
  { text: 'no voice', language: 'en-US', voice: '' },
]
const line = lines[0] as Say
const documented = (node: VoiceResponse | VoiceResponse.Gather, say: Say) =>
  node.say({ language: say.language as SayLanguage, ...(say.voice ? { voice: say.voice as SayVoice } : {}) }, say.text)
const sayAll = (node: VoiceResponse | VoiceResponse.Gather, says: Say[]) => {
  for (const say of says) documented(node, say)
}
const step: VoicemailStep = { prompt: lines[1] as Say, maxSeconds: 120 }
const recorded = (response: VoiceResponse, voicemail: VoicemailStep) => {
  documented(response, voicemail.prompt)
  response.record({
    action: PATHS.recording,
    method: 'POST',
    maxLength: voicemail.maxSeconds,
    playBeep: true,
    timeout: 5,
    finishOnKey: '#',
  })
}

const dialStep = (overrides: Partial<DialStep> = {}): DialStep => ({
  targets: [
    { id: 'a', name: 'A', number: '+213550000001' },
    { id: 'b', name: 'B & <C>', number: '+213550000002' },
  ],
  ringSeconds: 20,
  whisper: true,
  callerId: '+213661000001',
  attempt: 1,
  countInto: { contractId: 7, month: '2026-11' },
  deskId: 'intercom',
  limit: { seconds: 120, after: 'ask' },
  consented: false,
  redial: false,
  ...overrides,
})

t.test('<Say> under the response and under a <Gather>, with <Hangup>', async (t) => {
  const expected = new VoiceResponse()
  sayAll(expected, lines)
  expected.hangup()
  t.equal(sayThenHangup(lines), expected.toString(), 'say, then hang up')

  const menu = new VoiceResponse()
  sayAll(menu.gather({ numDigits: 1, timeout: 6, action: PATHS.language, method: 'POST', actionOnEmptyResult: true }), lines)
  t.equal(languageMenuTwiml(lines), menu.toString(), 'the language menu')
  t.equal(emptyTwiml(), new VoiceResponse().toString(), 'the empty response')
})

t.test('<Dial> and its <Number>s: whisper or not, a limit or not, the on-call leg, a redial', async (t) => {
  const cases: [string, DialStep, 'agents' | 'on-call', string, VoiceResponse.NumberAttributes][] = [
    [
      'with the whisper',
      dialStep(),
      'agents',
      '&contract=7&month=2026-11&limit=120&after=ask',
      { url: `${PATHS.whisper}?desk=intercom`, method: 'POST' },
    ],
    ['without the whisper', dialStep({ whisper: false }), 'agents', '&contract=7&month=2026-11&limit=120&after=ask', {}],
    [
      'the on-call leg, nothing counted, no limit',
      dialStep({ countInto: null, limit: null, deskId: null }),
      'on-call',
      '',
      { url: `${PATHS.whisper}?leg=on-call`, method: 'POST' },
    ],
    [
      'the agent dialled again after the yes',
      dialStep({ consented: true, redial: true, attempt: 2 }),
      'agents',
      '&contract=7&month=2026-11&limit=120&after=ask&consent=1&redial=1',
      { url: `${PATHS.whisper}?desk=intercom&consented=1`, method: 'POST' },
    ],
  ]
  for (const [name, step, leg, query, numberAttributes] of cases) {
    const expected = new VoiceResponse()
    documented(expected, line)
    const dial = expected.dial({
      action: `${PATHS.dial}?leg=${leg}&attempt=${step.attempt}${query}`,
      method: 'POST',
      timeout: 20,
      answerOnBridge: true,
      callerId: step.callerId,
      ...(step.limit ? { timeLimit: step.limit.seconds } : {}),
    })
    for (const target of step.targets) dial.number(numberAttributes, target.number)
    t.equal(dialTwiml([line], step, leg), expected.toString(), name)
  }
})

t.test('the plans: closed, the overage question, voicemail', async (t) => {
  const closed = (onCall: Say | null, withVoicemail: boolean) => {
    const expected = new VoiceResponse()
    sayAll(expected, lines)
    if (onCall) documented(expected.gather({ numDigits: 1, timeout: 5, action: PATHS.onCall, method: 'POST' }), onCall)
    if (withVoicemail) recorded(expected, step)
    expected.hangup()
    return expected.toString()
  }
  for (const [onCall, withVoicemail] of [
    [line, true],
    [null, false],
    [null, true],
  ] as const) {
    const plan: Plan = { kind: 'closed', outcome: 'closed_hours', say: lines, onCall, voicemail: withVoicemail ? step : null }
    t.equal(renderPlan(plan), closed(onCall, withVoicemail), `closed, on-call ${onCall !== null}, voicemail ${withVoicemail}`)
  }

  for (const atCut of [undefined, { agentId: 'agent 1&2', attempt: 3, countInto: { contractId: 7, month: '2026-11' } }]) {
    const expected = new VoiceResponse()
    const action = atCut
      ? `${PATHS.overage}?question=cut&attempt=3&agent=${encodeURIComponent('agent 1&2')}&contract=7&month=2026-11`
      : PATHS.overage
    sayAll(expected.gather({ numDigits: 1, timeout: 8, action, method: 'POST', actionOnEmptyResult: true }), [line])
    const plan: Plan = { kind: 'ask_overage', say: [line], ...(atCut ? { atCut } : {}) }
    t.equal(renderPlan(plan), expected.toString(), `the overage question ${atCut ? 'at the cut' : 'at the start'}`)
  }

  const expected = new VoiceResponse()
  documented(expected, line)
  recorded(expected, step)
  expected.hangup()
  t.equal(voicemail([line], step), expected.toString(), 'voicemail')
  t.equal(renderPlan({ kind: 'voicemail', say: [line], voicemail: step } as Plan), expected.toString(), 'the voicemail plan')
})

t.test('the whisper and the call back', async (t) => {
  const question = new VoiceResponse()
  documented(question.gather({ numDigits: 1, timeout: 6, action: PATHS.whisperAccept, method: 'POST' }), line)
  documented(question, lines[1] as Say)
  question.hangup()
  t.equal(whisperTwiml(line, lines[1] as Say), question.toString(), 'the whisper with its question')
  const bridged = new VoiceResponse()
  documented(bridged, line)
  t.equal(whisperTwiml(line, null), bridged.toString(), 'the whisper without a question')

  for (const [twiml, path] of [
    [callbackWhisperTwiml, PATHS.callbackCallAccept],
    [callbackConsentTwiml, PATHS.callbackCallConsent],
  ] as const) {
    const expected = new VoiceResponse()
    documented(
      expected.gather({ numDigits: 1, timeout: 8, action: `${path}?attempt=5`, method: 'POST', actionOnEmptyResult: true }),
      line,
    )
    expected.hangup()
    t.equal(twiml(line, 5), expected.toString(), path)
  }

  for (const askConsent of [true, false]) {
    const step = dialStep({ targets: [{ id: 'client', name: 'Client', number: '+213661000001' }], countInto: null, limit: null })
    const expected = new VoiceResponse()
    const dial = expected.dial({
      action: `${PATHS.dial}?leg=agents&attempt=1&callback=5`,
      method: 'POST',
      timeout: 20,
      answerOnBridge: true,
      callerId: step.callerId,
    })
    dial.number(
      askConsent
        ? { url: `${PATHS.callbackCallClient}?attempt=5`, method: 'POST' }
        : { url: `${PATHS.whisper}?desk=intercom`, method: 'POST' },
      '+213661000001',
    )
    t.equal(callbackDialTwiml(step, 5, askConsent), expected.toString(), `the client's leg, consent asked ${askConsent}`)
  }
})

t.test('a character XML does not allow fails as the package fails, whatever the answer', async (t) => {
  const bad: Say = { text: 'bell \u0007 here', language: 'en-US' }
  t.throws(() => {
    const expected = new VoiceResponse()
    documented(expected, bad)
    expected.toString()
  }, 'the package refuses it')
  t.throws(() => sayThenHangup([bad]), /Invalid character/, 'and so does the writer')
  t.throws(() => sayThenHangup([{ text: 'half \uD800 a pair', language: 'en-US' }]), /Invalid character/, 'a lone surrogate too')
})
