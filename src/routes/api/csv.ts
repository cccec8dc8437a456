// CSV answers: chosen by the Accept header, streamed row by row so that no export sits in memory.
import { Readable } from 'node:stream'
import { stringify } from 'csv-stringify'
import type { FastifyReply } from 'fastify'

/** Accept: text/csv (alone or ranked above JSON) asks for CSV. */
export function prefersCsv(accept: string | undefined): boolean {
  if (!accept) return false
  const ranked = accept.split(',').map((part, index) => {
    const [type, ...params] = part.trim().split(';')
    const q = Number(params.find((p) => p.trim().startsWith('q='))?.split('=')[1] ?? 1)
    return { type: type?.trim().toLowerCase(), q: Number.isFinite(q) ? q : 0, index }
  })
  ranked.sort((a, b) => b.q - a.q || a.index - b.index)
  const first = ranked.find((r) => r.type === 'text/csv' || r.type === 'application/json' || r.type === '*/*')
  return first?.type === 'text/csv'
}

/** Streams `rows` (pulled one at a time, so a slow client slows the reading) as a CSV attachment. */
export function sendCsv<Row extends object>(
  reply: FastifyReply,
  filename: string,
  columns: readonly (keyof Row & string)[],
  rows: Iterable<Row> | AsyncIterable<Row>,
) {
  const csv = Readable.from(rows, { objectMode: true }).pipe(
    stringify({ header: true, columns: [...columns], cast: { boolean: (b) => (b ? 'true' : 'false') } }),
  )
  return reply
    .type('text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${filename}"`)
    .send(csv as never) // a stream, which the route's JSON response schema does not describe
}
