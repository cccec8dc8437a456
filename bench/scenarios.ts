// What the load generator sends: signed incoming-call webhooks (a new CallSid each), whole calls
// (voice, dial callback, status callback), and the manager API's reads.
import { encodeCursor } from '../src/routes/shared/calls.js'
import { type Params, newSid, payload, sign } from '../webhooks/index.js'
import { type BenchCaller, HISTORY_END, registeredCalls } from './dataset.js'
import type { FlowRequest, Request, Send } from './load.js'

const FORM = { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': 'TwilioProxy/1.1' }
const callers = registeredCalls()
const pick = <T>(list: readonly T[]): T => list[Math.floor(Math.random() * list.length)] as T

function signed(request: Request, authToken: string, publicUrl: string, path: string, params: Params): Request {
  request.method = 'POST'
  request.path = path
  request.headers = { ...FORM, 'x-twilio-signature': sign(authToken, publicUrl + path, params) }
  request.body = new URLSearchParams(params).toString()
  return request
}

/** A registered caller dialling their desk (or one of `among`), signed as Twilio signs it, with a CallSid of its own. */
export function incomingCall(
  authToken: string,
  publicUrl: string,
  among: readonly { from: string; to: string }[] = callers,
): Request {
  return {
    setupRequest: (request) => {
      const { from, to } = pick(among)
      const call = { callSid: newSid(), from, to }
      return signed(request, authToken, publicUrl, '/webhooks/twilio/voice', payload('incoming-call', call))
    },
  }
}

interface CallContext {
  call?: { callSid: string; from: string; to: string }
  talk?: number
  /** the <Dial action> of the voice answer: it carries where the talk counts (contract, month) */
  dialPath?: string
}

const DIAL_ACTION = /<Dial[^>]* action="([^"]+)"/

/**
 * One call as Twilio plays it when an agent answers: voice, then the dial callback at the URL the
 * voice answer gave (so the talk is counted, as in production), then the status callback.
 */
export function wholeCall(authToken: string, publicUrl: string): Request[] {
  return [
    {
      setupRequest: (request, context) => {
        const state = context as CallContext
        state.call = { callSid: newSid(), ...pick(callers) }
        state.talk = 30 + Math.floor(Math.random() * 570)
        return signed(request, authToken, publicUrl, '/webhooks/twilio/voice', payload('incoming-call', state.call))
      },
      onResponse: (_status, body, context) => {
        const action = DIAL_ACTION.exec(body)?.[1]
        // No <Dial> (a refused or closed call): the callback still comes, with nothing to count.
        ;(context as CallContext).dialPath = action
          ? action.replaceAll('&amp;', '&')
          : '/webhooks/twilio/dial?leg=agents&attempt=1'
      },
    },
    {
      setupRequest: (request, context) => {
        const { call, talk, dialPath } = context as Required<CallContext>
        const params = payload('dial-completed', call, { DialCallSid: newSid(), DialCallDuration: String(talk) })
        return signed(request, authToken, publicUrl, dialPath, params)
      },
    },
    {
      setupRequest: (request, context) => {
        const { call, talk } = context as Required<CallContext>
        const params = payload('status-completed', call, { CallDuration: String(talk + 20) })
        return signed(request, authToken, publicUrl, '/webhooks/twilio/status', params)
      },
    },
  ]
}

// ——— Flows that follow the answers, step by step, as Twilio does (bench/load.ts `flows`) ———

const GATHER_ACTION = /<Gather[^>]* action="([^"]+)"/
const TIME_LIMIT = /<Dial[^>]* timeLimit="(\d+)"/
const FIRST_NUMBER = /<Number[^>]*>([^<]+)<\/Number>/
const fromXml = (url: string) => url.replaceAll('&amp;', '&')

/** A signed POST of Twilio's parameters to a path of the service. */
function post(authToken: string, publicUrl: string, path: string, params: Params): FlowRequest {
  return {
    path,
    headers: { ...FORM, 'x-twilio-signature': sign(authToken, publicUrl + path, params) },
    body: new URLSearchParams(params).toString(),
  }
}

/** What a flow's calls did: the path it expected, or where the service's answers led elsewhere. */
export type PathCounts = Map<string, number>
const count = (paths: PathCounts, path: string) => paths.set(path, (paths.get(path) ?? 0) + 1)

/** Takes a caller no other worker holds (round robin when there are more workers than callers). */
function callerPool(list: readonly BenchCaller[]) {
  const free = [...list]
  let next = 0
  return {
    take: (): BenchCaller => free.pop() ?? (list[next++ % list.length] as BenchCaller),
    give: (caller: BenchCaller) => {
      if (!free.includes(caller)) free.push(caller)
    },
  }
}

/**
 * The whole call of `wholeCall` played as a flow (for `pacedFlows`): voice, the dial callback at the
 * URL the voice answer gave, then the status callback, each sent when the one before is answered.
 */
export function wholeCallFlow(authToken: string, publicUrl: string) {
  return async (send: Send): Promise<void> => {
    const call = { callSid: newSid(), ...pick(callers) }
    const talk = 30 + Math.floor(Math.random() * 570)
    const to = (path: string, params: Params) => send(post(authToken, publicUrl, path, params))
    const voice = await to('/webhooks/twilio/voice', payload('incoming-call', call))
    const action = DIAL_ACTION.exec(voice.body)?.[1]
    const dialPath = action ? fromXml(action) : '/webhooks/twilio/dial?leg=agents&attempt=1'
    await to(dialPath, payload('dial-completed', call, { DialCallSid: newSid(), DialCallDuration: String(talk) }))
    await to('/webhooks/twilio/status', payload('status-completed', call, { CallDuration: String(talk + 20) }))
  }
}

