// What the load generator sends: signed incoming-call webhooks (a new CallSid each), whole calls
// (voice, dial callback, status callback), and the manager API's reads.
import { encodeCursor } from '../src/routes/shared/calls.js'
import { type Params, newSid, payload, sign } from '../webhooks/index.js'
import { HISTORY_END, registeredCalls } from './dataset.js'
import type { Request } from './load.js'

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

/** A registered caller dialling their desk, signed as Twilio signs it, with a CallSid of its own. */
export function incomingCall(authToken: string, publicUrl: string): Request {
  return {
    setupRequest: (request) => {
      const call = { callSid: newSid(), ...pick(callers) }
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
