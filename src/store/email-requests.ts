// E-mail requests (issue #15): each message stored once by its Message-ID, joined to its thread
// or opening a request in the desk's queue (channel `email`), refused for a suspended client or one
// without a contract in force, or left for a manager when its sender is unknown; the
// acknowledgement, the refusal and the agent's answer written to the outbox in the same transaction.
import { randomUUID } from 'node:crypto'
import { and, asc, desc, eq, inArray, isNotNull, sql } from 'drizzle-orm'
import type { Database, Queryable } from '../../db/client.js'
import {
  callbacks,
  clientEmailAddresses,
  clients,
  contracts,
  desks as deskTable,
  emailCounts,
  emailAttachments,
  emailMessages,
  usage,
} from '../../db/schema.js'
import { contractInForce } from '../domain/call.js'
import { emailDue } from '../domain/callback.js'
import type { DeskFacts } from '../domain/call.js'
import { configuredContract } from '../domain/configured-facts.js'
import { localDate } from '../domain/contract-overview.js'
import { termsForMonth } from '../domain/contract-terms.js'
import {
  type ClientMailIdentity,
  type KnownMessage,
  type Sender,
  type TaggedRequest,
  type ThreadDecision,
  type ThreadFacts,
  answerRecipients,
  identifySender,
  joinThread,
  mayAnswerAutomatically,
  normaliseAddress,
  normaliseMessageId,
  replyHeaders,
  shouldAcknowledge,
  threadLookupIds,
} from '../domain/email-request.js'
import { acknowledgementText, refusalHeaders, refusalText } from '../domain/email-words.js'
import type { EmailOutData } from '../domain/notifications.js'
import { monthOf, splitEmailSeconds } from '../domain/quota.js'
import type { InboundEmail } from '../email/parse.js'
import type { Actor } from './calendar.js'
import { type CallbackItem, findCallback } from './callback-queue.js'
import { findDesk } from './desks.js'
import { notify, notifyCallback } from './notifications.js'

/** What ingestion needs besides the message: when, how it came, and who we are. */
export interface MailContext {
  now: Date
  via: 'imap' | 'webhook'
  /** our own addresses (MAIL_FROM, the mailbox's user): never answered automatically */
  ourAddresses: readonly string[]
  /** the domain of the Message-IDs we write */
  mailDomain: string
}

export type IngestOutcome = 'duplicate' | 'automatic' | 'unidentified' | 'refused' | 'opened' | 'joined'

export interface Ingested {
  outcome: IngestOutcome
  messageId: string
  requestId: number | null
  /** an acknowledgement or a refusal was written to the outbox */
  answered: boolean
}

type MessageRow = typeof emailMessages.$inferSelect

/**
 * Stores one inbound message, exactly once by its Message-ID (the insert is the claim: a second
 * delivery, from the mailbox or the webhook, finds the row and changes nothing), and decides what
 * it is, in one transaction with whatever it owes the outbox.
 */
