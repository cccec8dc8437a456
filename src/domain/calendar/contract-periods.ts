// Contract periods and notice: in force on a local date, which period, its notice deadline, and when notice ends it.
/*
 * INTERcom: the contract runs 12 months from signature and renews tacitly unless the client gives
 * notice 3 months before the end of the current period.
 *
 * - Period k starts at start + k·months, computed from `start`, unless that would make period k−1
 *   shorter than `months` months from its own start: a client always gets whole months, never a
 *   day less. Adding months keeps the day of the month; when that day does not exist in the target
 *   month, the period runs to the end of that month and the next one starts on the 1st of the month
 *   after. Signed on 29 February 2024 for 12 months: the first period covers up to and including
 *   28 February 2025, the next starts on 1 March 2025, and so does every one after: 29 February
 *   2028 starts none, since 1 March 2027 to 28 February 2028 would be a year less a day.
 * - The notice deadline of a period ("trois mois avant la date d'expiration de la période en
 *   cours") is its last day minus `noticeMonths`, clamped to the end of a shorter month (last day 30
 *   May, 3 months → 28 or 29 February), never after that last day (so with noticeMonths 0 it is the
 *   last day). Notice given on that day is on time.
 * - Notice given on N ends the contract at the end of the first period whose deadline is on or
 *   after N: on time, the current period; late, the next one.
 * - `renews: false` ends it at the end of the first period.
 */
import { civilDateOf, dayNumberOf, isoDateOf, parseIsoDate, type DayNumber } from './local-time.js'

export interface ContractTerms {
  start: string
  months: number
  noticeMonths: number
  /** default true: tacit renewal */
  renews?: boolean
  noticeGivenOn?: string | null
}

export interface ContractStanding {
  inForce: boolean
  /** the period containing the date while in force; end is exclusive (the first day of the next period) */
  period: { index: number; start: string; end: string } | null
  /** while in force and renewing: the last day notice can be given to end at this period's end (it may be past) */
  noticeDeadline: string | null
  /** the day the contract stops being in force, once notice (or renews: false) fixes it */
  endsOn: string | null
}

function dateOf(text: string, field: string): DayNumber {
  const day = parseIsoDate(text)
  if (day === null) throw new RangeError(`${field}: expected a date "YYYY-MM-DD", got "${text}"`)
  return day
}

/** A date plus whole months; a day missing from the target month rolls over to the 1st of the next. */
function plusMonths(day: DayNumber, months: number): DayNumber {
  const { year, month, day: dayOfMonth } = civilDateOf(day)
  const target = dayNumberOf(year, month + months, dayOfMonth)
  return civilDateOf(target).day === dayOfMonth ? target : dayNumberOf(year, month + months + 1, 1)
}

/** A date minus whole months; a day missing from the target month is clamped to its last day. */
function minusMonths(day: DayNumber, months: number): DayNumber {
  const { year, month, day: dayOfMonth } = civilDateOf(day)
  const lastOfMonth = dayNumberOf(year, month - months + 1, 1) - 1
  return Math.min(dayNumberOf(year, month - months, dayOfMonth), lastOfMonth)
}

class Periods {
  constructor(
    private readonly start: DayNumber,
    private readonly months: number,
    private readonly noticeMonths: number,
  ) {}

  /** boundaries[k]: the first day of period k, as far as computed */
  private readonly boundaries: DayNumber[] = []

  boundary(index: number): DayNumber {
    const { boundaries } = this
    if (boundaries.length === 0) boundaries.push(this.start)
    while (boundaries.length <= index) {
      const previous = boundaries[boundaries.length - 1] as DayNumber
      boundaries.push(Math.max(plusMonths(this.start, boundaries.length * this.months), plusMonths(previous, this.months)))
    }
    return boundaries[index] as DayNumber
  }

  /** The period's last day minus the notice months, never later than that last day. */
  deadline(index: number): DayNumber {
    const lastDay = this.boundary(index + 1) - 1
    return Math.min(minusMonths(lastDay, this.noticeMonths), lastDay)
  }

  /**
   * The period containing a date on or after the start: the month count gives it or a later one
   * (a boundary lies in its month or, rolled over, after it, never earlier).
   */
  indexAt(day: DayNumber): number {
    const [from, to] = [civilDateOf(this.start), civilDateOf(day)]
    let index = Math.floor(((to.year - from.year) * 12 + to.month - from.month) / this.months)
    while (this.boundary(index) > day) index--
    return index
  }

