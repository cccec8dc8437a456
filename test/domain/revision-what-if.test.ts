// The client's own what-if in a revision's notice, with plain values: which month is replayed,
// the file with the revisions recorded now in force from its first day, and a client's figures.
import t from 'tap'
import { changeKey } from '../../src/domain/revision.js'
import { clientWhatIf, noticeMonth, revisionsInForceFrom } from '../../src/domain/revision-what-if.js'
import type { WhatIfResult } from '../../src/domain/what-if.js'
import { deskFile } from '../helpers/desk.js'

t.test('the last full month before the revision, over on the day it is recorded', async (t) => {
  t.same(noticeMonth('2027-01-01', '2026-11-28'), { month: '2026-10', from: '2026-10-01', to: '2026-10-31' }, 'last month')
  t.same(noticeMonth('2026-11-28', '2026-11-28'), { month: '2026-10', from: '2026-10-01', to: '2026-10-31' }, 'effective today')
  t.same(
    noticeMonth('2026-03-01', '2026-03-01'),
    { month: '2026-02', from: '2026-02-01', to: '2026-02-28' },
    'the 1st: the month before',
  )
  t.same(noticeMonth('2026-01-10', '2026-01-05'), { month: '2025-12', from: '2025-12-01', to: '2025-12-31' }, 'across the year')
})

t.test('the revisions recorded now in force from a date, the others as the file says', async (t) => {
  const file = deskFile('intercom')
  const acme = file.clients.find((client) => client.id === 'acme')?.contracts[0]
  const desk = file.desks[0]
  if (!acme || !desk) throw new Error('ACME and a desk')
  const recorded = { from: '2026-06-01', monthlyQuotaMinutes: 200, recordedOn: '2026-05-01' }
  const fresh = { from: '2027-01-01', monthlyQuotaMinutes: 60, agreedOn: '2026-11-20', recordedOn: '2026-11-28' }
  acme.changes = [recorded, fresh]
  const hours = { from: '2027-01-03', weekly: { sun: ['09:00-12:00'] }, recordedOn: '2026-11-28' }
  desk.schedule.changes = [hours]
  const base = { desk: 'intercom', summary: '…' }
  const moved = revisionsInForceFrom(
    file,
    [
      { ...base, kind: 'contract', clientId: 'acme', start: acme.start, from: fresh.from, key: changeKey(fresh) },
      { ...base, kind: 'hours', from: hours.from, key: changeKey(hours) },
    ],
    '2026-10-01',
  )
  t.same(moved.clients.find((client) => client.id === 'acme')?.contracts[0]?.changes, [
    recorded,
    { ...fresh, from: '2026-10-01' },
  ])
  t.same(moved.desks[0]?.schedule.changes, [{ ...hours, from: '2026-10-01' }])
  t.same(
    moved.clients.find((client) => client.id === 'atlas'),
    file.clients.find((client) => client.id === 'atlas'),
    'Atlas as it was',
  )
  t.same(acme.changes[1]?.from, '2027-01-01', 'the file itself untouched')
})

t.test("a client's figures from the replay, zeros when it is not affected", async (t) => {
  const result = {
    mostAffected: [
      { clientId: 'acme', changedCalls: 1, newlyClosed: 1, secondsMovedBeyondQuota: 120, minutesMovedBeyondQuota: 2 },
    ],
    summary: {
      callsByClient: [
        { clientId: 'acme', calls: 3 },
        { clientId: 'atlas', calls: 2 },
      ],
    },
  } as unknown as WhatIfResult
  t.same(clientWhatIf(result, 'acme', '2026-10'), {
    month: '2026-10',
    calls: 3,
    changedCalls: 1,
    newlyClosed: 1,
    secondsMovedBeyondQuota: 120,
    minutesMovedBeyondQuota: 2,
  })
  t.same(clientWhatIf(result, 'atlas', '2026-10'), {
    month: '2026-10',
    calls: 2,
    changedCalls: 0,
    newlyClosed: 0,
    secondsMovedBeyondQuota: 0,
    minutesMovedBeyondQuota: 0,
  })
  t.equal(clientWhatIf(result, 'oasis', '2026-10').calls, 0, 'no calls')
})