export async function ingestEmail(db: Database, email: InboundEmail, context: MailContext): Promise<Ingested> {
  return db.transaction(async (tx) => {
    const messageId = normaliseMessageId(email.messageId) ?? email.messageId
    const rowId = await insertInbound(tx, email, messageId, context)
    if (rowId === null) {
      const [known] = await tx
        .select({ requestId: emailMessages.requestId })
        .from(emailMessages)
        .where(eq(emailMessages.messageId, messageId))
      return { outcome: 'duplicate', messageId, requestId: known?.requestId ?? null, answered: false }
    }
    const settle = (
      outcome: Exclude<IngestOutcome, 'duplicate'>,
      set: Partial<MessageRow>,
      requestId: number | null,
      answered = false,
    ) =>
      tx
        .update(emailMessages)
        .set({ disposition: outcome, ...set })
        .where(eq(emailMessages.id, rowId))
        .then((): Ingested => ({ outcome, messageId, requestId, answered }))

    // No loops: machine-made mail never opens a request and is never answered.
    if (email.automatic) return settle('automatic', { detail: { automaticReason: email.automaticReason } }, null)

    const sender = identifySender(email.from?.address, await mailIdentities(tx))
    const facts: ThreadFacts = { messageId, inReplyTo: email.inReplyTo, references: email.references, subject: email.subject }
    const thread = joinThread(
      facts,
      {
        known: await knownMessages(tx, threadLookupIds(facts)),
        tagged: email.requestTag ? await taggedRequest(tx, email.requestTag) : null,
      },
      sender,
    )
    let follows: number | null = null
    if (thread.kind === 'join' || thread.kind === 'duplicate') {
      const [request] = await tx
        .select({ status: callbacks.status, clientId: callbacks.clientId })
        .from(callbacks)
        .where(eq(callbacks.id, thread.requestId))
      if (request?.status === 'open')
        return settle('joined', { requestId: thread.requestId, clientId: request.clientId }, thread.requestId)
      // A message into a request already answered opens a new one that follows it (no acknowledgement).
      follows = thread.requestId
    }
    if (sender.kind === 'unidentified') {
      const tagRefused = thread.kind === 'new' ? thread.tagRefused : null
      return settle('unidentified', { detail: { reason: sender.reason, candidates: sender.candidates, tagRefused } }, null)
    }
    const opened = await openOrRefuse(tx, { rowId, email, messageId, sender, thread, follows }, context)
    return settle(
      opened.kind === 'opened' ? 'opened' : 'refused',
      {},
      opened.kind === 'opened' ? opened.requestId : null,
      opened.answered,
    )
  })
}

async function insertInbound(tx: Queryable, email: InboundEmail, messageId: string, context: MailContext) {
  const [row] = await tx
    .insert(emailMessages)
    .values({
      messageId,
      direction: 'in',
      disposition: 'unidentified',
      via: context.via,
      fromAddress: normaliseAddress(email.from?.address) ?? email.from?.address ?? null,
      fromName: email.from?.name || null,
      replyTo: email.replyTo.map((a) => a.address),
      to: [...email.to, ...email.cc].map((a) => a.address),
      subject: email.subject,
      date: email.date,
      inReplyTo: email.inReplyTo,
      references: email.references,
      text: email.text,
      html: email.html,
      size: email.size,
      detail: email.problems.length > 0 ? { problems: email.problems } : {},
      receivedAt: context.now,
    })
    .onConflictDoNothing({ target: emailMessages.messageId })
    .returning({ id: emailMessages.id })
  if (!row) return null
  if (email.attachments.length > 0)
    await tx.insert(emailAttachments).values(
      email.attachments.map((a, position) => ({
        messageRowId: row.id,
        position,
        filename: a.filename,
        contentType: a.contentType,
        size: a.size,
        contentId: a.contentId,
        inline: a.inline,
        content: a.content ? new Uint8Array(a.content.buffer, a.content.byteOffset, a.content.byteLength) : null,
        omitted: a.omitted,
      })),
    )
  return row.id
}

/** Every active client's mail identity: its contact's e-mail, the addresses managers tied to it, its domains. */
async function mailIdentities(tx: Queryable): Promise<ClientMailIdentity[]> {
  const [rows, added] = await Promise.all([
    tx
      .select({ id: clients.id, contact: clients.contact, emailDomains: clients.emailDomains })
      .from(clients)
      .where(eq(clients.active, true)),
    tx.select().from(clientEmailAddresses),
  ])
  return rows.map((client) => ({
    id: client.id,
    contactEmails: [
      ...(client.contact?.email ? [client.contact.email] : []),
      ...added.filter((a) => a.clientId === client.id).map((a) => a.address),
    ],
    emailDomains: client.emailDomains,
  }))
}

async function knownMessages(tx: Queryable, ids: string[]): Promise<KnownMessage[]> {
  if (ids.length === 0) return []
  const rows = await tx
    .select({ messageId: emailMessages.messageId, requestId: emailMessages.requestId })
    .from(emailMessages)
    .where(and(inArray(emailMessages.messageId, ids), isNotNull(emailMessages.requestId)))
  return rows.map((row) => ({ messageId: row.messageId, requestId: row.requestId as number }))
}

