// A raw RFC 822 message → an InboundEmail value: addresses decoded, text, sanitised HTML, attachments within limits, automatic mail told apart.
import { createHash } from 'node:crypto'
import type { AddressObject, AttachmentStream, HeaderLines, MessageText } from 'mailparser'
import type sanitizeHtml from 'sanitize-html'
import { normaliseAddress, normaliseMessageId, readRequestTag } from '../domain/email-request.js'

const MB = 1024 * 1024

/** What one message may cost. Each is documented in docs/EMAIL.md. */
export interface EmailLimits {
  /** attachment content kept per message, all attachments together; beyond, an attachment is kept as its name and size */
  keptAttachmentBytes: number
  /** above this size only the message's headers are read (its body stays in the mailbox) */
  maxMessageBytes: number
  /** plain text kept, in characters */
  maxTextChars: number
  /** HTML sanitised and kept (and converted to text when there is no text part), in characters */
  maxHtmlChars: number
}

export const EMAIL_LIMITS: EmailLimits = {
  keptAttachmentBytes: 10 * MB,
  maxMessageBytes: 40 * MB,
  maxTextChars: 1_000_000,
  maxHtmlChars: 2_000_000,
}

export interface EmailAddress {
  /** as written (case kept, internationalised domain in Unicode); compare with `normaliseAddress` */
  address: string
  /** the display name, RFC 2047 decoded; '' when none */
  name: string
}

export interface EmailAttachment {
  filename: string | null
  contentType: string
  /** decoded size in bytes, whether the content was kept or not */
  size: number
  /** `Content-ID` without brackets, for `cid:` images */
  contentId: string | null
  inline: boolean
  /** null when not kept: see `omitted` */
  content: Buffer | null
  omitted: 'over_limit' | null
}

/** What went wrong or was left out, as codes (the dashboard words them in the reader's language). */
export type EmailProblem =
  | { code: 'too_large'; size: number; limit: number }
  | { code: 'unparseable'; message: string }
  | { code: 'attachments_over_limit'; omitted: number; limit: number }
  | { code: 'text_truncated'; chars: number; limit: number }
  | { code: 'html_dropped'; chars: number; limit: number }
  | { code: 'message_id_derived' }

export type AutomaticReason =
  | 'auto_submitted'
  | 'precedence'
  | 'list'
  | 'mailer_daemon'
  | 'null_return_path'
  | 'delivery_report'
  | 'x_autoreply'

export interface InboundEmail {
  /** `<id>` as the message says, or derived (see `messageIdDerived`) */
  messageId: string
  messageIdDerived: boolean
  from: EmailAddress | null
  replyTo: EmailAddress[]
  to: EmailAddress[]
  cc: EmailAddress[]
  subject: string
  /** the Date header; null when missing or unreadable (never "now": parsing has no clock) */
  date: Date | null
  inReplyTo: string | null
  references: string[]
  /** the text part, or the HTML converted to text */
  text: string
  /** sanitised: safe to render (no scripts, handlers, forms, styles or remote images) */
  html: string | null
  attachments: EmailAttachment[]
  /** machine-made mail: never opens a request, never answered */
  automatic: boolean
  automaticReason: AutomaticReason | null
  /** the sender asked for no automatic answers (X-Auto-Response-Suppress): a request, but no acknowledgement */
  suppressAutoReply: boolean
  /** the request named by the subject's `[SL-n]` tag */
  requestTag: number | null
  /** the message's size in bytes */
  size: number
  /** only the headers were read (too large, or MIME that could not be parsed) */
  headersOnly: boolean
  problems: EmailProblem[]
}

export interface ParseOptions {
  limits?: Partial<EmailLimits>
  /**
   * `raw` holds the message's header block only, read so by the mailbox for a message above
   * `maxMessageBytes`, whose whole size is `size`.
   */
  headersOnly?: { size: number }
}

/**
 * Parses one message. Never throws for what a message contains: MIME that mailparser refuses gives
 * the headers alone with an `unparseable` problem, so that no message is lost for its shape.
 */
