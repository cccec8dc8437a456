// The voice write reaches the database two ways, one statement live or a transaction (a replay, a
// placeholder to complete, a duplicate): for the same write over the same record, both give the
// same rows, whatever callbacks came before it (issue #22: one truth for the voice write).
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { eq, inArray, sql } from 'drizzle-orm'
import fc from 'fast-check'
import t from 'tap'
import { callEvents, calls } from '../../db/schema.js'
import { OUTCOMES } from '../../src/domain/outcome.js'
import { applyDeskFile } from '../../src/store/configuration.js'
import { type VoiceWrite, type WebhookWrite, applyWebhookWrite, applyWebhookWrites } from '../../src/store/webhook-writes.js'
import { newSid } from '../../webhooks/index.js'
import { eachDatabase } from '../helpers/databases.js'
import { deskFile } from '../helpers/desk.js'
import { ACME, DESK } from '../fixtures/webhook-writes.js'

const AT = Date.parse('2026-11-28T09:00:00.000Z')
const instant = fc.integer({ min: 0, max: 3_600 }).map((s) => new Date(AT + s * 1000).toISOString())
const nullable = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: null })

/** A voice write as the webhook builds it, without its call (owing no callback: the live path's case). */
const voice = fc.record({
  at: instant,
  deskId: nullable(fc.constant('intercom')),
  clientId: nullable(fc.constantFrom('acme', 'atlas')),
  contractId: nullable(fc.constantFrom(1, 2)),
  usageMonth: nullable(fc.constantFrom('2026-11', '2026-12')),
  decision: fc.constantFrom('dial', 'voicemail', 'closed', 'hangup', 'ask_overage'),
  outcome: nullable(fc.constantFrom(...OUTCOMES)),
})

/** What may reach the record before the voice write: callbacks (a placeholder), or another voice write. */
const before = fc.oneof(
  fc.record({ kind: fc.constant('status' as const), at: instant, callStatus: fc.constantFrom('completed', 'failed', 'busy') }),
  fc.record({
    kind: fc.constant('dial' as const),
    at: instant,
    dialStatus: fc.constantFrom('completed', 'no-answer', 'busy', 'canceled'),
    talkSeconds: fc.constantFrom(0, 0, 42, 300),
  }),
  fc.record({ kind: fc.constant('overage' as const), at: instant, accepted: fc.boolean() }),
  fc.record({ kind: fc.constant('recording' as const), at: instant }),
  fc.record({ kind: fc.constant('whisper-accepted' as const), at: instant }),
  fc.record({ kind: fc.constant('voice' as const), voice }),
)

type VoiceFacts = typeof voice extends fc.Arbitrary<infer T> ? T : never
type Before = typeof before extends fc.Arbitrary<infer T> ? T : never

function voiceWrite(callSid: string, facts: VoiceFacts): VoiceWrite {
  const params = { CallSid: callSid, From: ACME, To: DESK }
  return { id: randomUUID(), callSid, event: 'voice', params, kind: 'voice', from: ACME, to: DESK, callback: null, ...facts }
}

function writeOf(callSid: string, fact: Before): WebhookWrite {
  if (fact.kind === 'voice') return voiceWrite(callSid, fact.voice)
  const base = { id: randomUUID(), callSid, at: fact.at, event: fact.kind, params: { CallSid: callSid, From: ACME, To: DESK } }
  switch (fact.kind) {
    case 'status':
      return { ...base, kind: 'status', callStatus: fact.callStatus, durationSeconds: 60, final: true }
    case 'dial':
      return {
        ...base,
        kind: 'dial',
        leg: 'agents',
        dialCallSid: 'CA11111111111111111111111111111111',
        dialStatus: fact.dialStatus,
        attempt: 1,
        talkSeconds: fact.dialStatus === 'completed' ? fact.talkSeconds : 0,
        contractId: null,
        usageMonth: null,
        callback: null,
      }
    case 'overage':
      return { ...base, kind: 'overage', accepted: fact.accepted, callback: null }
    case 'recording':
      return { ...base, kind: 'recording', recordingUrl: 'https://api.twilio.com/recording', recordingSeconds: 12 }
    case 'whisper-accepted':
      return { ...base, kind: 'whisper-accepted', agentNumber: '+213550000001' }
  }
}

