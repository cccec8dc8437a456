// What each Twilio webhook writes, as data: built by the handler, then applied to the database at
// once or, when the database is away, journaled and applied on its return. Applying a write is
// idempotent: its id keys the call event it logs, in the same transaction as everything else it
// writes, so a write applied twice (a replay after a late commit) changes nothing the second time.
import { type Placeholder, type SQL, and, eq, sql } from 'drizzle-orm'
import { toSnakeCase } from 'drizzle-orm/casing'
import type { Database, Queryable } from '../../db/client.js'
import { isDatabaseAway } from '../deadline.js'
import type { JournalFormat } from '../journal.js'
import { agents, callEvents, calls, contracts, deskNumbers, desks, overageConsents } from '../../db/schema.js'
import type { Plan } from '../domain/call.js'
import type { Outcome } from '../domain/outcome.js'
import { billableBeyondQuota } from '../domain/quota.js'
import { type CallbackRequest, completeCallbackRequest, requestCallback } from './callback-opening.js'
import { settleAttempt } from './callback-calls.js'
import { callbackDue, voicemailReason } from '../domain/callback.js'
import { type ContractChange, termsForMonth } from '../domain/contract-terms.js'
import { localDate } from '../domain/contract-overview.js'
import {
  type CallFactsPatch,
  VOICE_COLUMNS,
  type VoiceCallRow,
  findCall,
  mergeOrCreateCall,
  recordVoiceDecision,
  withFacts,
} from './call-records.js'
import type { ConfigurationSnapshot } from './call-facts.js'
import { rememberLanguage } from './clients.js'
import { findDesk } from './desks.js'
import { notifyCallback, notifyConsent } from './notifications.js'
import { type TalkLeg, countLockedLeg } from './talk-counting.js'
import { WriteBatcher } from './write-batch.js'

/** A callback request owed by a write, and why (the rest is read from the call when applied). */
export type CallbackReason = CallbackRequest['reason']

interface Base {
  /** unique per webhook delivery: the key that makes applying it exactly once */
  id: string
  callSid: string
  /** when the webhook arrived (ISO) */
  at: string
  /** the call event logged with it, and Twilio's parameters as received */
  event: string
  params: Record<string, string>
}

export type WebhookWrite =
  | (Base & {
      kind: 'voice'
      from: string
      to: string
      deskId: string | null
      clientId: string | null
      contractId: number | null
      usageMonth: string | null
      decision: Plan['kind']
      outcome: Outcome | null
      /** owed when nobody is on duty */
      callback: CallbackReason | null
    })
  | (Base & {
      kind: 'dial'
      leg: 'agents' | 'on-call'
      dialCallSid: string
      dialStatus: string
      attempt: number
      /** answered talk time; 0 when nobody answered */
      talkSeconds: number
      /** where the talk counts, carried in the dial URL so it never depends on the call's record */
      contractId: number | null
      usageMonth: string | null
      /** owed when nobody answered */
      callback: CallbackReason | null
      /**
       * the leg came after the caller's yes to billing (carried in the dial URL): beyond the quota
       * its talk is billable under `ask`. Absent from lines journaled before it existed: then the
       * call record's `overageAccepted` says it (the only consent there was).
       */
      consented?: boolean
      /** the leg dialled a client back (issue #16): the attempt it settles; absent on other legs and older lines */
      callbackAttempt?: number
    })
  | (Base & { kind: 'event' })
  | (Base & { kind: 'whisper-accepted'; agentNumber: string | null })
  | (Base & {
      kind: 'overage'
      accepted: boolean
      callback: CallbackReason | null
      /**
       * when the caller was asked: at the start of the call (the quota already used up), or when the
       * limit cut the agent's leg; absent from older lines: at the start (the only question there was)
       */
      question?: 'start' | 'cut'
      /** the words of the question played, kept with a yes as evidence */
      words?: string | null
    })
  | (Base & { kind: 'on-call'; accepted: boolean })
  /** the caller chose a language at the menu (issue #17): remembered for the calling number */
  | (Base & { kind: 'language'; number: string; language: string })
  | (Base & { kind: 'recording'; recordingUrl: string; recordingSeconds: number | null })
  | (Base & {
      kind: 'status'
      callStatus: string
      durationSeconds: number | null
      final: boolean
      /** a call back's call (issue #16): its attempt, settled as not connected if nothing else settled it */
      callbackAttempt?: number
    })

