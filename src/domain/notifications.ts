// Notifications (issue #14): the events, what each one's data holds, who is told of which, the
// desk file's settings, when a failed delivery is tried again, and the words of an e-mail or an
// SMS. Pure: the store writes what this decides, the sender delivers what it renders.
import { createHash } from 'node:crypto'
import { DateTime } from 'luxon'
import { z } from 'zod'
import { text } from './boundary.js'
import { e164Schema } from './phone.js'
import type { RevisionWhatIf } from './revision-what-if.js'

/** The event types, fixed by DESIGN.md: webhook bodies' `type`, and the desk file's `events`. */
export const EVENT_TYPES = [
  'voicemail.recorded',
  'callback.opened',
  'callback.late',
  'quota.threshold',
  'overage.consented',
  'holiday.changed',
  'contract.notice_due',
  'contract.revision',
  'desk.closed_now',
  'desk.reopened',
  'email.acknowledged',
  'email.refused',
  'email.answered',
] as const
export type EventType = (typeof EVENT_TYPES)[number]

interface CallbackData {
  callbackId: number | null
  /** the call that owes it; null for an e-mail request (issue #15) */
  callSid: string | null
  desk: string
  clientId: string | null
  clientName: string | null
  /** the caller's number; for an e-mail request, the sender's address */
  from: string
  /** why the call became a request; `email` for an e-mail request */
  reason: 'no_answer' | 'no_agent' | 'closed_hours' | 'closed_holiday' | 'email'
  /** ISO instant: within the desk's working hours (24 by default) */
  dueAt: string | null
  /** how the request came (issue #15); absent from events written before it was told */
  channel?: 'phone' | 'email'
  /** an e-mail request's subject (its first message's) */
  subject?: string | null
}

/**
 * An e-mail to the client about its e-mail request (issue #15): written whole when the fact is
 * recorded (its words, its Message-ID, its threading headers), so that every attempt sends the
 * same message and a reply to it finds its request.
 */
export interface EmailOutData {
  requestId: number | null
  clientId: string | null
  /** the recipients: the sender (acknowledgement, refusal), or Reply-To / From (an agent's answer) */
  to: string[]
  language: string
  subject: string
  text: string
  messageId: string
  inReplyTo: string | null
  references: string[]
  /** Auto-Submitted: auto-replied (RFC 3834) on what no person wrote: acknowledgements and refusals */
  automatic: boolean
}

/** Each event's `data`, as the webhook body carries it and the e-mail and SMS say it. */
export interface EventData {
  'voicemail.recorded': CallbackData & { recordingUrl: string; durationSeconds: number | null }
  'callback.opened': CallbackData
  'callback.late': CallbackData
  'quota.threshold': {
    contractId: number
    clientId: string
    clientName: string
    desk: string
    month: string
    percent: number
    quotaSeconds: number
    callSid: string
  }
  /** emitted by the overage work (another change): the caller's consent to billing beyond the quota */
  'overage.consented': {
    callSid: string
    contractId: number
    clientId: string
    clientName: string
    desk: string
    month: string
    from: string
    at: string
  }
  'holiday.changed': {
    desk: string
    /** a public holiday, or a season whose dates a manager decided (Ramadan's hours) */
    kind: 'holiday' | 'season'
    /** the holiday's id, or the season occurrence's (ramadan-1448) */
    holidayId: string
    action: 'confirm' | 'move' | 'add' | 'remove'
    name: string | null
    /** the holiday's first day and length after the change (none when removed) */
    start: string | null
    days: number | null
    by: string
    /** ISO instant: the desk's next opening after the change, from the moment it was recorded */
    nextOpening: string | null
  }
  'contract.notice_due': {
    contractId: number
    clientId: string
    clientName: string
    desk: string
    /** the last day to give notice (desk-local date) */
    noticeDeadline: string
    /** the current period's last day */
    periodLastDay: string | null
  }
  /** emitted by the contract revision work (another change): the written notice of the model clause */
  'contract.revision': {
    contractId: number | null
    clientId: string
    clientName: string
    desk: string
    /** desk-local date the revised terms or hours apply from */
    effectiveFrom: string
    summary: string
    /**
     * the client's own what-if (issue #21): its calls of the last full month before the revision,
     * replayed as if the revision had been in force; absent when it could not be replayed
     */
    whatIf?: RevisionWhatIf
  }
  'desk.closed_now': { desk: string; since: string; by: string; reason: string | null }
  'desk.reopened': { desk: string; at: string; by: string; nextOpening: string | null }
  'email.acknowledged': EmailOutData
  'email.refused': EmailOutData
  'email.answered': EmailOutData
}

