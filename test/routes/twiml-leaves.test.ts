// The leaves twiml.ts writes straight into the twilio package's document (<Say>, <Number>) are the
// bytes the package's own verb methods write: compared here with VoiceResponse used the documented
// way, on text and attributes that need escaping.
import t from 'tap'
import VoiceResponse from 'twilio/lib/twiml/VoiceResponse.js'
import type { DialStep, Say } from '../../src/domain/call.js'
import { PATHS, dialTwiml, languageMenuTwiml, sayThenHangup } from '../../src/routes/twilio/twiml.js'

type SayLanguage = NonNullable<VoiceResponse.SayAttributes['language']>
type SayVoice = NonNullable<VoiceResponse.SayAttributes['voice']>

const lines: Say[] = [
  { text: 'Bonjour ACME & Fils <SARL> "l’équipe" d\'Alger.', language: 'fr-FR' },
  { text: 'مرحباً Client 5 SARL.', language: 'arb', voice: 'Polly.Zeina' },
  { text: '', language: 'en-US' },
]
const documented = (node: VoiceResponse | VoiceResponse.Gather, line: Say) =>
  node.say({ language: line.language as SayLanguage, ...(line.voice ? { voice: line.voice as SayVoice } : {}) }, line.text)

t.test('<Say> under the response and under a <Gather>', async (t) => {
  const expected = new VoiceResponse()
  for (const line of lines) documented(expected, line)
  expected.hangup()
  t.equal(sayThenHangup(lines), expected.toString(), 'say, then hang up')

  const menu = new VoiceResponse()
  const gather = menu.gather({ numDigits: 1, timeout: 6, action: PATHS.language, method: 'POST', actionOnEmptyResult: true })
  for (const line of lines) documented(gather, line)
  t.equal(languageMenuTwiml(lines), menu.toString(), 'the language menu')
})

t.test('<Number> under a <Dial>, with and without the whisper', async (t) => {
  for (const whisper of [true, false]) {
    const step: DialStep = {
      targets: [
        { id: 'a', name: 'A', number: '+213550000001' },
        { id: 'b', name: 'B & <C>', number: '+213550000002' },
      ],
      ringSeconds: 20,
      whisper,
      callerId: '+213661000001',
      attempt: 1,
      countInto: { contractId: 7, month: '2026-11' },
      deskId: 'intercom',
      limit: { seconds: 120, after: 'ask' },
      consented: false,
      redial: false,
    }
    const expected = new VoiceResponse()
    documented(expected, lines[0] as Say)
    const dial = expected.dial({
      action: `${PATHS.dial}?leg=agents&attempt=1&contract=7&month=2026-11&limit=120&after=ask`,
      method: 'POST',
      timeout: 20,
      answerOnBridge: true,
      callerId: step.callerId,
      timeLimit: 120,
    })
    for (const target of step.targets)
      dial.number(whisper ? { url: `${PATHS.whisper}?desk=intercom`, method: 'POST' } : {}, target.number)
    t.equal(dialTwiml([lines[0] as Say], step), expected.toString(), `a dial ${whisper ? 'with' : 'without'} the whisper`)
  }
})
