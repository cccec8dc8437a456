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
} as const

function say(node: VoiceResponse | VoiceResponse.Gather, line: Say): void {
  node.say({ language: line.language as SayLanguage, ...(line.voice ? { voice: line.voice as SayVoice } : {}) }, line.text)
}

function record(response: VoiceResponse, step: VoicemailStep): void {
  say(response, step.prompt)
  // An explicit action: without one, Twilio would post the recording back to the voice URL and loop.
  response.record({ action: PATHS.recording, method: 'POST', maxLength: step.maxSeconds, playBeep: true, timeout: 5, finishOnKey: '#' })
}

export function dial(response: VoiceResponse, step: DialStep, leg: 'agents' | 'on-call' = 'agents'): void {
  const action = `${PATHS.dial}?leg=${leg}&attempt=${step.attempt}`
  const verb = response.dial({ action, method: 'POST', timeout: step.ringSeconds, answerOnBridge: true, callerId: step.callerId })
  for (const target of step.targets) {
    // The whisper runs on the agent's leg when it picks up: a voicemail never presses 1, so it
    // never takes the call.
    verb.number(step.whisper ? { url: PATHS.whisper, method: 'POST' } : {}, target.number)
  }
}

export function renderPlan(plan: Plan): string {
  const response = new VoiceResponse()
  switch (plan.kind) {
    case 'hangup':
      plan.say.forEach((line) => say(response, line))
      response.hangup()
      break
    case 'closed':
      plan.say.forEach((line) => say(response, line))
      if (plan.onCall) {
        const gather = response.gather({ numDigits: 1, timeout: 5, action: PATHS.onCall, method: 'POST' })
        say(gather, plan.onCall)
      }
      if (plan.voicemail) record(response, plan.voicemail)
      response.hangup()
      break
    case 'ask_overage': {
      // actionOnEmptyResult: silence is an answer too (no), so the call record says quota_refused.
      const gather = response.gather({ numDigits: 1, timeout: 8, action: PATHS.overage, method: 'POST', actionOnEmptyResult: true })
      plan.say.forEach((line) => say(gather, line))
      break
    }
    case 'dial':
      plan.say.forEach((line) => say(response, line))
      dial(response, plan.dial)
      break
    case 'voicemail':
      plan.say.forEach((line) => say(response, line))
      record(response, plan.voicemail)
      response.hangup()
      break
  }
  return response.toString()
}

export function sayThenHangup(lines: Say[]): string {
  const response = new VoiceResponse()
  lines.forEach((line) => say(response, line))
  response.hangup()
  return response.toString()
}

export function voicemail(lines: Say[], step: VoicemailStep): string {
  const response = new VoiceResponse()
  lines.forEach((line) => say(response, line))
  record(response, step)
  response.hangup()
  return response.toString()
}

export function dialTwiml(lines: Say[], step: DialStep, leg: 'agents' | 'on-call' = 'agents'): string {
  const response = new VoiceResponse()
  lines.forEach((line) => say(response, line))
  dial(response, step, leg)
  return response.toString()
}

/** The agent's whisper: hear who calls, press 1 to take it; anything else ends the agent's leg. */
export function whisperTwiml(line: Say, declined: Say): string {
  const response = new VoiceResponse()
  const gather = response.gather({ numDigits: 1, timeout: 6, action: PATHS.whisperAccept, method: 'POST' })
  say(gather, line)
  say(response, declined)
  response.hangup()
  return response.toString()
}

/** Returning an empty response from the whisper bridges the agent to the caller. */
export function emptyTwiml(): string {
  return new VoiceResponse().toString()
}