/** A fact that owes notifications; `key` is unique per fact, so a fact told twice is told once. */
export type NotificationFact = {
  [T in EventType]: { type: T; key: string; desk: string; clientId: string | null; at: Date; data: EventData[T] }
}[EventType]

// ── The desk file's settings ────────────────────────────────────────────────────────────────

export const emailSchema = z.email({ message: 'is not an e-mail address' }).max(254)

/** The client's designated technical contact (INTERcom Art. 2): client-facing notices go to its e-mail. */
export const contactSchema = z
  .object({
    name: text(200),
    email: emailSchema.optional(),
    phone: e164Schema.optional(),
    fax: e164Schema.optional(),
  })
  .strict()
export type Contact = z.output<typeof contactSchema>

export const webhookSubscriptionSchema = z
  .object({
    url: z.url({ protocol: /^https?$/, message: 'must be an http:// or https:// URL' }).max(2000),
    secret: z
      .string()
      .refine(
        (secret) => /^whsec_[A-Za-z0-9+/]+={0,2}$/.test(secret) && Buffer.from(secret.slice(6), 'base64').length >= 24,
        'must be "whsec_" and the base64 of at least 24 random bytes',
      ),
    events: z.array(z.enum(EVENT_TYPES, { message: `must be one of ${EVENT_TYPES.join(', ')}` })).min(1),
  })
  .strict()

export const notificationsSchema = z
  .object({
    /** the desk's own mailbox(es): voicemails and callback requests */
    email: z.array(emailSchema).default([]),
    /** managers: late callbacks, quota, notice deadlines */
    managers: z.array(emailSchema).default([]),
    /** SMS to the agents on duty (voicemails, the emergency switch) */
    sms: z.boolean().default(false),
    webhooks: z.array(webhookSubscriptionSchema).default([]),
  })
  .strict()
export type NotificationSettings = z.output<typeof notificationsSchema>
export const NO_NOTIFICATIONS: NotificationSettings = { email: [], managers: [], sms: false, webhooks: [] }

/** Paths (relative to the settings) of webhook URLs that are not https: refused in production. */
export function insecureWebhooks(settings: NotificationSettings): (string | number)[][] {
  return settings.webhooks.flatMap((hook, index) => (hook.url.startsWith('https://') ? [] : [['webhooks', index, 'url']]))
}

// ── Who is told ─────────────────────────────────────────────────────────────────────────────

export type Channel = 'email' | 'sms' | 'webhook'

export interface Recipient {
  channel: Channel
  /** an e-mail address, an E.164 number or a URL */
  address: string
  /** the language the message is written in (webhooks: the desk's, unused) */
  language: string
  /** set when the recipient is this client's contact: what the client may see it was sent */
  clientId?: string
}

export interface AudienceClient {
  id: string
  contactEmail: string | null
  language: string | null
}

export interface Audience {
  settings: NotificationSettings
  deskLanguage: string
  /** the fact's client's contact, and the client's language */
  client: AudienceClient | null
  /** holiday.changed: every client of the desk */
  deskClients: AudienceClient[]
  agentsOnDuty: { number: string }[]
  /** e-mail requests' messages: their own recipients (EmailOutData.to) */
  mailTo?: { addresses: readonly string[]; language: string; clientId: string | null } | undefined
}

type Group = 'agents' | 'desk' | 'managers' | 'client' | 'desk-clients' | 'mail-to'

