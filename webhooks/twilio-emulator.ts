// A local stand-in for Twilio's REST API (calls and messages of the 2010-04-01 API) on a port
// of this machine: it answers as Twilio does (resources, error codes, Basic auth), then plays
// each call it created with the simulator's engine, posting signed webhooks to the given URLs,
// and keeps each message it "sent". Faults on demand for tests: errors, delays, unreachable.
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { parsePhoneNumberFromString } from 'libphonenumber-js/max'
import { type Params, type WebhookResponse, newSid, webhookPoster } from './index.js'
import { CallEngine, type Phone, type PostWebhook, type Step } from './simulator.js'

/** The account the demo and `npm run twilio-emulator` use when none is given. */
export const DEVELOPMENT_ACCOUNT_SID = `AC${'0'.repeat(32)}`

export interface TwilioEmulatorOptions {
  accountSid: string
  authToken: string
  /** the account's numbers (bought or verified): the only ones a call or an SMS may come from */
  numbers: string[]
  /** how each number behaves when called (and what becomes of its SMS) */
  phones?: Record<string, Phone>
  /** how any other number behaves (default: picks up after 5 s, presses nothing, talks 300 s) */
  defaultPhone?: Phone
  /**
   * Where webhooks go: the URLs given keep their path and query, and are what is signed, but
   * are sent to this origin (a service on localhost whose PUBLIC_URL is another). Default: the
   * URLs themselves.
   */
  target?: string
  port?: number
  host?: string
  /** real-time factor for playing calls: 0 plays at once (default), 1 in real time */
  pace?: number
  /** the emulator's clock, for the resources' dates (default the system's) */
  clock?: () => Date
  /** a line per request and per call played (the standalone emulator prints them) */
  log?: (line: string) => void
}

/** A status callback posted, and what came back (or why nothing did). */
export interface CallbackPosted {
  url: string
  params: Params
  status: number | null
  error?: string
}

export interface EmulatedCall {
  sid: string
  from: string
  to: string
  url: string
  statusCallback: string | undefined
  statusCallbackEvent: string[]
  /** seconds it lets `to` ring */
  timeout: number
  status: 'queued' | 'ringing' | 'in-progress' | 'completed' | 'busy' | 'no-answer' | 'failed' | 'canceled'
  dateCreated: Date
  startTime: Date | null
  endTime: Date | null
  /** seconds from answer to hang-up, modelled */
  duration: number | null
  /** every webhook posted to the call's URLs, with its answer */
  steps: Step[]
  callbacks: CallbackPosted[]
  /** why the play stopped early: a webhook answering an error, TwiML it cannot play */
  error?: string
}

export interface EmulatedMessage {
  sid: string
  from: string
  to: string
  body: string
  status: 'queued' | 'sent' | 'delivered' | 'undelivered' | 'failed'
  statusCallback: string | undefined
  dateCreated: Date
  numSegments: number
  errorCode: number | null
  callbacks: CallbackPosted[]
}

/** An error as Twilio's API answers it. */
interface ApiError {
  status: number
  code: number
  message: string
}

export interface Fault {
  /** answer this HTTP status… (default 500) */
  status?: number
  /** …with this Twilio code (default 20500) and message */
  code?: number
  message?: string
  /** or answer normally, this many ms late */
  delayMs?: number
}

const API = '/2010-04-01'
const DEFAULT_PHONE: Phone = { answers: 'yes', answerAfterSeconds: 5, talkSeconds: 300 }
const E164 = /^\+[1-9]\d{1,14}$/

/** Twilio's date format in resources: RFC 2822 with +0000. */
const rfc2822 = (date: Date) => date.toUTCString().replace('GMT', '+0000')

function isPhoneNumber(value: string): boolean {
  return E164.test(value) && (parsePhoneNumberFromString(value)?.isPossible() ?? false)
}

function isHttpUrl(value: string): boolean {
  return URL.canParse(value) && /^https?:$/.test(new URL(value).protocol)
}

/** Segments of an SMS: 160 GSM characters (153 when split), 70 otherwise (67 when split). */
function segments(body: string): number {
  const gsm = /^[\x20-\x7E\n\r€£¥èéùìòÇØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉÄÖÑÜ§¿äöñüà]*$/.test(body)
  const [single, split] = gsm ? [160, 153] : [70, 67]
  const length = [...body].length
  return length <= single ? 1 : Math.ceil(length / split)
}

