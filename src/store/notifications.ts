// The notification outbox (issue #14): facts write their notifications in their own transaction
// (exactly one per fact and recipient, journal replays included); senders claim due ones with
// FOR UPDATE SKIP LOCKED and record what became of each attempt; managers list and resend them.
import { type SQL, and, asc, desc, eq, inArray, isNotNull, lt, lte, or, sql } from 'drizzle-orm'
import type { Database, Queryable } from '../../db/client.js'
import {
  agentDesks,
  agents,
  callbacks,
  calls,
  clients,
  contracts,
  deskNumbers,
  desks,
  notificationEvents,
  notifications,
} from '../../db/schema.js'
import { deskStatus } from '../domain/calendar/index.js'
import { contractOverview, localDate } from '../domain/contract-overview.js'
import {
  type Channel,
  type EmailOutData,
  type EventData,
  type EventType,
  NO_NOTIFICATIONS,
  type NotificationFact,
  type Verdict,
  noticeReminder,
  notificationId,
  recipientsOf,
} from '../domain/notifications.js'
import type { RecordedRevision } from '../domain/desk-file-revisions.js'
import type { RevisionWhatIf } from '../domain/revision-what-if.js'
import { findDesk } from './desks.js'

type Row = typeof notifications.$inferSelect
type EventRow = typeof notificationEvents.$inferSelect

/**
 * Records a fact's notifications, inside the fact's transaction: the event once (by its key), and
 * one notification per recipient the desk's settings name, due at once. A fact written again (a
 * duplicate webhook, a replayed journal, a second scan) finds its event and writes nothing.
 * Returns how many notifications were written.
 */
export async function notify(tx: Queryable, fact: NotificationFact): Promise<number> {
  // One round trip for what every fact needs: the desk, its first number (SMS are sent from it),
  // and the fact's client with its contact.
  const [desk] = await tx
    .select({
      name: desks.name,
      timezone: desks.timezone,
      language: desks.language,
      settings: desks.notifications,
      smsFrom: sql<
        string | null
      >`(select min(${deskNumbers.number}) from ${deskNumbers} where ${deskNumbers.deskId} = ${desks.id})`,
      clientName: clients.name,
      contact: clients.contact,
      clientLanguage: clients.language,
    })
    .from(desks)
    .leftJoin(clients, eq(clients.id, sql`${fact.clientId}`))
    .where(eq(desks.id, fact.desk))
  if (!desk) return 0
  const client =
    desk.clientName !== null ? { name: desk.clientName, contact: desk.contact, language: desk.clientLanguage } : undefined
  const inserted = await tx
    .insert(notificationEvents)
    .values({
      key: fact.key,
      type: fact.type,
      deskId: fact.desk,
      clientId: fact.clientId,
      data: fact.data as unknown as Record<string, unknown>,
      context: {
        deskName: desk.name,
        timezone: desk.timezone,
        smsFrom: desk.smsFrom,
        clientName: client?.name ?? null,
      },
      occurredAt: fact.at,
    })
    .onConflictDoNothing()
    .returning({ key: notificationEvents.key })
  if (inserted.length === 0) return 0

  const settings = desk.settings ?? NO_NOTIFICATIONS
  const onDuty = settings.sms
    ? await tx
        .select({ number: agents.number })
        .from(agentDesks)
        .innerJoin(agents, eq(agents.id, agentDesks.agentId))
        .where(and(eq(agentDesks.deskId, fact.desk), eq(agents.onDuty, true), eq(agents.active, true)))
    : []
  const deskClients =
    fact.type === 'holiday.changed'
      ? await tx
          .selectDistinct({ contact: clients.contact, language: clients.language, id: clients.id })
          .from(contracts)
          .innerJoin(clients, eq(clients.id, contracts.clientId))
          .where(and(eq(contracts.deskId, fact.desk), eq(contracts.active, true), eq(clients.active, true)))
          .orderBy(asc(clients.id))
      : []
  const recipients = recipientsOf(fact.type, {
    settings,
    deskLanguage: desk.language,
    client:
      client && fact.clientId
        ? { id: fact.clientId, contactEmail: client.contact?.email ?? null, language: client.language }
        : null,
    deskClients: deskClients.map((c) => ({ id: c.id, contactEmail: c.contact?.email ?? null, language: c.language })),
    agentsOnDuty: onDuty,
    mailTo: fact.type.startsWith('email.') ? mailToOf(fact.data as EmailOutData) : undefined,
  })
  if (recipients.length === 0) return 0
  const written = await tx
    .insert(notifications)
    .values(
      recipients.map((r) => ({
        id: notificationId(fact.key, r),
        eventKey: fact.key,
        type: fact.type,
        deskId: fact.desk,
        clientId: r.clientId ?? fact.clientId,
        forClient: r.clientId !== undefined,
        channel: r.channel,
        recipient: r.address,
        language: r.language,
        nextAttemptAt: fact.at,
        windowStart: fact.at,
        createdAt: fact.at,
      })),
    )
    .onConflictDoNothing()
    .returning({ id: notifications.id })
  return written.length
}