const WHO: Record<EventType, Group[]> = {
  'voicemail.recorded': ['agents', 'desk'],
  'callback.opened': ['desk'],
  'callback.late': ['managers'],
  'quota.threshold': ['client', 'managers'],
  'overage.consented': ['client', 'managers'],
  'holiday.changed': ['desk-clients'],
  'contract.notice_due': ['managers'],
  'contract.revision': ['client'],
  'desk.closed_now': ['agents'],
  'desk.reopened': ['agents'],
  'email.acknowledged': ['mail-to'],
  'email.refused': ['mail-to'],
  'email.answered': ['mail-to'],
}

/** Who is told of an event (DESIGN.md's table, plus the webhooks subscribed to it), each once. */
export function recipientsOf(type: EventType, audience: Audience): Recipient[] {
  const { settings, deskLanguage } = audience
  const email = (address: string, language: string | null): Recipient => ({
    channel: 'email',
    address: address.toLowerCase(),
    language: language ?? deskLanguage,
  })
  const contacts = (list: AudienceClient[]) =>
    list.flatMap((c) => (c.contactEmail ? [{ ...email(c.contactEmail, c.language), clientId: c.id }] : []))
  const byGroup: Record<Group, () => Recipient[]> = {
    agents: () =>
      settings.sms ? audience.agentsOnDuty.map((a) => ({ channel: 'sms', address: a.number, language: deskLanguage })) : [],
    desk: () => settings.email.map((address) => email(address, null)),
    managers: () => settings.managers.map((address) => email(address, null)),
    client: () => contacts(audience.client ? [audience.client] : []),
    'desk-clients': () => contacts(audience.deskClients),
    'mail-to': () =>
      (audience.mailTo?.addresses ?? []).map((address) => ({
        ...email(address, audience.mailTo?.language ?? null),
        ...(audience.mailTo?.clientId ? { clientId: audience.mailTo.clientId } : {}),
      })),
  }
  const hooks = settings.webhooks
    .filter((hook) => hook.events.includes(type))
    .map((hook): Recipient => ({ channel: 'webhook', address: hook.url, language: deskLanguage }))
  const all = [...WHO[type].flatMap((group) => byGroup[group]()), ...hooks]
  const seen = new Set<string>()
  return all.filter((r) => {
    const key = `${r.channel} ${r.address}`
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}

/**
 * A notification's id: the same for the same fact and recipient, so that writing it twice (a
 * replayed journal) writes one row, and every attempt carries it (Message-ID, webhook-id).
 */
export function notificationId(factKey: string, recipient: Pick<Recipient, 'channel' | 'address'>): string {
  const digest = createHash('sha256').update(`${factKey}\n${recipient.channel}\n${recipient.address}`).digest('hex')
  return `msg_${digest.slice(0, 32)}`
}

// ── Retries ─────────────────────────────────────────────────────────────────────────────────

export interface RetryPolicy {
  /** the first retry's delay; each next one doubles */
  baseMs: number
  /** no delay longer than this */
  maxMs: number
  /** after this long from the first attempt (or a manager's resend), give up: `failed` */
  giveUpAfterMs: number
}

export const RETRY_POLICY: RetryPolicy = { baseMs: 30_000, maxMs: 3_600_000, giveUpAfterMs: 24 * 3_600_000 }

export type AttemptOutcome =
  | { ok: true }
  | { ok: false; transient: boolean; error: string; retryAfterSeconds?: number | undefined }

export type Verdict =
  | { status: 'sent' }
  | { status: 'pending'; nextAttemptAt: Date; error: string }
  | { status: 'failed'; error: string }

/**
 * What becomes of a notification after its `attempts`-th attempt (1 for the first) at `now`:
 * sent; tried again after an exponential delay with jitter (`random` in [0, 1): half to all of
 * the delay, so instances that failed together do not retry together), never sooner than the
 * receiver's Retry-After; or failed, when the failure is permanent or the next try would fall
 * after the window that opened at `since`.
 */
export function afterAttempt(
  outcome: AttemptOutcome,
  attempts: number,
  now: Date,
  since: Date,
  random: number,
  policy: RetryPolicy = RETRY_POLICY,
): Verdict {
  if (outcome.ok) return { status: 'sent' }
  if (!outcome.transient) return { status: 'failed', error: outcome.error }
  const backoff = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(attempts - 1, 30))
  const delay = Math.max(backoff * (0.5 + random / 2), (outcome.retryAfterSeconds ?? 0) * 1000)
  const next = now.getTime() + delay
  if (next > since.getTime() + policy.giveUpAfterMs) {
    return { status: 'failed', error: `${outcome.error} (gave up after ${attempts} attempts)` }
  }
  return { status: 'pending', nextAttemptAt: new Date(next), error: outcome.error }
}

// ── Words ───────────────────────────────────────────────────────────────────────────────────

export interface RenderContext {
  deskName: string
  timezone: string
  language: string
  /** the client's name, when the notice concerns one */
  clientName?: string | null | undefined
}

export interface RenderedMessage {
  subject: string
  /** paragraphs; the text part joins them with blank lines, the HTML part makes each a <p> */
  lines: string[]
}

type Family = 'fr' | 'en'
const familyOf = (language: string): Family => (language.toLowerCase().startsWith('en') ? 'en' : 'fr')

function when(iso: string | null, context: RenderContext, family: Family): string {
  if (!iso) return family === 'fr' ? 'sans échéance' : 'no due time'
  const at = DateTime.fromISO(iso, { zone: context.timezone }).setLocale(family)
  return family === 'fr' ? at.toFormat("cccc d LLLL yyyy 'à' HH'h'mm") : at.toFormat("cccc d LLLL yyyy 'at' HH:mm")
}

function day(date: string | null, family: Family): string {
  if (!date) return '—'
  return DateTime.fromISO(date)
    .setLocale(family)
    .toFormat(family === 'fr' ? 'cccc d LLLL yyyy' : 'cccc d LLLL yyyy')
}

const REASONS: Record<Family, Record<CallbackData['reason'], string>> = {
  fr: {
    no_answer: 'aucun agent n’a répondu',
    no_agent: 'aucun agent n’était de service',
    closed_hours: 'hors des heures d’assistance',
    closed_holiday: 'jour férié',
    email: 'par e-mail',
  },
  en: {
    no_answer: 'no agent answered',
    no_agent: 'no agent was on duty',
    closed_hours: 'outside support hours',
    closed_holiday: 'public holiday',
    email: 'by e-mail',
  },
}

const ACTIONS: Record<Family, Record<EventData['holiday.changed']['action'], string>> = {
  fr: { confirm: 'confirmé', move: 'déplacé', add: 'ajouté', remove: 'supprimé' },
  en: { confirm: 'confirmed', move: 'moved', add: 'added', remove: 'removed' },
}

/** An e-mail request's message: its words were written with the fact. */
const mailAsWritten = (d: EmailOutData): RenderedMessage => ({ subject: d.subject, lines: d.text.split(/\n{2,}/) })

type Renderers = { [T in EventType]: (data: EventData[T], c: RenderContext, f: Family) => RenderedMessage }

/** An e-mail request's data (issue #15): the sender's address in `from`, a subject, no call. */
const isEmail = (data: CallbackData): boolean => data.reason === 'email'

/** The sender's subject, quoted in a line: bounded, so an SMS stays short whatever they wrote. */
function subjectOf(data: CallbackData, family: Family): string {
  const subject = (data.subject ?? '').replace(/\s+/g, ' ').trim()
  if (!subject) return family === 'fr' ? 'sans objet' : 'no subject'
  return subject.length > 120 ? `${subject.slice(0, 119)}…` : subject
}

const who = (data: { clientName: string | null; from: string }) =>
  data.clientName ? `${data.clientName} (${data.from})` : data.from

/** "2 appels", "0 appel", "1 call", "0 calls": French takes the singular below 2, English for 1 only. */
const counted = (f: Family, count: number, one: string, many: string) =>
  `${count} ${(f === 'fr' ? Math.abs(count) < 2 : count === 1) ? one : many}`

/** The client's own what-if in a revision's notice: its calls of a past month, had the revision been in force. */
function revisionWhatIfLine(w: RevisionWhatIf, f: Family): string {
  const month = DateTime.fromISO(`${w.month}-01`).setLocale(f).toFormat('LLLL yyyy')
  const minutes = Math.abs(w.minutesMovedBeyondQuota)
  if (f === 'fr') {
    const moved =
      w.minutesMovedBeyondQuota >= 0
        ? `${counted(f, minutes, 'minute serait passée', 'minutes seraient passées')} au-delà du forfait`
        : `${counted(f, minutes, 'minute serait revenue', 'minutes seraient revenues')} dans le forfait`
    return (
      `Si elle s’était appliquée en ${month} à vos appels : ${counted(f, w.calls, 'appel rejoué', 'appels rejoués')}, ` +
      `${counted(f, w.changedCalls, 'aurait changé', 'auraient changé')}, ` +
      `${counted(f, w.newlyClosed, 'aurait trouvé', 'auraient trouvé')} l’assistance fermée, ${moved}.`
    )
  }
  const moved =
    w.minutesMovedBeyondQuota >= 0
      ? `${counted(f, minutes, 'minute', 'minutes')} would have moved beyond the quota`
      : `${counted(f, minutes, 'minute', 'minutes')} would have come back within the quota`
  return (
    `Had it applied in ${month} to your calls: ${counted(f, w.calls, 'call replayed', 'calls replayed')}, ` +
    `${w.changedCalls} would have changed, ${w.newlyClosed} would have found support closed, ${moved}.`
  )
}

const RENDER: Renderers = {
  'voicemail.recorded': (d, c, f) =>
    f === 'fr'
      ? {
          subject: `[${c.deskName}] Message vocal de ${who(d)}`,
          lines: [
            `${who(d)} a laissé un message de ${d.durationSeconds ?? '?'} s sur la ligne ${c.deskName} (${REASONS.fr[d.reason]}).`,
            `Rappel dû au plus tard ${when(d.dueAt, c, f)}.`,
            `Écouter : ${d.recordingUrl}`,
          ],
        }
      : {
          subject: `[${c.deskName}] Voicemail from ${who(d)}`,
          lines: [
            `${who(d)} left a ${d.durationSeconds ?? '?'} s message on the ${c.deskName} line (${REASONS.en[d.reason]}).`,
            `Call back by ${when(d.dueAt, c, f)}.`,
            `Listen: ${d.recordingUrl}`,
          ],
        },
  'callback.opened': (d, c, f) => {
    if (isEmail(d))
      return f === 'fr'
        ? {
            subject: `[${c.deskName}] Demande par e-mail de ${who(d)}`,
            lines: [`${who(d)} a écrit : « ${subjectOf(d, f)} ».`, `À répondre au plus tard ${when(d.dueAt, c, f)}.`],
          }
        : {
            subject: `[${c.deskName}] E-mail request from ${who(d)}`,
            lines: [`${who(d)} wrote: "${subjectOf(d, f)}".`, `Answer by ${when(d.dueAt, c, f)}.`],
          }
    return f === 'fr'
      ? {
          subject: `[${c.deskName}] Demande de rappel de ${who(d)}`,
          lines: [`${who(d)} attend un rappel (${REASONS.fr[d.reason]}).`, `À rappeler au plus tard ${when(d.dueAt, c, f)}.`],
        }
      : {
          subject: `[${c.deskName}] Callback request from ${who(d)}`,
          lines: [`${who(d)} is waiting for a call back (${REASONS.en[d.reason]}).`, `Call back by ${when(d.dueAt, c, f)}.`],
        }
  },
  'callback.late': (d, c, f) => {
    if (isEmail(d))
      return f === 'fr'
        ? {
            subject: `[${c.deskName}] E-mail sans réponse en retard : ${who(d)}`,
            lines: [
              `La demande par e-mail de ${who(d)} (« ${subjectOf(d, f)} ») devait recevoir une réponse au plus tard ${when(d.dueAt, c, f)}.`,
            ],
          }
        : {
            subject: `[${c.deskName}] Late e-mail answer: ${who(d)}`,
            lines: [`The e-mail request from ${who(d)} ("${subjectOf(d, f)}") was to be answered by ${when(d.dueAt, c, f)}.`],
          }
    return f === 'fr'
      ? {
          subject: `[${c.deskName}] Rappel en retard : ${who(d)}`,
          lines: [`La demande de rappel de ${who(d)} devait être traitée au plus tard ${when(d.dueAt, c, f)}.`],
        }
      : {
          subject: `[${c.deskName}] Late callback: ${who(d)}`,
          lines: [`The callback request from ${who(d)} was due by ${when(d.dueAt, c, f)}.`],
        }
  },
  'quota.threshold': (d, c, f) => {
    const hours = (d.quotaSeconds / 3600).toLocaleString(f === 'fr' ? 'fr-FR' : 'en-US', { maximumFractionDigits: 2 })
    return f === 'fr'
      ? {
          subject: `[${c.deskName}] ${d.clientName} : ${d.percent} % de l’assistance du mois ${d.month}`,
          lines: [
            `${d.clientName} a utilisé ${d.percent} % de ses ${hours} h d’assistance du mois ${d.month} sur la ligne ${c.deskName}.`,
            d.percent >= 100
              ? 'Au-delà, l’assistance est facturée au cas par cas, selon le contrat.'
              : 'Au-delà du forfait, l’assistance est facturée au cas par cas, selon le contrat.',
          ],
        }
      : {
          subject: `[${c.deskName}] ${d.clientName}: ${d.percent} % of the support for ${d.month}`,
          lines: [
            `${d.clientName} has used ${d.percent} % of its ${hours} h of support for ${d.month} on the ${c.deskName} line.`,
            d.percent >= 100
              ? 'Beyond it, support is billed case by case, as the contract says.'
              : 'Beyond the allowance, support is billed case by case, as the contract says.',
          ],
        }
  },
  'overage.consented': (d, c, f) =>
    f === 'fr'
      ? {
          subject: `[${c.deskName}] ${d.clientName} : assistance facturée acceptée`,
          lines: [
            `Le ${when(d.at, c, f)}, l’appelant ${d.from} a accepté que l’assistance au-delà du forfait du mois ${d.month} soit facturée.`,
          ],
        }
      : {
          subject: `[${c.deskName}] ${d.clientName}: billed support accepted`,
          lines: [`On ${when(d.at, c, f)}, the caller ${d.from} accepted billing for support beyond the ${d.month} allowance.`],
        },
  'holiday.changed': (d, c, f) => {
    const name = d.name ?? d.holidayId
    const dates = d.start
      ? `${day(d.start, f)}${d.days && d.days > 1 ? (f === 'fr' ? `, ${d.days} jours` : `, ${d.days} days`) : ''}`
      : '—'
    const next = d.nextOpening ? when(d.nextOpening, c, f) : f === 'fr' ? 'non prévue' : 'not scheduled'
    if (d.kind === 'season')
      return f === 'fr'
        ? {
            subject: `[${c.deskName}] Dates ${ACTIONS.fr[d.action].replace(/é$/, 'ées')} : ${name}`,
            lines: [
              `La ligne ${c.deskName} a ${ACTIONS.fr[d.action]} les dates de la période « ${name} » : ${dates} ; ses horaires s’y appliquent.`,
              `Prochaine ouverture de l’assistance : ${next}.`,
            ],
          }
        : {
            subject: `[${c.deskName}] Dates ${ACTIONS.en[d.action]}: ${name}`,
            lines: [
              `The ${c.deskName} line ${ACTIONS.en[d.action]} the dates of "${name}": ${dates}; its hours apply on them.`,
              `Support next opens ${next}.`,
            ],
          }
    return f === 'fr'
      ? {
          subject: `[${c.deskName}] Jour férié ${ACTIONS.fr[d.action]} : ${name}`,
          lines: [
            `La ligne ${c.deskName} a ${ACTIONS.fr[d.action]} le jour férié « ${name} » : ${dates}.`,
            `Prochaine ouverture de l’assistance : ${next}.`,
          ],
        }
      : {
          subject: `[${c.deskName}] Public holiday ${ACTIONS.en[d.action]}: ${name}`,
          lines: [
            `The ${c.deskName} line ${ACTIONS.en[d.action]} the public holiday "${name}": ${dates}.`,
            `Support next opens ${next}.`,
          ],
        }
  },
  'contract.notice_due': (d, c, f) =>
    f === 'fr'
      ? {
          subject: `[${c.deskName}] Préavis de ${d.clientName} : au plus tard le ${day(d.noticeDeadline, f)}`,
          lines: [
            `Le contrat de ${d.clientName} se renouvelle sauf préavis donné au plus tard le ${day(d.noticeDeadline, f)}.`,
            `Fin de la période en cours : ${day(d.periodLastDay, f)}.`,
          ],
        }
      : {
          subject: `[${c.deskName}] ${d.clientName}'s notice: by ${day(d.noticeDeadline, f)}`,
          lines: [
            `${d.clientName}'s contract renews unless notice is given by ${day(d.noticeDeadline, f)}.`,
            `The current period ends ${day(d.periodLastDay, f)}.`,
          ],
        },
  'contract.revision': (d, c, f) =>
    f === 'fr'
      ? {
          subject: `[${c.deskName}] Révision des conditions à compter du ${day(d.effectiveFrom, f)}`,
          lines: [
            `À compter du ${day(d.effectiveFrom, f)} : ${d.summary}`,
            ...(d.whatIf ? [revisionWhatIfLine(d.whatIf, f)] : []),
          ],
        }
      : {
          subject: `[${c.deskName}] Revised terms from ${day(d.effectiveFrom, f)}`,
          lines: [`From ${day(d.effectiveFrom, f)}: ${d.summary}`, ...(d.whatIf ? [revisionWhatIfLine(d.whatIf, f)] : [])],
        },
  'desk.closed_now': (d, c, f) =>
    f === 'fr'
      ? {
          subject: `[${c.deskName}] Ligne fermée`,
          lines: [`${c.deskName} fermée depuis ${when(d.since, c, f)} par ${d.by}${d.reason ? ` : ${d.reason}` : ''}.`],
        }
      : {
          subject: `[${c.deskName}] Line closed`,
          lines: [`${c.deskName} closed since ${when(d.since, c, f)} by ${d.by}${d.reason ? `: ${d.reason}` : ''}.`],
        },
  'email.acknowledged': (d) => mailAsWritten(d),
  'email.refused': (d) => mailAsWritten(d),
  'email.answered': (d) => mailAsWritten(d),
  'desk.reopened': (d, c, f) =>
    f === 'fr'
      ? { subject: `[${c.deskName}] Ligne rouverte`, lines: [`${c.deskName} rouverte ${when(d.at, c, f)} par ${d.by}.`] }
      : { subject: `[${c.deskName}] Line reopened`, lines: [`${c.deskName} reopened ${when(d.at, c, f)} by ${d.by}.`] },
}

/**
 * The words of a notice, in the recipient's language (French unless English is asked; Arabic
 * readers get French, the desks' working language, until a catalogue is written).
 */
export function renderMessage<T extends EventType>(type: T, data: EventData[T], context: RenderContext): RenderedMessage {
  return (RENDER[type] as Renderers[T])(data, context, familyOf(context.language))
}

/** An SMS: the subject and the first line, within one concatenated message (1,600 characters at most). */
export function renderSms<T extends EventType>(type: T, data: EventData[T], context: RenderContext): string {
  const message = renderMessage(type, data, context)
  return [message.subject, ...message.lines].join('\n').slice(0, 1600)
}

const escapeHtml = (value: string) =>
  value.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] as string)

/** The e-mail's text and HTML parts. */
export function emailBodies(message: RenderedMessage, language: string): { text: string; html: string } {
  const lang = familyOf(language)
  return {
    text: `${message.lines.join('\n\n')}\n`,
    html: `<!doctype html><html lang="${lang}"><body>${message.lines.map((line) => `<p>${escapeHtml(line)}</p>`).join('')}</body></html>`,
  }
}

/**
 * The notice deadline to remind managers of: one still ahead (today included) and at most `days`
 * away, from a contract's overview (contract.notice_due); null otherwise.
 */
export function noticeReminder(overview: { today: string; noticeDeadline: string | null }, days: number): string | null {
  const deadline = overview.noticeDeadline
  const before = DateTime.fromISO(overview.today).plus({ days }).toISODate() as string
  return deadline !== null && deadline >= overview.today && deadline <= before ? deadline : null
}
