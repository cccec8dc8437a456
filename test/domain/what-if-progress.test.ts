// A long replay's progress with plain values: each month of the period told once, in order, with
// its calls and the calls so far; empty months told with 0; the slack hours around the period
// counted into its first and last months; and the request log's lines only for a long replay.
import t from 'tap'
import { type ReplayProgress, monthProgress, nextMonth } from '../../src/domain/what-if-progress.js'
import type { RecordedCall } from '../../src/domain/what-if.js'
import { progressLog } from '../../src/routes/api/what-if.js'

const call = (at: string, deskId: string | null = 'intercom'): RecordedCall => ({
  callSid: `CA${at}`,
  from: '+213661000001',
  to: '+21321000000',
  startedAt: new Date(at),
  deskId,
  clientId: 'acme',
  decision: 'dial',
  outcome: 'answered',
  legs: [],
  callback: null,
})

t.test('the month after', async (t) => {
  t.equal(nextMonth('2026-03'), '2026-04')
  t.equal(nextMonth('2026-12'), '2027-01', 'across the year')
  t.equal(nextMonth('2026-09'), '2026-10')
})

t.test('each month once, in order, told when a later one comes or at the end', async (t) => {
  const told: ReplayProgress[] = []
  const zones: Record<string, string> = { intercom: 'Africa/Algiers' }
  const progress = monthProgress(
    { from: '2026-01-15', to: '2026-05-10' },
    (c) => (c.deskId && zones[c.deskId]) || 'UTC',
    (p) => told.push(p),
  )
  progress.add([
    call('2025-12-31T23:30:00Z'), // 00:30 on 1 January in Algiers
    call('2025-12-31T20:00:00Z', null), // the slack before the period: its first month
    call('2026-01-20T09:00:00Z'),
  ])
  t.same(told, [], 'nothing told while January goes on')
  progress.add([call('2026-01-31T23:30:00Z'), call('2026-02-10T09:00:00Z'), call('2026-04-02T09:00:00Z')])
  t.same(
    told,
    [
      { month: '2026-01', monthCalls: 3, calls: 3 },
      { month: '2026-02', monthCalls: 2, calls: 5 },
      { month: '2026-03', monthCalls: 0, calls: 5 },
    ],
    "January (31 January at 00:30 in Algiers is February's), February, an empty March",
  )
  progress.add([call('2026-05-11T09:00:00Z')]) // the slack after the period: its last month
  progress.finish()
  t.same(told.slice(3), [
    { month: '2026-04', monthCalls: 1, calls: 6 },
    { month: '2026-05', monthCalls: 1, calls: 7 },
  ])
})

t.test('a period without calls tells each of its months', async (t) => {
  const told: string[] = []
  const progress = monthProgress(
    { from: '2025-11-29', to: '2026-02-28' },
    () => 'UTC',
    (p) => told.push(p.month),
  )
  progress.finish()
  t.same(told, ['2025-11', '2025-12', '2026-01', '2026-02'])
})

t.test('the request log tells the progress of a long replay only', async (t) => {
  const lines: { fields: object; message: string }[] = []
  const log = { info: (fields: object, message: string) => lines.push({ fields, message }) }
  let clock = 0
  const onProgress = progressLog(log as never, () => clock, 3000)
  onProgress({ month: '2026-01', monthCalls: 10, calls: 10 })
  t.same(lines, [], 'a replay under 3 s logs nothing')
  clock = 3500
  onProgress({ month: '2026-02', monthCalls: 20, calls: 30 })
  t.same(lines, [
    {
      fields: { whatIf: { month: '2026-02', monthCalls: 20, calls: 30, elapsedMs: 3500 } },
      message: 'what-if: 2026-02 replayed',
    },
  ])
})