/** An e-mail request's message goes to the recipients written with it (issue #15). */
function mailToOf(data: EmailOutData) {
  return { addresses: data.to, language: data.language, clientId: data.clientId }
}

/**
 * Notifies a callback request's event (callback.opened, callback.late, voicemail.recorded) from
 * the request as it stands in the transaction; nothing when the call has no request. A phone
 * request is named by its call, an e-mail request (issue #15) by its id: its data says the
 * channel, the sender's address in `from`, its subject, and no call.
 */
export async function notifyCallback<T extends 'callback.opened' | 'callback.late' | 'voicemail.recorded'>(
  tx: Queryable,
  type: T,
  request: string | { emailRequestId: number },
  at: Date,
  extra: Omit<EventData[T], keyof EventData['callback.opened']>,
): Promise<number> {
  const key = callbackEventKey(type, request)
  // The request, and whether its event is written already (a later write of the same call): one read.
  const [row] = await tx
    .select({
      callback: callbacks,
      clientName: clients.name,
      known: sql<boolean>`exists (select 1 from ${notificationEvents} where ${notificationEvents.key} = ${key})`,
    })
    .from(callbacks)
    .leftJoin(clients, eq(clients.id, callbacks.clientId))
    .where(
      typeof request === 'string'
        ? eq(callbacks.callSid, request)
        : and(eq(callbacks.id, request.emailRequestId), eq(callbacks.channel, 'email')),
    )
  if (!row || row.known) return 0
  const { callback } = row
  const email = callback.channel === 'email'
  const data = {
    callbackId: callback.id,
    callSid: callback.callSid,
    desk: callback.deskId,
    clientId: callback.clientId,
    clientName: row.clientName,
    from: (email ? callback.fromAddress : callback.fromNumber) ?? '',
    reason: callback.reason,
    dueAt: callback.dueAt?.toISOString() ?? null,
    channel: callback.channel,
    ...(email ? { subject: callback.subject } : {}),
    ...extra,
  }
  return notify(tx, { type, key, desk: callback.deskId, clientId: callback.clientId, at, data } as NotificationFact)
}

/** `callback.late:CA…` for a call's request, `callback.late:email-12` for an e-mail request's. */
function callbackEventKey(type: string, request: string | { emailRequestId: number }): string {
  return typeof request === 'string' ? `${type}:${request}` : `${type}:email-${request.emailRequestId}`
}

/**
 * overage.consented, in the transaction that records the caller's yes (the consent's evidence):
 * once per call. A call whose record does not know its client yet (its voice write still away)
 * has no one to tell.
 */
export async function notifyConsent(tx: Queryable, callSid: string, at: Date): Promise<number> {
  const [call] = await tx
    .select({
      deskId: calls.deskId,
      clientId: calls.clientId,
      contractId: calls.contractId,
      month: calls.usageMonth,
      from: calls.fromNumber,
      clientName: clients.name,
    })
    .from(calls)
    .leftJoin(clients, eq(clients.id, calls.clientId))
    .where(eq(calls.callSid, callSid))
  if (!call?.deskId || !call.clientId || call.contractId === null || !call.month || !call.clientName) return 0
  return notify(tx, {
    type: 'overage.consented',
    key: `overage.consented:${callSid}`,
    desk: call.deskId,
    clientId: call.clientId,
    at,
    data: {
      callSid,
      contractId: call.contractId,
      clientId: call.clientId,
      clientName: call.clientName,
      desk: call.deskId,
      month: call.month,
      from: call.from,
      at: at.toISOString(),
    },
  })
}