async function taggedRequest(tx: Queryable, requestId: number): Promise<TaggedRequest | null> {
  const [request] = await tx
    .select({ id: callbacks.id, clientId: callbacks.clientId })
    .from(callbacks)
    .where(and(eq(callbacks.id, requestId), eq(callbacks.channel, 'email')))
  if (!request) return null
  const writers = await tx
    .selectDistinct({ address: emailMessages.fromAddress })
    .from(emailMessages)
    .where(and(eq(emailMessages.requestId, requestId), eq(emailMessages.direction, 'in')))
  return {
    requestId: request.id,
    clientId: request.clientId,
    addresses: writers.flatMap((w) => (w.address ? [w.address] : [])),
  }
}

/** A client's standing for e-mail, as the phone decides it: suspended, no contract in force, or the desk that answers. */
type Standing =
  | { kind: 'ok'; desk: DeskFacts; client: ClientFacts }
  | { kind: 'suspended' | 'no_contract'; desk: DeskFacts | null; client: ClientFacts }
  | { kind: 'unknown_client' }

interface ClientFacts {
  id: string
  name: string
  language: string | null
}

async function standingOf(tx: Queryable, clientId: string, now: Date): Promise<Standing> {
  const [client] = await tx
    .select()
    .from(clients)
    .where(and(eq(clients.id, clientId), eq(clients.active, true)))
  if (!client) return { kind: 'unknown_client' }
  const facts = { id: client.id, name: client.name, language: client.language }
  const rows = await tx
    .select()
    .from(contracts)
    .where(and(eq(contracts.clientId, clientId), eq(contracts.active, true)))
    .orderBy(desc(contracts.start))
  // The contract in force on each desk's own local date; the most recently signed first.
  const desks = new Map<string, DeskFacts | null>()
  for (const row of rows) if (!desks.has(row.deskId)) desks.set(row.deskId, await findDesk(tx, row.deskId))
  let inForce: DeskFacts | null = null
  for (const row of rows) {
    const desk = desks.get(row.deskId)
    if (!desk) continue
    const contract = { ...configuredContract(row.id, { ...row, noticeGivenOn: row.noticeGivenOn }), usedSeconds: 0 }
    if (contractInForce([contract], localDate(now, desk.timezone))) {
      inForce = desk
      break
    }
  }
  const anyDesk = inForce ?? [...desks.values()].find((d): d is DeskFacts => d !== null) ?? null
  if (client.suspended) return { kind: 'suspended', desk: anyDesk, client: facts }
  if (!inForce) return { kind: 'no_contract', desk: anyDesk, client: facts }
  return { kind: 'ok', desk: inForce, client: facts }
}

type Opened = { kind: 'opened'; requestId: number; answered: boolean } | { kind: 'refused'; answered: boolean }

/**
 * An identified client's message that joins no open request: a new request on the desk of its
 * contract in force, acknowledged; or, for a suspended client or one without a contract in force,
 * recorded and answered with the phone's words for it.
 */
