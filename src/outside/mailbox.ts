// The support mailbox over IMAP: each unseen message handed to `ingest`, then marked seen (and moved if asked), never deleted; IDLE or a poll; reconnects.
import type { ImapFlow } from 'imapflow'

/** Where the mailbox is, read from `IMAP_URL` (`imap://` or `imaps://user:pass@host:port/Folder`). */
export interface ImapTarget {
  host: string
  port: number
  secure: boolean
  user: string
  pass: string
  /** the folder read, INBOX by default */
  folder: string
}

/**
 * Reads `IMAP_URL`. The user and password are percent-encoded in the URL (`support%40vendor.dz`);
 * the path names the folder (`/INBOX/Support`), INBOX when empty; ports default to 143 (`imap://`,
 * STARTTLS when the server offers it) and 993 (`imaps://`). Errors never repeat the password.
 */
export function parseImapUrl(value: string): ImapTarget {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new Error('IMAP_URL is not a URL (imaps://user:password@host/INBOX)')
  }
  if (url.protocol !== 'imap:' && url.protocol !== 'imaps:') {
    throw new Error(`IMAP_URL must start with imap:// or imaps://, not ${url.protocol}//`)
  }
  if (!url.hostname) throw new Error('IMAP_URL has no host')
  if (!url.username) throw new Error('IMAP_URL has no user (imaps://user:password@host/INBOX)')
  const secure = url.protocol === 'imaps:'
  const folder = decodeURIComponent(url.pathname.replace(/^\/+/, '').replace(/\/+$/, ''))
  return {
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port ? Number(url.port) : secure ? 993 : 143,
    secure,
    user: decodeURIComponent(url.username),
    pass: decodeURIComponent(url.password),
    folder: folder || 'INBOX',
  }
}

/** An IMAP error in one line: imapflow's message with the server's answer or the socket's code. */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error)
  const e = error as Error & { code?: string; responseText?: string; authenticationFailed?: boolean }
  if (e.authenticationFailed) return `authentication failed${e.responseText ? ` (server: ${e.responseText})` : ''}`
  let text = e.message
  if (e.responseText && !text.includes(e.responseText)) text += `: ${e.responseText}`
  if (e.code && !text.includes(e.code)) text += ` (${e.code})`
  return text
}

/** What the mailbox tells about the message it hands over. */
export interface MailboxMessage {
  uid: number
  /** the message's whole size in bytes (RFC822.SIZE) */
  size: number
  /** only the header block was fetched: the message is above `maxMessageBytes` (see parseEmail's `headersOnly`) */
  headersOnly: boolean
}

export interface MailboxStatus {
  /** logged in with the folder open */
  connected: boolean
  /** the server announced IDLE (else the mailbox polls) */
  idle: boolean
  /** the last connection error, kept after a reconnect for the record */
  lastError: string | null
  lastErrorAt: Date | null
  /** when the folder was last searched for unseen messages */
  lastSyncAt: Date | null
  /** messages ingested and marked seen since start */
  ingested: number
  /** ingestions that threw (the message stays unseen, tried again at the next sync) */
  failed: number
  lastIngestError: string | null
}

interface Logger {
  info(object: object, message: string): void
  warn(object: object, message: string): void
  error(object: object, message: string): void
}

export interface MailboxOptions {
  url: string
  /** stores one message; the message is marked seen only once this resolves */
  ingest: (raw: Buffer, message: MailboxMessage) => Promise<void>
  /** after ingestion, move the message to this folder (created when missing); else it stays, seen */
  moveTo?: string
  /** a sync this often, with or without IDLE (default 60 s) */
  pollMs?: number
  /** reconnection delays: doubling from `initialMs` up to `maxMs` (default 1 s → 5 min) */
  backoff?: { initialMs: number; maxMs: number }
  timeouts?: Partial<MailboxTimeouts>
  /** above this size only the headers are fetched (default parseEmail's 40 MB) */
  maxMessageBytes?: number
  clock?: () => Date
  logger?: Logger
}

export interface MailboxTimeouts {
  /** TCP and TLS connection */
  connectMs: number
  /** the server's greeting once connected */
  greetingMs: number
  /** a connection silent this long is dropped (a server that hangs mid-command) */
  socketMs: number
  /** stop() waits this long for the message in hand and a polite LOGOUT, then closes the socket */
  stopMs: number
}

const DEFAULT_TIMEOUTS: MailboxTimeouts = { connectMs: 10_000, greetingMs: 10_000, socketMs: 120_000, stopMs: 5_000 }
const SILENT: Logger = { info() {}, warn() {}, error() {} }

export interface Mailbox {
  status(): MailboxStatus
  /** stops reading: the current ingestion ends first, then LOGOUT; resolves once disconnected */
  stop(): Promise<void>
}

/**
 * Starts reading the mailbox in the background and returns at once. Delivery is at least once:
 * a message is marked seen only after `ingest` resolved, so a crash in between hands it over again
 * (the store keeps each Message-ID once). A message whose ingestion throws stays unseen and is
 * tried again at the next sync; the others go on.
 */
