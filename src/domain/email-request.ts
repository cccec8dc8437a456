// E-mail requests decided with plain values: who wrote, which request a message joins, whether to answer it automatically, a reply's threading headers.
import { domainToASCII } from 'node:url'

// ── The request tag ────────────────────────────────────────────────────────────────────────
// Model clause §2b: e-mails are answered within 24 working hours. Every e-mail we send about a
// request carries "[SL-<id>]" in its subject, so that a reply whose mail client dropped the
// In-Reply-To and References headers (or a new message that quotes the tag) still finds its request.

export const REQUEST_TAG_PREFIX = 'SL'
const TAG = /\[SL-(\d{1,15})\]/i
const TAGS = /\s*\[SL-\d{1,15}\]/gi

/** `[SL-123]`: the tag of request 123 as it is written in a subject. */
export function formatRequestTag(requestId: number): string {
  return `[${REQUEST_TAG_PREFIX}-${requestId}]`
}

/** The request id of the first `[SL-n]` tag in a subject (case-insensitive), or null. */
export function readRequestTag(subject: string): number | null {
  const match = TAG.exec(subject)
  if (!match) return null
  const id = Number(match[1])
  return id > 0 && Number.isSafeInteger(id) ? id : null
}

// ── Addresses ──────────────────────────────────────────────────────────────────────────────

/**
 * An address compared the way we match it: trimmed, angle brackets dropped, lower-case (local
 * parts are case-sensitive in theory, in no mail system a client uses), domain in its ASCII
 * (punycode) form so that `contact@café.dz` and `contact@xn--caf-dma.dz` are one address. Null when
 * it is not `local@domain`.
 */
export function normaliseAddress(raw: string | null | undefined): string | null {
  const address = (raw ?? '')
    .trim()
    .replace(/^<(.*)>$/, '$1')
    .toLowerCase()
  const at = address.lastIndexOf('@')
  if (at <= 0 || at === address.length - 1 || /\s/.test(address)) return null
  const domain = domainToASCII(address.slice(at + 1))
  return domain ? `${address.slice(0, at)}@${domain}` : null
}

/** A normalised address without its `+detail` (`support+acme@vendor.dz` is `support@vendor.dz`). */
function withoutDetail(address: string): string {
  const at = address.lastIndexOf('@')
  const local = address.slice(0, at)
  const plus = local.indexOf('+')
  return plus > 0 ? `${local.slice(0, plus)}${address.slice(at)}` : address
}

/** True when `address` is one of ours (the support mailbox, the sender of our mail), `+detail` forms included. */
export function isOwnAddress(address: string | null | undefined, ourAddresses: readonly string[]): boolean {
  const normalised = normaliseAddress(address)
  if (!normalised) return false
  const ours = new Set(
    ourAddresses
      .map((a) => normaliseAddress(a))
      .filter((a): a is string => a !== null)
      .map(withoutDetail),
  )
  return ours.has(withoutDetail(normalised))
}

// ── Who wrote ──────────────────────────────────────────────────────────────────────────────

/** What a client registers for e-mail: its designated contacts' addresses and its `emailDomains`. */
export interface ClientMailIdentity {
  id: string
  contactEmails: readonly string[]
  emailDomains: readonly string[]
}

export type Sender =
  | { kind: 'client'; clientId: string; by: 'contact' | 'domain'; address: string }
  | { kind: 'unidentified'; reason: 'no_address' | 'unknown' | 'ambiguous'; address: string | null; candidates: string[] }

/**
 * Who wrote, from the sender's address. A designated contact's address, matched exactly, comes
 * first; then the client whose `emailDomains` holds the address's domain or a parent of it
 * (`acme.dz` covers `it.acme.dz`), the longest registered domain winning (`filiale.groupe.dz`
 * before `groupe.dz`). Two clients claiming the same address or the same domain is a
 * configuration mistake no rule can settle: the sender is then unidentified, the candidates named,
 * and a manager decides.
 */
export function identifySender(rawAddress: string | null | undefined, clients: readonly ClientMailIdentity[]): Sender {
  const address = normaliseAddress(rawAddress)
  if (!address) return { kind: 'unidentified', reason: 'no_address', address: null, candidates: [] }

  const byContact = clients.filter((c) => c.contactEmails.some((e) => normaliseAddress(e) === address))
  if (byContact.length > 0) return oneClient(byContact, 'contact', address)

  const domain = address.slice(address.lastIndexOf('@') + 1)
  let best: { length: number; clients: ClientMailIdentity[] } = { length: 0, clients: [] }
  for (const client of clients) {
    const length = Math.max(0, ...client.emailDomains.map((d) => matchedDomainLength(domain, d)))
    if (length === 0 || length < best.length) continue
    if (length > best.length) best = { length, clients: [] }
    best.clients.push(client)
  }
  if (best.clients.length > 0) return oneClient(best.clients, 'domain', address)
  return { kind: 'unidentified', reason: 'unknown', address, candidates: [] }
}