async function openOrRefuse(
  tx: Queryable,
  m: {
    rowId: number
    email: InboundEmail
    messageId: string
    sender: Extract<Sender, { kind: 'client' }>
    thread: ThreadDecision
    follows: number | null
  },
  context: MailContext,
): Promise<Opened> {
  const { email, sender } = m
  const standing = await standingOf(tx, sender.clientId, context.now)
  if (standing.kind === 'unknown_client') return { kind: 'refused', answered: false }
  await tx.update(emailMessages).set({ clientId: sender.clientId }).where(eq(emailMessages.id, m.rowId))
  const language = standing.client.language ?? standing.desk?.language ?? 'fr-FR'
  const autoAnswer = {
    from: email.from?.address ?? null,
    automatic: email.automatic,
    suppressAutoReply: email.suppressAutoReply,
  }

  if (standing.kind !== 'ok') {
    await tx
      .update(emailMessages)
      .set({ detail: { ...problemsOf(email), refused: standing.kind } })
      .where(eq(emailMessages.id, m.rowId))
    const allowed = mayAnswerAutomatically(autoAnswer, context.ourAddresses)
    if (!allowed.send || !standing.desk) return { kind: 'refused', answered: false }
    const headers = refusalHeaders({ messageId: m.messageId, references: email.references, subject: email.subject })
    await writeOutgoing(
      tx,
      'email.refused',
      standing.desk.id,
      {
        requestId: null,
        clientId: sender.clientId,
        to: [allowed.to],
        language,
        subject: headers.subject,
        text: refusalText(standing.kind, {
          clientName: standing.client.name,
          deskName: standing.desk.name,
          language,
          templates: standing.desk.templates,
        }),
        messageId: ourMessageId('refusal', context.mailDomain),
        inReplyTo: headers.inReplyTo,
        references: headers.references,
        automatic: true,
      },
      context.now,
    )
    return { kind: 'refused', answered: true }
  }

  const desk = standing.desk
  const due = emailDue(desk, context.now)
  const [request] = await tx
    .insert(callbacks)
    .values({
      channel: 'email',
      deskId: desk.id,
      clientId: sender.clientId,
      fromAddress: sender.address,
      subject: email.subject,
      reason: 'email',
      createdAt: context.now,
      dueAt: due,
    })
    .returning({ id: callbacks.id })
  const requestId = (request as { id: number }).id
  await tx
    .update(emailMessages)
    .set({ requestId, ...(m.follows ? { detail: { ...problemsOf(email), follows: m.follows } } : {}) })
    .where(eq(emailMessages.id, m.rowId))
  // The desk's mailbox hears of a new request as of a phone one (callback.opened).
  await notifyCallback(tx, 'callback.opened', { emailRequestId: requestId }, context.now, {})

  const ack = shouldAcknowledge({
    email: autoAnswer,
    sender,
    thread: m.follows ? m.thread : { kind: 'new', tagRefused: null },
    acknowledgements: desk.options.emailAcknowledgements ?? true,
    ourAddresses: context.ourAddresses,
  })
  if (!ack.send) return { kind: 'opened', requestId, answered: false }
  const headers = replyHeaders({ messageId: m.messageId, references: email.references, subject: email.subject }, requestId)
  await writeOutgoing(
    tx,
    'email.acknowledged',
    desk.id,
    {
      requestId,
      clientId: sender.clientId,
      to: [ack.to],
      language,
      subject: headers.subject,
      text: acknowledgementText({ requestId, deskName: desk.name, timezone: desk.timezone, language, due }),
      messageId: ourMessageId(`ack-${requestId}`, context.mailDomain),
      inReplyTo: headers.inReplyTo,
      references: headers.references,
      automatic: true,
    },
    context.now,
  )
  return { kind: 'opened', requestId, answered: true }
}

const problemsOf = (email: InboundEmail) => (email.problems.length > 0 ? { problems: email.problems } : {})

/** `<sl-ack-7.8c1e…@vendor.dz>`: ours, unique across databases (a request id alone is not). */
function ourMessageId(kind: string, domain: string): string {
  return `<sl-${kind}.${randomUUID()}@${domain}>`
}

/**
 * An e-mail we send about a request: stored as a message of its thread (so that the client's reply
 * to it finds the request) and written to the outbox, in the caller's transaction.
 */
async function writeOutgoing(
  tx: Queryable,
  type: 'email.acknowledged' | 'email.refused' | 'email.answered',
  deskId: string,
  data: EmailOutData,
  at: Date,
): Promise<void> {
  await tx.insert(emailMessages).values({
    messageId: data.messageId,
    direction: 'out',
    disposition: 'sent',
    requestId: data.requestId,
    clientId: data.clientId,
    via: type.slice('email.'.length),
    to: data.to,
    subject: data.subject,
    inReplyTo: data.inReplyTo,
    references: data.references,
    text: data.text,
    receivedAt: at,
  })
  await notify(tx, { type, key: `${type}:${data.messageId}`, desk: deskId, clientId: data.clientId, at, data })
}

// ── The unidentified list ──────────────────────────────────────────────────────────────────

export type UnidentifiedMessage = Pick<
  MessageRow,
  'id' | 'messageId' | 'fromAddress' | 'fromName' | 'subject' | 'text' | 'receivedAt' | 'detail'
>