/**
 * contract.revision for each revision the service has just recorded (syncConfiguration's
 * transaction): the client's written notice of the model clause. A change of a desk's hours is
 * told to every client with a contract on the desk. Once per revision and client.
 */
export async function notifyRevisions(
  tx: Queryable,
  revisions: readonly RecordedRevision[],
  at: Date,
  whatIfs: ReadonlyMap<RecordedRevision, ReadonlyMap<string, RevisionWhatIf>> = new Map(),
): Promise<number> {
  let written = 0
  for (const revision of revisions) {
    const found = await tx
      .select({
        id: contracts.id,
        clientId: contracts.clientId,
        clientName: clients.name,
        start: contracts.start,
        months: contracts.months,
        noticeMonths: contracts.noticeMonths,
        renews: contracts.renews,
        noticeGivenOn: contracts.noticeGivenOn,
      })
      .from(contracts)
      .innerJoin(clients, eq(clients.id, contracts.clientId))
      .where(
        revision.kind === 'contract'
          ? and(
              eq(contracts.clientId, revision.clientId),
              eq(contracts.deskId, revision.desk),
              eq(contracts.start, revision.start),
            )
          : and(eq(contracts.deskId, revision.desk), eq(contracts.active, true), eq(clients.active, true)),
      )
      .orderBy(asc(contracts.clientId), asc(contracts.start))
    // New hours bind the contracts in force when they take effect, not one that has ended.
    const rows = revision.kind === 'contract' ? found : found.filter((row) => contractOverview(row, revision.from).inForce)
    const told = new Set<string>()
    for (const row of rows) {
      if (told.has(row.clientId)) continue
      told.add(row.clientId)
      const whatIf = whatIfs.get(revision)?.get(row.clientId)
      written += await notify(tx, {
        type: 'contract.revision',
        key: `contract.revision:${revision.kind === 'contract' ? `${row.clientId}/${revision.desk}/${row.start}` : `${revision.desk}/hours`}:${revision.key}:${row.clientId}`,
        desk: revision.desk,
        clientId: row.clientId,
        at,
        data: {
          contractId: revision.kind === 'contract' ? row.id : null,
          clientId: row.clientId,
          clientName: row.clientName,
          desk: revision.desk,
          effectiveFrom: revision.from,
          summary: revision.summary,
          ...(whatIf ? { whatIf } : {}),
        },
      })
    }
  }
  return written
}

/** quota.threshold for thresholds a counted leg just crossed (countTalk's transaction). */
export async function notifyThresholds(
  tx: Queryable,
  crossed: { contractId: number; month: string; percent: number; callSid: string; quotaSeconds: number }[],
  at: Date,
): Promise<void> {
  for (const threshold of crossed) {
    const [contract] = await tx
      .select({ clientId: contracts.clientId, deskId: contracts.deskId, clientName: clients.name })
      .from(contracts)
      .innerJoin(clients, eq(clients.id, contracts.clientId))
      .where(eq(contracts.id, threshold.contractId))
    if (!contract) continue
    await notify(tx, {
      type: 'quota.threshold',
      key: `quota.threshold:${threshold.contractId}:${threshold.month}:${threshold.percent}`,
      desk: contract.deskId,
      clientId: contract.clientId,
      at,
      data: { ...threshold, clientId: contract.clientId, clientName: contract.clientName, desk: contract.deskId },
    })
  }
}

/** The desk's next opening from `at`, as the calendar now stands (after the change in this transaction). */
export async function nextOpeningOf(tx: Queryable, deskId: string, at: Date): Promise<string | null> {
  const desk = await findDesk(tx, deskId)
  if (!desk) return null
  const status = deskStatus(desk.calendar, at)
  return (status.open ? at : status.nextOpening)?.toISOString() ?? null
}

/**
 * The facts that come with time rather than with a write: callback requests gone late, and notice
 * deadlines within `noticeDays` (contract.notice_due). Each is written once (its key), whoever
 * scans first. Returns how many notifications were written.
 */