eachDatabase(t, async (t, { db }) => {
  await applyDeskFile(db, deskFile('intercom'), { actor: 'test', now: new Date() })
  const record = async (callSid: string) => {
    const [row] = await db.select().from(calls).where(eq(calls.callSid, callSid))
    const events = await db.select({ kind: callEvents.kind }).from(callEvents).where(eq(callEvents.callSid, callSid))
    const { callSid: _, ...facts } = row ?? { callSid }
    return { facts, events: events.map((e) => e.kind).sort() }
  }

  await fc.assert(
    fc.asyncProperty(fc.array(before, { maxLength: 4 }), voice, fc.boolean(), async (earlier, facts, twice) => {
      const [live, transaction, batched] = [newSid(), newSid(), newSid()]
      for (const fact of earlier) {
        await applyWebhookWrites(db, [writeOf(live, fact)])
        await applyWebhookWrites(db, [writeOf(transaction, fact)])
        await applyWebhookWrites(db, [writeOf(batched, fact)])
      }
      const [liveWrite, transactionWrite, batchedWrite] = [
        voiceWrite(live, facts),
        voiceWrite(transaction, facts),
        voiceWrite(batched, facts),
      ]
      const applied = [await applyWebhookWrite(db, liveWrite, { live: true }), await applyWebhookWrites(db, [transactionWrite])]
      // Submitted together, live: the first goes alone, the next two share the batch's statement.
      const [, inBatch] = await Promise.all(
        [voiceWrite(newSid(), facts), batchedWrite, voiceWrite(newSid(), facts)].map((write) =>
          applyWebhookWrite(db, write, { live: true }),
        ),
      )
      applied.push(inBatch as boolean)
      if (twice) {
        // The journaled copy of a live write that committed after its deadline.
        applied.push(
          await applyWebhookWrites(db, [liveWrite]),
          await applyWebhookWrites(db, [transactionWrite]),
          await applyWebhookWrites(db, [batchedWrite]),
        )
      }
      assert.deepStrictEqual(await record(live), await record(transaction), 'the same record and events')
      assert.deepStrictEqual(await record(batched), await record(transaction), 'the same record and events, batched')
      assert.deepStrictEqual(applied, twice ? [true, 1, true, 0, 0, 0] : [true, 1, true], 'each applied once')
    }),
    { numRuns: 40 },
  )
  t.pass('both paths gave the same rows in every run')

  t.test('writes submitted together: one statement; a duplicate and a refused write end as alone', async (t) => {
    await db.execute(sql.raw("alter table calls add constraint refuse_one_number check (from_number <> '+213699999990')"))
    t.teardown(() => db.execute(sql.raw('alter table calls drop constraint refuse_one_number')))
    const facts = {
      at: new Date(AT).toISOString(),
      deskId: 'intercom',
      clientId: 'acme',
      contractId: 1,
      usageMonth: '2026-11',
    } as const
    const write = (callSid: string) => voiceWrite(callSid, { ...facts, decision: 'dial', outcome: null })
    const [first, a, b] = [newSid(), newSid(), newSid()]
    const writes = [write(first), write(a), write(a), write(b)]
    const results = await Promise.all(writes.map((w) => applyWebhookWrite(db, w, { live: true })))
    t.same(results, [true, true, true, true], 'every delivery applied (the duplicate through the transaction)')
    t.same((await record(a)).events, ['voice', 'voice'], 'the call delivered twice: one record, each delivery logged')
    t.same(await xmins([a, b]), 1, 'the batch: one commit for its calls')

    const refused = { ...write(newSid()), from: '+213699999990' }
    const [c, d] = [newSid(), newSid()]
    const outcome = await Promise.allSettled(
      [write(newSid()), write(c), refused, write(d)].map((w) => applyWebhookWrite(db, w, { live: true })),
    )
    t.same(
      outcome.map((o) => o.status),
      ['fulfilled', 'fulfilled', 'rejected', 'fulfilled'],
      'only the refused write fails',
    )
    for (const callSid of [c, d]) t.same((await record(callSid)).events, ['voice'], 'the others are recorded, alone')
    t.equal(await xmins([c, d]), 2, 'each in its own statement after the batch failed')
  })

  async function xmins(callSids: string[]): Promise<number> {
    const [row] = await db
      .select({ n: sql<number>`count(distinct ${calls}.xmin::text)::int` })
      .from(calls)
      .where(inArray(calls.callSid, callSids))
    return row?.n ?? 0
  }
})