/** Messages whose sender no client is known by, the latest first, for a manager to assign. */
export async function listUnidentified(db: Queryable, limit: number): Promise<UnidentifiedMessage[]> {
  return db
    .select({
      id: emailMessages.id,
      messageId: emailMessages.messageId,
      fromAddress: emailMessages.fromAddress,
      fromName: emailMessages.fromName,
      subject: emailMessages.subject,
      text: emailMessages.text,
      receivedAt: emailMessages.receivedAt,
      detail: emailMessages.detail,
    })
    .from(emailMessages)
    .where(and(eq(emailMessages.direction, 'in'), eq(emailMessages.disposition, 'unidentified')))
    .orderBy(desc(emailMessages.receivedAt), desc(emailMessages.id))
    .limit(limit)
}

export type AssignResult =
  | { ok: true; requestId: number | null; outcome: 'opened' | 'refused' }
  | { ok: false; reason: 'not_found' | 'unknown_client' | 'no_address' }

/**
 * A manager gives an unidentified message to a client: it opens the request (or is refused, as
 * the client's standing says), and, when asked, its address identifies the client from then on.
 */
export async function assignUnidentified(
  db: Database,
  id: number,
  assignment: { clientId: string; addAddress: boolean },
  actor: Actor,
  context: Omit<MailContext, 'via' | 'now'>,
): Promise<AssignResult> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(emailMessages)
      .where(and(eq(emailMessages.id, id), eq(emailMessages.disposition, 'unidentified')))
      .for('update')
    if (!row) return { ok: false, reason: 'not_found' }
    const [client] = await tx
      .select({ id: clients.id })
      .from(clients)
      .where(and(eq(clients.id, assignment.clientId), eq(clients.active, true)))
    if (!client) return { ok: false, reason: 'unknown_client' }
    const address = normaliseAddress(row.fromAddress)
    if (assignment.addAddress) {
      if (!address) return { ok: false, reason: 'no_address' }
      await tx
        .insert(clientEmailAddresses)
        .values({ address, clientId: client.id, addedBy: actor.name, addedAt: actor.now })
        .onConflictDoUpdate({
          target: clientEmailAddresses.address,
          set: { clientId: client.id, addedBy: actor.name, addedAt: actor.now },
        })
    }
    const email = storedAsInbound(row)
    const sender: Extract<Sender, { kind: 'client' }> = {
      kind: 'client',
      clientId: client.id,
      by: 'contact',
      address: address ?? '',
    }
    const opened = await openOrRefuse(
      tx,
      { rowId: row.id, email, messageId: row.messageId, sender, thread: { kind: 'new', tagRefused: null }, follows: null },
      { ...context, via: 'webhook', now: actor.now },
    )
    await tx
      .update(emailMessages)
      .set({
        disposition: opened.kind,
        requestId: opened.kind === 'opened' ? opened.requestId : null,
        assignedAt: actor.now,
        assignedBy: actor.name,
      })
      .where(eq(emailMessages.id, row.id))
    return { ok: true, requestId: opened.kind === 'opened' ? opened.requestId : null, outcome: opened.kind }
  })
}

/** What the decisions read of a stored message (a manager assigns it after the fact). */
function storedAsInbound(row: MessageRow): InboundEmail {
  return {
    messageId: row.messageId,
    messageIdDerived: false,
    from: row.fromAddress ? { address: row.fromAddress, name: row.fromName ?? '' } : null,
    replyTo: row.replyTo.map((address) => ({ address, name: '' })),
    to: [],
    cc: [],
    subject: row.subject,
    date: row.date,
    inReplyTo: row.inReplyTo,
    references: row.references,
    text: row.text,
    html: row.html,
    attachments: [],
    automatic: false,
    automaticReason: null,
    suppressAutoReply: false,
    requestTag: null,
    size: row.size,
    headersOnly: false,
    problems: [],
  }
}

// ── A request's messages, and the agent's answer ───────────────────────────────────────────

export interface StoredMessage {
  id: number
  messageId: string
  direction: 'in' | 'out'
  disposition: MessageRow['disposition']
  via: string
  fromAddress: string | null
  fromName: string | null
  to: string[]
  subject: string
  text: string
  html: string | null
  receivedAt: Date
  attachments: { position: number; filename: string | null; contentType: string; size: number; kept: boolean }[]
}

