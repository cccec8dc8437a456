// The data model of supportline, read top to bottom: configuration (desks, agents, clients,
// contracts), the manager's calendar decisions, then what calls leave behind (calls, counted talk,
// monthly usage, callbacks), and finally access (tokens) and the audit log.
import { sql } from 'drizzle-orm'
import {
  bigserial,
  boolean,
  check,
  customType,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  serial,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core'
import type { Closure, Opening, Season, WeeklyChange, WeeklySchedule } from '../src/domain/calendar/index.js'
import type { ContractChange } from '../src/domain/contract-terms.js'
import { CALLBACK_REASONS } from '../src/domain/callback.js'
import { OUTCOMES } from '../src/domain/outcome.js'
import type { DeskOptions, Templates } from '../src/domain/desk.js'
import type { Contact, EventType, NotificationSettings } from '../src/domain/notifications.js'
import type { RevisionRule } from '../src/domain/revision.js'

const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({ dataType: () => 'bytea' })
const instant = () => timestamp({ withTimezone: true, mode: 'date' })
const createdAt = () => instant().notNull().defaultNow()

// ── Configuration: what the desk file declares ──────────────────────────────────────────────

/** A support desk: one phone line, its hours in its own time zone, its holiday calendar. */
export const desks = pgTable('desks', {
  id: text().primaryKey(),
  name: text().notNull(),
  timezone: text().notNull(),
  language: text().notNull().default('fr-FR'),
  /** weekly hours, local wall-clock ("09:30-12:00"), end exclusive */
  weekly: jsonb().$type<WeeklySchedule>().notNull(),
  /** later weekly hours, each from a local date (model clause: revised with 30 days' notice) */
  weeklyChanges: jsonb().$type<WeeklyChange[]>().notNull().default([]),
  /** country whose public holidays close the desk (DZ, FR), or none */
  country: text(),
  /** closures and exceptional openings declared in the desk file (managers' own live in calendar_entries) */
  closures: jsonb().$type<Closure[]>().notNull().default([]),
  openings: jsonb().$type<Opening[]>().notNull().default([]),
  /** seasons: weekly hours replacing `weekly` on their dates each year (a Hijri month such as Ramadan, or a month-day range) */
  seasons: jsonb().$type<Season[]>().notNull().default([]),
  /** the languages callers may hear, the first the default (null: the desk's own language only) */
  languages: jsonb().$type<string[]>(),
  /** routing, voicemail, on-call line, fallback numbers */
  options: jsonb().$type<DeskOptions>().notNull(),
  /** per-desk message templates, by language then message key */
  templates: jsonb().$type<Templates>().notNull().default({}),
  /** who is told of what: the desk's mailbox, managers, SMS to agents on duty, webhooks (null: nobody) */
  notifications: jsonb().$type<NotificationSettings>(),
  /** emergency "closed now" switch: when set, the desk is closed from closed_since until switched off */
  closedSince: instant(),
  closedBy: text(),
  closedReason: text(),
  /** false once the desk is no longer in the applied desk file; its history stays */
  active: boolean().notNull().default(true),
  updatedAt: createdAt(),
})

/** The numbers callers dial; `To` of the incoming call finds the desk. */
export const deskNumbers = pgTable('desk_numbers', {
  number: text().primaryKey(),
  deskId: text()
    .notNull()
    .references(() => desks.id),
})

/** The people who answer forwarded calls, usually on their mobile phones. */
export const agents = pgTable('agents', {
  id: text().primaryKey(),
  name: text().notNull(),
  number: text().notNull(),
  onDuty: boolean().notNull().default(true),
  active: boolean().notNull().default(true),
  updatedAt: createdAt(),
})

/** Which desks an agent answers for; `position` orders sequential ringing. */
export const agentDesks = pgTable(
  'agent_desks',
  {
    agentId: text()
      .notNull()
      .references(() => agents.id),
    deskId: text()
      .notNull()
      .references(() => desks.id),
    position: integer().notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.agentId, t.deskId] }), index().on(t.deskId)],
)

