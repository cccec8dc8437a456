// Whole calls played in order on one instance give the reference books; the same webhook writes,
// duplicated, reordered, applied live or from either of two instances' journals (callbacks before
// their call's voice write: placeholders), some of them journaled after their deadline while their
// live copy commits later, must give the same books: every record, callback request and counted
// second, whatever the order.
import assert from 'node:assert/strict'
import { asc, eq, inArray } from 'drizzle-orm'
import fc from 'fast-check'
import t from 'tap'
import type { Database } from '../../db/client.js'
import { callbacks, calls, overageConsents, talkLegs, usage } from '../../db/schema.js'
import { type WebhookWrite, applyWebhookWrite } from '../../src/store/webhook-writes.js'
import { playCall } from '../../webhooks/simulator.js'
import { testApp } from '../helpers/app.js'
import { freshDatabase } from '../helpers/databases.js'
import { deskApp } from '../helpers/desk.js'
import { DESK } from '../fixtures/webhook-writes.js'

t.setTimeout(600_000)

const CALLERS = {
  acme: '+213661000001', // bills beyond the quota
  atlas: '+213770000001', // asks beyond the quota (used up below, or 300 s from it: the call is cut and the caller asked)
  djurdjura: '+213555000001', // refuses beyond the quota (used up below, or 300 s from it: the call is cut after the grace)
  numidia: '+213661000003', // suspended
  unknown: '+213699999999',
}

/** A call as a caller and the agents play it (see webhooks/simulator.ts). */
const script = fc.record({
  from: fc.constantFrom(...Object.values(CALLERS)),
  answer: fc.boolean(),
  agentPresses: fc.constantFrom('1', '1', '2'),
  talkSeconds: fc.integer({ min: 1, max: 4000 }),
  press: fc.array(fc.constantFrom('1', '2', ''), { maxLength: 2 }),
  voicemailSeconds: fc.constantFrom(0, 25),
  noStatus: fc.boolean(),
})

/** How one delivery of a write reaches the database. */
const mode = fc.oneof(
  fc.constant({ kind: 'live' as const }),
  fc.record({ kind: fc.constant('journaled' as const), instance: fc.constantFrom(0, 1) }),
  // Journaled once its deadline passed, while its live copy was still on its way: it lands later.
  fc.record({ kind: fc.constant('late' as const), instance: fc.constantFrom(0, 1), delay: fc.integer({ min: 1, max: 1_000 }) }),
)

const delivery = fc.record({ order: fc.integer({ min: 0, max: 1_000 }), mode, twice: fc.constantFrom(false, false, true) })

