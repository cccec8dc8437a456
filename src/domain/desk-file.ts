// The desk file: the whole configuration as JSON (DESIGN.md), validated with zod so that every
// wrong value is reported with its JSON path, and cross-checked (ids, numbers, references).
import { z } from 'zod'
import {
  closureSchema,
  countrySchema,
  openingSchema,
  seasonsSchema,
  timezoneSchema,
  weeklyChangeSchema,
  weeklyScheduleSchema,
} from './calendar/index.js'
import { dateSchema, spokenText, text } from './boundary.js'
import { contractChangeSchema } from './contract-terms.js'
import { DEFAULT_REVISION, revisionRuleSchema } from './revision.js'
import { deskOptionsSchema } from './desk.js'
import { DEFAULT_LANGUAGE, isSpoken, languageTagSchema, speechOf } from './language.js'
import { MESSAGE_KEYS } from './messages.js'
import { insecureWebhooks, contactSchema, notificationsSchema } from './notifications.js'
import { e164Schema } from './phone.js'

const idSchema = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'must be lowercase letters, digits, "-" or "_" (at most 64)')
const languageSchema = languageTagSchema

/**
 * The languages a desk's callers may hear, the first the default (issue #17): each one that
 * supportline speaks, and one per family, since the language menu offers each family once.
 */
const deskLanguagesSchema = z
  .array(languageSchema)
  .min(1)
  .superRefine((languages, ctx) => {
    const families = new Set<string>()
    languages.forEach((language, index) => {
      if (!isSpoken(language))
        ctx.addIssue({ code: 'custom', path: [index], message: `"${language}" is not spoken: use fr, en or ar` })
      else if (families.has(speechOf(language)))
        ctx.addIssue({ code: 'custom', path: [index], message: `"${language}": another language of the same family comes first` })
      families.add(speechOf(language))
    })
  })

const templatesSchema = z.record(languageSchema, z.partialRecord(z.enum(MESSAGE_KEYS), spokenText()))

export const deskSchema = z
  .object({
    id: idSchema,
    /** callers hear it ("la ligne {desk}") */
    name: spokenText(),
    numbers: z.array(e164Schema).min(1, 'a desk needs at least one number'),
    timezone: timezoneSchema,
    /** the desk's own language: its agents' whisper, and its callers' when `languages` is absent */
    language: languageSchema.default(DEFAULT_LANGUAGE),
    /** the languages callers may hear, the first the default; with several, a caller of unknown language chooses */
    languages: deskLanguagesSchema.optional(),
    schedule: z
      .object({
        weekly: weeklyScheduleSchema,
        /** new weekly hours from a date on (model clause: revised with 30 days' notice) */
        changes: z.array(weeklyChangeSchema).default([]),
        /** weekly hours replacing these on their dates each year: a Hijri month (Ramadan) or a month-day range */
        seasons: seasonsSchema.default([]),
        holidays: z
          .object({
            country: countrySchema.nullable().default(null),
            closures: z.array(closureSchema).default([]),
            openings: z.array(openingSchema).default([]),
          })
          .strict()
          .prefault({}),
      })
      .strict(),
    options: deskOptionsSchema.prefault({}),
    /**
     * under `refuse`, the seconds an agent may go on past the quota line (DESIGN.md's desk key); kept
     * as the desk option of that name, where it may be written too (this one wins)
     */
    quotaGraceSeconds: deskOptionsSchema.shape.quotaGraceSeconds.unwrap().optional(),
    templates: templatesSchema.default({}),
    /** who is told of what (issue #14): the desk's mailbox, managers, SMS to agents on duty, webhooks */
    notifications: notificationsSchema.optional(),
  })
  .strict()
  .transform(({ quotaGraceSeconds, ...desk }) =>
    quotaGraceSeconds === undefined ? desk : { ...desk, options: { ...desk.options, quotaGraceSeconds } },
  )

export const agentSchema = z
  .object({
    id: idSchema,
    name: text(200),
    number: e164Schema,
    desks: z.array(idSchema).min(1, 'an agent answers for at least one desk'),
    /** the duty an agent starts with; afterwards the on-duty switch owns it (see docs/CONFIGURATION.md) */
    onDuty: z.boolean().default(true),
  })
  .strict()

export const contractSchema = z
  .object({
    desk: idSchema,
    /** signature date: INTERcom runs 12 months from signature */
    start: dateSchema,
    months: z.number().int().min(1).max(120).default(12),
    /** INTERcom: at most 5 hours of assistance a month */
    monthlyQuotaMinutes: z.number().int().min(0).max(100_000),
    /** INTERcom: notice 3 months before the end of the current period, else it renews */
    noticeMonths: z.number().int().min(0).max(120).default(3),
    renews: z.boolean().default(true),
    /** what happens once the month's quota is used up */
    overage: z.enum(['bill', 'ask', 'refuse']).default('bill'),
    billingIncrementSeconds: z.number().int().min(1).max(3600).default(1),
    /** revised terms from a date on (model clause: revised with 30 days' written notice) */
    changes: z.array(contractChangeSchema).default([]),
    /** how these terms may be revised: INTERcom by written agreement, the model clause with 30 days' notice */
    revision: revisionRuleSchema.default(DEFAULT_REVISION),
    noticeGivenOn: dateSchema.optional(),
    /** e-mail assistance (issue #15): the minutes an agent records on a reply count into the month; default no */
    emailMinutesCountIntoQuota: z.boolean().optional(),
  })
  .strict()

