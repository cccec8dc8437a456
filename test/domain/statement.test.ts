// Monthly statements with plain values: calls and on-call apart, in time order, summed per contract.
import t from 'tap'
import { type StatementLine, buildStatement } from '../../src/domain/statement.js'

const line = (
  callSid: string,
  at: string,
  counted: number,
  included: number,
  extra: Partial<StatementLine> = {},
): StatementLine => ({
  contractId: 1,
  callSid,
  dialCallSid: `${callSid}-leg`,
  startedAt: new Date(at),
  from: '+213661000001',
  agentId: 'amina',
  talkSeconds: counted,
  countedSeconds: counted,
  includedSeconds: included,
  overageSeconds: counted - included,
  graceSeconds: 0,
  consent: null,
  onCall: false,
  onCallSeconds: 0,
  ...extra,
})

t.test('a statement splits calls from on-call, in time order, and sums each contract', async (t) => {
  const statement = buildStatement(
    '2026-11',
    [
      { contractId: 1, desk: 'intercom', quotaSeconds: 300 },
      { contractId: 2, desk: 'model', quotaSeconds: 60 },
    ],
    [
      line('B', '2026-11-28T10:00:00Z', 240, 0),
      line('A', '2026-11-27T10:00:00Z', 300, 300),
      line('N', '2026-11-26T20:00:00Z', 0, 0, { onCall: true, onCallSeconds: 660, talkSeconds: 610 }),
      line('X', '2026-11-26T20:00:00Z', 50, 50, { contractId: 9 }),
    ],
  )
  const [first, second] = statement.contracts
  t.same(
    first?.calls.map((l) => l.callSid),
    ['A', 'B'],
    'calls in the order they came',
  )
  t.same(
    first?.onCallCalls.map((l) => l.callSid),
    ['N'],
    'on-call apart',
  )
  t.same(first?.totals, {
    usedSeconds: 540,
    includedSeconds: 300,
    overageSeconds: 240,
    graceSeconds: 0,
    onCallSeconds: 660,
    calls: 3,
  })
  t.same(
    second?.totals,
    { usedSeconds: 0, includedSeconds: 0, overageSeconds: 0, graceSeconds: 0, onCallSeconds: 0, calls: 0 },
    'a contract without calls is at zero',
  )
  t.same(statement.totals, first?.totals, "a leg of a contract not in the month's list is not counted")
})

t.test('grace is summed apart from the billable overage', async (t) => {
  const statement = buildStatement(
    '2026-11',
    [{ contractId: 1, desk: 'intercom', quotaSeconds: 7_200 }],
    [line('CA1', '2026-11-02T10:00:00Z', 260, 200, { overageSeconds: 0, graceSeconds: 60 })],
  )
  t.match(statement.totals, { usedSeconds: 260, includedSeconds: 200, overageSeconds: 0, graceSeconds: 60 })
})