export type VoiceWrite = Extract<WebhookWrite, { kind: 'voice' }>

/**
 * How webhook writes are journaled, across releases. Version 1 is WebhookWrite as above (lines
 * journaled before formats had versions are version 1 too). A release that changes the shape of
 * a write (renames a field, drops one, changes a kind) makes it version 2 and keeps a reader for
 * version 1 that turns its writes into the new shape; one that only adds a kind or an optional
 * field keeps the version. See docs/RELIABILITY.md, "A release and the journal".
 */
export const WEBHOOK_WRITE_FORMAT: JournalFormat<WebhookWrite> = {
  version: 1,
  readers: { 1: (write) => write as WebhookWrite },
}

/**
 * Applies a write; false when it had been applied already. `live` (answering the webhook, not
 * replaying a journal) lets the commonest write, an incoming call that owes no callback, take the
 * one-statement path when its call is not recorded yet (the common case); otherwise (a
 * placeholder to complete, a duplicate) it takes the transaction like any other write.
 */
export async function applyWebhookWrite(
  db: Database,
  write: WebhookWrite,
  options: {
    live: boolean
    configuration?: ConfigurationSnapshot | null
    /**
     * when (performance.now()) the caller stops waiting for a live write (its deadline): an
     * incoming call's record still queued for its batch then is not sent (see recordNewVoiceCall)
     */
    deadline?: number
  },
): Promise<boolean> {
  if (options.live) {
    if (write.kind === 'voice' && !write.callback && (await recordNewVoiceCall(db, write, options.deadline))) return true
    // A write that only logs its event: one statement, no transaction.
    if (write.kind === 'event' || (write.kind === 'status' && !write.final && write.callbackAttempt === undefined))
      return logEvent(db, write)
    if (write.kind === 'status' && write.callbackAttempt === undefined) {
      const applied = await recordFinalStatus(db, write)
      if (applied !== null) return applied
    }
  }
  const configuration = options.configuration ?? null
  return db.transaction((tx) => applyInTransaction(tx, write, configuration))
}

/**
 * Applies journaled writes in order, all in one transaction (a replay commits once per batch,
 * not once per write); how many had not been applied before.
 */
export async function applyWebhookWrites(db: Database, writes: readonly WebhookWrite[]): Promise<number> {
  return db.transaction(async (tx) => {
    let fresh = 0
    for (const write of writes) if (await applyInTransaction(tx, write)) fresh++
    return fresh
  })
}

async function applyInTransaction(
  tx: Queryable,
  write: WebhookWrite,
  configuration: ConfigurationSnapshot | null = null,
): Promise<boolean> {
  const at = new Date(write.at)
  if (write.kind === 'dial' && write.talkSeconds > 0 && write.contractId !== null && write.usageMonth)
    return applyCountedDial(tx, { ...write, contractId: write.contractId, usageMonth: write.usageMonth }, at, configuration)
  const logged = await tx
    .insert(callEvents)
    .values({ writeId: write.id, callSid: write.callSid, kind: write.event, at, params: write.params })
    .onConflictDoNothing({ target: callEvents.writeId })
    .returning({ id: callEvents.id })
  if (logged.length === 0) return false
  await applyFacts(tx, write, at, configuration)
  return true
}

/** The call record a voice write makes: the one mapping of a voice write to its columns, for both paths. */
function voiceCallRow(write: VoiceWrite): VoiceCallRow {
  return {
    callSid: write.callSid,
    fromNumber: write.from,
    toNumber: write.to,
    startedAt: new Date(write.at),
    deskId: write.deskId,
    clientId: write.clientId,
    contractId: write.contractId,
    usageMonth: write.usageMonth,
    decision: write.decision,
    outcome: write.outcome,
  }
}