t.test('any order, duplicates, two journals and late live commits give the books of the calls played in order', async (t) => {
  // The reference: the calls played in order, live, on one instance with a database of its own.
  const reference = await deskApp(t, await freshDatabase(t, 'pglite'))
  const writes: WebhookWrite[] = []
  const record = reference.app.writer.record.bind(reference.app.writer)
  reference.app.writer.record = (write) => {
    writes.push(structuredClone(write))
    return record(write)
  }
  // Under test: two instances on one database, which only ever receives the writes.
  const database = await freshDatabase(t, process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite')
  const instances = [await deskApp(t, database), await testApp(t, database)]
  const db = database.db

  let run = 0
  await fc.assert(
    fc.asyncProperty(
      fc.array(script, { minLength: 1, maxLength: 4 }),
      fc.boolean(),
      fc.constantFrom(0, 300),
      fc.infiniteStream(delivery),
      fc.array(fc.record({ order: fc.integer({ min: 0, max: 2_000 }), instance: fc.constantFrom(0, 1) }), { maxLength: 3 }),
      async (scripts, open, left, deliveries, replays) => {
        // Each run in a month of its own, in or out of the desk's hours.
        run++
        const month = `${2027 + Math.floor((run - 1) / 12)}-${String(((run - 1) % 12) + 1).padStart(2, '0')}`
        reference.clock.set(`${await openDayIn(`${month}-`)}T${open ? '10:00' : '20:00'}:00+01:00`)
        for (const books of [reference.database.db, db]) await useUpQuotas(books, month, left)
        writes.length = 0
        for (const played of scripts) await playCall(reference.twilio, { to: DESK, ...played })

        // Each write delivered once or twice, each delivery live, journaled, or both (late).
        const steps: { at: number; apply: () => Promise<unknown> }[] = []
        for (const write of writes) {
          const { order, mode, twice } = deliveries.next().value
          for (const at of twice ? [order, order + 0.5] : [order]) {
            if (mode.kind === 'live') steps.push({ at, apply: () => applyWebhookWrite(db, write, { live: true }) })
            else steps.push({ at, apply: () => instances[mode.instance]!.app.writer.journal.append(write, new Date()) })
            if (mode.kind === 'late')
              steps.push({ at: at + mode.delay, apply: () => applyWebhookWrite(db, write, { live: true }) })
          }
        }
        for (const { order, instance } of replays)
          steps.push({ at: order, apply: () => instances[instance]!.app.writer.replay() })
        steps.sort((a, b) => a.at - b.at)
        for (const step of steps) await step.apply()
        for (const { app } of instances) await app.writer.replay()

        const sids = [...new Set(writes.map((write) => write.callSid))]
        assert.deepStrictEqual(await books(db, month, sids), await books(reference.database.db, month, sids))
      },
    ),
    { numRuns: 15 },
  )
  t.pass('every run gave the books of its calls played in order')
})

/**
 * ATLAS (asks) and Djurdjura (refuses) have used their month's quota (their callers hear the
 * question, or the refusal), or all but `left` seconds of it (the agents' leg is cut at the line:
 * ATLAS's caller is asked to go on, billed, and the agent dialled again; Djurdjura's hears what
 * remains after the grace).
 */
async function useUpQuotas(db: Database, month: string, left: number): Promise<void> {
  for (const [contractId, quotaSeconds] of [
    [2, 18_000],
    [3, 7_200],
  ] as const) {
    const usedSeconds = left > 0 ? quotaSeconds - left : 18_000
    await db.insert(usage).values({
      contractId,
      month,
      quotaSeconds,
      usedSeconds,
      includedSeconds: Math.min(usedSeconds, quotaSeconds),
      overageSeconds: Math.max(0, usedSeconds - quotaSeconds),
    })
  }
}

/** What the month's calls left: records, callback requests, counted legs, the usage. */
async function books(db: Database, month: string, sids: string[]) {
  const records = await db.select().from(calls).where(inArray(calls.callSid, sids)).orderBy(asc(calls.callSid))
  const requests = (
    await db.select().from(callbacks).where(inArray(callbacks.callSid, sids)).orderBy(asc(callbacks.callSid))
  ).map(({ id: _, ...request }) => request)
  // Which leg counts into the included quota depends on the order across calls; each leg's talk does not.
  const legs = (
    await db.select().from(talkLegs).where(eq(talkLegs.month, month)).orderBy(asc(talkLegs.callSid), asc(talkLegs.dialCallSid))
  ).map(({ countedAt: _, includedSeconds: _i, overageSeconds: _o, graceSeconds: _g, ...leg }) => leg)
  const used = (await db.select().from(usage).where(eq(usage.month, month)).orderBy(asc(usage.contractId))).map((row) => ({
    contractId: row.contractId,
    usedSeconds: row.usedSeconds,
    split: row.includedSeconds + row.overageSeconds + row.graceSeconds,
    // A consented leg is billed, all of it, whatever the order; nothing beyond a refuse contract's quota is.
    consentedSeconds: row.consentedSeconds,
    billedBeyondRefusal: row.contractId === 3 ? row.overageSeconds : 0,
    calls: row.calls,
    onCallSeconds: row.onCallSeconds,
  }))
  const consents = await db
    .select()
    .from(overageConsents)
    .where(inArray(overageConsents.callSid, sids))
    .orderBy(asc(overageConsents.callSid))
  return { records, requests, legs, used, consents }
}

/** The first day of the month (prefix "YYYY-MM-") the INTERcom desk opens, as YYYY-MM-DD. */
async function openDayIn(monthPrefix: string): Promise<string> {
  const { deskStatus } = await import('../../src/domain/calendar/index.js')
  const { deskFile } = await import('../helpers/desk.js')
  const calendar = {
    timezone: 'Africa/Algiers',
    weekly: deskFile('intercom').desks[0]!.schedule.weekly,
    country: 'DZ' as const,
    holidayOverrides: [],
    closures: [],
    openings: [],
  }
  for (let day = 1; day <= 28; day++) {
    const date = `${monthPrefix}${String(day).padStart(2, '0')}`
    if (deskStatus(calendar, new Date(`${date}T10:00:00+01:00`)).open) return date
  }
  throw new Error(`no open day in ${monthPrefix}`)
}
