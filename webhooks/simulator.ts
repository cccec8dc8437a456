// Plays calls the way Twilio does: requests the TwiML, acts out <Say>, <Play>, <Pause>,
// <Gather>, <Dial> (each <Number> with its whisper URL), <Record>, <Redirect> and <Hangup>,
// posting each action URL with Twilio's parameters, while the people on the line behave as
// their Phone says. playCall plays an incoming call against supportline; the Twilio REST
// emulator (twilio-emulator.ts) plays outgoing calls with the same engine.
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

/** How the person at a number behaves when the call reaches them. */
export interface Phone {
  /** picks up (default), lets it ring out, is busy, or cannot be reached */
  answers?: 'yes' | 'no-answer' | 'busy' | 'failed'
  /** seconds it rings before being picked up (default 5); past the caller's timeout it is no-answer */
  answerAfterSeconds?: number
  /** what it presses at each <Gather>, in order ('' = nothing) */
  presses?: string[]
  /**
   * seconds it talks with the caller in all (default 300; the shorter of the two ends the talk):
   * a leg cut by <Dial timeLimit> and dialled again goes on with what is left of it
   */
  talkSeconds?: number
  /** the length of the message it leaves at a <Record> (0 or unset: hangs up instead) */
  recordSeconds?: number
  /** what becomes of an SMS sent to it (default delivered) */
  sms?: 'delivered' | 'undelivered' | 'failed'
  /**
   * Posts an empty press to the <Gather>'s action. Twilio falls through to the next verb
   * instead; the incoming-call simulator did this for agents and its tests rely on it.
   */
  postsEmptyPress?: boolean
}

/** One webhook posted and its answer. */
export interface Step {
  /** path and query */
  path: string
  /** the whole URL, as signed */
  url: string
  params: Params
  response: WebhookResponse
  verbs: Verb[]
}

/** Posts a signed webhook to a URL, as Twilio does. */
export type PostWebhook = (url: URL, params: Params) => Promise<WebhookResponse>

/** A call leg being played: its SID, the parameters of each of its webhooks, who is on it. */
export interface Leg {
  sid: string
  /** what Twilio puts in every webhook of the leg (AccountSid, CallSid, From, To, Direction, …) */
  params: Params
  phone: Phone
}

export interface LegEnd {
  /** `hangup`: a <Hangup>, or someone on the line hung up; `end`: the TwiML ran out */
  how: 'hangup' | 'end'
  /** seconds from answer to end: speech, pauses, ringing and talk, modelled (not measured) */
  seconds: number
  /** seconds connected to a dialled number */
  talkSeconds: number
}

export interface EngineOptions {
  /** how the number dialled by a <Dial> behaves */
  phoneAt: (number: string) => Phone
  /** real-time factor: wait modelled seconds × pace at each ring, key press and talk (default 0: no waiting) */
  pace?: number
  /** at most this many webhooks in one call (a loop guard; default 50) */
  maxSteps?: number
}

const DEFAULT_TALK_SECONDS = 300
const DEFAULT_ANSWER_AFTER = 5
const RECORDINGS_OF = (account: string) => `https://api.twilio.com/2010-04-01/Accounts/${account}/Recordings`

/** Speech takes time: about 15 characters a second. */
const speaking = (text: string) => Math.ceil(text.length / 15)

/** Plays the legs of one call; `steps` holds every webhook posted, in order. */
export class CallEngine {
  readonly steps: Step[] = []
  /** seconds each dialled number has talked so far in this call (a re-dialled leg goes on from there) */
  private readonly talked = new Map<string, number>()

  constructor(
    private readonly post: PostWebhook,
    private readonly options: EngineOptions,
  ) {}

  /** Posts a webhook and reads its TwiML; anything but a 200 with TwiML ends the play. */
  async request(url: URL, params: Params): Promise<Step> {
    if (this.steps.length >= (this.options.maxSteps ?? 50)) throw new Error(`more than ${this.steps.length} webhooks in one call`)
    const response = await this.post(url, params)
    const path = url.pathname + url.search
    if (response.status !== 200) throw new Error(`${path} answered ${response.status}: ${response.body}`)
    const step = { path, url: url.href, params, response, verbs: readTwiml(response.body) }
    this.steps.push(step)
    return step
  }

  /** Requests the leg's TwiML at `url` with `params`, then acts it out to the end. */
  async run(leg: Leg, url: URL, params: Params): Promise<LegEnd> {
    const state = { seconds: 0, talkSeconds: 0, presses: [...(leg.phone.presses ?? [])] }
    let step: Step | 'hangup' | 'end' = await this.request(url, params)
    while (typeof step !== 'string') step = await this.follow(leg, state, step)
    return { how: step, seconds: state.seconds, talkSeconds: state.talkSeconds }
  }