/** The attachments of the given messages, listed (not their bytes), by message and position. */
async function attachmentsOf(db: Queryable, messageRowIds: number[]): Promise<(AttachmentEntry & { contentType: string })[]> {
  if (messageRowIds.length === 0) return []
  const rows = await db
    .select({
      messageRowId: emailAttachments.messageRowId,
      position: emailAttachments.position,
      filename: emailAttachments.filename,
      contentType: emailAttachments.contentType,
      size: emailAttachments.size,
      kept: sql<boolean>`${emailAttachments.content} is not null`,
    })
    .from(emailAttachments)
    .where(inArray(emailAttachments.messageRowId, messageRowIds))
    .orderBy(asc(emailAttachments.messageRowId), asc(emailAttachments.position))
  // a real boolean whatever the driver hands back for `is not null`
  return rows.map((row) => ({ ...row, kept: Boolean(row.kept) }))
}

/** A request's messages in the order they came, each with its attachments listed (not their bytes). */
export async function requestMessages(db: Queryable, requestId: number): Promise<StoredMessage[]> {
  const rows = await db
    .select()
    .from(emailMessages)
    .where(eq(emailMessages.requestId, requestId))
    .orderBy(asc(emailMessages.receivedAt), asc(emailMessages.id))
  if (rows.length === 0) return []
  const attachments = await attachmentsOf(
    db,
    rows.map((row) => row.id),
  )
  return rows.map((row) => ({
    id: row.id,
    messageId: row.messageId,
    direction: row.direction,
    disposition: row.disposition,
    via: row.via,
    fromAddress: row.fromAddress,
    fromName: row.fromName,
    to: row.to,
    subject: row.subject,
    text: row.text,
    html: row.html,
    receivedAt: row.receivedAt,
    attachments: attachments.filter((a) => a.messageRowId === row.id).map(({ messageRowId: _, ...a }) => a),
  }))
}

/** An attachment of a request's message, as the queue's page links it. */
export interface AttachmentEntry {
  messageRowId: number
  position: number
  filename: string | null
  size: number
  /** its bytes are stored (10 MB a message); false: only its name and size */
  kept: boolean
}

/** What the queue's page shows of e-mail requests: the latest message the client wrote into each, and how many there are. */
export interface RequestMail {
  subject: string
  text: string
  hasHtml: boolean
  messages: number
  attachments: number
  /** every attachment the client sent into the request, in the order of its messages */
  files: AttachmentEntry[]
}

export async function requestMail(db: Queryable, requestIds: readonly number[]): Promise<Map<number, RequestMail>> {
  if (requestIds.length === 0) return new Map()
  const rows = await db
    .select({
      id: emailMessages.id,
      requestId: emailMessages.requestId,
      subject: emailMessages.subject,
      text: emailMessages.text,
      hasHtml: sql<boolean>`${emailMessages.html} is not null`,
    })
    .from(emailMessages)
    .where(and(inArray(emailMessages.requestId, [...requestIds]), eq(emailMessages.direction, 'in')))
    .orderBy(asc(emailMessages.receivedAt), asc(emailMessages.id))
  const files = await attachmentsOf(
    db,
    rows.map((row) => row.id),
  )
  const mail = new Map<number, RequestMail>()
  for (const row of rows) {
    const id = row.requestId as number
    const before = mail.get(id)
    const own = files.filter((file) => file.messageRowId === row.id)
    mail.set(id, {
      subject: row.subject,
      text: row.text,
      hasHtml: Boolean(row.hasHtml),
      messages: (before?.messages ?? 0) + 1,
      attachments: (before?.attachments ?? 0) + own.length,
      files: [...(before?.files ?? []), ...own],
    })
  }
  return mail
}

/** An attachment's bytes, or why there are none (over the message's size limit: its name and size only). */
export type AttachmentFile =
  | { kept: true; filename: string | null; size: number; content: Buffer }
  | { kept: false; filename: string | null; size: number; omitted: string }

/**
 * One attachment of one of a request's messages, by the message's row id and the attachment's
 * position; null when the request has no such message or the message no such attachment.
 */