export async function scanTimedFacts(db: Database, now: Date, options: { noticeDays: number }): Promise<number> {
  let written = 0
  // Phone and e-mail requests alike (issue #15), each under its event's key.
  const lateKey = sql`'callback.late:' || case when ${callbacks.channel} = 'email' then 'email-' || ${callbacks.id} else ${callbacks.callSid} end`
  const late = await db
    .select({ id: callbacks.id, callSid: callbacks.callSid, channel: callbacks.channel })
    .from(callbacks)
    .where(
      and(
        eq(callbacks.status, 'open'),
        isNotNull(callbacks.dueAt),
        lt(callbacks.dueAt, now),
        sql`not exists (select 1 from ${notificationEvents} where ${notificationEvents.key} = ${lateKey})`,
      ),
    )
    .orderBy(asc(callbacks.dueAt))
    .limit(200)
  for (const { id, callSid, channel } of late) {
    const request = channel === 'email' ? { emailRequestId: id } : callSid
    if (request === null) continue
    // dated when it is noticed (the data says when it was due): its 24 hours of retries start now
    written += await db.transaction((tx) => notifyCallback(tx, 'callback.late', request, now, {}))
  }

  const live = await db
    .select({ contract: contracts, timezone: desks.timezone, clientName: clients.name })
    .from(contracts)
    .innerJoin(desks, eq(desks.id, contracts.deskId))
    .innerJoin(clients, eq(clients.id, contracts.clientId))
    .where(and(eq(contracts.active, true), eq(clients.active, true)))
  for (const { contract, timezone, clientName } of live) {
    const overview = contractOverview(contract, localDate(now, timezone))
    const deadline = noticeReminder(overview, options.noticeDays)
    if (!deadline) continue
    const key = `contract.notice_due:${contract.id}:${deadline}`
    const [known] = await db
      .select({ key: notificationEvents.key })
      .from(notificationEvents)
      .where(eq(notificationEvents.key, key))
    if (known) continue
    written += await notify(db, {
      type: 'contract.notice_due',
      key,
      desk: contract.deskId,
      clientId: contract.clientId,
      at: now,
      data: {
        contractId: contract.id,
        clientId: contract.clientId,
        clientName,
        desk: contract.deskId,
        noticeDeadline: deadline,
        periodLastDay: overview.period?.lastDay ?? null,
      },
    })
  }
  return written
}

// ── The sender's side ───────────────────────────────────────────────────────────────────────

export interface Claimed extends Row {
  event: EventRow
}

/**
 * Claims up to `limit` due notifications of the given channels: pending ones whose time has come,
 * and `sending` ones whose claim lapsed (their sender died mid-delivery: sent again, same id).
 * Rows another sender holds are skipped (SKIP LOCKED), and the claim commits before any delivery,
 * so two senders never deliver one notification at once.
 */
export async function claimDue(
  db: Database,
  options: { now: Date; leaseMs: number; limit: number; channels: readonly Channel[] },
): Promise<Claimed[]> {
  if (options.channels.length === 0) return []
  const { now } = options
  const ids = await db.transaction(async (tx) => {
    const due = await tx
      .select({ id: notifications.id })
      .from(notifications)
      .where(
        and(
          inArray(notifications.channel, [...options.channels]),
          or(
            and(eq(notifications.status, 'pending'), lte(notifications.nextAttemptAt, now)),
            and(eq(notifications.status, 'sending'), lte(notifications.leaseUntil, now)),
          ),
        ),
      )
      .orderBy(asc(notifications.nextAttemptAt))
      .limit(options.limit)
      .for('update', { skipLocked: true })
    if (due.length === 0) return []
    const claimed = await tx
      .update(notifications)
      .set({
        status: 'sending',
        leaseUntil: new Date(now.getTime() + options.leaseMs),
        attempts: sql`${notifications.attempts} + 1`,
      })
      .where(
        inArray(
          notifications.id,
          due.map((row) => row.id),
        ),
      )
      .returning({ id: notifications.id })
    return claimed.map((row) => row.id)
  })
  if (ids.length === 0) return []
  const rows = await db
    .select({ notification: notifications, event: notificationEvents })
    .from(notifications)
    .innerJoin(notificationEvents, eq(notificationEvents.key, notifications.eventKey))
    .where(inArray(notifications.id, ids))
  return rows.map((row) => ({ ...row.notification, event: row.event }))
}

