// The closing table: every measurement next to bare Fastify's at the same concurrency (same run,
// same machine), as a throughput ratio and a p99 ratio.
import type { Measured } from './load.js'

/** Which bare Fastify measurement a row is compared with ('self-…' rows are bare Fastify's own). */
export type Baseline = 'webhook' | 'api' | 'serial' | 'self-webhook' | 'self-api' | 'self-serial'

export interface Row extends Measured {
  group: string
  label: string
  connections: number
  baseline?: Baseline
  callsPerSec?: number
  note?: string
}

const fixed = (value: number, digits: number) => (Number.isFinite(value) ? value.toFixed(digits) : '–')

export function printTable(rows: readonly Row[]): void {
  const bare = (kind: 'webhook' | 'api' | 'serial') => rows.find((row) => row.baseline === `self-${kind}`)
  const header = [
    'database',
    'scenario',
    'conns',
    'req/s',
    '× bare',
    'p50 ms',
    'p99 ms',
    'p99 × bare',
    'peak RSS MB',
    'CPU µs/req: service / db / load',
    'errors',
    'note',
  ]
  const lines = rows.map((row) => {
    const kind = row.baseline?.replace('self-', '') as 'webhook' | 'api' | 'serial' | undefined
    const base = kind ? bare(kind) : undefined
    return [
      row.group,
      row.label,
      row.connections === 0 ? 'paced' : String(row.connections),
      fixed(row.reqPerSec, row.reqPerSec < 10 ? 2 : 0),
      base ? fixed(row.reqPerSec / base.reqPerSec, 2) : '',
      fixed(row.p50Ms, 2),
      fixed(row.p99Ms, 2),
      base ? fixed(row.p99Ms / base.p99Ms, 1) : '',
      fixed(row.peakRssMb, 0),
      row.cpu ? [row.cpu.serviceUs, row.cpu.databaseUs ?? Number.NaN, row.cpu.loadUs].map((us) => fixed(us, 0)).join(' / ') : '',
      String(row.non2xx + row.errors),
      [row.callsPerSec ? `${fixed(row.callsPerSec, 0)} calls/s` : '', row.note ?? ''].filter(Boolean).join('; '),
    ]
  })
  const table = [header, header.map(() => '---'), ...lines]
  const widths = header.map((_, i) => Math.max(...table.map((line) => line[i]!.length)))
  console.log(`\n| ${table.map((line) => line.map((cell, i) => cell.padEnd(widths[i]!)).join(' | ')).join(' |\n| ')} |`)
}