/** Client companies holding a support contract. */
export const clients = pgTable('clients', {
  id: text().primaryKey(),
  name: text().notNull(),
  /** language the caller hears; null = the desk's */
  language: text(),
  /** support suspended for breach (model clause): the caller hears the suspension message */
  suspended: boolean().notNull().default(false),
  suspendedReason: text(),
  /** the designated technical contact (INTERcom Art. 2): name, e-mail, phone, fax */
  contact: jsonb().$type<Contact>(),
  /** e-mail from these domains (and their subdomains) identifies the client (issue #15) */
  emailDomains: jsonb().$type<string[]>().notNull().default([]),
  active: boolean().notNull().default(true),
  updatedAt: createdAt(),
})

/** Registered technical contacts: a number identifies exactly one client. */
export const clientNumbers = pgTable(
  'client_numbers',
  {
    number: text().primaryKey(),
    clientId: text()
      .notNull()
      .references(() => clients.id),
    contact: text(),
    /** the language this number's caller hears, before the client's (null: the client's) */
    language: text(),
  },
  (t) => [index().on(t.clientId)],
)

/**
 * The language a calling number chose at the language menu (issue #17), remembered for its next
 * calls; a registered number's own `language` in the desk file comes before it.
 */
export const callerLanguages = pgTable('caller_languages', {
  number: text().primaryKey(),
  language: text().notNull(),
  /** 'caller' when chosen at the menu */
  chosenBy: text().notNull(),
  chosenAt: instant().notNull(),
})

/** A support contract between a client and a desk (INTERcom Art.: 12 months, tacit renewal). */
export const contracts = pgTable(
  'contracts',
  {
    id: serial().primaryKey(),
    clientId: text()
      .notNull()
      .references(() => clients.id),
    deskId: text()
      .notNull()
      .references(() => desks.id),
    /** signature date, local to the desk */
    start: date({ mode: 'string' }).notNull(),
    months: integer().notNull(),
    noticeMonths: integer().notNull(),
    renews: boolean().notNull().default(true),
    /** INTERcom: 5 h a month; beyond is billed case by case */
    monthlyQuotaSeconds: integer().notNull(),
    overage: text({ enum: ['bill', 'ask', 'refuse'] }).notNull(),
    /** each answered call is rounded up to a multiple of this many seconds (1 = to the second) */
    billingIncrementSeconds: integer().notNull().default(1),
    /** revised terms, each from a local date (model clause: revised with 30 days' notice) */
    changes: jsonb().$type<ContractChange[]>().notNull().default([]),
    /** how the terms may be revised (INTERcom: by agreement; the model clause: 30 days' notice) */
    revision: jsonb().$type<RevisionRule>().notNull().default({ by: 'notice', days: 30 }),
    /** the client's notice of non-renewal, and who recorded it */
    noticeGivenOn: date({ mode: 'string' }),
    noticeRecordedBy: text(),
    /** the minutes an agent records on an e-mail reply count into the month like talk time (issue #15; default no) */
    emailMinutesCountIntoQuota: boolean().notNull().default(false),
    active: boolean().notNull().default(true),
    updatedAt: createdAt(),
  },
  (t) => [uniqueIndex().on(t.clientId, t.deskId, t.start), index().on(t.deskId)],
)

// ── Calendar decisions made by managers, with who and when ──────────────────────────────────

/** Confirmed, moved, added or removed holiday occurrences (estimated lunar dates are confirmed here). */
export const holidayOverrides = pgTable(
  'holiday_overrides',
  {
    id: serial().primaryKey(),
    deskId: text()
      .notNull()
      .references(() => desks.id),
    holidayId: text().notNull(),
    action: text({ enum: ['confirm', 'move', 'add', 'remove'] }).notNull(),
    start: date({ mode: 'string' }),
    days: integer(),
    name: text(),
    by: text().notNull(),
    at: createdAt(),
  },
  (t) => [index().on(t.deskId, t.holidayId)],
)