export async function parseEmail(raw: Buffer, options: ParseOptions = {}): Promise<InboundEmail> {
  const { sanitizeHtml, htmlToText, SANITIZE } = await parsingLibraries()
  const limits = { ...EMAIL_LIMITS, ...options.limits }
  const problems: EmailProblem[] = []
  const size = options.headersOnly?.size ?? raw.length
  const { head, body } = splitHead(raw)

  let headersOnly = options.headersOnly !== undefined || raw.length > limits.maxMessageBytes
  if (headersOnly) problems.push({ code: 'too_large', size, limit: limits.maxMessageBytes })

  let parsed: Parsed
  try {
    parsed = await runParser(headersOnly ? head : raw, limits)
  } catch (error) {
    problems.push({ code: 'unparseable', message: error instanceof Error ? error.message : String(error) })
    headersOnly = true
    parsed = await runParser(head, limits).catch(() => EMPTY)
  }

  const header = (key: string) => headerValue(parsed.headerLines, key)
  const from = addresses(parsed.headers.get('from'))[0] ?? null
  const subject = stringHeader(parsed.headers.get('subject'))

  let messageId = normaliseMessageId(firstMessageId(header('message-id')))
  const messageIdDerived = messageId === null
  if (messageId === null) {
    messageId = deriveMessageId({ from: from?.address ?? null, header, body: headersOnly ? null : body, size })
    problems.push({ code: 'message_id_derived' })
  }

  const html = parsed.html ?? null
  let safeHtml: string | null = null
  if (html !== null && html.length > limits.maxHtmlChars) {
    problems.push({ code: 'html_dropped', chars: html.length, limit: limits.maxHtmlChars })
  } else if (html !== null) {
    safeHtml = sanitizeHtml(html, SANITIZE)
  }
  let text = parsed.text ?? (safeHtml ? htmlToText(safeHtml, { wordwrap: false, selectors: TEXT_SELECTORS }) : '')
  if (text.length > limits.maxTextChars) {
    problems.push({ code: 'text_truncated', chars: text.length, limit: limits.maxTextChars })
    text = text.slice(0, limits.maxTextChars)
  }

  const omitted = parsed.attachments.filter((a) => a.omitted).length
  if (omitted > 0) problems.push({ code: 'attachments_over_limit', omitted, limit: limits.keptAttachmentBytes })

  const automaticReason = automaticMail(header, from, stringHeader(parsed.contentType))
  return {
    messageId,
    messageIdDerived,
    from,
    replyTo: addresses(parsed.headers.get('reply-to')),
    to: addresses(parsed.headers.get('to')),
    cc: addresses(parsed.headers.get('cc')),
    subject,
    date: readDate(header('date')),
    inReplyTo: normaliseMessageId(firstMessageId(header('in-reply-to'))),
    references: messageIds(header('references')),
    text,
    html: safeHtml,
    attachments: parsed.attachments,
    automatic: automaticReason !== null,
    automaticReason,
    suppressAutoReply: suppressesAutoReply(header('x-auto-response-suppress')),
    requestTag: readRequestTag(subject),
    size,
    headersOnly,
    problems,
  }
}

// ── Streaming through mailparser ───────────────────────────────────────────────────────────

interface Parsed {
  headers: Map<string, unknown>
  headerLines: HeaderLines
  contentType: unknown
  text: string | undefined
  html: string | undefined
  attachments: EmailAttachment[]
}

const EMPTY: Parsed = {
  headers: new Map(),
  headerLines: [],
  contentType: undefined,
  text: undefined,
  html: undefined,
  attachments: [],
}

/**
 * mailparser's streaming parser rather than `simpleParser`, which buffers every attachment: each
 * attachment's content is read as a stream and kept only while the message's total stays within
 * `keptAttachmentBytes`, so a 30 MB message costs its raw bytes plus at most 10 MB, not twice 30.
 */
