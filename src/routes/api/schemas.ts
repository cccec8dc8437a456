// Shapes shared by the manager API's routes: ids, dates, months, problems. Dates, months, instants
// and text are the boundary's own types (src/domain/boundary.ts), the same the desk file uses.
import { z } from 'zod'
import { dateSchema, instantSchema, monthSchema, yearSchema } from '../../domain/boundary.js'

export const idParam = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'must be an id like "intercom"')
/** A row's number (a serial: a positive 32-bit integer); a larger one names no row and is refused. */
export const rowId = z.coerce.number().int().positive().max(2_147_483_647, 'is not an id: too large')
export const isoDate = dateSchema
export const month = monthSchema
export const instant = instantSchema
export const year = yearSchema

export const problemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number(),
  code: z.string(),
  detail: z.string().optional(),
  errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
})

/** The error answers every authenticated route may give, for OpenAPI. */
export const authProblems = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema } as const

/** Routes that can also refuse a change that conflicts with what exists (409). */
export const conflictProblems = { ...authProblems, 409: problemSchema } as const

export const MANAGE = ['admin', 'manager'] as const
export const ADMIN = ['admin'] as const
/** The desk's queue (callback requests): managers and the agents who call back. */
export { QUEUE_ROLES as QUEUE, READER_ROLES as READERS } from '../../domain/access.js'

/** A page size: `limit` items, 50 unless asked. */
export const limitParam = z.coerce.number().int().min(1).max(500).default(50)

/**
 * Serialiser for answers in desk-file shapes: their zod schemas transform what they read (E.164
 * numbers, closures), which zod cannot run backwards to encode, yet they describe the answer in
 * the OpenAPI document. The values come from the parsed desk file, so they already fit.
 */
export const serialiseAsIs = () => (data: unknown) => JSON.stringify(data)
