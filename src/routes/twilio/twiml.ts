// Plans become TwiML here. The verbs are written as strings by a small writer (below) that gives
// the bytes the twilio package's VoiceResponse gives, escaping included: test/routes/twiml-bytes.test.ts
// compares every answer with the package's. The package builds an XML document of xmlbuilder
// nodes for each answer and each verb: a quarter of what an incoming call allocated, and 11–17 %
// of its service CPU (docs/BENCHMARKS.md, "Another machine, the same code").
import type { DialStep, Plan, Say, VoicemailStep } from '../../domain/call.js'

/** Webhook paths, relative: Twilio resolves them against the URL it called. */
export const PATHS = {
  voice: '/webhooks/twilio/voice',
  dial: '/webhooks/twilio/dial',
  whisper: '/webhooks/twilio/whisper',
  whisperAccept: '/webhooks/twilio/whisper/accept',
  overage: '/webhooks/twilio/overage',
  onCall: '/webhooks/twilio/on-call',
  recording: '/webhooks/twilio/recording',
  status: '/webhooks/twilio/status',
  fallback: '/webhooks/twilio/fallback',
  language: '/webhooks/twilio/language',
  callbackCall: '/webhooks/twilio/callback-call',
  callbackCallAccept: '/webhooks/twilio/callback-call/accept',
  callbackCallClient: '/webhooks/twilio/callback-call/client',
  callbackCallConsent: '/webhooks/twilio/callback-call/consent',
} as const

/** An attribute's value as the package writes it; absent (undefined) attributes are left out. */
type Attributes = Record<string, string | number | boolean | undefined>

/**
 * Characters XML 1.0 does not allow, and unpaired surrogates: the package's writer (xmlbuilder)
 * throws on them in text, and so does this one (the webhook then answers its apology).
 */
const ILLEGAL_CHARACTER =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters it looks for
  /[\0-\x08\x0B\f\x0E-\x1F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?:[^\uD800-\uDBFF]|^)[\uDC00-\uDFFF]/