function oneClient(clients: ClientMailIdentity[], by: 'contact' | 'domain', address: string): Sender {
  const ids = [...new Set(clients.map((c) => c.id))]
  if (ids.length === 1) return { kind: 'client', clientId: ids[0] as string, by, address }
  return { kind: 'unidentified', reason: 'ambiguous', address, candidates: ids.sort() }
}

/** The length of `registered` when `domain` is it or one of its subdomains, else 0. */
function matchedDomainLength(domain: string, registered: string): number {
  const wanted = domainToASCII(registered.trim().replace(/^@/, '').replace(/\.$/, '').toLowerCase())
  if (!wanted) return 0
  return domain === wanted || domain.endsWith(`.${wanted}`) ? wanted.length : 0
}

// ── Threads ────────────────────────────────────────────────────────────────────────────────

/** A Message-ID as compared: trimmed, inside one pair of angle brackets; null when empty. */
export function normaliseMessageId(raw: string | null | undefined): string | null {
  const id = (raw ?? '').trim().replace(/^<+/, '').replace(/>+$/, '').trim()
  return id ? `<${id}>` : null
}

/** What threading reads from an inbound message. */
export interface ThreadFacts {
  messageId: string
  inReplyTo: string | null
  references: readonly string[]
  subject: string
}

/**
 * The Message-IDs to look up for `joinThread`: the message's own (a duplicate), the one it
 * answers, and those it references, normalised, each once.
 */
export function threadLookupIds(email: ThreadFacts): string[] {
  const ids = [email.messageId, email.inReplyTo, ...email.references].map(normaliseMessageId)
  return [...new Set(ids.filter((id): id is string => id !== null))]
}

/** A message already stored (received or sent by us) and the request it belongs to. */
export interface KnownMessage {
  messageId: string
  requestId: number
}

/** The request named by the subject's tag, as found in the store. */
export interface TaggedRequest {
  requestId: number
  clientId: string | null
  /** the addresses that wrote into the request so far */
  addresses: readonly string[]
}

export type ThreadDecision =
  | { kind: 'duplicate'; requestId: number }
  | { kind: 'join'; requestId: number; by: 'in_reply_to' | 'references' | 'tag' }
  | { kind: 'new'; tagRefused: 'unknown_request' | 'other_sender' | null }

/**
 * Which request a message belongs to. Its own Message-ID already stored: a duplicate (polled twice,
 * or posted and polled). Otherwise the message it answers (In-Reply-To), then the most recent of
 * its References; then the subject's tag, but only from the request's own client or from an address
 * that already wrote into it (a tag is easy to type; a Message-ID is known only to the thread's
 * participants). Otherwise a new request.
 */
export function joinThread(
  email: ThreadFacts,
  found: { known: readonly KnownMessage[]; tagged: TaggedRequest | null },
  sender: Sender,
): ThreadDecision {
  const requestOf = new Map<string, number>()
  for (const message of found.known) {
    const id = normaliseMessageId(message.messageId)
    if (id) requestOf.set(id, message.requestId)
  }
  const lookup = (raw: string | null) => {
    const id = normaliseMessageId(raw)
    return id ? requestOf.get(id) : undefined
  }

  const self = lookup(email.messageId)
  if (self !== undefined) return { kind: 'duplicate', requestId: self }
  const answered = lookup(email.inReplyTo)
  if (answered !== undefined) return { kind: 'join', requestId: answered, by: 'in_reply_to' }
  for (const reference of [...email.references].reverse()) {
    const referenced = lookup(reference)
    if (referenced !== undefined) return { kind: 'join', requestId: referenced, by: 'references' }
  }

  const tag = readRequestTag(email.subject)
  if (tag === null) return { kind: 'new', tagRefused: null }
  const tagged = found.tagged
  if (!tagged || tagged.requestId !== tag) return { kind: 'new', tagRefused: 'unknown_request' }
  const sameClient = sender.kind === 'client' && tagged.clientId === sender.clientId
  const knownAddress = sender.address !== null && tagged.addresses.some((a) => normaliseAddress(a) === sender.address)
  if (sameClient || knownAddress) return { kind: 'join', requestId: tag, by: 'tag' }
  return { kind: 'new', tagRefused: 'other_sender' }
}

// ── Answering automatically ────────────────────────────────────────────────────────────────

/** What the no-loop rules read from an inbound message. */
export interface AutoAnswerFacts {
  from: string | null
  /** machine-made mail: auto-replies, bounces, lists (see docs/EMAIL.md) */
  automatic: boolean
  /** the sender asked for no automatic answers (`X-Auto-Response-Suppress`) */
  suppressAutoReply: boolean
}