async function applyFacts(
  tx: Queryable,
  write: WebhookWrite,
  at: Date,
  configuration: ConfigurationSnapshot | null,
): Promise<void> {
  // A callback of a call whose voice webhook is not in the database yet (journaled on another
  // instance) creates a placeholder record, which the voice write completes when it arrives.
  const merge = (patch: CallFactsPatch) =>
    mergeOrCreateCall(tx, write.callSid, patch, { from: write.params.From ?? '', to: write.params.To ?? '', at })

  switch (write.kind) {
    case 'language':
      await rememberLanguage(tx, write.number, { language: write.language, chosenBy: 'caller', chosenAt: at })
      return
    case 'voice': {
      const completed = await recordVoiceDecision(tx, voiceCallRow(write))
      if (completed) await completeCallbackRequest(tx, completed)
      if (write.callback) await openCallback(tx, write.callSid, write.callback, at, { configuration })
      return
    }
    case 'dial': {
      // An answered leg with a contract to count into takes applyCountedDial; this one counts nothing.
      const answered = write.talkSeconds > 0
      const talkSeconds = write.talkSeconds
      await afterDial(tx, write, at, answered ? talkSeconds : null, configuration)
      return
    }
    case 'event':
      return
    case 'whisper-accepted': {
      const [agent] = write.agentNumber
        ? await tx
            .select({ id: agents.id })
            .from(agents)
            .where(and(eq(agents.number, write.agentNumber), eq(agents.active, true)))
        : []
      await merge({ agentId: agent?.id ?? null })
      return
    }
    case 'overage':
      if (write.accepted) {
        await merge({ overageAccepted: true })
        // The consent, as evidence: one per call (a call is asked once).
        await tx
          .insert(overageConsents)
          .values({
            callSid: write.callSid,
            at,
            digit: write.params.Digits ?? '',
            words: write.words ?? null,
            question: write.question ?? 'start',
          })
          .onConflictDoNothing()
        // Its notice to the client's contact and the managers (overage.consented), in this transaction.
        await notifyConsent(tx, write.callSid, at)
      } else {
        // No at the start: the call ends refused. No at the cut: the call was answered, and stays so.
        await merge(write.question === 'cut' ? {} : { outcome: 'quota_refused' })
      }
      if (write.callback) await openCallback(tx, write.callSid, write.callback, at, { configuration })
      return
    case 'on-call':
      if (write.accepted) await merge({ onCall: true, overageAccepted: true })
      return
    case 'recording': {
      const call = await merge({ recordingUrl: write.recordingUrl })
      if (call) {
        await openCallback(tx, write.callSid, voicemailReason(call), at, {
          recording: { recordingUrl: write.recordingUrl, recordingSeconds: write.recordingSeconds ?? undefined },
          configuration,
        })
        // The outbox's row for the voicemail, in this transaction: once per call, journaled or not.
        await notifyCallback(tx, 'voicemail.recorded', write.callSid, at, {
          recordingUrl: write.recordingUrl,
          durationSeconds: write.recordingSeconds,
        })
      }
      return
    }
    case 'status':
      if (write.final) await merge({ callStatus: write.callStatus, durationSeconds: write.durationSeconds, endedAt: at })
      if (write.final && write.callbackAttempt !== undefined) {
        // A call back that never dialled the client (the agent did not answer, or did not press 1)
        // reached nobody: `no_answer` in the log, not a caller who gave up.
        if ((await findCall(tx, write.callSid))?.dialStatus === null) await merge({ dialStatus: 'no-answer' })
        await settleAttempt(tx, write.callbackAttempt, { dialStatus: null, talkSeconds: 0, callSid: write.callSid, at })
      }
      return
  }
}

type DialWrite = Extract<WebhookWrite, { kind: 'dial' }>

