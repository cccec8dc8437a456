// The desk calendar's public API: schedule schemas, holidays, open/closed at instants, working time, contract periods, spoken hours.
export {
  closureSchema,
  countrySchema,
  dayHoursSchema,
  holidayOverrideSchema,
  isoDateSchema,
  openingSchema,
  timeRangeSchema,
  timezoneSchema,
  weekdaySchema,
  seasonOverrideSchema,
  seasonSchema,
  seasonsSchema,
  weeklyChangeSchema,
  weeklyScheduleSchema,
  WEEKDAYS,
  type Closure,
  type Country,
  type HolidayOverride,
  type Opening,
  type Season,
  type SeasonOverride,
  type Weekday,
  type WeeklySchedule,
} from './schemas.js'
export {
  holidayOccurrence,
  holidaysForYear,
  holidaysToConfirm,
  isPastUnconfirmed,
  manualHolidayId,
  type Holiday,
  type HolidayOccurrence,
  type HolidayStatus,
} from './holidays.js'
export { observedHolidays } from './observed-holidays.js'
export {
  deskStatus,
  fixedCalendar,
  hoursOn,
  openWindows,
  seasonsForYear,
  weeklyOn,
  type WeeklyChange,
  SEARCH_DAYS,
  type ClosedReason,
  type DeskCalendar,
  type DeskStatus,
  type Window,
} from './desk-calendar.js'
export { addWorkingTime, workingTimeBetween } from './working-time.js'
export { contractStanding, type ContractStanding, type ContractTerms, fixedTerms, heldStanding } from './contract-periods.js'
export type { SeasonBound, SeasonMoveProblem, SeasonOccurrence, SeasonStatus } from './seasons.js'
export { moveSeason } from './seasons.js'
export { describeHours, describeNextOpening, formatClock, type Language, type SpokenSeason } from './spoken-hours.js'