export async function attachmentFile(
  db: Queryable,
  requestId: number,
  messageRowId: number,
  position: number,
): Promise<AttachmentFile | null> {
  const [row] = await db
    .select({
      filename: emailAttachments.filename,
      size: emailAttachments.size,
      content: emailAttachments.content,
      omitted: emailAttachments.omitted,
    })
    .from(emailAttachments)
    .innerJoin(emailMessages, eq(emailMessages.id, emailAttachments.messageRowId))
    .where(
      and(
        eq(emailMessages.requestId, requestId),
        eq(emailAttachments.messageRowId, messageRowId),
        eq(emailAttachments.position, position),
      ),
    )
  if (!row) return null
  if (row.content === null) return { kept: false, filename: row.filename, size: row.size, omitted: row.omitted ?? 'over_limit' }
  return { kept: true, filename: row.filename, size: row.size, content: Buffer.from(row.content) }
}

export type ReplyResult =
  | { ok: true; callback: CallbackItem; counted: boolean }
  | { ok: false; reason: 'not_found' | 'already_done' | 'not_email' | 'no_recipient' }

/**
 * The agent's answer to an e-mail request: it leaves through the outbox, threaded on the latest
 * message the client wrote into the request, and closes the request with the answer as its note
 * (done after its due time: answered late). Minutes recorded count into the month's usage when the
 * contract says e-mail counts, once: the request closes once.
 */
export async function replyToRequest(
  db: Database,
  id: number,
  reply: { text: string; minutes: number | null },
  actor: Actor,
  context: Omit<MailContext, 'via' | 'now'>,
): Promise<ReplyResult> {
  return db.transaction(async (tx) => {
    const [request] = await tx.select().from(callbacks).where(eq(callbacks.id, id)).for('update')
    if (!request) return { ok: false, reason: 'not_found' }
    if (request.channel !== 'email') return { ok: false, reason: 'not_email' }
    if (request.status === 'done') return { ok: false, reason: 'already_done' }
    const [original] = await tx
      .select()
      .from(emailMessages)
      .where(and(eq(emailMessages.requestId, id), eq(emailMessages.direction, 'in')))
      .orderBy(desc(emailMessages.receivedAt), desc(emailMessages.id))
      .limit(1)
    if (!original) return { ok: false, reason: 'no_recipient' }
    const to = answerRecipients({ from: original.fromAddress, replyTo: original.replyTo }, context.ourAddresses)
    if (to.length === 0) return { ok: false, reason: 'no_recipient' }
    const [client] = request.clientId
      ? await tx.select({ language: clients.language }).from(clients).where(eq(clients.id, request.clientId))
      : []
    const desk = await findDesk(tx, request.deskId)
    // Threaded on the latest message, under the request's own subject (the first message's).
    const headers = replyHeaders(
      { messageId: original.messageId, references: original.references, subject: request.subject ?? original.subject },
      id,
    )
    await writeOutgoing(
      tx,
      'email.answered',
      request.deskId,
      {
        requestId: id,
        clientId: request.clientId,
        to,
        language: client?.language ?? desk?.language ?? 'fr-FR',
        subject: headers.subject,
        text: reply.text,
        messageId: ourMessageId(`answer-${id}`, context.mailDomain),
        inReplyTo: headers.inReplyTo,
        references: headers.references,
        automatic: false,
      },
      actor.now,
    )
    await tx
      .update(callbacks)
      .set({ status: 'done', doneAt: actor.now, doneBy: actor.name, note: reply.text, replyMinutes: reply.minutes })
      .where(eq(callbacks.id, id))
    const counted =
      reply.minutes && desk ? await countReplyMinutes(tx, id, request.clientId, desk, reply.minutes, actor.now) : false
    return { ok: true, callback: (await findCallback(tx, id)) as CallbackItem, counted }
  })
}

/**
 * Minutes recorded on an e-mail answer, counted into the month like talk time when the contract
 * in force says `emailMinutesCountIntoQuota` (INTERcom Art. 3 caps assistance "par téléphone":
 * by default e-mail does not count). The caller closes the request in the same transaction, so
 * they are counted once.
 */