/** Managers' decisions on a Hijri season occurrence (ramadan-1447): confirm its dates, or move a bound. */
export const seasonOverrides = pgTable(
  'season_overrides',
  {
    id: serial().primaryKey(),
    deskId: text()
      .notNull()
      .references(() => desks.id),
    seasonId: text().notNull(),
    action: text({ enum: ['confirm', 'move'] }).notNull(),
    start: date({ mode: 'string' }),
    end: date({ mode: 'string' }),
    by: text().notNull(),
    at: createdAt(),
  },
  (t) => [index().on(t.deskId, t.seasonId)],
)

/** Closures and exceptional openings added through the API (the desk file's are on the desk). */
export const calendarEntries = pgTable(
  'calendar_entries',
  {
    id: serial().primaryKey(),
    deskId: text()
      .notNull()
      .references(() => desks.id),
    kind: text({ enum: ['closure', 'opening'] }).notNull(),
    entry: jsonb().$type<Closure | Opening>().notNull(),
    by: text().notNull(),
    at: createdAt(),
    removedAt: instant(),
    removedBy: text(),
  },
  (t) => [index().on(t.deskId)],
)

// ── What calls leave behind ─────────────────────────────────────────────────────────────────

/** One record per incoming call (CallSid); `outcome` is null while the call is in progress. */
export const calls = pgTable(
  'calls',
  {
    callSid: text().primaryKey(),
    deskId: text(),
    /** inbound: a client called the desk; outbound: the desk called a client back (issue #16) */
    direction: text({ enum: ['inbound', 'outbound'] })
      .notNull()
      .default('inbound'),
    /** the callback request an outbound call answers */
    callbackId: integer(),
    fromNumber: text().notNull(),
    toNumber: text().notNull(),
    clientId: text(),
    contractId: integer(),
    startedAt: instant().notNull(),
    /** the desk-local month (YYYY-MM) the call's talk time counts into */
    usageMonth: text(),
    /** what the voice webhook decided (route, voicemail, closed_hours, ...) */
    decision: text().notNull(),
    outcome: text({ enum: OUTCOMES }),
    /** the caller accepted billing beyond the quota, or the out-of-hours on-call charge */
    overageAccepted: boolean().notNull().default(false),
    onCall: boolean().notNull().default(false),
    agentId: text(),
    dialCallSid: text(),
    dialStatus: text(),
    dialAttempts: integer().notNull().default(0),
    talkSeconds: integer().notNull().default(0),
    recordingUrl: text(),
    callStatus: text(),
    durationSeconds: integer(),
    endedAt: instant(),
  },
  // The call log's keyset order. NULLS FIRST is what ORDER BY … DESC means: drizzle's .desc()
  // alone gives DESC NULLS LAST, which Postgres cannot use for that ORDER BY (a sort of every row).
  (t) => [
    index('calls_started_idx').on(t.startedAt.desc().nullsFirst(), t.callSid.desc().nullsFirst()),
    index('calls_client_started_idx').on(t.clientId, t.startedAt.desc().nullsFirst(), t.callSid.desc().nullsFirst()),
    index('calls_desk_started_idx').on(t.deskId, t.startedAt.desc().nullsFirst(), t.callSid.desc().nullsFirst()),
  ],
)

/** Every webhook a call received, as received (for the call's page and for audits). */
export const callEvents = pgTable(
  'call_events',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    /** the webhook delivery that logged it: applying the same delivery twice logs (and writes) nothing */
    writeId: text().unique(),
    callSid: text().notNull(),
    kind: text().notNull(),
    at: createdAt(),
    params: jsonb().$type<Record<string, string>>().notNull(),
  },
  (t) => [index().on(t.callSid, t.id)],
)

