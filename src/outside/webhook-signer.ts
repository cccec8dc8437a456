// Outgoing webhooks as the Standard Webhooks specification has them: a JSON body signed with
// HMAC-SHA256 over "id.timestamp.body" (the standardwebhooks package, the specification's own),
// one POST with a deadline, and an outcome that says whether another attempt is worth it.
import { randomBytes } from 'node:crypto'
import { Webhook } from 'standardwebhooks'

export interface WebhookDelivery {
  url: string
  /** `whsec_` and the base64 of the key (what `newWebhookSecret` makes) */
  secret: string
  /** the message id (`webhook-id`): the same on every attempt, so the receiver can drop duplicates */
  id: string
  /** the event type, e.g. `voicemail.recorded` */
  type: string
  /** when the event happened (the body's `timestamp`) */
  timestamp: Date
  data: unknown
}

export interface DeliverOptions {
  /** the whole attempt, connection to last byte of the answer (default 10 s) */
  timeoutMs?: number
  /**
   * When this attempt is made (`webhook-timestamp`, default now). Receivers refuse signatures
   * older than a few minutes, so a retry is signed at its own time, not the event's.
   */
  now?: Date
}

export type DeliveryResult =
  | { outcome: 'delivered'; status: number }
  /** worth another attempt: 5xx, 408, 429, a timeout, the network; `retryAfterSeconds` from Retry-After */
  | { outcome: 'transient'; status?: number; retryAfterSeconds?: number; error: string }
  /** the same request would fail again: another 4xx, a redirect (not followed), a bad URL or secret */
  | { outcome: 'permanent'; status?: number; error: string }

const DEFAULT_TIMEOUT_MS = 10_000
const SECRET = /^whsec_[A-Za-z0-9+/]+={0,2}$/

/** A new secret: 32 random bytes, as the specification recommends (24 to 64). */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`
}

/** Is this a secret the signer can use? (`whsec_` and base64 of at least 24 bytes) */
export function isWebhookSecret(secret: string): boolean {
  return SECRET.test(secret) && Buffer.from(secret.slice('whsec_'.length), 'base64').length >= 24
}

/** The three headers for a body, as the specification defines them. */
export function signatureHeaders(secret: string, id: string, at: Date, body: string): Record<string, string> {
  return {
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': new Webhook(secret).sign(id, at, body),
  }
}

/** The body exactly as it is sent (and signed). */
export function webhookBody(delivery: Pick<WebhookDelivery, 'type' | 'timestamp' | 'data'>): string {
  return JSON.stringify({ type: delivery.type, timestamp: delivery.timestamp.toISOString(), data: delivery.data })
}

export async function deliver(delivery: WebhookDelivery, options: DeliverOptions = {}): Promise<DeliveryResult> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS
  if (!URL.canParse(delivery.url) || !/^https?:$/.test(new URL(delivery.url).protocol)) {
    return { outcome: 'permanent', error: `not an http(s) URL: ${delivery.url}` }
  }
  if (!isWebhookSecret(delivery.secret)) {
    return { outcome: 'permanent', error: 'the secret is not whsec_ and the base64 of at least 24 bytes' }
  }
  const body = webhookBody(delivery)
  const headers = {
    'content-type': 'application/json',
    'user-agent': 'supportline-webhooks/1',
    ...signatureHeaders(delivery.secret, delivery.id, options.now ?? new Date(), body),
  }
  const signal = AbortSignal.timeout(timeoutMs)
  try {
    // redirect "manual": a receiver that moved is a configuration to fix, and following it would
    // send the signed body somewhere nobody chose.
    const response = await fetch(delivery.url, { method: 'POST', headers, body, redirect: 'manual', signal })
    const text = await response.text() // read within the deadline: a body that never ends is a timeout
    return classify(response.status, response.headers, text)
  } catch (error) {
    if (signal.aborted) return { outcome: 'transient', error: `no answer within ${timeoutMs} ms` }
    const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause
    const reason = typeof cause?.code === 'string' ? cause.code : String(cause?.message ?? (error as Error).message)
    return { outcome: 'transient', error: `could not reach ${new URL(delivery.url).host}: ${reason}` }
  }
}

function classify(status: number, headers: Headers, text: string): DeliveryResult {
  if (status >= 200 && status < 300) return { outcome: 'delivered', status }
  const said = text.trim().slice(0, 200)
  const error = `answered ${status}${said ? `: ${said}` : ''}`
  if (status >= 300 && status < 400) {
    return { outcome: 'permanent', status, error: `answered ${status} (redirects are not followed: give the final URL)` }
  }
  if (status >= 500 || status === 408 || status === 429) {
    const retryAfterSeconds = retryAfter(headers.get('retry-after'))
    return { outcome: 'transient', status, error, ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}) }
  }
  return { outcome: 'permanent', status, error }
}

/** Retry-After in seconds: a number of seconds, or an HTTP date from now. */
function retryAfter(value: string | null): number | undefined {
  if (!value) return undefined
  if (/^\d+$/.test(value.trim())) return Number(value.trim())
  const at = Date.parse(value)
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - Date.now()) / 1000))
}