async function runParser(source: Buffer, limits: EmailLimits): Promise<Parsed> {
  const { MailParser } = await parsingLibraries()
  const parser = new MailParser({
    checksumAlgo: false,
    skipTextToHtml: true,
    skipTextLinks: true,
    skipImageLinks: true,
    maxHtmlLengthToParse: limits.maxHtmlChars,
  })
  const attachments: EmailAttachment[] = []
  let kept = 0
  let message: MessageText | undefined
  parser.end(source)
  for await (const item of parser as AsyncIterable<AttachmentStream | MessageText>) {
    if (item.type === 'text') {
      message = item
      continue
    }
    const chunks: Buffer[] = []
    let size = 0
    let keep = true
    for await (const chunk of item.content as AsyncIterable<Buffer>) {
      size += chunk.length
      keep = keep && kept + size <= limits.keptAttachmentBytes
      if (keep) chunks.push(chunk)
      else chunks.length = 0
    }
    item.release?.()
    if (keep) kept += size
    attachments.push({
      filename: item.filename ?? null,
      contentType: item.contentType,
      size,
      contentId: item.cid ?? null,
      inline: item.contentDisposition === 'inline' || item.related === true,
      content: keep ? Buffer.concat(chunks) : null,
      omitted: keep ? null : 'over_limit',
    })
  }
  const headers = parser.headers || new Map()
  return {
    headers,
    headerLines: parser.headerLines || [],
    contentType: (headers.get('content-type') as { value?: string } | undefined)?.value,
    text: message?.text,
    html: message?.html,
    attachments,
  }
}

/** The header block (what comes before the first empty line) and the body after it. */
function splitHead(raw: Buffer): { head: Buffer; body: Buffer } {
  const candidates = [
    [raw.indexOf('\r\n\r\n'), 4],
    [raw.indexOf('\n\n'), 2],
  ].filter(([at]) => (at as number) >= 0) as [number, number][]
  if (candidates.length === 0) return { head: raw, body: Buffer.alloc(0) }
  const [at, length] = candidates.reduce((a, b) => (b[0] < a[0] ? b : a))
  return { head: Buffer.concat([raw.subarray(0, at), Buffer.from('\r\n\r\n')]), body: raw.subarray(at + length) }
}

// ── Headers ────────────────────────────────────────────────────────────────────────────────

/** The first header of that name as written, unfolded, undecoded (for rules and the derived Message-ID). */
function headerValue(lines: HeaderLines, key: string): string | null {
  const line = lines.find((l) => l.key === key)?.line
  if (line === undefined) return null
  return line
    .slice(line.indexOf(':') + 1)
    .replace(/\r?\n[ \t]+/g, ' ')
    .trim()
}

function stringHeader(value: unknown): string {
  return typeof value === 'string' ? value.replace(/\s+/g, ' ').trim() : ''
}

function addresses(value: unknown): EmailAddress[] {
  const objects = (Array.isArray(value) ? value : value ? [value] : []) as AddressObject[]
  const flat = objects.flatMap((o) => o.value ?? []).flatMap((a) => (a.group ? a.group : [a]))
  return flat
    .filter((a) => typeof a.address === 'string' && a.address.includes('@'))
    .map((a) => ({ address: a.address as string, name: a.name ?? '' }))
}

/** `<id>` tokens of a header; a header without brackets (some old mailers) is one bare id. */
function messageIds(value: string | null): string[] {
  if (!value) return []
  const bracketed = value.match(/<[^<>\s]+>/g)
  const ids = bracketed ?? value.split(/\s+/)
  return [...new Set(ids.map(normaliseMessageId).filter((id): id is string => id !== null))]
}

function firstMessageId(value: string | null): string | null {
  return messageIds(value)[0] ?? null
}

function readDate(value: string | null): Date | null {
  if (!value) return null
  const date = new Date(value.replace(/\s*\([^)]*\)\s*$/, ''))
  return Number.isNaN(date.getTime()) ? null : date
}

/**
 * A stable Message-ID for a message without one, so that the same message fetched twice, or
 * posted and fetched, is recognised: sha256 over the sender's address, the Date, Subject and To
 * headers as written, and the body with line ends normalised (hops add and reorder Received
 * headers, so the whole raw would not do). When the body was not read (too large), its size
 * stands in for it.
 */