/**
 * Answered talk time, counted once: one row per dial leg. Inserting the row is what counts the
 * seconds into `usage`, in the same transaction, so a duplicate callback finds the row and adds
 * nothing.
 */
export const talkLegs = pgTable(
  'talk_legs',
  {
    callSid: text().notNull(),
    dialCallSid: text().notNull(),
    contractId: integer().notNull(),
    month: text().notNull(),
    talkSeconds: integer().notNull(),
    /** after the contract's billing increment */
    countedSeconds: integer().notNull(),
    includedSeconds: integer().notNull(),
    /** beyond the quota, billable: the `bill` policy, or the caller consented (`ask`) */
    overageSeconds: integer().notNull(),
    /** beyond the quota, never billed: `refuse`'s grace, `ask` before consent, rounding at the line */
    graceSeconds: integer().notNull().default(0),
    /** the leg came after the caller's yes to billing (the consent is in overage_consents) */
    consented: boolean().notNull().default(false),
    /** out-of-hours on-call assistance, billed apart (INTERcom: outside hours billed extra) */
    onCall: boolean().notNull().default(false),
    /** an on-call leg's seconds after the billing increment (outside the quota, so not in countedSeconds) */
    onCallSeconds: integer().notNull().default(0),
    countedAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.callSid, t.dialCallSid] }),
    index().on(t.contractId, t.month),
    check('talk_legs_split', sql`${t.includedSeconds} + ${t.overageSeconds} + ${t.graceSeconds} = ${t.countedSeconds}`),
  ],
)

/** Support time used per contract and desk-local month (INTERcom: 5 h a month, beyond billed). */
export const usage = pgTable(
  'usage',
  {
    contractId: integer()
      .notNull()
      .references(() => contracts.id),
    month: text().notNull(),
    quotaSeconds: integer().notNull(),
    usedSeconds: integer().notNull().default(0),
    includedSeconds: integer().notNull().default(0),
    /** beyond the quota, billable */
    overageSeconds: integer().notNull().default(0),
    /** beyond the quota, never billed */
    graceSeconds: integer().notNull().default(0),
    /** talk after the caller's yes to billing: all of it billable, none of it taking the included quota */
    consentedSeconds: integer().notNull().default(0),
    onCallSeconds: integer().notNull().default(0),
    calls: integer().notNull().default(0),
    updatedAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.contractId, t.month] }), index().on(t.month)],
)

/**
 * A caller's yes to billing beyond the quota, kept as evidence: the call, the instant, the digit
 * pressed, the words of the question played, and whether it was asked at the start of the call or
 * when the limit cut the agent's leg. One per call (a call is asked at most once).
 */
export const overageConsents = pgTable('overage_consents', {
  callSid: text().primaryKey(),
  at: instant().notNull(),
  digit: text().notNull(),
  /** the question as the caller heard it; null for a consent journaled before the words were kept */
  words: text(),
  question: text({ enum: ['start', 'cut'] }).notNull(),
})

/** 80 % and 100 % of a month's quota, recorded once when first crossed. */
export const usageThresholds = pgTable(
  'usage_thresholds',
  {
    contractId: integer().notNull(),
    month: text().notNull(),
    percent: integer().notNull(),
    callSid: text().notNull(),
    crossedAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.contractId, t.month, t.percent] })],
)

/**
 * A request in the desk's queue, due within 24 working hours (model clause): a voicemail or a
 * callback owed to a caller (channel `phone`, one per call), or a client's e-mail (channel `email`,
 * issue #15: its messages in email_messages, the first one's sender and subject here).
 */