/** A mail domain as a client registers it: `acme.dz`, lower-cased, no `@`, at least one dot. */
export const emailDomainSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(253)
  .regex(
    /^(?=.{1,253}$)(?:[a-z0-9\u00a1-\uffff](?:[a-z0-9\u00a1-\uffff-]{0,61}[a-z0-9\u00a1-\uffff])?\.)+[a-z\u00a1-\uffff][a-z0-9\u00a1-\uffff-]{0,62}$/,
    {
      message: 'must be a mail domain like "acme.dz" (no "@", no scheme)',
    },
  )

export const clientSchema = z
  .object({
    id: idSchema,
    /** callers and agents hear it ("Bonjour {client}") */
    name: spokenText(),
    language: languageSchema.optional(),
    /** the designated technical contact (INTERcom Art. 2): client-facing notices go to its e-mail */
    contact: contactSchema.optional(),
    /** e-mail from these domains (and their subdomains) identifies the client (issue #15) */
    emailDomains: z.array(emailDomainSchema).max(50).optional(),
    suspended: z.boolean().default(false),
    suspendedReason: text(500).optional(),
    numbers: z
      .array(
        z
          .object({
            number: e164Schema,
            contact: text(200, { min: 0 }).optional(),
            /** the language this number's caller hears, before the client's */
            language: languageSchema.optional(),
          })
          .strict(),
      )
      .default([]),
    contracts: z.array(contractSchema).default([]),
  })
  .strict()

export const deskFileSchema = z
  .object({
    desks: z.array(deskSchema),
    agents: z.array(agentSchema).default([]),
    clients: z.array(clientSchema).default([]),
  })
  .strict()
  .superRefine(checkReferences)

export type DeskFile = z.output<typeof deskFileSchema>
export type DeskFileInput = z.input<typeof deskFileSchema>
export type DeskConfig = DeskFile['desks'][number]
export type AgentConfig = DeskFile['agents'][number]
export type ClientConfig = DeskFile['clients'][number]
export type ContractConfig = ClientConfig['contracts'][number]

/** Ids unique, numbers unique (a number identifies one desk or one client), references resolved. */
function checkReferences(file: DeskFile, ctx: z.RefinementCtx): void {
  const duplicate = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message })
  const firstSeen = new Map<string, string>()
  const claim = (key: string, path: (string | number)[], what: string) => {
    const seen = firstSeen.get(key)
    if (seen) duplicate(path, `${what} is already used at ${seen}`)
    else firstSeen.set(key, formatPath(path))
  }

  file.desks.forEach((desk, d) => {
    claim(`desk:${desk.id}`, ['desks', d, 'id'], `desk id "${desk.id}"`)
    desk.numbers.forEach((number, n) => {
      claim(`number:${number}`, ['desks', d, 'numbers', n], `number ${number}`)
    })
  })
  const deskIds = new Set(file.desks.map((desk) => desk.id))

  file.agents.forEach((agent, a) => {
    claim(`agent:${agent.id}`, ['agents', a, 'id'], `agent id "${agent.id}"`)
    agent.desks.forEach((desk, k) => {
      if (!deskIds.has(desk)) duplicate(['agents', a, 'desks', k], `unknown desk "${desk}"`)
    })
  })

  file.clients.forEach((client, c) => {
    claim(`client:${client.id}`, ['clients', c, 'id'], `client id "${client.id}"`)
    client.numbers.forEach(({ number }, n) => {
      claim(`number:${number}`, ['clients', c, 'numbers', n, 'number'], `number ${number}`)
    })
    // A domain identifies one client: two claiming it would leave every sender from it unidentified.
    client.emailDomains?.forEach((domain, k) => {
      claim(`email-domain:${domain}`, ['clients', c, 'emailDomains', k], `e-mail domain "${domain}"`)
    })
    client.contracts.forEach((contract, k) => {
      if (!deskIds.has(contract.desk)) duplicate(['clients', c, 'contracts', k, 'desk'], `unknown desk "${contract.desk}"`)
      claim(
        `contract:${client.id}:${contract.desk}:${contract.start}`,
        ['clients', c, 'contracts', k, 'start'],
        `a contract with desk "${contract.desk}" starting ${contract.start}`,
      )
    })
  })
}

export interface FieldError {
  /** JSON path, e.g. desks[0].schedule.weekly.mon[1] */
  path: string
  message: string
}

export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (text, key) => (typeof key === 'number' ? `${text}[${key}]` : text ? `${text}.${String(key)}` : String(key)),
    '',
  )
}

export function fieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.map((issue) => ({ path: formatPath(issue.path) || '(root)', message: issue.message }))
}

/**
 * What production refuses besides the schema: webhook URLs that are not https (a signed body sent
 * in clear would still be read by anyone on the way).
 */
export function productionProblems(file: DeskFile): FieldError[] {
  return file.desks.flatMap((desk, d) =>
    desk.notifications
      ? insecureWebhooks(desk.notifications).map((path) => ({
          path: formatPath(['desks', d, 'notifications', ...path]),
          message: 'must be an https:// URL in production',
        }))
      : [],
  )
}

export type ParseResult = { ok: true; file: DeskFile } | { ok: false; errors: FieldError[] }

export function parseDeskFile(input: unknown, options: { production?: boolean } = {}): ParseResult {
  const parsed = deskFileSchema.safeParse(input)
  if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error) }
  const problems = options.production ? productionProblems(parsed.data) : []
  return problems.length > 0 ? { ok: false, errors: problems } : { ok: true, file: parsed.data }
}
