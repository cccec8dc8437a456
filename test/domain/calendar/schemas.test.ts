// The calendar's zod schemas accept the valid inputs and explain, in words, what is wrong with the others.
import t from 'tap'
import type { z } from 'zod'
import {
  closureSchema,
  countrySchema,
  holidayOverrideSchema,
  isoDateSchema,
  openingSchema,
  seasonOverrideSchema,
  seasonSchema,
  seasonsSchema,
  timeRangeSchema,
  timezoneSchema,
  weeklyChangeSchema,
  weeklyScheduleSchema,
} from '../../../src/domain/calendar/index.js'
import { parseTimeRange } from '../../../src/domain/calendar/schemas.js'
import { validationCases, type SchemaName } from '../../fixtures/calendar/validation-cases.js'

const schemas: Record<SchemaName, z.ZodType> = {
  timeRange: timeRangeSchema,
  weekly: weeklyScheduleSchema,
  closure: closureSchema,
  opening: openingSchema,
  override: holidayOverrideSchema,
  country: countrySchema,
  timezone: timezoneSchema,
  isoDate: isoDateSchema,
  season: seasonSchema,
  seasons: seasonsSchema,
  seasonOverride: seasonOverrideSchema,
  weeklyChange: weeklyChangeSchema,
}

for (const c of validationCases) {
  const result = schemas[c.schema].safeParse(c.input)
  const issues =
    result.error?.issues.map((issue) =>
      issue.path.length === 0 ? { message: issue.message } : { message: issue.message, path: issue.path },
    ) ?? []
  const label = `${c.schema} ${JSON.stringify(c.input)} (${c.why})`
  if (c.issues.length === 0) t.same(issues, [], `${label} is accepted`)
  else t.same(issues, c.issues, `${label} is refused with: ${c.issues.map((issue) => issue.message).join('; ')}`)
}

t.same(
  closureSchema.parse({ date: '2026-12-31', name: 'Inventaire' }),
  { start: '2026-12-31', name: 'Inventaire' },
  'a closure spelt with "date" reads as one with "start"',
)

let misparsed = 0
for (let start = 0; start < 1440; start++) {
  const clock = (minutes: number): string =>
    `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`
  const range = parseTimeRange(`${clock(start)}-24:00`)
  if (range.start !== start || range.end !== 1440) misparsed++
}
t.equal(misparsed, 0, 'every one of the 1440 intervals "HH:MM-24:00" parses to its minutes, across the parse cache being emptied')