/** A dial write's facts on the call's record, then the callback it owes and the call back it settles. */
async function afterDial(
  tx: Queryable,
  write: DialWrite,
  at: Date,
  talkSeconds: number | null,
  configuration: ConfigurationSnapshot | null,
): Promise<void> {
  await mergeOrCreateCall(
    tx,
    write.callSid,
    {
      dialStatus: write.dialStatus,
      dialCallSid: write.dialCallSid,
      dialAttempts: write.attempt,
      ...(talkSeconds !== null ? { talkSeconds } : {}),
    },
    { from: write.params.From ?? '', to: write.params.To ?? '', at },
  )
  if (write.callback) await openCallback(tx, write.callSid, write.callback, at, { configuration })
  if (write.callbackAttempt !== undefined)
    await settleAttempt(tx, write.callbackAttempt, {
      dialStatus: write.dialStatus,
      talkSeconds: write.talkSeconds,
      callSid: write.callSid,
      at,
    })
}

/** A contract's terms for counting, and the zone of its desk. */
interface CountingTerms {
  quotaSeconds: number
  overage: 'bill' | 'ask' | 'refuse'
  billingIncrementSeconds: number
  changes: ContractChange[]
  timezone: string
}

async function countingTermsFromTables(tx: Queryable, contractId: number): Promise<CountingTerms | null> {
  const [contract] = await tx
    .select({
      quotaSeconds: contracts.monthlyQuotaSeconds,
      overage: contracts.overage,
      billingIncrementSeconds: contracts.billingIncrementSeconds,
      changes: contracts.changes,
      timezone: desks.timezone,
    })
    .from(contracts)
    .innerJoin(desks, eq(desks.id, contracts.deskId))
    .where(eq(contracts.id, contractId))
  return contract ?? null
}

function countingTermsInMemory(configuration: ConfigurationSnapshot | null, contractId: number): CountingTerms | null {
  const held = configuration?.contracts.get(contractId)
  return held ? { ...held.contract, timezone: held.timezone } : null
}

/**
 * An answered leg that counts into a contract's month: its event, its talk counted once (the
 * quota split under the month's row lock, as countTalk does it), and its facts on the call.
 * The contract's terms come from the configuration in memory when the database's config_version,
 * read by the first statement, is the one it was loaded at (else, and for a contract it does not
 * hold, from the tables). Two statements where there were seven before merging into the record:
 * the event with the month's row (inserted or locked), then the leg with the month's new sums.
 */
async function applyCountedDial(
  tx: Queryable,
  write: DialWrite & { contractId: number; usageMonth: string },
  at: Date,
  configuration: ConfigurationSnapshot | null,
): Promise<boolean> {
  const inMemory = countingTermsInMemory(configuration, write.contractId)
  const held = inMemory ?? (await countingTermsFromTables(tx, write.contractId))
  const signed = held && termsForMonth(held, held.changes, write.usageMonth, localDate(at, held.timezone))
  const [first] = await rows<{ logged: string | null; version: number | null; used: number | null; consented: number | null }>(
    tx,
    sql`with logged as (
        insert into call_events (write_id, call_sid, kind, at, params)
        values (${write.id}, ${write.callSid}, ${write.event}, ${at.toISOString()}::timestamptz, ${JSON.stringify(write.params)}::jsonb)
        on conflict (write_id) do nothing
        returning id
      ), month as (
        insert into usage (contract_id, month, quota_seconds, updated_at)
        select ${write.contractId}::int, ${write.usageMonth}::text, ${signed?.quotaSeconds ?? 0}::int, ${at.toISOString()}::timestamptz
        from logged where ${signed !== null}::boolean
        on conflict (contract_id, month) do update set quota_seconds = usage.quota_seconds
        returning used_seconds, consented_seconds
      )
      select (select id from logged)::text as logged,
        (select version from config_version where id = 1) as version,
        (select used_seconds from month) as used,
        (select consented_seconds from month) as consented`,
  )
  if (!first?.logged) return false
  // The configuration changed since this instance loaded it: the terms as the tables have them now.
  const stale = inMemory !== null && Number(first.version ?? 0) !== configuration?.version
  const current = stale ? await countingTermsFromTables(tx, write.contractId) : held
  const terms = current && termsForMonth(current, current.changes, write.usageMonth, localDate(at, current.timezone))
  const fresh = stale ? null : configuration
  if (!terms || first.used === null || first.consented === null) {
    await afterDial(tx, write, at, write.talkSeconds, fresh)
    return true
  }
  const consented = write.consented ?? (await findCall(tx, write.callSid))?.overageAccepted ?? false
  const leg: TalkLeg = {
    callSid: write.callSid,
    dialCallSid: write.dialCallSid,
    contractId: write.contractId,
    month: write.usageMonth,
    talkSeconds: write.talkSeconds,
    onCall: write.leg === 'on-call',
    billable: billableBeyondQuota(terms.overage, consented),
    consented,
    quotaSeconds: terms.quotaSeconds,
    billingIncrementSeconds: terms.billingIncrementSeconds,
    now: at,
  }
  const counted = await countLockedLeg(tx, leg, { usedSeconds: Number(first.used), consentedSeconds: Number(first.consented) })
  // A duplicate adds nothing: the record has its talk already. A newly counted leg joins the
  // call's other legs (a call re-dialled at the quota line has several).
  await afterDial(tx, write, at, counted.counted ? counted.callTalkSeconds : write.talkSeconds, fresh)
  return true
}