async function countReplyMinutes(
  tx: Queryable,
  callbackId: number,
  clientId: string | null,
  desk: DeskFacts,
  minutes: number,
  now: Date,
): Promise<boolean> {
  if (!clientId) return false
  const rows = await tx
    .select()
    .from(contracts)
    .where(and(eq(contracts.clientId, clientId), eq(contracts.deskId, desk.id), eq(contracts.active, true)))
  const today = localDate(now, desk.timezone)
  // the one in force that day (the latest signed, as for a call)
  const row = contractInForce(
    rows.map((r) => configuredContract(r.id, { ...r, noticeGivenOn: r.noticeGivenOn })),
    today,
  )
  if (!row?.emailMinutesCountIntoQuota) return false
  const month = monthOf(now, desk.timezone)
  // the terms the month's talk is counted under (a revision from its date on), as for a leg
  const terms = termsForMonth(row, row.changes, month, today)
  const seconds = minutes * 60
  await tx
    .insert(usage)
    .values({ contractId: row.id, month, quotaSeconds: terms.quotaSeconds, usedSeconds: 0, updatedAt: now })
    .onConflictDoNothing()
  const [sofar] = await tx
    .select()
    .from(usage)
    .where(and(eq(usage.contractId, row.id), eq(usage.month, month)))
    .for('update')
  if (!sofar) return false
  const split = splitEmailSeconds(terms, sofar, seconds)
  await tx
    .update(usage)
    .set({
      quotaSeconds: terms.quotaSeconds,
      usedSeconds: sql`${usage.usedSeconds} + ${seconds}`,
      includedSeconds: sql`${usage.includedSeconds} + ${split.includedSeconds}`,
      overageSeconds: sql`${usage.overageSeconds} + ${split.overageSeconds}`,
      graceSeconds: sql`${usage.graceSeconds} + ${split.graceSeconds}`,
      updatedAt: now,
    })
    .where(and(eq(usage.contractId, row.id), eq(usage.month, month)))
  // The statement's line for these minutes, as counted (its primary key: once per request).
  await tx
    .insert(emailCounts)
    .values({ callbackId, contractId: row.id, month, countedSeconds: seconds, ...split, countedAt: now })
  return true
}

// ── The month's e-mail requests, per client ────────────────────────────────────────────────

export interface EmailMonth {
  clientId: string
  clientName: string
  desk: string
  month: string
  /** e-mail requests opened in the desk-local month */
  requests: number
  answeredOnTime: number
  answeredLate: number
  open: number
  /** open and already past their due time at `now` */
  openLate: number
}

/** Per client and desk, the e-mail requests opened in a desk-local month: answered on time, late, still open. */
export async function emailMonth(db: Queryable, month: string, clientId: string | null, now: Date): Promise<EmailMonth[]> {
  const localMonth = sql`to_char(${callbacks.createdAt} at time zone ${deskTable.timezone}, 'YYYY-MM')`
  const done = sql`${callbacks.status} = 'done'`
  const late = sql`${callbacks.dueAt} is not null and ${callbacks.doneAt} > ${callbacks.dueAt}`
  const rows = await db
    .select({
      clientId: callbacks.clientId,
      clientName: clients.name,
      desk: callbacks.deskId,
      requests: sql<number>`count(*)::int`,
      answeredOnTime: sql<number>`(count(*) filter (where ${done} and not (${late})))::int`,
      answeredLate: sql<number>`(count(*) filter (where ${done} and ${late}))::int`,
      open: sql<number>`(count(*) filter (where not (${done})))::int`,
      openLate: sql<number>`(count(*) filter (where not (${done}) and ${callbacks.dueAt} < ${now.toISOString()}::timestamptz))::int`,
    })
    .from(callbacks)
    .innerJoin(deskTable, eq(deskTable.id, callbacks.deskId))
    .innerJoin(clients, eq(clients.id, callbacks.clientId))
    .where(
      and(eq(callbacks.channel, 'email'), sql`${localMonth} = ${month}`, ...(clientId ? [eq(callbacks.clientId, clientId)] : [])),
    )
    .groupBy(callbacks.clientId, clients.name, callbacks.deskId)
    .orderBy(asc(clients.name), asc(callbacks.deskId))
  return rows.map((row) => ({ ...row, clientId: row.clientId as string, month }))
}
