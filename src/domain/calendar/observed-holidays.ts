// The shipped holiday decisions (db/holidays/*.json), validated once at load like any other override.
import { z } from 'zod'
import dzObserved from '../../../db/holidays/dz-observed.json' with { type: 'json' }
import { SHIPPED_BY } from './holidays.js'
import { holidayOverrideSchema, type Country, type HolidayOverride } from './schemas.js'

const shippedFileSchema = z.object({
  country: z.literal('DZ'),
  overrides: z.array(holidayOverrideSchema.refine((override) => override.by === SHIPPED_BY, `by must be "${SHIPPED_BY}"`)),
})

/**
 * The observed dates that supportline ships, as 'confirm'/'move' overrides by
 * 'supportline (observed dates)'. France has none: its rules are exact.
 */
export const observedHolidays: Record<Country, HolidayOverride[]> = {
  DZ: shippedFileSchema.parse(dzObserved).overrides,
  FR: [],
}
