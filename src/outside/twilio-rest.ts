// Twilio's REST API (outgoing calls, SMS) through the twilio package's own client, pointed at
// another base URL when asked (the local emulator, tests), every failure said to be worth
// retrying or not. No config parsing here: the options are explicit.
import { AsyncLocalStorage } from 'node:async_hooks'
import type RequestClient from 'twilio/lib/base/RequestClient.js'

type Twilio = typeof import('twilio')
let loading: Promise<Twilio> | null = null

/**
 * The twilio package's REST client (its whole API: about 0.4 s of CPU more than the signature
 * module the call path uses), loaded when first asked for; the server asks right after
 * its port opens, so that neither the start nor the first call back or SMS waits for it.
 */
export function loadTwilioRest(): Promise<Twilio> {
  loading ??= import('twilio').then((module) => module.default)
  return loading
}

export const TWILIO_API_URL = 'https://api.twilio.com'

export interface TwilioRestOptions {
  /** `AC…` */
  accountSid: string
  authToken: string
  /** replaces `https://api.twilio.com` (the emulator: `http://127.0.0.1:3999`); default Twilio's */
  apiUrl?: string
  /** one request, connection to answer (default 10 s) */
  timeoutMs?: number
}

export interface OutgoingCall {
  /** one of the account's numbers (or a verified caller ID), E.164 */
  from: string
  to: string
  /** the TwiML URL Twilio requests (POST) once `to` answers */
  url: string
  /** where Twilio posts the call's status changes (POST) */
  statusCallback: string
  /** which changes: default `completed` only, as Twilio does */
  statusCallbackEvent?: ('initiated' | 'ringing' | 'answered' | 'completed')[]
  /** seconds to let `to` ring (Twilio's default 60) */
  timeout?: number
  /**
   * Sent as `I-Twilio-Idempotency-Token`. The emulator answers a repeated token with the first
   * call; Twilio does not document honouring it on this API, so the caller keeps its own key too.
   */
  idempotencyKey?: string
}

export interface OutgoingSms {
  from: string
  to: string
  body: string
  /** where Twilio posts the message's status (queued, sent, delivered, undelivered, failed) */
  statusCallback?: string
  /** as for calls (sent as `I-Twilio-Idempotency-Token`) */
  idempotencyKey?: string
}

export interface Created {
  sid: string
  /** `queued` on creation */
  status: string
}

/**
 * A request Twilio refused or that did not reach it. `transient`: worth another attempt (5xx,
 * 429, a timeout, the network); otherwise the same request would be refused again (21211 invalid
 * To, 21210/21212 From not verified/invalid, 20003 bad credentials, …).
 */
export class TwilioRestError extends Error {
  override name = 'TwilioRestError'
  constructor(
    message: string,
    readonly transient: boolean,
    /** Twilio's error code (21211, 20003, …), when Twilio answered with one */
    readonly code: number | undefined,
    /** the HTTP status, when Twilio answered */
    readonly status: number | undefined,
    /** Twilio's page about the code */
    readonly moreInfo: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options)
  }
}

export interface TwilioRest {
  createCall(call: OutgoingCall): Promise<Created>
  sendSms(sms: OutgoingSms): Promise<Created>
}

const DEFAULT_TIMEOUT_MS = 10_000
const IDEMPOTENCY_HEADER = 'I-Twilio-Idempotency-Token'

/** The idempotency key of the request being made, for the HTTP client below. */
const idempotency = new AsyncLocalStorage<string | undefined>()

/**
 * The package's own HTTP client with the base URL swapped, the way twilio-node's maintainers
 * suggest for a stand-in (a custom httpClient; twilio/twilio-node#326): everything else, the
 * request's encoding, auth, errors, stays the package's.
 */
function baseUrlClient(twilio: Twilio, apiUrl: string, timeoutMs: number): RequestClient {
  class BaseUrlClient extends twilio.RequestClient {
    override request<T>(options: RequestClient.RequestOptions<T>) {
      const uri = options.uri.startsWith(TWILIO_API_URL) ? apiUrl + options.uri.slice(TWILIO_API_URL.length) : options.uri
      const key = idempotency.getStore()
      const headers = key ? { ...options.headers, [IDEMPOTENCY_HEADER]: key } : options.headers
      return super.request({ ...options, uri, ...(headers ? { headers } : {}) })
    }
  }
  // No automatic retries: the caller's outbox decides when to try again.
  return new BaseUrlClient({ timeout: timeoutMs, autoRetry: false })
}

export function createTwilioRest(options: TwilioRestOptions): TwilioRest {
  const apiUrl = (options.apiUrl ?? TWILIO_API_URL).replace(/\/+$/, '')
  if (!/^https?:\/\/[^/]+/.test(apiUrl)) throw new TypeError(`the Twilio API URL must be http(s):// (got ${apiUrl})`)
  const host = new URL(apiUrl).host
  let account: Promise<{ twilio: Twilio; account: ReturnType<ReturnType<Twilio>['api']['v2010']['accounts']> }> | null = null
  const client = () => {
    account ??= loadTwilioRest().then((twilio) => {
      const made = twilio(options.accountSid, options.authToken, {
        httpClient: baseUrlClient(twilio, apiUrl, options.timeoutMs ?? DEFAULT_TIMEOUT_MS),
        // Not process.env: TWILIO_EDGE or TWILIO_REGION there would rewrite the host behind our back.
        env: {},
      })
      return { twilio, account: made.api.v2010.accounts(options.accountSid) }
    })
    return account
  }

  async function made<T extends { sid: string; status: string }>(
    key: string | undefined,
    make: (account: Awaited<ReturnType<typeof client>>['account']) => Promise<T>,
  ) {
    const { twilio, account } = await client()
    try {
      const created = await idempotency.run(key, () => make(account))
      return { sid: created.sid, status: String(created.status) }
    } catch (error) {
      throw twilioRestError(error, host, twilio)
    }
  }

  return {
    createCall: (call) =>
      made(call.idempotencyKey, (account) =>
        account.calls.create({
          from: call.from,
          to: call.to,
          url: call.url,
          method: 'POST',
          statusCallback: call.statusCallback,
          statusCallbackMethod: 'POST',
          ...(call.statusCallbackEvent ? { statusCallbackEvent: call.statusCallbackEvent } : {}),
          ...(call.timeout !== undefined ? { timeout: call.timeout } : {}),
        }),
      ),
    sendSms: (sms) =>
      made(sms.idempotencyKey, (account) =>
        account.messages.create({
          from: sms.from,
          to: sms.to,
          body: sms.body,
          ...(sms.statusCallback ? { statusCallback: sms.statusCallback } : {}),
        }),
      ),
  }
}

/** What the client threw, as a TwilioRestError: Twilio's answer, or the network's failure. */
export function twilioRestError(error: unknown, host: string, twilio: Twilio): TwilioRestError {
  if (error instanceof twilio.RestException) {
    const transient = error.status >= 500 || error.status === 429
    return new TwilioRestError(error.message, transient, error.code, error.status, error.moreInfo, { cause: error })
  }
  const code = (error as { code?: unknown }).code
  if (typeof code === 'string') {
    // axios under the client: ECONNREFUSED, ECONNRESET, ECONNABORTED (its timeout), ETIMEDOUT…
    return new TwilioRestError(`could not reach ${host}: ${code}`, true, undefined, undefined, undefined, { cause: error })
  }
  // The client refusing its arguments before sending anything: the same call would fail again.
  const message = error instanceof Error ? error.message : String(error)
  return new TwilioRestError(message, false, undefined, undefined, undefined, { cause: error })
}
