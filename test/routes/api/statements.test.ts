// Monthly statements: each counted call with its included and billable seconds, on-call apart,
// totals equal to the usage figures, in JSON and CSV; a client token reads its own only.
import t from 'tap'
import { playCall } from '../../../webhooks/simulator.js'
import { ACME_CALLER, ATLAS_CALLER, DESK_NUMBER, SATURDAY_10H, apiApp } from '../../helpers/api.js'
import { eachDatabase } from '../../helpers/databases.js'

const FIGURES = ['usedSeconds', 'includedSeconds', 'overageSeconds', 'graceSeconds', 'onCallSeconds', 'calls'] as const

interface Line {
  callSid: string
  countedSeconds: number
  includedSeconds: number
  overageSeconds: number
  onCallSeconds: number
}

eachDatabase(t, async (t, database) => {
  const { send, tokens, twilio, clock } = await apiApp(t, database)
  const admin = { token: tokens.admin }
  // A 5-minute quota counted by started minutes, to cross the line within a few calls.
  const [contract] = (await send('GET', '/api/contracts?client=acme', admin)).json().items
  await send('PUT', `/api/contracts/${contract.id}`, {
    ...admin,
    body: { desk: 'intercom', start: '2026-01-15', monthlyQuotaMinutes: 5, billingIncrementSeconds: 60 },
  })

  const call = async (at: string, talkSeconds: number, press?: string[]) => {
    clock.set(at)
    return (await playCall(twilio, { from: ACME_CALLER, to: DESK_NUMBER, talkSeconds, ...(press ? { press } : {}) })).callSid
  }
  const first = await call(SATURDAY_10H, 100) // 120 counted, included
  const second = await call('2026-11-28T10:10:00+01:00', 150) // 180 counted: the quota is reached exactly
  const third = await call('2026-11-28T10:20:00+01:00', 200) // 240 counted, all beyond: billable
  const onCall = await call('2026-11-26T20:00:00+01:00', 610, ['1']) // Thursday evening, on-call: 660 billed apart
  const december = await call('2026-11-30T23:30:00Z', 300, ['1']) // 1 December, 00:30 in Algiers
  clock.set('2026-11-28T10:30:00+01:00')
  await playCall(twilio, { from: ATLAS_CALLER, to: DESK_NUMBER, talkSeconds: 75 })

  const statement = async (month: string, token = tokens.admin) =>
    (await send('GET', `/api/clients/acme/statements/${month}`, { token })).json()

  t.test('each counted call with its included and billable seconds, on-call apart', async (t) => {
    const { contracts } = await statement('2026-11')
    t.equal(contracts.length, 1, 'one contract')
    const [acme] = contracts
    t.match(acme, { contractId: contract.id, desk: 'intercom', quotaSeconds: 300 })
    t.match(
      acme.calls,
      [
        { callSid: first, talkSeconds: 100, countedSeconds: 120, includedSeconds: 120, overageSeconds: 0 },
        { callSid: second, talkSeconds: 150, countedSeconds: 180, includedSeconds: 180, overageSeconds: 0 },
        { callSid: third, talkSeconds: 200, countedSeconds: 240, includedSeconds: 0, overageSeconds: 240 },
      ],
      'in the order they came, the third one billable',
    )
    t.match(
      acme.onCallCalls,
      [{ callSid: onCall, talkSeconds: 610, countedSeconds: 0, onCallSeconds: 660 }],
      'the on-call call, billed apart by started minute',
    )
    t.match(acme.totals, { usedSeconds: 540, includedSeconds: 300, overageSeconds: 240, onCallSeconds: 660, calls: 4 })
    t.notOk(JSON.stringify(acme).includes(december), "December's call is in December")
  })

  for (const month of ['2026-11', '2026-12', '2026-10']) {
    t.test(`${month}: the statement's totals equal the usage figures`, async (t) => {
      const { contracts, totals } = await statement(month)
      const usage = (await send('GET', `/api/clients/acme/usage?month=${month}`, admin)).json().items as Record<string, number>[]
      t.equal(contracts.length, usage.length, 'one statement part per contract of the usage')
      for (const part of contracts) {
        const used = usage.find((u) => u.contractId === part.contractId)
        const lines: Line[] = [...part.calls, ...part.onCallCalls]
        for (const figure of FIGURES) t.equal(part.totals[figure], used?.[figure], `${figure} is the usage's ${used?.[figure]}`)
        t.equal(part.quotaSeconds, used?.quotaSeconds, 'the quota is the usage quota')
        const sum = (key: keyof Line) => lines.reduce((s, l) => s + Number(l[key]), 0)
        t.same(
          {
            used: sum('countedSeconds'),
            included: sum('includedSeconds'),
            overage: sum('overageSeconds'),
            onCall: sum('onCallSeconds'),
          },
          {
            used: part.totals.usedSeconds,
            included: part.totals.includedSeconds,
            overage: part.totals.overageSeconds,
            onCall: part.totals.onCallSeconds,
          },
          'and are the sums of its lines',
        )
      }
      t.same(
        Object.keys(totals).sort(),
        [...FIGURES, 'emails'].sort(),
        'the client total has every figure, and the e-mail answers counted',
      )
    })
  }

  t.test('the same statement as CSV, with a total row per contract', async (t) => {
    const response = await send('GET', '/api/clients/acme/statements/2026-11', { ...admin, accept: 'text/csv' })
    t.equal(response.statusCode, 200)
    t.match(response.headers['content-type'], /^text\/csv/)
    t.match(response.headers['content-disposition'], /statement-acme-2026-11\.csv/)
    const [header, ...rows] = response.body
      .trim()
      .split('\n')
      .map((line) => line.split(','))
    const column = (row: string[] | undefined, name: string) => row?.[header?.indexOf(name) ?? -1]
    t.same(
      rows.map((row) => column(row, 'kind')),
      ['call', 'call', 'call', 'on_call', 'total'],
      'three calls, the on-call one, the total',
    )
    const total = rows.at(-1)
    t.same(
      ['countedSeconds', 'includedSeconds', 'overageSeconds', 'onCallSeconds', 'quotaSeconds'].map((name) => column(total, name)),
      ['540', '300', '240', '660', '300'],
      'the total row carries the usage figures and the quota',
    )
    t.equal(column(rows[2], 'callSid'), third, 'the billable call is named')
  })

  t.test("without a month, usage is the desk's current month, not UTC's", async (t) => {
    clock.set('2026-12-01T00:30:00+01:00') // still 30 November in UTC
    t.teardown(() => clock.set('2026-11-28T10:30:00+01:00'))
    for (const path of ['/api/usage', '/api/clients/acme/usage']) {
      const items = (await send('GET', path, admin)).json().items as { month: string }[]
      t.ok(items.length > 0, `${path}: some contracts`)
      t.ok(
        items.every((item) => item.month === '2026-12'),
        `${path}: December, as in Algiers`,
      )
    }
  })

  t.test('a client token reads its own statement', async (t) => {
    const own = await send('GET', '/api/clients/acme/statements/2026-11', { token: tokens.client })
    t.equal(own.statusCode, 200)
    t.equal(own.json().totals.overageSeconds, 240)
  })
})