export const callbacks = pgTable(
  'callbacks',
  {
    id: serial().primaryKey(),
    /** the call that owes it; null for an e-mail request */
    callSid: text().unique(),
    deskId: text().notNull(),
    clientId: text(),
    /** the caller's number; null for an e-mail request */
    fromNumber: text(),
    reason: text({ enum: CALLBACK_REASONS }).notNull(),
    recordingUrl: text(),
    recordingSeconds: integer(),
    createdAt: createdAt(),
    dueAt: instant(),
    status: text({ enum: ['open', 'done'] })
      .notNull()
      .default('open'),
    assignedTo: text(),
    assignedBy: text(),
    assignedAt: instant(),
    doneAt: instant(),
    doneBy: text(),
    note: text(),
    /** how the request came: a call (phone) or an e-mail (issue #15) */
    channel: text({ enum: ['phone', 'email'] })
      .notNull()
      .default('phone'),
    /** e-mail requests: the sender's address (normalised) and the first message's subject */
    fromAddress: text(),
    subject: text(),
    /** e-mail requests: minutes the agent recorded on the reply (counted into the quota when the contract says so) */
    replyMinutes: integer(),
  },
  (t) => [
    index().on(t.status, t.dueAt),
    check(
      'callbacks_channel',
      sql`(${t.channel} = 'phone' and ${t.callSid} is not null and ${t.fromNumber} is not null) or (${t.channel} = 'email' and ${t.fromAddress} is not null)`,
    ),
  ],
)

// ── E-mail assistance (issue #15) ───────────────────────────────────────────────────────────

/**
 * Every e-mail message received or sent, once by its Message-ID: received ones with what became
 * of them (opened a request, joined one, unidentified, refused, automatic), sent ones (our
 * acknowledgements, refusals and answers) so that a reply to them finds its request.
 */
export const emailMessages = pgTable(
  'email_messages',
  {
    id: serial().primaryKey(),
    /** `<id>`, normalised; derived for a message without one (docs/EMAIL.md) */
    messageId: text().notNull().unique(),
    direction: text({ enum: ['in', 'out'] }).notNull(),
    /** in: opened a request, joined one, its sender unknown, refused (suspended, no contract), automatic mail; out: sent */
    disposition: text({ enum: ['opened', 'joined', 'unidentified', 'refused', 'automatic', 'sent'] }).notNull(),
    /** the request it opened, joined or answers; null while unidentified, refused or automatic */
    requestId: integer().references(() => callbacks.id),
    clientId: text(),
    /** in: imap or webhook; out: acknowledgement, refusal, answer */
    via: text().notNull(),
    fromAddress: text(),
    fromName: text(),
    replyTo: jsonb().$type<string[]>().notNull().default([]),
    to: jsonb().$type<string[]>().notNull().default([]),
    subject: text().notNull().default(''),
    date: instant(),
    inReplyTo: text(),
    references: jsonb().$type<string[]>().notNull().default([]),
    text: text().notNull().default(''),
    /** sanitised HTML (parseEmail); never the message's own */
    html: text(),
    size: integer().notNull().default(0),
    /** why it was refused, who the sender could be (ambiguous), the parser's problems */
    detail: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    receivedAt: instant().notNull(),
    /** unidentified: when a manager gave it to a client, and who */
    assignedAt: instant(),
    assignedBy: text(),
  },
  (t) => [index().on(t.requestId), index().on(t.disposition, t.receivedAt)],
)

/**
 * Addresses a manager tied to a client when assigning an unidentified message (issue #15): they
 * identify the client like its contact's e-mail, and stay when the desk file is applied again.
 */
export const clientEmailAddresses = pgTable('client_email_addresses', {
  address: text().primaryKey(),
  clientId: text()
    .notNull()
    .references(() => clients.id),
  addedBy: text().notNull(),
  addedAt: instant().notNull(),
})