/**
 * Opens (or completes, with a recording) the call's callback request, due within the desk's
 * working hours (model clause: 24 working hours). A call whose desk is unknown owes none. The
 * reason is owed by the write, except with a recording, whose reason is derived from the record.
 * Live, the desk and its compiled calendar come from the configuration the call was decided under
 * (as fresh as the call's own read statement); a journal's replay reads them from the tables.
 */
async function openCallback(
  tx: Queryable,
  callSid: string,
  reason: CallbackReason,
  at: Date,
  {
    recording,
    configuration = null,
  }: {
    recording?: { recordingUrl: string; recordingSeconds: number | undefined }
    /** the configuration the call was just decided under, when live: its desk's calendar, compiled already */
    configuration?: ConfigurationSnapshot | null
  } = {},
): Promise<void> {
  const call = await findCall(tx, callSid)
  const deskId = call?.deskId ?? (call ? await deskOfNumber(tx, call.toNumber) : null)
  const desk = deskId ? (configuration?.desks.byId.get(deskId) ?? (await findDesk(tx, deskId))) : null
  if (!call || !desk) return
  await requestCallback(
    tx,
    {
      callSid,
      deskId: desk.id,
      clientId: call.clientId,
      fromNumber: call.fromNumber,
      reason,
      createdAt: at,
      dueAt: callbackDue(desk, at),
      ...recording,
    },
    { owed: !recording },
  )
  await notifyCallback(tx, 'callback.opened', callSid, at, {})
}

async function deskOfNumber(tx: Queryable, number: string): Promise<string | null> {
  const [row] = await tx.select({ deskId: deskNumbers.deskId }).from(deskNumbers).where(eq(deskNumbers.number, number))
  return row?.deskId ?? null
}

/** A raw statement's rows, on PGlite and postgres.js alike. */
async function rows<T>(tx: Queryable, query: SQL): Promise<T[]> {
  const result = (await tx.execute(query)) as unknown as T[] | { rows: T[] }
  return Array.isArray(result) ? result : result.rows
}

/** A write that only logs its event (a status on the way, an event): one statement. */
async function logEvent(db: Database, write: WebhookWrite): Promise<boolean> {
  const logged = await rows<{ id: string }>(
    db,
    sql`insert into call_events (write_id, call_sid, kind, at, params)
      values (${write.id}, ${write.callSid}, ${write.event}, ${write.at}::timestamptz, ${JSON.stringify(write.params)}::jsonb)
      on conflict (write_id) do nothing
      returning id`,
  )
  return logged.length > 0
}

/**
 * The final status of a known call in one statement, no transaction: the record as read, merged in
 * memory, saved only if the row is still the version read (its xmin) and the write not applied,
 * its event logged only with the saved row. null when the call is unknown or changed in between:
 * then the transaction applies it (placeholder, row lock).
 */
