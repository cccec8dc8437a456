// Plays a whole call against supportline the way Twilio would: post the incoming call, read the
// TwiML, follow <Gather>, <Dial> (with the agent's whisper), <Record> and <Hangup> to their
// action URLs, then post the final status callback.
import { XMLParser } from 'fast-xml-parser'
import { type Params, type Twilio, type WebhookResponse, newSid, payload } from './index.js'

export interface Verb {
  name: string
  attributes: Record<string, string>
  text: string
  children: Verb[]
}

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
})

type Node = Record<string, unknown> & { ':@'?: Record<string, string> }

/** TwiML as a list of verbs (the children of <Response>), in order. */
export function readTwiml(xml: string): Verb[] {
  const nodes = parser.parse(xml) as Node[]
  const response = nodes.find((node) => 'Response' in node)
  if (!response) throw new Error(`not TwiML (no <Response>): ${xml.slice(0, 200)}`)
  return toVerbs(response.Response as Node[])
}

function toVerbs(nodes: Node[]): Verb[] {
  return nodes
    .filter((node) => !('#text' in node))
    .map((node) => {
      const name = Object.keys(node).find((key) => key !== ':@') as string
      const children = node[name] as Node[]
      return {
        name,
        attributes: node[':@'] ?? {},
        text: children
          .filter((child) => '#text' in child)
          .map((child) => String(child['#text']))
          .join(''),
        children: toVerbs(children),
      }
    })
}

export interface CallScript {
  from: string
  to: string
  callSid?: string
  /** does an agent pick up (and press 1 at the whisper)? */
  answer?: boolean
  /** the agent presses this at the whisper (default "1", taking the call) */
  agentPresses?: string
  /** talk time once connected, in seconds */
  talkSeconds?: number
  /** what the caller presses at each <Gather>, in order ("" = nothing) */
  press?: string[]
  /** leaves a voicemail of this length when offered (0 = hangs up instead) */
  voicemailSeconds?: number
  /** skip the final status callback (as if it were lost) */
  noStatus?: boolean
}

export interface Step {
  path: string
  params: Params
  response: WebhookResponse
  verbs: Verb[]
}

export interface PlayedCall {
  callSid: string
  steps: Step[]
}

const MAX_STEPS = 20

export async function playCall(twilio: Twilio, script: CallScript): Promise<PlayedCall> {
  const call = { callSid: script.callSid ?? newSid(), from: script.from, to: script.to }
  const presses = [...(script.press ?? [])]
  const steps: Step[] = []
  let talked = 0

  const post = async (path: string, params: Params): Promise<Step> => {
    const response = await twilio.webhook(path, params)
    if (response.status !== 200) throw new Error(`${path} answered ${response.status}: ${response.body}`)
    const step = { path, params, response, verbs: readTwiml(response.body) }
    steps.push(step)
    return step
  }

  let step: Step | null = await post('/webhooks/twilio/voice', payload('incoming-call', call))
  while (step && steps.length < MAX_STEPS) {
    step = await follow(step.verbs)
  }
  if (!script.noStatus) {
    await post('/webhooks/twilio/status', payload('status-completed', call, { CallDuration: String(talked + 20) }))
  }
  return { callSid: call.callSid, steps }

  /** Acts out the verbs until one hands the call to an action URL; null when the call ends. */
  async function follow(verbs: Verb[]): Promise<Step | null> {
    for (const verb of verbs) {
      switch (verb.name) {
        case 'Gather': {
          const digits = presses.shift() ?? ''
          if (digits === '' && verb.attributes.actionOnEmptyResult !== 'true') continue
          return post(verb.attributes.action as string, payload('gather', call, { Digits: digits }))
        }
        case 'Dial':
          return dial(verb)
        case 'Record': {
          if (!script.voicemailSeconds) return null
          const recording = {
            RecordingSid: newSid('RE'),
            RecordingDuration: String(script.voicemailSeconds),
          }
          const url = `https://api.twilio.com/2010-04-01/Accounts/AC00000000000000000000000000000000/Recordings/${recording.RecordingSid}`
          return post(verb.attributes.action as string, payload('recording', call, { ...recording, RecordingUrl: url }))
        }
        case 'Hangup':
          return null
        default:
          continue // Say, Play, Pause
      }
    }
    return null
  }

  async function dial(verb: Verb): Promise<Step> {
    const numbers = verb.children.filter((child) => child.name === 'Number')
    const dialCallSid = newSid()
    const action = verb.attributes.action as string
    const first = numbers[0]
    let connected = false
    if (script.answer !== false && first) {
      connected = true
      if (first.attributes.url) {
        const leg = { CallSid: dialCallSid, To: first.text, Called: first.text }
        const whisper = await post(first.attributes.url, payload('whisper', call, leg))
        const gather = whisper.verbs.find((v) => v.name === 'Gather')
        const digits = script.agentPresses ?? '1'
        if (gather) {
          const accept = await post(gather.attributes.action as string, payload('whisper', call, { ...leg, Digits: digits }))
          connected = accept.verbs.length === 0
        }
      }
    }
    if (connected) {
      talked = script.talkSeconds ?? 300
      return post(action, payload('dial-completed', call, { DialCallSid: dialCallSid, DialCallDuration: String(talked) }))
    }
    return post(action, payload('dial-no-answer', call, { DialCallSid: dialCallSid }))
  }
}