/** An e-mail's attachments: every one listed with its size; the content kept up to 10 MB a message. */
export const emailAttachments = pgTable(
  'email_attachments',
  {
    messageRowId: integer()
      .notNull()
      .references(() => emailMessages.id),
    position: integer().notNull(),
    filename: text(),
    contentType: text().notNull(),
    size: integer().notNull(),
    contentId: text(),
    inline: boolean().notNull().default(false),
    /** null when not kept: over the message's 10 MB */
    content: bytea(),
    omitted: text(),
  },
  (t) => [primaryKey({ columns: [t.messageRowId, t.position] })],
)

/**
 * E-mail minutes counted into the quota (issue #15, `emailMinutesCountIntoQuota`): one row per
 * answered request, written in the transaction that closes it, with the split as counted, so the
 * month's statement lists them next to the call legs and its totals equal the usage.
 */
export const emailCounts = pgTable(
  'email_counts',
  {
    callbackId: integer()
      .primaryKey()
      .references(() => callbacks.id),
    contractId: integer().notNull(),
    month: text().notNull(),
    countedSeconds: integer().notNull(),
    includedSeconds: integer().notNull(),
    /** beyond the quota, billable: the `bill` policy */
    overageSeconds: integer().notNull(),
    /** beyond the quota, never billed: `ask` and `refuse` (nobody accepted a bill) */
    graceSeconds: integer().notNull(),
    countedAt: instant().notNull(),
  },
  (t) => [
    index().on(t.contractId, t.month),
    check('email_counts_split', sql`${t.includedSeconds} + ${t.overageSeconds} + ${t.graceSeconds} = ${t.countedSeconds}`),
  ],
)

/**
 * Each call back through the line (issue #16): who rang, which number, the call, how it ended.
 * `initiated` until the call's webhooks tell how it ended; the request closes itself on an
 * attempt whose client talked at least the desk's `callbackReachedSeconds`.
 */
export const callbackAttempts = pgTable(
  'callback_attempts',
  {
    id: serial().primaryKey(),
    callbackId: integer()
      .notNull()
      .references(() => callbacks.id),
    agentId: text().notNull(),
    /** the client's number dialled */
    number: text().notNull(),
    /** the desk's number the call comes from */
    fromNumber: text().notNull(),
    /** Twilio's SID of the call (the agent's leg); null until Twilio accepted it */
    callSid: text().unique(),
    status: text({ enum: ['initiated', 'answered', 'no_answer', 'busy', 'failed', 'agent_unavailable'] })
      .notNull()
      .default('initiated'),
    talkSeconds: integer().notNull().default(0),
    createdAt: createdAt(),
    createdBy: text().notNull(),
    endedAt: instant(),
  },
  (t) => [index().on(t.callbackId, t.id)],
)

// ── Notifications: the outbox (issue #14) ───────────────────────────────────────────────────

/**
 * A fact that owes notifications (a voicemail, a threshold crossed, a desk closed), written in the
 * same transaction as the fact itself; its key is unique per fact, so a fact written twice (a
 * replayed journal, two scans) is one event.
 */
export const notificationEvents = pgTable(
  'notification_events',
  {
    key: text().primaryKey(),
    type: text().$type<EventType>().notNull(),
    deskId: text().notNull(),
    clientId: text(),
    /** the webhook body's `data` */
    data: jsonb().$type<Record<string, unknown>>().notNull(),
    /** the desk's name, zone and first number when the fact happened: the words of the messages */
    context: jsonb().$type<{ deskName: string; timezone: string; smsFrom: string | null; clientName: string | null }>().notNull(),
    occurredAt: instant().notNull(),
  },
  (t) => [index().on(t.occurredAt)],
)

/**
 * One delivery owed: an event to one recipient on one channel. The id is derived from the event
 * and the recipient (the same on every attempt: Message-ID, webhook-id). Claimed by a sender with
 * FOR UPDATE SKIP LOCKED; `leaseUntil` lets another instance take over after a crash.
 */
