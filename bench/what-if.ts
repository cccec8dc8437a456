// The what-if replay alone (domain/what-if, no database): N synthetic calls of the bench desk file
// over 12 months, generated a month at a time (as numbers) and fed to the replay in batches of
// call objects as the store streams them, under the file they were made for. Prints one JSON line: calls, seconds of
// replay (generation excluded), µs a call, peak heap and RSS. `npm run bench -- --only=whatif`
// runs it as a row of the table; alone: npx tsx bench/what-if.ts --calls=1000000 [--profile].
import { parseArgs } from 'node:util'
import { deskFileSchema } from '../src/domain/desk-file.js'
import { startReplay } from '../src/domain/what-if.js'
import { benchDeskFile } from './dataset.js'
import { monthOfCalls, monthsEnding } from './what-if-calls.js'

export interface WhatIfMeasure {
  calls: number
  changed: number
  /** wall-clock seconds of replay */
  seconds: number
  /** CPU seconds of replay (user + system): on a shared machine, the figure that does not wait for others */
  cpuSeconds: number
  usPerCall: number
  cpuUsPerCall: number
  peakHeapMb: number
  peakRssMb: number
}

/** The batch the store reads at a time (store/what-if.ts WHAT_IF_BATCH). */
const BATCH = 5000

export function measureReplay(total: number, months = 12): WhatIfMeasure {
  const input = benchDeskFile()
  const file = deskFileSchema.parse(input)
  const list = monthsEnding('2026-10', months)
  const period = { from: `${list[0]}-01`, to: '2026-10-31' }
  let peakHeap = 0
  let peakRss = 0
  const sample = () => {
    const memory = process.memoryUsage()
    peakHeap = Math.max(peakHeap, memory.heapUsed)
    peakRss = Math.max(peakRss, memory.rss)
  }
  let replaying = 0
  let cpu = 0
  const cpuNow = () => {
    const used = process.cpuUsage()
    return (used.user + used.system) / 1000
  }
  let started = performance.now()
  let cpuStarted = cpuNow()
  const run = startReplay({ file, managers: new Map(), contracts: new Map(), period })
  replaying += performance.now() - started
  cpu += cpuNow() - cpuStarted
  list.forEach((month, index) => {
    const calls = monthOfCalls(input, month, Math.round(total / months), index + 1)
    sample()
    for (let at = 0; at < calls.count; at += BATCH) {
      // the batch as the store hands it over (made outside the time, as the store's reading is)
      const batch = calls.batch(at, at + BATCH)
      started = performance.now()
      cpuStarted = cpuNow()
      run.add(batch)
      replaying += performance.now() - started
      cpu += cpuNow() - cpuStarted
    }
    sample()
  })
  started = performance.now()
  cpuStarted = cpuNow()
  const result = run.finish()
  replaying += performance.now() - started
  cpu += cpuNow() - cpuStarted
  sample()
  return {
    calls: result.calls,
    changed: result.changed.length,
    seconds: replaying / 1000,
    cpuSeconds: cpu / 1000,
    usPerCall: (replaying * 1000) / result.calls,
    cpuUsPerCall: (cpu * 1000) / result.calls,
    peakHeapMb: peakHeap / 1e6,
    peakRssMb: peakRss / 1e6,
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { calls: { type: 'string', default: '100000' } } })
  console.log(JSON.stringify(measureReplay(Number(values.calls))))
}