export function openMailbox(options: MailboxOptions): Mailbox {
  const target = parseImapUrl(options.url)
  const pollMs = options.pollMs ?? 60_000
  const backoff = options.backoff ?? { initialMs: 1_000, maxMs: 300_000 }
  const timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts }
  const maxMessageBytes = options.maxMessageBytes ?? 40 * 1024 * 1024
  const clock = options.clock ?? (() => new Date())
  const log = options.logger ?? SILENT
  const where = { host: target.host, port: target.port, folder: target.folder }

  const state: MailboxStatus = {
    connected: false,
    idle: false,
    lastError: null,
    lastErrorAt: null,
    lastSyncAt: null,
    ingested: 0,
    failed: 0,
    lastIngestError: null,
  }
  let stopping = false
  /** the current session reached its folder */
  let opened = false
  let client: ImapFlow | null = null
  let wake: (() => void) | null = null

  /** Waits `ms`, or less when something happens (a new message, the connection closing, stop). */
  const pause = (ms: number, watch?: ImapFlow) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer)
        watch?.off('exists', done)
        watch?.off('close', done)
        wake = null
        resolve()
      }
      const timer = setTimeout(done, ms)
      watch?.on('exists', done)
      watch?.on('close', done)
      wake = done
    })

  const failed = (error: unknown) => {
    state.lastError = describe(error)
    state.lastErrorAt = clock()
  }

  async function session(): Promise<void> {
    // imapflow loads with the first session, not at start: only a service with IMAP_URL needs it.
    const { ImapFlow } = await import('imapflow')
    const imap = new ImapFlow({
      host: target.host,
      port: target.port,
      secure: target.secure,
      auth: { user: target.user, pass: target.pass },
      logger: false,
      disableAutoIdle: true,
      connectionTimeout: timeouts.connectMs,
      greetingTimeout: timeouts.greetingMs,
      // Silence between two polls is expected: imapflow treats a longer one as a dead server.
      socketTimeout: Math.max(timeouts.socketMs, 2 * pollMs),
      // A server cannot make us hold more than one message (plus IMAP framing) in memory.
      maxLiteralSize: maxMessageBytes + 1024 * 1024,
      maxResponseSize: maxMessageBytes + 2 * 1024 * 1024,
      clientInfo: { name: 'supportline' },
    })
    imap.on('error', (error: Error) => failed(error))
    client = imap
    try {
      await imap.connect()
      await imap.mailboxOpen(target.folder)
      if (options.moveTo) await imap.mailboxCreate(options.moveTo)
      state.connected = true
      opened = true
      state.idle = imap.capabilities.has('IDLE')
      log.info({ ...where, idle: state.idle }, 'mailbox connected')
      while (!stopping && imap.usable) {
        await sync(imap)
        if (stopping || !imap.usable) break
        if (state.idle) imap.idle().catch(() => {}) // broken by the next command; a dead socket closes the connection
        await pause(pollMs, imap)
      }
    } finally {
      state.connected = false
      client = null
      if (imap.usable && stopping) await logout(imap)
      imap.close()
    }
  }

  async function logout(imap: ImapFlow): Promise<void> {
    let timer: NodeJS.Timeout | undefined
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeouts.stopMs)
    })
    await Promise.race([imap.logout().catch(() => {}), deadline]).finally(() => clearTimeout(timer))
  }

  /** Every unseen message, oldest first: fetched, ingested, then marked seen (and moved). */
  async function sync(imap: ImapFlow): Promise<void> {
    const uids = (await imap.search({ seen: false }, { uid: true })) || []
    if (uids.length > 0) {
      const sizes = new Map<number, number>()
      for (const message of await imap.fetchAll(uids, { uid: true, size: true }, { uid: true })) {
        sizes.set(message.uid, message.size ?? 0)
      }
      for (const uid of [...uids].sort((a, b) => a - b)) {
        if (stopping || !imap.usable) return
        await deliver(imap, uid, sizes.get(uid) ?? 0)
      }
    }
    state.lastSyncAt = clock()
  }

  async function deliver(imap: ImapFlow, uid: number, size: number): Promise<void> {
    const headersOnly = size > maxMessageBytes
    const fetched = await imap.fetchOne(String(uid), headersOnly ? { headers: true } : { source: true }, { uid: true })
    const raw = fetched ? (headersOnly ? fetched.headers : fetched.source) : undefined
    if (!raw) return // expunged by someone else meanwhile
    try {
      await options.ingest(raw, { uid, size, headersOnly })
    } catch (error) {
      state.failed += 1
      state.lastIngestError = error instanceof Error ? error.message : String(error)
      log.error({ ...where, uid, err: error }, 'ingesting a message failed: left unseen, tried again at the next sync')
      return
    }
    await imap.messageFlagsAdd(String(uid), ['\\Seen'], { uid: true })
    if (options.moveTo) await imap.messageMove(String(uid), options.moveTo, { uid: true })
    state.ingested += 1
  }

  const running = (async () => {
    for (let attempt = 0; !stopping; attempt += 1) {
      opened = false
      try {
        await session()
        if (!stopping) failed(new Error('the server closed the connection'))
      } catch (error) {
        failed(error)
      }
      if (stopping) break
      if (opened) attempt = 0 // it had worked: the first retry comes soon
      const delay = Math.min(backoff.maxMs, backoff.initialMs * 2 ** attempt)
      log.warn({ ...where, error: state.lastError, retryInMs: delay }, 'mailbox unavailable')
      await pause(delay)
    }
  })()

  return {
    status: () => ({ ...state }),
    async stop() {
      stopping = true
      wake?.() // a pause (IDLE, the poll, a backoff) ends now; an ingestion in progress finishes first
      if (client && !state.connected) client.close() // still connecting: give up
      let timer: NodeJS.Timeout | undefined
      const grace = new Promise<'late'>((resolve) => {
        timer = setTimeout(() => resolve('late'), timeouts.stopMs)
      })
      // A server that hangs mid-command would hold us until the socket timeout: cut it. A message
      // ingested but not yet marked seen is handed over again at the next start (at least once).
      if ((await Promise.race([running, grace])) === 'late') client?.close()
      clearTimeout(timer)
      await running
    },
  }
}
