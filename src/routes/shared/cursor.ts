// Page cursors, one codec for every list: the sort key of a page's last item, given out as opaque
// base64url JSON and read back through a schema of that key, so that a cursor the service did not
// give out (edited, truncated, from another list) is a 400 naming the field.
import { z } from 'zod'
import { instantInYears } from '../../domain/boundary.js'

/** An instant inside a cursor: written by JSON.stringify as ISO text, read back as a Date. */
export const cursorInstant = z
  .string()
  .transform((text) => new Date(text))
  .refine(instantInYears)

export interface PageCursor<Key> {
  /** the querystring's `cursor`: text in, the key out */
  schema: z.ZodType<Key, string>
  encode: (key: Key) => string
}

/** The codec of a list's cursors, whose key the given object schema reads (Dates as cursorInstant). */
export function pageCursor<Key>(key: z.ZodType<Key>): PageCursor<Key> {
  const schema = z.string().transform((text, ctx): Key => {
    let json: unknown
    try {
      json = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'))
    } catch {
      json = undefined
    }
    const parsed = key.safeParse(json)
    if (parsed.success) return parsed.data
    ctx.addIssue({ code: 'custom', message: 'is not a cursor this service gave out' })
    return z.NEVER
  })
  return { schema, encode: (value) => Buffer.from(JSON.stringify(value)).toString('base64url') }
}