export const notifications = pgTable(
  'notifications',
  {
    id: text().primaryKey(),
    eventKey: text()
      .notNull()
      .references(() => notificationEvents.key),
    type: text().$type<EventType>().notNull(),
    deskId: text().notNull(),
    clientId: text(),
    channel: text({ enum: ['email', 'sms', 'webhook'] }).notNull(),
    /** an e-mail address, an E.164 number or a webhook URL */
    recipient: text().notNull(),
    /** sent to the client's own contact: what a client's token may see (not agents' SMS, managers' mail, webhooks) */
    forClient: boolean().notNull().default(false),
    language: text().notNull(),
    status: text({ enum: ['pending', 'sending', 'sent', 'failed'] })
      .notNull()
      .default('pending'),
    attempts: integer().notNull().default(0),
    nextAttemptAt: instant().notNull(),
    /** while `sending`: when the claim lapses (a sender that crashed mid-delivery) */
    leaseUntil: instant(),
    /** the 24 hours of retries count from here: the first write, or a manager's resend */
    windowStart: instant().notNull(),
    lastError: text(),
    sentAt: instant(),
    createdAt: createdAt(),
    resentBy: text(),
  },
  (t) => [
    index('notifications_due_idx').on(t.status, t.nextAttemptAt),
    index().on(t.createdAt),
    index().on(t.clientId, t.forClient, t.createdAt),
    uniqueIndex().on(t.eventKey, t.channel, t.recipient),
  ],
)

// ── Access and accountability ───────────────────────────────────────────────────────────────

/** Bearer tokens, stored as SHA-256 of a 256-bit random secret (never in clear). */
export const tokens = pgTable('tokens', {
  id: serial().primaryKey(),
  name: text().notNull(),
  role: text({ enum: ['admin', 'manager', 'client', 'agent'] }).notNull(),
  clientId: text().references(() => clients.id),
  /** the agent an agent token stands for; null for the other roles */
  agentId: text().references(() => agents.id),
  tokenHash: text().notNull().unique(),
  createdAt: createdAt(),
  createdBy: text().notNull(),
  revokedAt: instant(),
  lastUsedAt: instant(),
})

/**
 * Dashboard sessions: the browser holds a random secret in an HttpOnly cookie, the row its SHA-256.
 * A session stands for the token it was opened with: revoking the token ends it at once.
 */
export const sessions = pgTable(
  'sessions',
  {
    idHash: text().primaryKey(),
    /** the token signed in with; null for the bootstrap ADMIN_TOKEN, which is never stored */
    tokenId: integer().references(() => tokens.id, { onDelete: 'cascade' }),
    /** for ADMIN_TOKEN sessions: a 64-bit fingerprint, so that changing ADMIN_TOKEN ends them */
    adminFingerprint: text(),
    createdAt: createdAt(),
    expiresAt: instant().notNull(),
  },
  (t) => [
    index().on(t.tokenId),
    index().on(t.expiresAt),
    check('sessions_credential', sql`${t.tokenId} is not null or ${t.adminFingerprint} is not null`),
  ],
)

/**
 * One row, bumped in the same transaction as every configuration or calendar change, so that an
 * instance holding configuration in memory can tell cheaply whether it is still current.
 */
export const configVersion = pgTable('config_version', {
  id: integer().primaryKey().default(1),
  version: integer().notNull().default(0),
  changedAt: instant().notNull().defaultNow(),
})

/** Each desk file applied: an unchanged DESK_FILE is not re-applied at start. */
export const appliedDeskFiles = pgTable('applied_desk_files', {
  id: serial().primaryKey(),
  digest: text().notNull(),
  appliedAt: instant().notNull(),
  actor: text().notNull(),
  changes: integer().notNull(),
})

/** Every configuration change: who, when, what before and after. */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    at: createdAt(),
    actor: text().notNull(),
    action: text().notNull(),
    entity: text().notNull(),
    entityId: text().notNull(),
    before: jsonb(),
    after: jsonb(),
  },
  (t) => [index().on(t.entity, t.entityId)],
)
