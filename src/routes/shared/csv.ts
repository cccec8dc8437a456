// The one CSV writer of the service: chosen by the Accept header, streamed row by row so that no
// export sits in memory, every cell a spreadsheet could read as a formula neutralised, and any
// error in the rows ending this response only.
import { Readable, pipeline } from 'node:stream'
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

/** A phone number as the service stores it (E.164): a spreadsheet reads it as a number, never a formula. */
const E164 = /^\+[1-9]\d{6,14}$/
/** What starts a formula (or a DDE call) in Excel, LibreOffice and Google Sheets (OWASP's list). */
const FORMULA_START = /^[=+\-@\t\r]/

/**
 * A text cell as it is written: one that starts like a formula gets a leading `'` (OWASP's "CSV
 * injection" advice), so `=HYPERLINK(…)` sent as a caller's number is shown, not run. Numbers in
 * E.164 (`+213661000001`) are left as they are: they are the log's own data, read as numbers at
 * worst, and a `'` in front of every caller would make the export useless to a program.
 */
export function neutraliseCell(value: string): string {
  return FORMULA_START.test(value) && !E164.test(value) ? `'${value}` : value
}

/** Streams `rows` (pulled one at a time, so a slow client slows the reading) as a CSV attachment. */
export function sendCsv<Row extends object>(
  reply: FastifyReply,
  filename: string,
  columns: readonly (keyof Row & string)[],
  rows: Iterable<Row> | AsyncIterable<Row>,
) {
  const csv = stringify({
    header: true,
    columns: [...columns],
    cast: { boolean: (b) => (b ? 'true' : 'false'), string: neutraliseCell },
  })
  // pipeline, not pipe: pipe leaves an error of the rows (a query failing mid-export) unhandled,
  // which ends the process. pipeline destroys the CSV stream with that error, and Fastify, which
  // watches the stream it sends, answers it as any error (before the first byte) or cuts this
  // response (after), and logs it. A client that goes away destroys the stream and stops the reading.
  pipeline(Readable.from(rows, { objectMode: true }), csv, () => {})
  return reply
    .type('text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${filename}"`)
    .send(csv as never) // a stream, which the route's JSON response schema does not describe
}