  private async wait(seconds: number): Promise<void> {
    const pace = this.options.pace ?? 0
    if (pace > 0 && seconds > 0) await new Promise((resolve) => setTimeout(resolve, seconds * 1000 * pace))
  }

  /** Acts out one document's verbs, until one hands the call to another URL or the call ends. */
  private async follow(leg: Leg, state: PlayState, step: Step): Promise<Step | 'hangup' | 'end'> {
    const here = new URL(step.url)
    const at = (url: string | undefined) => (url ? new URL(url, here) : here) // relative to the document
    for (const verb of step.verbs) {
      switch (verb.name) {
        case 'Say':
        case 'Play':
        case 'Pause':
          state.seconds += heard(verb)
          continue
        case 'Gather': {
          state.seconds += verb.children.reduce((sum, child) => sum + heard(child), 0)
          const digits = state.presses.shift() ?? ''
          const empty = digits === '' && verb.attributes.actionOnEmptyResult !== 'true' && !leg.phone.postsEmptyPress
          const waited = digits === '' ? Number(verb.attributes.timeout ?? 5) : 2
          state.seconds += waited
          await this.wait(waited)
          if (empty) continue // nothing pressed: on to the next verb, as Twilio does
          return this.request(at(verb.attributes.action), { ...leg.params, Digits: digits, FinishedOnKey: '', msg: 'Gather End' })
        }
        case 'Record': {
          const seconds = leg.phone.recordSeconds ?? 0
          if (seconds <= 0) return 'hangup'
          state.seconds += seconds
          await this.wait(seconds)
          const recordingSid = newSid('RE')
          // The caller hangs up to end the message: Twilio posts the recording, and plays nothing more.
          await this.request(at(verb.attributes.action), {
            ...leg.params,
            CallStatus: 'completed',
            Digits: 'hangup',
            RecordingSid: recordingSid,
            RecordingUrl: `${RECORDINGS_OF(leg.params.AccountSid ?? '')}/${recordingSid}`,
            RecordingDuration: String(seconds),
          })
          return 'hangup'
        }
        case 'Dial': {
          const next = await this.dial(leg, state, verb, here)
          if (next === null) continue // no action URL: on to the next verb
          return next
        }
        case 'Redirect':
          return this.request(at(verb.text.trim()), leg.params)
        case 'Hangup':
        case 'Reject':
          return 'hangup'
        default:
          throw new Error(`the simulator does not play <${verb.name}>`)
      }
    }
    return 'end'
  }

