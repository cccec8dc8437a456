// Monthly statements with plain values: calls and on-call apart, in time order, summed per contract.
import t from 'tap'
import { type EmailLine, type StatementLine, buildStatement } from '../../src/domain/statement.js'

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
    emails: 0,
  })
  t.same(
    second?.totals,
    { usedSeconds: 0, includedSeconds: 0, overageSeconds: 0, graceSeconds: 0, onCallSeconds: 0, calls: 0, emails: 0 },
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

t.test('answered e-mail requests whose minutes counted are lines of their own, in time order, in the totals', async (t) => {
  const email = (
    requestId: number,
    at: string,
    counted: number,
    included: number,
    extra: Partial<EmailLine> = {},
  ): EmailLine => ({
    contractId: 1,
    requestId,
    subject: `Demande ${requestId}`,
    answeredAt: new Date(at),
    countedSeconds: counted,
    includedSeconds: included,
    overageSeconds: counted - included,
    graceSeconds: 0,
    ...extra,
  })
  const statement = buildStatement(
    '2026-11',
    [{ contractId: 1, desk: 'intercom', quotaSeconds: 600 }],
    [line('CA1', '2026-11-02T10:00:00Z', 480, 480)],
    [
      email(8, '2026-11-05T10:00:00Z', 900, 0),
      email(7, '2026-11-03T10:00:00Z', 300, 120),
      email(6, '2026-11-05T10:00:00Z', 60, 0),
      email(9, '2026-11-04T10:00:00Z', 60, 0, { contractId: 4 }),
    ],
  )
  const [contract] = statement.contracts
  t.same(
    contract?.emails.map((l) => l.requestId),
    [7, 6, 8],
    'e-mail lines in the order they were answered, then by request',
  )
  t.same(contract?.calls.length, 1, 'calls stay calls')
  t.same(contract?.totals, {
    usedSeconds: 1_740,
    includedSeconds: 600,
    overageSeconds: 1_140,
    graceSeconds: 0,
    onCallSeconds: 0,
    calls: 1,
    emails: 3,
  })
  t.same(statement.totals, contract?.totals, "an e-mail line of a contract not in the month's list is not counted")
})