function deriveMessageId(facts: {
  from: string | null
  header: (key: string) => string | null
  body: Buffer | null
  size: number
}): string {
  const body = facts.body
    ? createHash('sha256').update(facts.body.toString('latin1').replace(/\r\n/g, '\n').trimEnd(), 'latin1').digest('hex')
    : `size:${facts.size}`
  const parts = [normaliseAddress(facts.from) ?? '', facts.header('date'), facts.header('subject'), facts.header('to'), body]
  const hash = createHash('sha256')
    .update(parts.map((p) => p ?? '').join('\n'))
    .digest('hex')
  return `<${hash}@derived.supportline>`
}

// ── Automatic mail (RFC 3834 and what mail systems really send) ────────────────────────────

function automaticMail(
  header: (key: string) => string | null,
  from: EmailAddress | null,
  contentType: string,
): AutomaticReason | null {
  const autoSubmitted = header('auto-submitted')?.split(';')[0]?.trim().toLowerCase()
  if (autoSubmitted && autoSubmitted !== 'no') return 'auto_submitted'
  if (/^(bulk|junk|list)$/i.test(header('precedence') ?? '')) return 'precedence'
  if (header('list-id') !== null || header('list-unsubscribe') !== null) return 'list'
  const local = from?.address.slice(0, from.address.lastIndexOf('@')).toLowerCase()
  if (local === 'mailer-daemon' || local === 'postmaster') return 'mailer_daemon'
  if (/^<\s*>$/.test(header('return-path') ?? '')) return 'null_return_path'
  if (contentType.toLowerCase() === 'multipart/report') return 'delivery_report'
  if (['x-autoreply', 'x-autorespond', 'x-auto-reply'].some((key) => header(key) !== null)) return 'x_autoreply'
  return null
}

/** Microsoft's X-Auto-Response-Suppress: `All`, `OOF` or `AutoReply` ask us not to answer automatically. */
function suppressesAutoReply(value: string | null): boolean {
  return value !== null && /\b(all|oof|autoreply)\b/i.test(value)
}

// ── Sanitising HTML ────────────────────────────────────────────────────────────────────────

/** Images only from the message itself (`cid:`) or small raster `data:` images: a remote image tells its sender the mail was read. */
const SAFE_IMAGE = /^(cid:|data:image\/(png|jpe?g|gif|webp);)/i

/**
 * The parsing libraries load with the first message rather than at start (about 0.4 s of CPU that a
 * desk without e-mail, and every start, would otherwise pay); the first message waits for them once.
 */
let libraries: ReturnType<typeof loadParsingLibraries> | null = null
function parsingLibraries() {
  libraries ??= loadParsingLibraries()
  return libraries
}

async function loadParsingLibraries() {
  const [{ MailParser }, { default: sanitizeHtml }, { convert: htmlToText }] = await Promise.all([
    import('mailparser'),
    import('sanitize-html'),
    import('html-to-text'),
  ])
  return { MailParser, sanitizeHtml, htmlToText, SANITIZE: sanitizeOptions(sanitizeHtml.defaults.allowedTags) }
}

const sanitizeOptions = (defaultTags: readonly string[]): sanitizeHtml.IOptions => ({
  allowedTags: [...defaultTags, 'img', 'font', 'center'],
  allowedAttributes: {
    a: ['href', 'title', 'rel', 'target'],
    img: ['src', 'alt', 'title', 'width', 'height'],
    td: ['colspan', 'rowspan', 'align', 'valign'],
    th: ['colspan', 'rowspan', 'align', 'valign'],
    font: ['color'],
    '*': ['dir', 'lang'],
  },
  allowedSchemes: ['http', 'https', 'mailto', 'tel'],
  allowedSchemesByTag: { img: ['cid', 'data'] },
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'title', 'head', 'iframe', 'object', 'template'],
  transformTags: {
    a: (tagName, attribs) => ({ tagName, attribs: { ...attribs, rel: 'noopener noreferrer nofollow', target: '_blank' } }),
  },
  exclusiveFilter: (frame) => frame.tag === 'img' && !SAFE_IMAGE.test(frame.attribs.src ?? ''),
})

/** Images and link targets are not text; links keep their words only. */
const TEXT_SELECTORS = [
  { selector: 'img', format: 'skip' },
  { selector: 'a', options: { ignoreHref: true } },
]