  /** The first period whose notice deadline is on or after the notice date (deadlines only grow). */
  endedByNoticeOn(day: DayNumber): number {
    let index = day < this.start ? 0 : this.indexAt(day)
    while (this.deadline(index) < day) index++
    return index
  }
}

// A contract's periods depend on its start, length and notice only: shared, so that the boundaries
// every call of a long-running contract walks through are computed once (the replay decides a
// million calls on a few thousand contracts).
const MAX_PERIODS = 4096
const knownPeriods = new Map<string, Periods>()

function periodsOf(start: DayNumber, months: number, noticeMonths: number): Periods {
  const key = `${start}|${months}|${noticeMonths}`
  let periods = knownPeriods.get(key)
  if (periods === undefined) {
    periods = new Periods(start, months, noticeMonths)
    if (knownPeriods.size >= MAX_PERIODS) knownPeriods.clear()
    knownPeriods.set(key, periods)
  }
  return periods
}

/** A standing and the days [from, until) it holds for: before the start, one period, or after the end. */
interface StandingSpan {
  from: DayNumber
  until: DayNumber
  standing: ContractStanding
}

// terms that will not change (fixedTerms): their last standing, kept with the days it holds for
const fixedSpans = new WeakMap<ContractTerms, StandingSpan | null>()

/**
 * Terms that will not change: frozen (a change in place throws), and contractStanding on them
 * answers from the span of days its last answer holds for (the period of the date asked, or before
 * the start, or after the end), frozen too. For the what-if replay, which asks about the same few
 * thousand contracts a million times, in time order; live calls read fresh terms and compute.
 */
export function fixedTerms<T extends ContractTerms>(terms: T): T {
  if (!fixedSpans.has(terms)) fixedSpans.set(Object.freeze(terms), null)
  return terms
}

/**
 * The days [from, until) over which the last standing of fixed terms holds (the span contractStanding
 * last answered from); null for fixed terms not yet asked about, undefined for terms not fixed.
 */
export function heldStanding(terms: ContractTerms): { from: DayNumber; until: DayNumber } | null | undefined {
  return fixedSpans.get(terms)
}

export function contractStanding(terms: ContractTerms, date: string): ContractStanding {
  const known = fixedSpans.get(terms)
  if (known) {
    const day = dateOf(date, 'date')
    if (day >= known.from && day < known.until) return known.standing
  }
  const span = standingSpan(terms, date)
  if (known !== undefined) fixedSpans.set(terms, deepFrozen(span))
  return span.standing
}

function deepFrozen(span: StandingSpan): StandingSpan {
  if (span.standing.period) Object.freeze(span.standing.period)
  Object.freeze(span.standing)
  return span
}

function standingSpan(terms: ContractTerms, date: string): StandingSpan {
  if (!Number.isInteger(terms.months) || terms.months < 1)
    throw new RangeError(`months must be a whole number ≥ 1, got ${terms.months}`)
  if (!Number.isInteger(terms.noticeMonths) || terms.noticeMonths < 0)
    throw new RangeError(`noticeMonths must be a whole number ≥ 0, got ${terms.noticeMonths}`)
  const start = dateOf(terms.start, 'start')
  const day = dateOf(date, 'date')
  const periods = periodsOf(start, terms.months, terms.noticeMonths)
  const ends: DayNumber[] = []
  if (terms.renews === false) ends.push(periods.boundary(1))
  if (terms.noticeGivenOn != null)
    ends.push(periods.boundary(periods.endedByNoticeOn(dateOf(terms.noticeGivenOn, 'noticeGivenOn')) + 1))
  const endsOn = ends.length === 0 ? null : Math.min(...ends)
  const standing: ContractStanding = {
    inForce: false,
    period: null,
    noticeDeadline: null,
    endsOn: endsOn === null ? null : isoDateOf(endsOn),
  }
  if (day < start) return { from: Number.NEGATIVE_INFINITY, until: start, standing }
  if (endsOn !== null && day >= endsOn) return { from: endsOn, until: Number.POSITIVE_INFINITY, standing }
  const index = periods.indexAt(day)
  const [first, next] = [periods.boundary(index), periods.boundary(index + 1)]
  return {
    from: first,
    until: endsOn === null ? next : Math.min(next, endsOn),
    standing: {
      ...standing,
      inForce: true,
      period: { index, start: isoDateOf(first), end: isoDateOf(next) },
      noticeDeadline: endsOn === null ? isoDateOf(periods.deadline(index)) : null,
    },
  }
}