export class TwilioEmulator {
  readonly calls: EmulatedCall[] = []
  readonly messages: EmulatedMessage[] = []
  readonly phones = new Map<string, Phone>()
  private cutOff = false
  private readonly faults: Fault[] = []
  private readonly plays = new Map<string, Promise<EmulatedCall>>()
  private readonly pending = new Set<Promise<unknown>>()
  private readonly byIdempotencyKey = new Map<string, EmulatedCall | EmulatedMessage>()
  private readonly sockets = new Set<Socket>()
  private readonly post: PostWebhook
  private readonly clock: () => Date
  private server: Server | null = null
  url = ''

  private constructor(private readonly options: TwilioEmulatorOptions) {
    for (const [number, phone] of Object.entries(options.phones ?? {})) this.phones.set(number, phone)
    this.post = webhookPoster(options.authToken, options.target)
    this.clock = options.clock ?? (() => new Date())
  }

  static async start(options: TwilioEmulatorOptions): Promise<TwilioEmulator> {
    const emulator = new TwilioEmulator(options)
    await emulator.listen()
    return emulator
  }

  private async listen(): Promise<void> {
    const server = createServer((request, response) => {
      this.handle(request, response).catch((error: unknown) => {
        this.options.log?.(`emulator error: ${(error as Error).stack ?? error}`)
        if (!response.headersSent) this.send(response, 500, { code: 20500, message: 'Internal Server Error', status: 500 })
      })
    })
    server.on('connection', (socket) => {
      if (this.cutOff) return socket.destroy()
      this.sockets.add(socket)
      socket.once('close', () => this.sockets.delete(socket))
    })
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(this.options.port ?? 0, this.options.host ?? '127.0.0.1', () => resolve())
    })
    const { address, port } = server.address() as AddressInfo
    this.url = `http://${address.includes(':') ? `[${address}]` : address}:${port}`
    this.server = server
  }

  /** Stops listening (open connections are cut) and waits for the calls being played. */
  async close(): Promise<void> {
    const server = this.server
    this.server = null
    if (server) {
      for (const socket of this.sockets) socket.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
    await this.idle()
  }

  /** While true, every connection is reset (open ones too), as if the API could not be reached. */
  get unreachable(): boolean {
    return this.cutOff
  }

  set unreachable(value: boolean) {
    this.cutOff = value
    if (value) for (const socket of this.sockets) socket.destroy()
  }

  /** The next `times` API requests fail (or are late) as the fault says. */
  failNext(fault: Fault = {}, times = 1): void {
    for (let i = 0; i < times; i++) this.faults.push(fault)
  }

  /** The call, once it has been played to its end (its final status callback posted). */
  async finished(sid: string): Promise<EmulatedCall> {
    const play = this.plays.get(sid)
    if (!play) throw new Error(`no call ${sid}`)
    return play
  }

  /** Every call played and every message's callbacks posted. */
  async idle(): Promise<void> {
    while (this.pending.size) await Promise.allSettled([...this.pending])
  }

  phoneAt(number: string): Phone {
    return this.phones.get(number) ?? this.options.defaultPhone ?? DEFAULT_PHONE
  }

  // ——— the API ———

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = []
    for await (const chunk of request) chunks.push(chunk as Buffer)
    const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'))
    const url = new URL(request.url ?? '/', 'http://emulator')
    this.options.log?.(`${request.method} ${url.pathname}`)

    const fault = this.faults.shift()
    if (fault?.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs))
    else if (fault) {
      const status = fault.status ?? 500
      return this.send(response, status, { status, code: fault.code ?? 20500, message: fault.message ?? 'Internal Server Error' })
    }

    if (!this.authenticated(request)) {
      response.setHeader('www-authenticate', 'Basic realm="Twilio API"')
      return this.send(response, 401, { status: 401, code: 20003, message: 'Authenticate' })
    }
    const route = new RegExp(`^${API}/Accounts/(AC[0-9a-fA-F]{32})/(Calls|Messages)(?:/([A-Z]{2}[0-9a-fA-F]{32}))?\\.json$`).exec(
      url.pathname,
    )
    if (!route || route[1] !== this.options.accountSid) return this.notFound(response, url.pathname)
    const [, , collection, sid] = route
    const method = request.method ?? 'GET'
    const key = request.headers['i-twilio-idempotency-token']

    if (collection === 'Calls' && !sid && method === 'POST') return this.createCall(response, form, key)
    if (collection === 'Messages' && !sid && method === 'POST') return this.createMessage(response, form, key)
    if (method !== 'GET') return this.send(response, 405, { status: 405, code: 20004, message: 'Method not allowed' })
    if (collection === 'Calls') {
      if (!sid)
        return this.send(
          response,
          200,
          this.page(
            'calls',
            url,
            this.calls.filter(matching(url)).map((c) => this.callJson(c)),
          ),
        )
      const call = this.calls.find((c) => c.sid === sid)
      return call ? this.send(response, 200, this.callJson(call)) : this.notFound(response, url.pathname)
    }
    if (!sid)
      return this.send(
        response,
        200,
        this.page(
          'messages',
          url,
          this.messages.filter(matching(url)).map((m) => this.messageJson(m)),
        ),
      )
    const message = this.messages.find((m) => m.sid === sid)
    return message ? this.send(response, 200, this.messageJson(message)) : this.notFound(response, url.pathname)
  }

  private authenticated(request: IncomingMessage): boolean {
    const [scheme, encoded] = (request.headers.authorization ?? '').split(' ')
    if (scheme !== 'Basic' || !encoded) return false
    const decoded = Buffer.from(encoded, 'base64').toString('utf8')
    return decoded === `${this.options.accountSid}:${this.options.authToken}`
  }

  private send(response: ServerResponse, status: number, body: unknown): undefined {
    const json =
      status >= 400 && typeof body === 'object' && body !== null && 'code' in body
        ? { ...body, more_info: `https://www.twilio.com/docs/errors/${(body as ApiError).code}` }
        : body
    response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' })
    response.end(JSON.stringify(json))
  }

  private notFound(response: ServerResponse, path: string): undefined {
    this.send(response, 404, { status: 404, code: 20404, message: `The requested resource ${path} was not found` })
  }

  private refuse(response: ServerResponse, code: number, message: string): undefined {
    this.send(response, 400, { status: 400, code, message })
  }

  private createCall(response: ServerResponse, form: URLSearchParams, key: string | string[] | undefined): undefined {
    const idempotent = typeof key === 'string' ? `call:${key}` : null
    const earlier = idempotent ? this.byIdempotencyKey.get(idempotent) : undefined
    if (earlier) return this.send(response, 201, this.callJson(earlier as EmulatedCall))

    const to = form.get('To') ?? ''
    const from = form.get('From') ?? ''
    const url = form.get('Url') ?? ''
    const statusCallback = form.get('StatusCallback') ?? undefined
    if (!to) return this.refuse(response, 21201, "No 'To' number is specified")
    if (!from) return this.refuse(response, 21213, "No 'From' number is specified")
    if (!isPhoneNumber(to)) return this.refuse(response, 21211, `The 'To' number ${to} is not a valid phone number.`)
    if (!isPhoneNumber(from))
      return this.refuse(
        response,
        21212,
        `The 'From' number ${from} is not a valid phone number, shortcode, or alphanumeric sender ID.`,
      )
    if (!this.options.numbers.includes(from))
      return this.refuse(
        response,
        21210,
        `The source phone number provided, ${from}, is not yet verified for your account. You may only make calls from phone numbers that you've verified or purchased from Twilio.`,
      )
    if (!url) return this.refuse(response, 21205, 'Url parameter is required.') // Twiml= and ApplicationSid= are not played
    if (!isHttpUrl(url)) return this.refuse(response, 21205, `Url is not a valid URL: ${url}`)
    if (statusCallback !== undefined && !isHttpUrl(statusCallback))
      return this.refuse(response, 21609, `The StatusCallback URL ${statusCallback} is not a valid URL.`)

    const call: EmulatedCall = {
      sid: newSid('CA'),
      from,
      to,
      url,
      statusCallback,
      statusCallbackEvent: form.getAll('StatusCallbackEvent').flatMap((e) => e.split(' ')),
      timeout: Number(form.get('Timeout') ?? 60),
      status: 'queued',
      dateCreated: this.clock(),
      startTime: null,
      endTime: null,
      duration: null,
      steps: [],
      callbacks: [],
    }
    this.calls.push(call)
    if (idempotent) this.byIdempotencyKey.set(idempotent, call)
    this.send(response, 201, this.callJson(call))
    // Twilio answers at once and dials afterwards.
    const play = new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.play(call))
    this.plays.set(call.sid, play)
    this.track(play)
  }

  private createMessage(response: ServerResponse, form: URLSearchParams, key: string | string[] | undefined): undefined {
    const idempotent = typeof key === 'string' ? `message:${key}` : null
    const earlier = idempotent ? this.byIdempotencyKey.get(idempotent) : undefined
    if (earlier) return this.send(response, 201, this.messageJson(earlier as EmulatedMessage))

    const to = form.get('To') ?? ''
    const from = form.get('From') ?? ''
    const body = form.get('Body') ?? ''
    const statusCallback = form.get('StatusCallback') ?? undefined
    if (!to) return this.refuse(response, 21604, "A 'To' phone number is required.")
    if (!from) return this.refuse(response, 21603, "A 'From' phone number is required.")
    if (!body) return this.refuse(response, 21602, 'Message body is required.')
    if (!isPhoneNumber(to)) return this.refuse(response, 21211, `Invalid 'To' Phone Number: ${to}`)
    if (!isPhoneNumber(from)) return this.refuse(response, 21212, `Invalid From Number (caller ID): ${from}`)
    if (!this.options.numbers.includes(from))
      return this.refuse(
        response,
        21606,
        `The From phone number ${from} is not a valid, SMS-capable inbound phone number or short code for your account.`,
      )
    if ([...body].length > 1600)
      return this.refuse(response, 21617, 'The concatenated message body exceeds the 1600 character limit.')
    if (statusCallback !== undefined && !isHttpUrl(statusCallback))
      return this.refuse(response, 21609, `The StatusCallback URL ${statusCallback} is not a valid URL.`)

    const message: EmulatedMessage = {
      sid: newSid('SM'),
      from,
      to,
      body,
      status: 'queued',
      statusCallback,
      dateCreated: this.clock(),
      numSegments: segments(body),
      errorCode: null,
      callbacks: [],
    }
    this.messages.push(message)
    if (idempotent) this.byIdempotencyKey.set(idempotent, message)
    this.send(response, 201, this.messageJson(message))
    this.track(new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.deliverMessage(message)))
  }

  private track(work: Promise<unknown>): void {
    this.pending.add(work)
    work.finally(() => this.pending.delete(work)).catch(() => {})
  }

  // ——— what happens after the answer ———

  /** Rings `to`, plays the call's TwiML if it answers, and posts the status callbacks. */
  private async play(call: EmulatedCall): Promise<EmulatedCall> {
    const phone = this.phoneAt(call.to)
    const answers = phone.answers ?? 'yes'
    const rings = phone.answerAfterSeconds ?? 5
    const base: Params = {
      AccountSid: this.options.accountSid,
      ApiVersion: '2010-04-01',
      CallSid: call.sid,
      Called: call.to,
      Caller: call.from,
      Direction: 'outbound-api',
      From: call.from,
      To: call.to,
    }
    let sequence = 0
    const event = async (name: string, status: string, extra: Params = {}) => {
      if (!call.statusCallback || !(name === 'completed' || call.statusCallbackEvent.includes(name))) return
      const params = {
        ...base,
        CallStatus: status,
        CallbackSource: 'call-progress-events',
        SequenceNumber: String(sequence++),
        Timestamp: rfc2822(this.clock()),
        ...extra,
      }
      call.callbacks.push(await this.callback(call.statusCallback, params))
    }

    await event('initiated', 'initiated')
    if (answers === 'failed') return this.end(call, 'failed', event)
    call.status = 'ringing'
    await event('ringing', 'ringing')
    if (answers !== 'yes' || rings > call.timeout) return this.end(call, answers === 'yes' ? 'no-answer' : answers, event)

    call.status = 'in-progress'
    call.startTime = this.clock()
    await event('answered', 'in-progress')
    this.options.log?.(`${call.sid}: ${call.to} answered, requesting ${call.url}`)
    const engine = new CallEngine(this.post, {
      phoneAt: (number) => this.phoneAt(number),
      ...(this.options.pace !== undefined ? { pace: this.options.pace } : {}),
    })
    let seconds = 0
    try {
      const end = await engine.run({ sid: call.sid, params: { ...base, CallStatus: 'in-progress' }, phone }, new URL(call.url), {
        ...base,
        CallStatus: 'in-progress',
      })
      seconds = end.seconds
    } catch (error) {
      // Twilio would say "an application error has occurred" and hang up.
      call.error = (error as Error).message
      this.options.log?.(`${call.sid}: stopped: ${call.error}`)
    }
    call.steps.push(...engine.steps)
    call.duration = seconds
    return this.end(call, 'completed', event)
  }

  private async end(
    call: EmulatedCall,
    status: EmulatedCall['status'],
    event: (name: string, status: string, extra?: Params) => Promise<void>,
  ): Promise<EmulatedCall> {
    call.status = status
    call.endTime = this.clock()
    call.duration ??= 0
    await event('completed', status, {
      CallDuration: String(call.duration),
      Duration: String(Math.ceil(call.duration / 60)),
    })
    this.options.log?.(`${call.sid}: ${status} after ${call.duration} s`)
    return call
  }

  private async deliverMessage(message: EmulatedMessage): Promise<void> {
    const fate = this.phoneAt(message.to).sms ?? 'delivered'
    const statuses: EmulatedMessage['status'][] = fate === 'failed' ? ['failed'] : ['sent', fate]
    for (const status of statuses) {
      message.status = status
      if (status === 'undelivered') message.errorCode = 30003 // unreachable destination handset
      if (status === 'failed') message.errorCode = 30008 // unknown error
      if (!message.statusCallback) continue
      const params: Params = {
        AccountSid: this.options.accountSid,
        ApiVersion: '2010-04-01',
        From: message.from,
        MessageSid: message.sid,
        MessageStatus: status,
        SmsSid: message.sid,
        SmsStatus: status,
        To: message.to,
        ...(message.errorCode ? { ErrorCode: String(message.errorCode) } : {}),
      }
      message.callbacks.push(await this.callback(message.statusCallback, params))
    }
    this.options.log?.(`${message.sid}: SMS to ${message.to} ${message.status}`)
  }

  /** A status callback: posted and signed like the call's webhooks; its answer is not read further. */
  private async callback(url: string, params: Params): Promise<CallbackPosted> {
    try {
      const answer: WebhookResponse = await this.post(new URL(url), params)
      return { url, params, status: answer.status }
    } catch (error) {
      return { url, params, status: null, error: (error as Error).message }
    }
  }

  // ——— resources as Twilio's API writes them ———

  private uri(collection: 'Calls' | 'Messages', sid: string): string {
    return `${API}/Accounts/${this.options.accountSid}/${collection}/${sid}`
  }

  private callJson(call: EmulatedCall) {
    const uri = this.uri('Calls', call.sid)
    return {
      account_sid: this.options.accountSid,
      annotation: null,
      answered_by: null,
      api_version: '2010-04-01',
      caller_name: null,
      date_created: rfc2822(call.dateCreated),
      date_updated: rfc2822(call.endTime ?? call.startTime ?? call.dateCreated),
      direction: 'outbound-api',
      duration: call.duration === null ? null : String(call.duration),
      end_time: call.endTime ? rfc2822(call.endTime) : null,
      forwarded_from: null,
      from: call.from,
      from_formatted: call.from,
      group_sid: null,
      parent_call_sid: null,
      phone_number_sid: null,
      price: null,
      price_unit: 'USD',
      queue_time: '0',
      sid: call.sid,
      start_time: call.startTime ? rfc2822(call.startTime) : null,
      status: call.status,
      subresource_uris: {
        notifications: `${uri}/Notifications.json`,
        recordings: `${uri}/Recordings.json`,
        events: `${uri}/Events.json`,
      },
      to: call.to,
      to_formatted: call.to,
      trunk_sid: null,
      uri: `${uri}.json`,
    }
  }

  private messageJson(message: EmulatedMessage) {
    const uri = this.uri('Messages', message.sid)
    return {
      account_sid: this.options.accountSid,
      api_version: '2010-04-01',
      body: message.body,
      date_created: rfc2822(message.dateCreated),
      date_sent: message.status === 'queued' ? null : rfc2822(message.dateCreated),
      date_updated: rfc2822(message.dateCreated),
      direction: 'outbound-api',
      error_code: message.errorCode,
      error_message: null,
      from: message.from,
      messaging_service_sid: null,
      num_media: '0',
      num_segments: String(message.numSegments),
      price: null,
      price_unit: 'USD',
      sid: message.sid,
      status: message.status,
      subresource_uris: { media: `${uri}/Media.json` },
      to: message.to,
      uri: `${uri}.json`,
    }
  }

  /** A list answer: every matching item on one page. */
  private page(key: 'calls' | 'messages', url: URL, items: unknown[]) {
    const uri = `${url.pathname}${url.search}`
    return {
      [key]: items,
      end: Math.max(0, items.length - 1),
      first_page_uri: uri,
      next_page_uri: null,
      page: 0,
      page_size: Math.max(items.length, 50),
      previous_page_uri: null,
      start: 0,
      uri,
    }
  }
}

/** The list filters Twilio offers that are cheap here: To, From, Status. */
function matching(url: URL) {
  const to = url.searchParams.get('To')
  const from = url.searchParams.get('From')
  const status = url.searchParams.get('Status')
  return (item: { to: string; from: string; status: string }) =>
    (!to || item.to === to) && (!from || item.from === from) && (!status || item.status === status)
}