async function recordFinalStatus(db: Database, write: Extract<WebhookWrite, { kind: 'status' }>): Promise<boolean | null> {
  const [read] = await db
    .select({ call: calls, version: sql<string>`${calls}.xmin::text` })
    .from(calls)
    .where(eq(calls.callSid, write.callSid))
  if (!read) return null
  const at = new Date(write.at)
  const { callSid, ...changes } = withFacts(read.call, {
    callStatus: write.callStatus,
    durationSeconds: write.durationSeconds,
    endedAt: at,
  })
  const saved = db.$with('saved_call').as(
    db
      .update(calls)
      .set(changes)
      .where(
        and(
          eq(calls.callSid, callSid),
          sql`${calls}.xmin = ${read.version}::xid`,
          sql`not exists (select 1 from ${callEvents} where ${callEvents.writeId} = ${write.id})`,
        ),
      )
      .returning({ callSid: calls.callSid }),
  )
  const logged = db.$with('logged_event', { id: sql<number>`id`.as('id') }).as(
    sql`insert into ${callEvents} (write_id, call_sid, kind, at, params)
      select ${write.id}, call_sid, ${write.event}, ${write.at}::timestamptz, ${JSON.stringify(write.params)}::jsonb from ${saved}
      on conflict (write_id) do nothing
      returning id`,
  )
  const [row] = await db.with(saved, logged).select({ id: logged.id }).from(logged)
  return row ? true : null
}

/**
 * A new call's record and its event in one statement (data-modifying CTEs run exactly once, all or
 * nothing): one round trip where a transaction takes four, on the path where the caller hears
 * silence until it returns. The event is logged only with the record it inserted, so that a
 * logged event always means an applied write: when the call is already there (a placeholder that
 * callbacks created first, a duplicate), nothing is written and false sends the write to the
 * transaction path, which completes the placeholder.
 *
 * Calls that arrive together share the statement (group commit, src/store/write-batch.ts): while
 * one is in flight the others queue, and go out as the next, one multi-row statement and one
 * commit for them all; a lone call goes out at once, as before. A write still queued at its
 * deadline is not sent (its caller journaled it). A batch that fails goes write by write, each on
 * its own statement as before (so one write the database refuses fails only itself), except when
 * the database is away: then each write fails with that, as it would alone, and is journaled.
 */
async function recordNewVoiceCall(db: Database, write: VoiceWrite, deadline?: number): Promise<boolean> {
  return voiceBatcher(db).submit(write, deadline)
}

/**
 * The most incoming calls one statement records: more than one instance usually has in flight (40
 * calls posted at once in test/routes/voice-batch.test.ts went in 4 to 6 statements), and a
 * statement of at most a few hundred KB (a call's Twilio parameters are about 1 KB).
 */
const VOICE_BATCH = 100

// One group commit per database, like its prepared statements.
const voiceBatcher = perDatabase(
  (db) =>
    new WriteBatcher<VoiceWrite, boolean>({
      max: VOICE_BATCH,
      run: (writes) => recordNewVoiceCalls(db, writes),
      alone: (write) => insertVoiceCall(db, write),
      shared: isDatabaseAway,
      now: () => performance.now(),
    }),
)

/** One statement for the writes of a batch: whether each one's record (and event) was inserted. */
async function recordNewVoiceCalls(db: Database, writes: readonly VoiceWrite[]): Promise<boolean[]> {
  if (writes.length === 1) return [await insertVoiceCall(db, writes[0] as VoiceWrite)]
  // One write per call in the statement: a second delivery of a call in the same batch finds it
  // recorded once the statement is done, as it would have a moment later alone (false: the
  // transaction path). In CallSid order, so two instances' batches lock their rows in one order.
  const first = new Map<string, VoiceWrite>()
  for (const write of writes) if (!first.has(write.callSid)) first.set(write.callSid, write)
  const rows = [...first.values()]
    .sort((a, b) => (a.callSid < b.callSid ? -1 : a.callSid > b.callSid ? 1 : 0))
    .map((write) => {
      const row: Record<string, unknown> = { write_id: write.id, event_kind: write.event, event_params: write.params }
      const columns = voiceCallRow(write)
      for (const column of VOICE_COLUMNS) row[toSnakeCase(column)] = columns[column]
      return row
    })
  const inserted = new Set((await voiceBatchInsert(db).execute({ rows: JSON.stringify(rows) })).map((row) => row.callSid))
  return writes.map((write) => first.get(write.callSid) === write && inserted.has(write.callSid))
}