/** Records an attempt's verdict on a notification this sender holds. */
export async function settle(db: Queryable, id: string, attempts: number, verdict: Verdict, now: Date): Promise<void> {
  const set =
    verdict.status === 'sent'
      ? { status: 'sent' as const, sentAt: now, leaseUntil: null, lastError: null }
      : verdict.status === 'pending'
        ? { status: 'pending' as const, nextAttemptAt: verdict.nextAttemptAt, leaseUntil: null, lastError: verdict.error }
        : { status: 'failed' as const, leaseUntil: null, lastError: verdict.error }
  // Only the claim this attempt made: a sender that outlived its lease does not undo another's result.
  await db
    .update(notifications)
    .set(set)
    .where(and(eq(notifications.id, id), eq(notifications.status, 'sending'), eq(notifications.attempts, attempts)))
}

/** The secret of the desk's webhook at `url` subscribed to `type`, as configured now (null: no longer). */
export async function webhookSecret(db: Queryable, deskId: string, url: string, type: EventType): Promise<string | null> {
  const [desk] = await db.select({ settings: desks.notifications }).from(desks).where(eq(desks.id, deskId))
  const hook = desk?.settings?.webhooks.find((h) => h.url === url && h.events.includes(type))
  return hook?.secret ?? null
}

// ── Managers' side ──────────────────────────────────────────────────────────────────────────

export type NotificationStatus = Row['status']

export interface NotificationFilter {
  status?: NotificationStatus | undefined
  type?: EventType | undefined
  deskId?: string | undefined
  /** about this client (managers' filter) */
  clientId?: string | undefined
  /** a client's token: only what was sent to this client's own contact */
  sentToClient?: string | undefined
  channel?: Channel | undefined
}

export type NotificationItem = Claimed

/** Newest first, in keyset pages (created at, id). */
export async function listNotifications(
  db: Queryable,
  filter: NotificationFilter,
  page: { limit: number; cursor?: { createdAt: Date; id: string } | undefined },
): Promise<{ items: NotificationItem[]; next: { createdAt: Date; id: string } | null }> {
  const where: SQL[] = []
  if (filter.status) where.push(eq(notifications.status, filter.status))
  if (filter.type) where.push(eq(notifications.type, filter.type))
  if (filter.deskId) where.push(eq(notifications.deskId, filter.deskId))
  if (filter.clientId) where.push(eq(notifications.clientId, filter.clientId))
  if (filter.sentToClient)
    where.push(and(eq(notifications.clientId, filter.sentToClient), eq(notifications.forClient, true)) as SQL)
  if (filter.channel) where.push(eq(notifications.channel, filter.channel))
  if (page.cursor)
    where.push(
      sql`(${notifications.createdAt}, ${notifications.id}) < (${page.cursor.createdAt.toISOString()}::timestamptz, ${page.cursor.id})`,
    )
  const rows = await db
    .select({ notification: notifications, event: notificationEvents })
    .from(notifications)
    .innerJoin(notificationEvents, eq(notificationEvents.key, notifications.eventKey))
    .where(and(...where))
    .orderBy(desc(notifications.createdAt), desc(notifications.id))
    .limit(page.limit + 1)
  const items = rows.slice(0, page.limit).map((row) => ({ ...row.notification, event: row.event }))
  const last = items.at(-1)
  return { items, next: rows.length > page.limit && last ? { createdAt: last.createdAt, id: last.id } : null }
}

export async function findNotification(db: Queryable, id: string): Promise<NotificationItem | null> {
  const [row] = await db
    .select({ notification: notifications, event: notificationEvents })
    .from(notifications)
    .innerJoin(notificationEvents, eq(notificationEvents.key, notifications.eventKey))
    .where(eq(notifications.id, id))
  return row ? { ...row.notification, event: row.event } : null
}

/**
 * A failed notification sent again by a manager: due now, with 24 hours of retries from now, the
 * same id (a receiver that did get it can still tell). False unless it had failed.
 */
export async function resendNotification(db: Queryable, id: string, by: string, now: Date): Promise<boolean> {
  const rows = await db
    .update(notifications)
    .set({ status: 'pending', nextAttemptAt: now, windowStart: now, resentBy: by, leaseUntil: null })
    .where(and(eq(notifications.id, id), eq(notifications.status, 'failed')))
    .returning({ id: notifications.id })
  return rows.length > 0
}