/**
 * The quota line under `ask` (issues #12, #19): the agents' <Dial timeLimit> (the month's usage set
 * 120 s under the quota before the call, by `beforeCall`, outside the measured service), an agent
 * takes it (whisper accepted), the limit cuts the leg with the caller on the line, the caller
 * presses 1 (the consent kept, overage.consented written to the outbox), the same agent is dialled
 * again, that leg is answered and counted as consented overage, the call ends. Six requests.
 */
export function consentAtQuotaLine(
  authToken: string,
  publicUrl: string,
  askCallers: readonly BenchCaller[],
  beforeCall: (caller: BenchCaller) => Promise<void>,
  paths: PathCounts,
) {
  const pool = callerPool(askCallers)
  return async (send: Send): Promise<void> => {
    const caller = pool.take()
    try {
      await beforeCall(caller)
      const call = { callSid: newSid(), from: caller.from, to: caller.to }
      const to = (path: string, params: Params) => send(post(authToken, publicUrl, path, params))
      const voice = await to('/webhooks/twilio/voice', payload('incoming-call', call))
      const limit = TIME_LIMIT.exec(voice.body)?.[1]
      const dialAction = DIAL_ACTION.exec(voice.body)?.[1]
      const agent = FIRST_NUMBER.exec(voice.body)?.[1]
      let path = 'no <Dial timeLimit>'
      if (limit && dialAction && agent) {
        await to(
          '/webhooks/twilio/whisper/accept',
          payload('whisper', call, { CallSid: newSid(), To: agent, Called: agent, Digits: '1' }),
        )
        const cut = await to(
          fromXml(dialAction),
          payload('dial-completed', call, { DialCallSid: newSid(), DialCallDuration: limit, CallStatus: 'in-progress' }),
        )
        const question = GATHER_ACTION.exec(cut.body)?.[1]
        path = 'no question at the cut'
        if (question) {
          const yes = await to(fromXml(question), payload('gather', call, { Digits: '1' }))
          const redial = DIAL_ACTION.exec(yes.body)?.[1]
          path = 'no re-dial'
          if (redial) {
            await to(
              fromXml(redial),
              payload('dial-completed', call, { DialCallSid: newSid(), DialCallDuration: '90', CallStatus: 'completed' }),
            )
            path = redial.includes('redial=1') ? 'cut, yes, agent re-dialled' : 'cut, yes, agents on duty dialled'
          }
        }
      }
      count(paths, path)
      await to('/webhooks/twilio/status', payload('status-completed', call, { CallDuration: '400' }))
    } finally {
      pool.give(caller)
    }
  }
}

/**
 * The language menu (issue #17): a caller of unknown language on a desk with three (the number's
 * remembered choice removed by `beforeCall`, outside the measured service) hears the menu, presses
 * 2 (Arabic, remembered for the number), and the call is decided and answered in it. Two requests.
 */
export function languageMenuChoice(
  authToken: string,
  publicUrl: string,
  menuCallers: readonly BenchCaller[],
  beforeCall: (caller: BenchCaller) => Promise<void>,
  paths: PathCounts,
) {
  return async (send: Send): Promise<void> => {
    const caller = pick(menuCallers)
    await beforeCall(caller)
    const call = { callSid: newSid(), from: caller.from, to: caller.to }
    const to = (path: string, params: Params) => send(post(authToken, publicUrl, path, params))
    const voice = await to('/webhooks/twilio/voice', payload('incoming-call', call))
    const menu = GATHER_ACTION.exec(voice.body)?.[1]
    if (menu !== '/webhooks/twilio/language') {
      count(paths, 'no menu')
      return
    }
    const chosen = await to(menu, payload('gather', call, { Digits: '2' }))
    count(
      paths,
      /<Dial/.test(chosen.body) && /language="ar/.test(chosen.body) ? 'menu, 2, routed in Arabic' : 'menu, 2, not routed',
    )
  }
}

/** A keyset cursor at a random instant of the history (the API accepts any position). */
function randomCursor(months: number): string {
  const end = new Date(HISTORY_END).getTime()
  const at = new Date(end - Math.random() * months * 30.44 * 86_400_000)
  return encodeCursor({ startedAt: at, callSid: 'CAffffffffffffffffffffffffffffffff' })
}

export interface ApiScenario {
  label: string
  request: Request
}

export function callLogPages(months: number): ApiScenario[] {
  const get = (path: () => string): Request => ({
    setupRequest: (request) => {
      request.method = 'GET'
      request.path = path()
      return request
    },
  })
  const client = () => `client-${String(Math.floor(Math.random() * 1000)).padStart(4, '0')}`
  return [
    { label: 'GET /api/calls newest page', request: get(() => '/api/calls?limit=50') },
    { label: 'GET /api/calls page at a random cursor', request: get(() => `/api/calls?limit=50&cursor=${randomCursor(months)}`) },
    { label: 'GET /api/calls?client= (random client)', request: get(() => `/api/calls?client=${client()}&limit=50`) },
    {
      label: 'GET /api/calls?desk=&outcome=no_answer,voicemail',
      request: get(() => '/api/calls?desk=erp&outcome=no_answer,voicemail&limit=50'),
    },
    {
      label: 'GET /api/calls?from=&to= (a month)',
      request: get(() => `/api/calls?from=2026-10-01&to=2026-10-31&limit=50&cursor=${randomCursor(1)}`),
    },
  ]
}
