// Real-shaped Twilio webhook payloads, signed exactly as Twilio signs them, and a way to post
// them to the app (in process with inject, or over HTTP): shared by the tests and the simulator.
import { randomBytes } from 'node:crypto'
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks.js'
import dialBusy from './payloads/dial-busy.json' with { type: 'json' }
import dialCompleted from './payloads/dial-completed.json' with { type: 'json' }
import dialNoAnswer from './payloads/dial-no-answer.json' with { type: 'json' }
import gather from './payloads/gather.json' with { type: 'json' }
import incomingCall from './payloads/incoming-call.json' with { type: 'json' }
import recording from './payloads/recording.json' with { type: 'json' }
import statusCompleted from './payloads/status-completed.json' with { type: 'json' }
import whisper from './payloads/whisper.json' with { type: 'json' }

export type Params = Record<string, string>

const PAYLOADS = {
  'incoming-call': incomingCall,
  'dial-completed': dialCompleted,
  'dial-no-answer': dialNoAnswer,
  'dial-busy': dialBusy,
  whisper,
  gather,
  recording,
  'status-completed': statusCompleted,
} satisfies Record<string, Params>

export type PayloadName = keyof typeof PAYLOADS

/** A new SID with Twilio's shape: two letters (CA a call, RE a recording, SM a message…) and 32 hex digits. */
export function newSid(prefix = 'CA'): string {
  return prefix + randomBytes(16).toString('hex')
}

/**
 * A payload as Twilio would post it for this call: the stored example with the call's SID and
 * numbers put in everywhere Twilio repeats them (Caller = From, Called = To).
 */
export function payload(name: PayloadName, call: { callSid: string; from: string; to: string }, extra: Params = {}): Params {
  const params: Params = { ...PAYLOADS[name] }
  if (name === 'whisper') {
    params.ParentCallSid = call.callSid
    params.From = params.Caller = call.from
  } else {
    params.CallSid = call.callSid
    params.From = params.Caller = call.from
    params.To = params.Called = call.to
  }
  return { ...params, ...extra }
}

/** X-Twilio-Signature for a POST to `url` with `params`. */
export function sign(authToken: string, url: string, params: Params): string {
  return getExpectedTwilioSignature(authToken, url, params)
}

export interface WebhookResponse {
  status: number
  contentType: string
  body: string
}

/** Something that can post a form to a path of the app: app.inject in tests, fetch for a running server. */
export type Post = (path: string, form: string, headers: Record<string, string>) => Promise<WebhookResponse>

export interface InjectTarget {
  inject(options: { method: 'POST'; url: string; payload: string; headers: Record<string, string> }): PromiseLike<{
    statusCode: number
    headers: Record<string, string | string[] | number | undefined>
    body: string
  }>
}

export function injectPost(app: InjectTarget): Post {
  return async (path, form, headers) => {
    const response = await app.inject({ method: 'POST', url: path, payload: form, headers })
    return { status: response.statusCode, contentType: String(response.headers['content-type'] ?? ''), body: response.body }
  }
}

export function httpPost(baseUrl: string): Post {
  return async (path, form, headers) => {
    const response = await fetch(new URL(path, baseUrl), { method: 'POST', body: form, headers })
    return { status: response.status, contentType: response.headers.get('content-type') ?? '', body: await response.text() }
  }
}

/** Posts signed webhooks the way Twilio does: form-encoded, signed over PUBLIC_URL + path. */
export class Twilio {
  constructor(
    private readonly post: Post,
    private readonly authToken: string,
    private readonly publicUrl: string,
  ) {}

  async webhook(path: string, params: Params, options: { signature?: string | null } = {}): Promise<WebhookResponse> {
    const signature = options.signature === undefined ? sign(this.authToken, this.publicUrl + path, params) : options.signature
    const headers: Record<string, string> = {
      'content-type': 'application/x-www-form-urlencoded',
      'user-agent': 'TwilioProxy/1.1',
      'i-twilio-idempotency-token': randomBytes(16).toString('hex'),
    }
    if (signature !== null) headers['x-twilio-signature'] = signature
    return this.post(path, new URLSearchParams(params).toString(), headers)
  }

  /** A URL of the app: a path resolved against PUBLIC_URL, as Twilio resolves relative TwiML URLs. */
  url(path: string): URL {
    return new URL(path, this.publicUrl)
  }

  /** Posts to a URL of the app, signed over the whole URL as Twilio signs it. */
  postTo(url: URL, params: Params): Promise<WebhookResponse> {
    if (url.origin !== new URL(this.publicUrl).origin) throw new Error(`${url.href} is not a URL of ${this.publicUrl}`)
    return this.webhook(url.pathname + url.search, params, { signature: sign(this.authToken, url.href, params) })
  }
}

/**
 * Posts signed webhooks to any URL, as Twilio does: signed over the URL given, sent to it, or to
 * `target` when set (the same path and query on another origin: a service that listens on
 * localhost while its PUBLIC_URL, which it checks signatures against, is another).
 */
export function webhookPoster(authToken: string, target?: string): (url: URL, params: Params) => Promise<WebhookResponse> {
  return (url, params) => new Twilio(httpPost(target ?? url.origin), authToken, url.origin).postTo(url, params)
}