const TEXT_SPECIAL = /[&<>\r]/
const ATTRIBUTE_SPECIAL = /[&<"\t\n\r]/

function escapeText(text: string): string {
  const illegal = ILLEGAL_CHARACTER.exec(text)
  if (illegal) throw new Error(`Invalid character in TwiML text at index ${illegal.index}`)
  if (!TEXT_SPECIAL.test(text)) return text
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#xD;')
}

function escapeAttribute(value: string): string {
  if (!ATTRIBUTE_SPECIAL.test(value)) return value
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/"/g, '&quot;')
    .replace(/\t/g, '&#x9;')
    .replace(/\n/g, '&#xA;')
    .replace(/\r/g, '&#xD;')
}

/** `<Name a="…">content</Name>`, or `<Name a="…"/>` without content; `content` is TwiML already. */
function element(name: string, attributes: Attributes, content = ''): string {
  let open = `<${name}`
  for (const key in attributes) {
    const value = attributes[key]
    if (value !== undefined) open += ` ${key}="${escapeAttribute(String(value))}"`
  }
  return content === '' ? `${open}/>` : `${open}>${content}</${name}>`
}

const respond = (content: string): string => `<?xml version="1.0" encoding="UTF-8"?>${element('Response', {}, content)}`

const say = (line: Say): string =>
  element('Say', { language: line.language, voice: line.voice || undefined }, escapeText(line.text))
const sayAll = (lines: Say[]): string => lines.map(say).join('')
const gather = (attributes: Attributes, content: string): string => element('Gather', attributes, content)
const HANGUP = element('Hangup', {})

/** The language menu: each language's line in its own voice; silence is an answer too (the default). */
export const languageMenuTwiml = (lines: Say[]): string =>
  respond(gather({ numDigits: 1, timeout: 6, action: PATHS.language, method: 'POST', actionOnEmptyResult: true }, sayAll(lines)))

function record(step: VoicemailStep): string {
  // An explicit action: without one, Twilio would post the recording back to the voice URL and loop.
  return (
    say(step.prompt) +
    element('Record', {
      action: PATHS.recording,
      method: 'POST',
      maxLength: step.maxSeconds,
      playBeep: true,
      timeout: 5,
      finishOnKey: '#',
    })
  )
}

function dial(step: DialStep, leg: 'agents' | 'on-call', callback?: { attempt: number; askConsent: boolean }): string {
  // Where the talk counts travels in the URL (signed by Twilio with it), so counting never depends
  // on reading the call's record first: it still works when that record is in a journal.
  // So does the quota line: the leg's limit and what follows it, and the caller's consent to billing.
  const count = step.countInto ? `&contract=${step.countInto.contractId}&month=${step.countInto.month}` : ''
  const limit = step.limit ? `&limit=${step.limit.seconds}&after=${step.limit.after}` : ''
  const consent = `${step.consented ? '&consent=1' : ''}${step.redial ? '&redial=1' : ''}`
  const settles = callback ? `&callback=${callback.attempt}` : ''
  const action = `${PATHS.dial}?leg=${leg}&attempt=${step.attempt}${count}${limit}${consent}${settles}`
  // The whisper runs on the agent's leg when it picks up: a voicemail never presses 1, so it
  // never takes the call. Its URL says the desk and, for the on-call line, that it is billed apart.
  const query = [
    step.deskId ? `desk=${step.deskId}` : '',
    leg === 'on-call' ? 'leg=on-call' : '',
    step.redial ? 'consented=1' : '',
  ]
    .filter(Boolean)
    .join('&')
  const whisper = query ? `${PATHS.whisper}?${query}` : PATHS.whisper
  // A call back under `ask` with the month used up: the client is asked first, on the client's leg.
  const numberAttributes: Attributes = callback?.askConsent
    ? { url: `${PATHS.callbackCallClient}?attempt=${callback.attempt}`, method: 'POST' }
    : step.whisper
      ? { url: whisper, method: 'POST' }
      : {}
  let numbers = ''
  for (const target of step.targets) numbers += element('Number', numberAttributes, escapeText(target.number))
  return element(
    'Dial',
    {
      action,
      method: 'POST',
      timeout: step.ringSeconds,
      answerOnBridge: true,
      callerId: step.callerId,
      timeLimit: step.limit?.seconds,
    },
    numbers,
  )
}

export const sayThenHangup = (lines: Say[]): string => respond(sayAll(lines) + HANGUP)

export const voicemail = (lines: Say[], step: VoicemailStep): string => respond(sayAll(lines) + record(step) + HANGUP)

export const dialTwiml = (lines: Say[], step: DialStep, leg: 'agents' | 'on-call' = 'agents'): string =>
  respond(sayAll(lines) + dial(step, leg))

/**
 * A call back, once the agent answered: the whisper (whose request, from when) and the key; on 1
 * the client is dialled (callbackDialTwiml), anything else or nothing ends the call.
 */
export const callbackWhisperTwiml = (line: Say, attemptId: number): string =>
  respond(
    gather(
      {
        numDigits: 1,
        timeout: 8,
        action: `${PATHS.callbackCallAccept}?attempt=${attemptId}`,
        method: 'POST',
        actionOnEmptyResult: true,
      },
      say(line),
    ) + HANGUP,
  )

/**
 * The client's leg of a call back: an agents' dial with the client as its one number, settling the
 * attempt; the client first asked to accept billing when the month is used up under `ask`.
 */
export const callbackDialTwiml = (step: DialStep, attemptId: number, askConsent: boolean): string =>
  respond(dial(step, 'agents', { attempt: attemptId, askConsent }))

/** The question to the client on answering a call back (quota used up, `ask`): 1 to accept billing. */
export const callbackConsentTwiml = (line: Say, attemptId: number): string =>
  respond(
    gather(
      {
        numDigits: 1,
        timeout: 8,
        action: `${PATHS.callbackCallConsent}?attempt=${attemptId}`,
        method: 'POST',
        actionOnEmptyResult: true,
      },
      say(line),
    ) + HANGUP,
  )

/** Returning an empty response from the whisper bridges the agent to the caller. */
export const emptyTwiml = (): string => respond('')

/**
 * The agent's whisper: hear who calls, press 1 to take it; anything else ends the agent's leg.
 * Without `declined` (the agent dialled again after the caller's yes at the quota line), no
 * question: the line is said, then the agent is bridged.
 */
export const whisperTwiml = (line: Say, declined: Say | null): string =>
  declined
    ? respond(
        gather({ numDigits: 1, timeout: 6, action: PATHS.whisperAccept, method: 'POST' }, say(line)) + say(declined) + HANGUP,
      )
    : respond(say(line))

/** The overage question's action URL: at the start of the call, or at the cut (with the leg to continue). */
function overageAction(plan: Extract<Plan, { kind: 'ask_overage' }>): string {
  const cut = plan.atCut
  if (!cut) return PATHS.overage
  const count = cut.countInto ? `&contract=${cut.countInto.contractId}&month=${cut.countInto.month}` : ''
  const agent = cut.agentId ? `&agent=${encodeURIComponent(cut.agentId)}` : ''
  return `${PATHS.overage}?question=cut&attempt=${cut.attempt}${agent}${count}`
}

export function renderPlan(plan: Plan): string {
  switch (plan.kind) {
    case 'hangup':
      return sayThenHangup(plan.say)
    case 'closed':
      return respond(
        sayAll(plan.say) +
          (plan.onCall ? gather({ numDigits: 1, timeout: 5, action: PATHS.onCall, method: 'POST' }, say(plan.onCall)) : '') +
          (plan.voicemail ? record(plan.voicemail) : '') +
          HANGUP,
      )
    case 'ask_overage':
      // actionOnEmptyResult: silence is an answer too (no), so the call record says quota_refused.
      return respond(
        gather(
          { numDigits: 1, timeout: 8, action: overageAction(plan), method: 'POST', actionOnEmptyResult: true },
          sayAll(plan.say),
        ),
      )
    case 'dial':
      return dialTwiml(plan.say, plan.dial)
    case 'voicemail':
      return voicemail(plan.say, plan.voicemail)
  }
}