/** One write's record and event alone: the statement a lone call takes, and each write of a failed batch. */
async function insertVoiceCall(db: Database, write: VoiceWrite): Promise<boolean> {
  const rows = await voiceInsert(db).execute({
    ...voiceCallRow(write),
    writeId: write.id,
    eventKind: write.event,
    eventParams: JSON.stringify(write.params),
  })
  return rows.length > 0
}

// Built once per database: drizzle's query building costs more than the round trip.
const voiceInsert = perDatabase(buildVoiceInsert)
const voiceBatchInsert = perDatabase(buildVoiceBatchInsert)

/** `make(db)`, made once per database and kept as long as the database is. */
function perDatabase<T>(make: (db: Database) => T): (db: Database) => T {
  const made = new WeakMap<Database, T>()
  return (db) => {
    let value = made.get(db)
    if (value === undefined) {
      value = make(db)
      made.set(db, value)
    }
    return value
  }
}

function buildVoiceInsert(db: Database) {
  const p = (name: string) => sql.placeholder(name)
  const columns = Object.fromEntries(VOICE_COLUMNS.map((column) => [column, p(column)])) as Record<
    (typeof VOICE_COLUMNS)[number],
    Placeholder
  >
  const recorded = db
    .$with('recorded_call')
    .as(db.insert(calls).values(columns).onConflictDoNothing().returning({ callSid: calls.callSid, startedAt: calls.startedAt }))
  // drizzle's insert … select wants every column, the serial id too: this one is written out.
  const logged = db.$with('logged_event', { id: sql<number>`id`.as('id') }).as(
    sql`insert into ${callEvents} (write_id, call_sid, kind, at, params)
      select ${p('writeId')}, call_sid, ${p('eventKind')}, started_at, ${p('eventParams')}::jsonb from ${recorded}
      on conflict (write_id) do nothing
      returning id`,
  )
  return db.with(recorded, logged).select({ id: logged.id }).from(logged).prepare('record_new_voice_call')
}

/**
 * The batch's statement: the writes as one JSON array of rows (one parameter, the same on PGlite
 * and postgres.js), the records inserted where the call is not there yet, and the events of the
 * records inserted, in the same statement; it returns the calls whose event was logged.
 */
function buildVoiceBatchInsert(db: Database) {
  const columns = sql.raw(VOICE_COLUMNS.map((column) => toSnakeCase(column)).join(', '))
  const types = sql.raw(VOICE_COLUMNS.map((column) => `${toSnakeCase(column)} ${calls[column].getSQLType()}`).join(', '))
  const callSid = { callSid: sql<string>`call_sid`.as('call_sid') }
  const input = db
    .$with('voice_writes', callSid)
    .as(
      sql`select * from jsonb_to_recordset(${sql.placeholder('rows')}::jsonb) as w(${types}, write_id text, event_kind text, event_params jsonb)`,
    )
  const recorded = db.$with('recorded_calls', callSid).as(
    sql`insert into ${calls} (${columns}) select ${columns} from ${input} order by call_sid
      on conflict do nothing
      returning call_sid, started_at`,
  )
  const logged = db.$with('logged_events', callSid).as(
    sql`insert into ${callEvents} (write_id, call_sid, kind, at, params)
      select w.write_id, r.call_sid, w.event_kind, r.started_at, w.event_params
      from ${recorded} r join ${input} w using (call_sid) order by r.call_sid
      on conflict (write_id) do nothing
      returning call_sid`,
  )
  return db.with(input, recorded, logged).select(callSid).from(logged).prepare('record_new_voice_calls')
}