  /**
   * Rings the numbers (simultaneously: the first to pick up is heard first); a number whose
   * whisper hangs up its own leg leaves the others ringing. Then posts the action, if any.
   */
  private async dial(leg: Leg, state: PlayState, verb: Verb, here: URL): Promise<Step | 'hangup' | null> {
    const timeout = Number(verb.attributes.timeout ?? 30)
    const timeLimit = Number(verb.attributes.timeLimit ?? 4 * 3600)
    const numbers = verb.children.filter((child) => child.name === 'Number')
    const targets = numbers.length
      ? numbers.map((n) => ({ number: n.text.trim(), url: n.attributes.url }))
      : [{ number: verb.text.trim(), url: undefined }]
    const ringing = targets
      .map((target, order) => ({ ...target, order, phone: this.options.phoneAt(target.number) }))
      .sort((a, b) => answerAfter(a.phone) - answerAfter(b.phone) || a.order - b.order)
    const from = verb.attributes.callerId ?? leg.params.From ?? ''
    const outcomes: string[] = []
    let connected: { sid: string; number: string; phone: Phone; rang: number } | null = null
    for (const target of ringing) {
      const answers = target.phone.answers ?? 'yes'
      if (answers !== 'yes' || answerAfter(target.phone) > timeout) {
        outcomes.push(answers === 'yes' ? 'no-answer' : answers)
        continue
      }
      const sid = newSid()
      if (target.url) {
        const child: Leg = {
          sid,
          phone: target.phone,
          params: {
            AccountSid: leg.params.AccountSid ?? '',
            ApiVersion: '2010-04-01',
            CallSid: sid,
            CallStatus: 'in-progress',
            Called: target.number,
            Caller: from,
            Direction: 'outbound-dial',
            From: from,
            ParentCallSid: leg.sid,
            To: target.number,
          },
        }
        const whisper = await this.run(child, new URL(target.url, here), child.params)
        if (whisper.how === 'hangup') {
          outcomes.push('no-answer') // this leg was hung up before the bridge; the others ring on
          continue
        }
      }
      connected = { sid, number: target.number, phone: target.phone, rang: answerAfter(target.phone) }
      break
    }

    const action = verb.attributes.action
    if (!connected) {
      state.seconds += timeout
      await this.wait(timeout)
      const status = outcomes.length && outcomes.every((o) => o === outcomes[0]) ? (outcomes[0] as string) : 'no-answer'
      if (!action) return null
      return this.request(new URL(action, here), {
        ...leg.params,
        DialBridged: 'false',
        DialCallSid: newSid(),
        DialCallStatus: status,
      })
    }
    // What is left to say: both sides talk in all what their phones say, across re-dialled legs.
    const callerTalks = leg.phone.talkSeconds === undefined ? undefined : leg.phone.talkSeconds - state.talkSeconds
    const calleeTalks = (connected.phone.talkSeconds ?? DEFAULT_TALK_SECONDS) - (this.talked.get(connected.number) ?? 0)
    const talk = Math.max(0, Math.min(callerTalks ?? Number.POSITIVE_INFINITY, calleeTalks, timeLimit))
    state.seconds += connected.rang + talk
    state.talkSeconds += talk
    this.talked.set(connected.number, (this.talked.get(connected.number) ?? 0) + talk)
    await this.wait(connected.rang + talk)
    // Whoever hangs up first: the caller ends the call; the callee (or timeLimit) hands it back,
    // the caller still on the line (the action then says CallStatus in-progress, and its TwiML plays).
    const callerHungUp = callerTalks !== undefined && callerTalks < Math.min(calleeTalks, timeLimit)
    if (action) {
      const step = await this.request(new URL(action, here), {
        ...leg.params,
        CallStatus: callerHungUp ? 'completed' : 'in-progress',
        DialBridged: 'true',
        DialCallDuration: String(talk),
        DialCallSid: connected.sid,
        DialCallStatus: 'completed',
      })
      return callerHungUp ? 'hangup' : step
    }
    return callerHungUp ? 'hangup' : null
  }
}

interface PlayState {
  seconds: number
  talkSeconds: number
  presses: string[]
}

function answerAfter(phone: Phone): number {
  return phone.answerAfterSeconds ?? DEFAULT_ANSWER_AFTER
}

/** How long a Say, Play or Pause keeps the line. */
function heard(verb: Verb): number {
  const loop = Math.max(1, Number(verb.attributes.loop ?? 1))
  switch (verb.name) {
    case 'Say':
      return speaking(verb.text) * loop
    case 'Play':
      return 5 * loop
    case 'Pause':
      return Number(verb.attributes.length ?? 1)
    default:
      return 0
  }
}

// ——— An incoming call to supportline, as the tests and `npm run call` play it ———

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

export interface PlayedCall {
  callSid: string
  steps: Step[]
}

/** The call's parameters in every webhook after the first, as Twilio sends them on an incoming call. */
function incomingLeg(first: Params): Params {
  const keep = ['AccountSid', 'ApiVersion', 'CallSid', 'Called', 'Caller', 'Direction', 'From', 'To'] as const
  return { ...Object.fromEntries(keep.map((key) => [key, first[key] ?? ''])), CallStatus: 'in-progress' }
}

export async function playCall(twilio: Twilio, script: CallScript): Promise<PlayedCall> {
  const call = { callSid: script.callSid ?? newSid(), from: script.from, to: script.to }
  // Every agent behaves alike: picks up (or not), presses what the script says, talks as long.
  const agent: Phone = {
    answers: script.answer === false ? 'no-answer' : 'yes',
    presses: [script.agentPresses ?? '1'],
    talkSeconds: script.talkSeconds ?? DEFAULT_TALK_SECONDS,
    postsEmptyPress: true,
  }
  const engine = new CallEngine((url, params) => twilio.postTo(url, params), { phoneAt: () => agent })
  const first = payload('incoming-call', call)
  const caller: Leg = {
    sid: call.callSid,
    params: incomingLeg(first),
    phone: { presses: script.press ?? [], recordSeconds: script.voicemailSeconds ?? 0 },
  }
  const end = await engine.run(caller, twilio.url('/webhooks/twilio/voice'), first)
  if (!script.noStatus) {
    const status = payload('status-completed', call, { CallDuration: String(end.talkSeconds + 20) })
    await engine.request(twilio.url('/webhooks/twilio/status'), status)
  }
  return { callSid: call.callSid, steps: engine.steps }
}