export type AutoAnswer =
  | { send: true; to: string }
  | {
      send: false
      reason:
        | 'automatic'
        | 'auto_reply_suppressed'
        | 'no_sender'
        | 'own_address'
        | 'disabled'
        | 'unidentified'
        | 'not_a_new_request'
    }

/**
 * Whether any automatic answer (an acknowledgement, a refusal saying why) may go out: never to
 * automatic mail, never to a sender who asked for none, never to one of our own addresses (no
 * loops, RFC 3834). It goes to the From address, the one that identified the client, not to a
 * Reply-To that anyone can set.
 */
export function mayAnswerAutomatically(email: AutoAnswerFacts, ourAddresses: readonly string[]): AutoAnswer {
  if (email.automatic) return { send: false, reason: 'automatic' }
  if (email.suppressAutoReply) return { send: false, reason: 'auto_reply_suppressed' }
  const to = normaliseAddress(email.from)
  if (!to) return { send: false, reason: 'no_sender' }
  if (isOwnAddress(to, ourAddresses)) return { send: false, reason: 'own_address' }
  return { send: true, to }
}

/**
 * Whether to acknowledge: the desk acknowledges (on by default), the message opened a new request
 * (a reply joining its thread, or a duplicate, is not acknowledged again), the sender is an
 * identified client (acknowledging unknown senders would answer spam), and the no-loop rules allow.
 */
export function shouldAcknowledge(facts: {
  email: AutoAnswerFacts
  sender: Sender
  thread: ThreadDecision
  acknowledgements: boolean
  ourAddresses: readonly string[]
}): AutoAnswer {
  const allowed = mayAnswerAutomatically(facts.email, facts.ourAddresses)
  if (!allowed.send) return allowed
  if (!facts.acknowledgements) return { send: false, reason: 'disabled' }
  if (facts.thread.kind !== 'new') return { send: false, reason: 'not_a_new_request' }
  if (facts.sender.kind !== 'client') return { send: false, reason: 'unidentified' }
  return allowed
}

/**
 * Where an agent's answer goes: the Reply-To addresses when the message has some, else From, our
 * own addresses left out (an answer to ourselves would come back as a new message). Null: nobody.
 */
export function answerRecipients(
  email: { from: string | null; replyTo: readonly string[] },
  ourAddresses: readonly string[],
): string[] {
  const candidates = email.replyTo.length > 0 ? email.replyTo : [email.from]
  const recipients = candidates
    .map((a) => normaliseAddress(a))
    .filter((a): a is string => a !== null && !isOwnAddress(a, ourAddresses))
  return [...new Set(recipients)]
}

// ── A reply's headers ──────────────────────────────────────────────────────────────────────

/** Reply prefixes mail clients write: Re, RE, Réf, AW (German), SV (Nordic), Antw (Dutch), رد (Arabic), with "Re[2]:" counters. */
const REPLY_PREFIX = /^\s*(?:re|réf|ref|aw|sv|antw|رد)\s*(?:\[\d+\]|\(\d+\))?\s*:\s*/i

/** The most References a reply carries: the first (the thread's root) and the latest ones (RFC 5322 §3.6.4 allows trimming). */
export const MAX_REFERENCES = 20

/** "Re: [SL-123] <subject>": one `Re:`, the request's tag once, the client's words kept. */
export function replySubject(subject: string, requestId: number): string {
  let rest = subject.replace(/\s+/g, ' ')
  for (let previous = ''; previous !== rest; ) {
    previous = rest
    rest = rest.replace(REPLY_PREFIX, '').replace(TAGS, '').trim()
  }
  return `Re: ${formatRequestTag(requestId)}${rest ? ` ${rest}` : ''}`
}

export interface ReplyHeaders {
  subject: string
  inReplyTo: string | null
  references: string[]
}

/**
 * The threading headers of our reply to `original` (an acknowledgement or an agent's answer):
 * In-Reply-To its Message-ID, References its References followed by its Message-ID (trimmed to
 * the root and the latest ones), and the subject with one `Re:` and the request's tag.
 */
export function replyHeaders(original: Omit<ThreadFacts, 'inReplyTo'>, requestId: number): ReplyHeaders {
  const parent = normaliseMessageId(original.messageId)
  const chain = [...original.references, original.messageId].map(normaliseMessageId).filter((id): id is string => id !== null)
  const unique = [...new Set(chain)]
  const references =
    unique.length > MAX_REFERENCES ? [unique[0] as string, ...unique.slice(unique.length - MAX_REFERENCES + 1)] : unique
  return { subject: replySubject(original.subject, requestId), inReplyTo: parent, references }
}
