// Plans become TwiML here, with the twilio package's VoiceResponse (escaped text, valid verbs).
import VoiceResponse from 'twilio/lib/twiml/VoiceResponse.js'
import type { DialStep, Plan, Say, VoicemailStep } from '../../domain/call.js'

type SayLanguage = NonNullable<VoiceResponse.SayAttributes['language']>
type SayVoice = NonNullable<VoiceResponse.SayAttributes['voice']>

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

/** The language menu: each language's line in its own voice; silence is an answer too (the default). */
export const languageMenuTwiml = (lines: Say[]): string =>
  respond((r) =>
    sayAll(r.gather({ numDigits: 1, timeout: 6, action: PATHS.language, method: 'POST', actionOnEmptyResult: true }), lines),
  )

/** An element of the twilio package's document (a verb's or the response's own). */
type XmlElement = VoiceResponse.Dial['dial']

/** The element under a verb, or the response's. */
const elementOf = (node: VoiceResponse | VoiceResponse.Gather): XmlElement =>
  node instanceof VoiceResponse ? (node.response as XmlElement) : node.gather

/**
 * The leaves (<Say>, <Number>) are written into the twilio package's own document exactly as its
 * verb methods write them (`say()` is `this.response.ele("Say", attributes, message)`, `number()`
 * `this.dial.ele("Number", …)`), without the wrapper object those methods return and we never use:
 * each wrapper's constructor (the package's TwiML base class) builds a throwaway XML document of
 * its own, about 10 µs a node, and a dial to 18 agents has 19 of them. Same bytes, escaped by the
 * same writer (test/routes/twiml-leaves.test.ts compares them).
 */
function say(node: VoiceResponse | VoiceResponse.Gather, line: Say): void {
  const attributes: VoiceResponse.SayAttributes = {
    language: line.language as SayLanguage,
    ...(line.voice ? { voice: line.voice as SayVoice } : {}),
  }
  elementOf(node).ele('Say', attributes, line.text)
}

function number(verb: VoiceResponse.Dial, attributes: VoiceResponse.NumberAttributes, phoneNumber: string): void {
  verb.dial.ele('Number', attributes, phoneNumber)
}

function sayAll(node: VoiceResponse | VoiceResponse.Gather, lines: Say[]): void {
  for (const line of lines) say(node, line)
}

function record(response: VoiceResponse, step: VoicemailStep): void {
  say(response, step.prompt)
  // An explicit action: without one, Twilio would post the recording back to the voice URL and loop.
  response.record({
    action: PATHS.recording,
    method: 'POST',
    maxLength: step.maxSeconds,
    playBeep: true,
    timeout: 5,
    finishOnKey: '#',
  })
}

function dial(
  response: VoiceResponse,
  step: DialStep,
  leg: 'agents' | 'on-call',
  callback?: { attempt: number; askConsent: boolean },
): void {
  // Where the talk counts travels in the URL (signed by Twilio with it), so counting never depends
  // on reading the call's record first: it still works when that record is in a journal.
  // So does the quota line: the leg's limit and what follows it, and the caller's consent to billing.
  const count = step.countInto ? `&contract=${step.countInto.contractId}&month=${step.countInto.month}` : ''
  const limit = step.limit ? `&limit=${step.limit.seconds}&after=${step.limit.after}` : ''
  const consent = `${step.consented ? '&consent=1' : ''}${step.redial ? '&redial=1' : ''}`
  const settles = callback ? `&callback=${callback.attempt}` : ''
  const action = `${PATHS.dial}?leg=${leg}&attempt=${step.attempt}${count}${limit}${consent}${settles}`
  const verb = response.dial({
    action,
    method: 'POST',
    timeout: step.ringSeconds,
    answerOnBridge: true,
    callerId: step.callerId,
    ...(step.limit ? { timeLimit: step.limit.seconds } : {}),
  })
  for (const target of step.targets) {
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
    if (callback?.askConsent)
      number(verb, { url: `${PATHS.callbackCallClient}?attempt=${callback.attempt}`, method: 'POST' }, target.number)
    else number(verb, step.whisper ? { url: whisper, method: 'POST' } : {}, target.number)
  }
}

function respond(build: (response: VoiceResponse) => void): string {
  const response = new VoiceResponse()
  build(response)
  return response.toString()
}

export const sayThenHangup = (lines: Say[]): string =>
  respond((r) => {
    sayAll(r, lines)
    r.hangup()
  })

export const voicemail = (lines: Say[], step: VoicemailStep): string =>
  respond((r) => {
    sayAll(r, lines)
    record(r, step)
    r.hangup()
  })

export const dialTwiml = (lines: Say[], step: DialStep, leg: 'agents' | 'on-call' = 'agents'): string =>
  respond((r) => {
    sayAll(r, lines)
    dial(r, step, leg)
  })

/**
 * A call back, once the agent answered: the whisper (whose request, from when) and the key; on 1
 * the client is dialled (callbackDialTwiml), anything else or nothing ends the call.
 */
export const callbackWhisperTwiml = (line: Say, attemptId: number): string =>
  respond((r) => {
    const action = `${PATHS.callbackCallAccept}?attempt=${attemptId}`
    say(r.gather({ numDigits: 1, timeout: 8, action, method: 'POST', actionOnEmptyResult: true }), line)
    r.hangup()
  })

/**
 * The client's leg of a call back: an agents' dial with the client as its one number, settling the
 * attempt; the client first asked to accept billing when the month is used up under `ask`.
 */
export const callbackDialTwiml = (step: DialStep, attemptId: number, askConsent: boolean): string =>
  respond((r) => dial(r, step, 'agents', { attempt: attemptId, askConsent }))

/** The question to the client on answering a call back (quota used up, `ask`): 1 to accept billing. */
export const callbackConsentTwiml = (line: Say, attemptId: number): string =>
  respond((r) => {
    const action = `${PATHS.callbackCallConsent}?attempt=${attemptId}`
    say(r.gather({ numDigits: 1, timeout: 8, action, method: 'POST', actionOnEmptyResult: true }), line)
    r.hangup()
  })

/** Returning an empty response from the whisper bridges the agent to the caller. */
export const emptyTwiml = (): string => respond(() => {})

/**
 * The agent's whisper: hear who calls, press 1 to take it; anything else ends the agent's leg.
 * Without `declined` (the agent dialled again after the caller's yes at the quota line), no
 * question: the line is said, then the agent is bridged.
 */
export const whisperTwiml = (line: Say, declined: Say | null): string =>
  respond((r) => {
    if (!declined) return say(r, line)
    say(r.gather({ numDigits: 1, timeout: 6, action: PATHS.whisperAccept, method: 'POST' }), line)
    say(r, declined)
    r.hangup()
  })

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
      return respond((r) => {
        sayAll(r, plan.say)
        if (plan.onCall) say(r.gather({ numDigits: 1, timeout: 5, action: PATHS.onCall, method: 'POST' }), plan.onCall)
        if (plan.voicemail) record(r, plan.voicemail)
        r.hangup()
      })
    case 'ask_overage':
      // actionOnEmptyResult: silence is an answer too (no), so the call record says quota_refused.
      return respond((r) =>
        sayAll(
          r.gather({ numDigits: 1, timeout: 8, action: overageAction(plan), method: 'POST', actionOnEmptyResult: true }),
          plan.say,
        ),
      )
    case 'dial':
      return dialTwiml(plan.say, plan.dial)
    case 'voicemail':
      return voicemail(plan.say, plan.voicemail)
  }
}
