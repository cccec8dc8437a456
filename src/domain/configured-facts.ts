// The one mapping from desk-file entries to what the call decision reads: a desk file's desk or
// contract becomes a record (what applying the file stores), and a record becomes DeskFacts or a
// configured contract. Applying a file, loading the live configuration and replaying the past
// under a proposed file (what-if) all go through here, so they cannot disagree.
import {
  type Closure,
  type Country,
  type DeskCalendar,
  type HolidayOverride,
  type SeasonOverride,
  type Opening,
  type Season,
  observedHolidays,
} from './calendar/index.js'
import type { CallerFacts, ContractFacts, DeskFacts } from './call.js'
import type { ClientConfig, DeskConfig, ContractConfig as FileContract } from './desk-file.js'
import type { NotificationSettings } from './notifications.js'
import type { RevisionRule } from './revision.js'

/** A desk as the configuration stores it (the desk file's desk, flattened). */
export interface DeskRecord {
  id: string
  name: string
  timezone: string
  language: string
  /** the languages callers may hear, the first the default; null: the desk's own language only */
  languages: string[] | null
  weekly: DeskCalendar['weekly']
  weeklyChanges: NonNullable<DeskCalendar['weeklyChanges']>[number][]
  country: string | null
  closures: Closure[]
  openings: Opening[]
  /** weekly hours replacing `weekly` on their dates each year (Ramadan, summer hours) */
  seasons: Season[]
  options: DeskFacts['options']
  templates: DeskFacts['templates']
  /** who is told of the desk's events (the outbox) */
  notifications: NotificationSettings | null
}

/** The managers' calendar decisions, kept apart from the desk file (the API's and the shipped ones are added to the file's). */
export interface ManagersCalendar {
  /** confirmed, moved, added or removed holidays, without the shipped observed dates */
  holidayOverrides: HolidayOverride[]
  /** confirmed or moved Hijri season occurrences (ramadan-1447) */
  seasonOverrides?: SeasonOverride[]
  closures: Closure[]
  openings: Opening[]
  closedNow: DeskCalendar['closedNow']
}

export const NO_DECISIONS: ManagersCalendar = { holidayOverrides: [], closures: [], openings: [], closedNow: null }

/** What applying a desk file stores for one of its desks. */
export function deskRecord(desk: DeskConfig): DeskRecord {
  return {
    id: desk.id,
    name: desk.name,
    timezone: desk.timezone,
    language: desk.language,
    languages: desk.languages ?? null,
    weekly: desk.schedule.weekly,
    weeklyChanges: desk.schedule.changes,
    country: desk.schedule.holidays.country,
    closures: desk.schedule.holidays.closures,
    openings: desk.schedule.holidays.openings,
    seasons: desk.schedule.seasons,
    options: desk.options,
    templates: desk.templates,
    notifications: desk.notifications ?? null,
  }
}

/** A stored desk with the managers' decisions: its calendar is the file's part, the shipped observed holidays, and theirs. */
export function deskFacts(desk: DeskRecord, managers: ManagersCalendar): DeskFacts {
  const country: Country | null = desk.country === 'DZ' || desk.country === 'FR' ? desk.country : null
  return {
    id: desk.id,
    name: desk.name,
    language: desk.language,
    ...(desk.languages !== null ? { languages: desk.languages } : {}),
    timezone: desk.timezone,
    calendar: {
      timezone: desk.timezone,
      weekly: desk.weekly,
      weeklyChanges: desk.weeklyChanges,
      seasons: desk.seasons,
      ...(managers.seasonOverrides?.length ? { seasonOverrides: managers.seasonOverrides } : {}),
      country,
      holidayOverrides: [...(country ? observedHolidays[country] : []), ...managers.holidayOverrides],
      closures: [...desk.closures, ...managers.closures],
      openings: [...desk.openings, ...managers.openings],
      closedNow: managers.closedNow,
    },
    options: desk.options,
    templates: desk.templates,
  }
}

/** A contract as the configuration stores it. */
export interface ContractRecord {
  clientId: string
  deskId: string
  start: string
  months: number
  noticeMonths: number
  renews: boolean
  monthlyQuotaSeconds: number
  overage: ContractFacts['overage']
  billingIncrementSeconds: number
  changes: ContractFacts['changes']
  /** how its terms may be revised */
  revision: RevisionRule
  noticeGivenOn?: string | null | undefined
  /** e-mail reply minutes count into the month (issue #15) */
  emailMinutesCountIntoQuota: boolean
}

/** What applying a desk file stores for one of a client's contracts (a notice only when the file states one). */
export function contractRecord(clientId: string, contract: FileContract): ContractRecord {
  return {
    clientId,
    deskId: contract.desk,
    start: contract.start,
    months: contract.months,
    noticeMonths: contract.noticeMonths,
    renews: contract.renews,
    monthlyQuotaSeconds: contract.monthlyQuotaMinutes * 60,
    overage: contract.overage,
    billingIncrementSeconds: contract.billingIncrementSeconds,
    changes: contract.changes,
    revision: contract.revision,
    emailMinutesCountIntoQuota: contract.emailMinutesCountIntoQuota ?? false,
    ...(contract.noticeGivenOn ? { noticeGivenOn: contract.noticeGivenOn } : {}),
  }
}

/**
 * A contract as configured: everything the decision needs but the month's usage, which is never
 * cached; and whether e-mail answers' minutes count into the month.
 */
export type ConfiguredContract = Omit<ContractFacts, 'usedSeconds'> & { deskId: string; emailMinutesCountIntoQuota: boolean }

/** A stored contract as the decision reads it. */
export function configuredContract(id: number, contract: ContractRecord): ConfiguredContract {
  return {
    id,
    deskId: contract.deskId,
    terms: {
      start: contract.start,
      months: contract.months,
      noticeMonths: contract.noticeMonths,
      renews: contract.renews,
      noticeGivenOn: contract.noticeGivenOn ?? null,
    },
    quotaSeconds: contract.monthlyQuotaSeconds,
    overage: contract.overage,
    billingIncrementSeconds: contract.billingIncrementSeconds,
    changes: contract.changes,
    emailMinutesCountIntoQuota: contract.emailMinutesCountIntoQuota,
  }
}

/** A client as the call decision knows it. */
export function callerClient(client: {
  id: string
  name: string
  language?: string | null | undefined
  suspended: boolean
  suspendedReason?: string | null | undefined
}): CallerFacts['client'] {
  return {
    id: client.id,
    name: client.name,
    language: client.language ?? null,
    suspended: client.suspended,
    suspendedReason: client.suspendedReason ?? null,
  }
}

/** The client fields applying a desk file stores. */
export function clientRecord(client: ClientConfig) {
  return { ...callerClient(client), contact: client.contact ?? null, emailDomains: client.emailDomains ?? [], active: true }
}

/** What applying a desk file stores for each of a client's registered numbers (its own language, if any). */
export function clientNumberRecords(client: ClientConfig) {
  return client.numbers.map(
    (n) => [n.number, { clientId: client.id, contact: n.contact ?? null, language: n.language ?? null }] as const,
  )
}
