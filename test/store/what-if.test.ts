// What the what-if replay reads: the period's calls streamed in keyset batches, each call once and
// in start order even when several start in the same millisecond (Postgres keeps microseconds,
// JavaScript milliseconds), with their talk legs and callback requests, and every desk's zone.
import { sql } from 'drizzle-orm'
import t from 'tap'
import { calls, talkLegs } from '../../db/schema.js'
import { readWhatIf } from '../../src/store/what-if.js'
import { eachDatabase } from '../helpers/databases.js'
import { deskApp } from '../helpers/desk.js'
import { ACME, DESK } from '../fixtures/intercom.js'

eachDatabase(t, async (t, database) => {
  const { db } = (await deskApp(t, database, { at: '2026-11-28T10:00:00+01:00' })).database
  /** An answered call of ACME's to the desk, started at `at`. */
  const answeredCall = (sid: string, at: string) =>
    db.insert(calls).values({
      callSid: sid,
      deskId: 'intercom',
      fromNumber: ACME,
      toNumber: DESK,
      clientId: 'acme',
      startedAt: new Date(at),
      decision: 'dial',
      outcome: 'answered',
    })
  // 13 calls on 21 November: four in one millisecond (microseconds apart), two at the same
  // microsecond (CallSid decides), the rest a minute apart; and one in October, outside.
  const base = Date.parse('2026-11-21T09:00:00Z')
  const starts = [
    ...[0, 1, 2, 3].map((micro) => ({
      at: `2026-11-21T08:59:00.123${String(micro * 100).padStart(3, '0')}Z`,
      sid: `CA0${micro}`,
    })),
    { at: '2026-11-21T08:59:30.000500Z', sid: 'CA10' },
    { at: '2026-11-21T08:59:30.000500Z', sid: 'CA09' },
    ...Array.from({ length: 7 }, (_, i) => ({ at: new Date(base + i * 60_000).toISOString(), sid: `CA2${i}` })),
    { at: '2026-10-15T09:00:00Z', sid: 'CA99' },
  ]
  for (const { at, sid } of starts) {
    await answeredCall(sid, at)
    // the microseconds the JavaScript Date cannot carry
    await db.execute(sql`update calls set started_at = ${at}::timestamptz where call_sid = ${sid}`)
  }
  await db.insert(talkLegs).values(
    ['CA02', 'CA23'].map((sid) => ({
      callSid: sid,
      dialCallSid: `${sid}-leg`,
      contractId: 1,
      month: '2026-11',
      talkSeconds: 60,
      countedSeconds: 60,
      includedSeconds: 60,
      overageSeconds: 0,
      countedAt: new Date(base + 3_600_000),
    })),
  )

  const read = await readWhatIf(
    db,
    { from: '2026-11-01', to: '2026-11-28' },
    async (setup, batches) => {
      const sizes: number[] = []
      const sids: string[] = []
      const legs = new Map<string, number>()
      for await (const batch of batches) {
        sizes.push(batch.length)
        for (const call of batch) {
          sids.push(call.callSid)
          legs.set(call.callSid, call.legs.length)
        }
      }
      return { setup, sizes, sids, legs }
    },
    5,
  )
  t.same(read.sizes, [5, 5, 3], 'batches of five, as asked')
  t.same(
    read.sids,
    ['CA00', 'CA01', 'CA02', 'CA03', 'CA09', 'CA10', 'CA20', 'CA21', 'CA22', 'CA23', 'CA24', 'CA25', 'CA26'],
    'each call once, by start to the microsecond, then CallSid; October left out',
  )
  t.equal(read.legs.get('CA02'), 1, 'a call with its talk leg')
  t.equal(read.legs.get('CA23'), 1)
  t.equal(read.legs.get('CA20'), 0)
  t.equal(read.setup.deskZones.get('intercom'), 'Africa/Algiers', "every desk's zone")
  t.ok(read.setup.managers.has('intercom'), "the managers' calendar decisions")

  // 24 months (issue #21's longest period), from 29 November 2024: the first month is read from
  // its first day (its quota starts there), every month to the end, nothing before.
  for (const [sid, at] of [
    ['CB00', '2024-10-30T09:00:00Z'],
    ['CB01', '2024-11-01T09:00:00Z'],
    ['CB02', '2024-11-29T09:00:00Z'],
    ['CB03', '2025-06-15T09:00:00Z'],
    ['CB04', '2026-02-28T09:00:00Z'],
    ['CB05', '2026-11-28T09:00:00Z'],
  ] as const)
    await answeredCall(sid, at)
  const longest = await readWhatIf(
    db,
    { from: '2024-11-29', to: '2026-11-28' },
    async (_setup, batches) => {
      const sids: string[] = []
      for await (const batch of batches) sids.push(...batch.map((call) => call.callSid))
      return sids
    },
    4,
  )
  t.same(
    longest,
    [
      ...['CB01', 'CB02', 'CB03', 'CB04', 'CA99'],
      ...['CA00', 'CA01', 'CA02', 'CA03', 'CA09', 'CA10', 'CA20', 'CA21', 'CA22', 'CA23', 'CA24', 'CA25', 'CA26', 'CB05'],
    ],
    "24 months read in order across batches, from the first month's first day",
  )
})
