// Incoming calls that arrive together share one statement and one commit for their records (the
// group commit of src/store/write-batch.ts), through the real app with signed webhooks, on PGlite
// and Postgres: each call recorded once with its event and its decision, in fewer statements than
// calls (Postgres; PGlite never has two writes waiting at once, see below); a call delivered
// several times in one batch, a call whose callbacks came first, and a batch the database refuses
// end as they would one call at a time. (A batch failing with the database away: the pure test,
// test/store/write-batch.test.ts; through the app it was flaky, see docs/RELIABILITY.md.)
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { inArray, sql } from 'drizzle-orm'
import t from 'tap'
import { callEvents, calls } from '../../db/schema.js'
import { newSid, payload } from '../../webhooks/index.js'
import { readTwiml } from '../../webhooks/simulator.js'
import { countedPostgres, freshDatabase, kinds } from '../helpers/databases.js'
import { deskApp } from '../helpers/desk.js'
import { ACME, DESK, SATURDAY_10H } from '../fixtures/intercom.js'

/** A number nobody registered, which the failing-batch test makes the database refuse. */
const REFUSED = '+213699999990'

for (const kind of kinds) {
  t.test(kind, async (t) => {
    const sent: string[] = []
    const database =
      kind === 'postgres' ? await countedPostgres(t, (statement) => sent.push(statement)) : await freshDatabase(t, kind)
    const { app, twilio } = await deskApp(t, database, { at: SATURDAY_10H })
    const { db } = database

    const incoming = (callSid: string, from = ACME) =>
      twilio.webhook('/webhooks/twilio/voice', payload('incoming-call', { callSid, from, to: DESK }))
    const together = (callSids: string[], from?: (callSid: string) => string) =>
      Promise.all(callSids.map((callSid) => incoming(callSid, from?.(callSid))))
    const sids = (n: number) => Array.from({ length: n }, () => newSid())

    /** Each call's record (without its CallSid, to compare calls) and the kinds of its events. */
    async function books(callSids: string[]) {
      const records = await db.select().from(calls).where(inArray(calls.callSid, callSids))
      const events = await db
        .select({ callSid: callEvents.callSid, kind: callEvents.kind })
        .from(callEvents)
        .where(inArray(callEvents.callSid, callSids))
      return new Map(
        callSids.map((callSid) => {
          const mine = records.filter((r) => r.callSid === callSid)
          return [
            callSid,
            {
              records: mine.map(({ callSid: _, ...facts }) => facts),
              events: events
                .filter((e) => e.callSid === callSid)
                .map((e) => e.kind)
                .sort(),
            },
          ]
        }),
      )
    }

    // The first call loads the configuration: the calls below meet an instance already warm.
    t.equal((await incoming(newSid())).status, 200)

    t.test('calls that arrive together are each recorded once, with its event, in fewer statements than calls', async (t) => {
      const callSids = sids(40)
      sent.length = 0
      const answers = await together(callSids)
      for (const answer of answers) {
        t.equal(answer.status, 200)
        t.ok(
          readTwiml(answer.body).some((verb) => verb.name === 'Dial'),
          'each caller is put through',
        )
      }
      const written = await books(callSids)
      for (const [callSid, { records, events }] of written) {
        t.equal(records.length, 1, `${callSid} has one record`)
        t.match(records[0], { deskId: 'intercom', clientId: 'acme', decision: 'dial', outcome: null, usageMonth: '2026-11' })
        t.same(events, ['voice'], `${callSid} has its one voice event`)
      }
      // Rows a statement inserted share its transaction id: fewer of them than calls is fewer commits.
      const [commits] = await db
        .select({ n: sql<number>`count(distinct ${calls}.xmin::text)::int` })
        .from(calls)
        .where(inArray(calls.callSid, callSids))
      t.comment(`40 calls recorded in ${commits?.n} commits`)
      // PGlite runs each statement to its end on the event loop: a call's read and write are done
      // before the next request is even parsed, so its writes never wait for one another (nor batch:
      // test/store/webhook-writes.test.ts batches on it by submitting writes together).
      if (kind === 'postgres') {
        t.ok((commits?.n ?? 40) < 40, 'fewer commits than calls')
        const writes = sent.filter((statement) => statement.includes('insert into "calls"'))
        const batched = writes.filter((statement) => statement.includes('jsonb_to_recordset'))
        t.comment(`40 calls: ${sent.length} statements, ${writes.length} writes of which ${batched.length} batched`)
        t.ok(writes.length < 40, 'the records took fewer statements than calls')
        t.ok(batched.length > 0, 'some of them for several calls at once')
        t.ok(sent.length < 80, 'the calls took fewer than two statements each')
      }
    })

    t.test('a call delivered several times in one batch ends as its deliveries one after another', async (t) => {
      const [twice, reference] = sids(2)
      if (!twice || !reference) throw new Error('no sids')
      for (let i = 0; i < 3; i++) t.equal((await incoming(reference)).status, 200)
      const others = sids(20)
      const answers = await together([...others.slice(0, 10), twice, twice, twice, ...others.slice(10)])
      t.ok(
        answers.every((answer) => answer.status === 200),
        'every delivery answered',
      )
      const written = await books([twice, reference, ...others])
      t.equal(written.get(twice)?.records.length, 1, 'one record')
      t.same(written.get(twice), written.get(reference), 'the same record and events as three deliveries in turn')
      t.same(written.get(twice)?.events, ['voice', 'voice', 'voice'], 'each delivery logged, as received')
      for (const callSid of others) t.same(written.get(callSid)?.events, ['voice'])
    })

    t.test('a call whose status came first is completed by its voice write among others', async (t) => {
      const [early, reference] = sids(2)
      if (!early || !reference) throw new Error('no sids')
      const status = (callSid: string) =>
        twilio.webhook(
          '/webhooks/twilio/status',
          payload('status-completed', { callSid, from: ACME, to: DESK }, { CallDuration: '40' }),
        )
      t.equal((await status(reference)).status, 200)
      t.equal((await incoming(reference)).status, 200)
      t.equal((await status(early)).status, 200)
      const placeholder = (await books([early])).get(early)?.records[0]
      t.match(placeholder, { decision: 'pending' }, 'the status made a placeholder')
      const others = sids(20)
      await together([...others.slice(0, 10), early, ...others.slice(10)])
      const written = await books([early, reference, ...others])
      t.match(
        written.get(early)?.records[0],
        { decision: 'dial', clientId: 'acme', callStatus: 'completed' },
        'decided, status kept',
      )
      t.same(written.get(early), written.get(reference), 'as when the status and the call came one after the other')
      for (const callSid of others) t.same(written.get(callSid)?.events, ['voice'])
    })

    t.test('a batch the database refuses: the other calls are recorded, the refused write set aside', async (t) => {
      // A real refusal, as a constraint the write breaks: the write at fault fails on its own too.
      await db.execute(sql.raw(`alter table calls add constraint refuse_one_number check (from_number <> '${REFUSED}')`))
      t.teardown(() => db.execute(sql.raw('alter table calls drop constraint refuse_one_number')))
      const refused = newSid()
      const others = sids(30)
      const answers = await together([...others.slice(0, 15), refused, ...others.slice(15)], (callSid) =>
        callSid === refused ? REFUSED : ACME,
      )
      answers.forEach((answer, i) => {
        if (i !== 15) t.equal(answer.status, 200, 'the others are answered')
      })
      const written = await books([refused, ...others])
      t.same(written.get(refused), { records: [], events: [] }, 'the refused call wrote nothing')
      for (const callSid of others) {
        t.equal(written.get(callSid)?.records.length, 1, `${callSid} recorded`)
        t.same(written.get(callSid)?.events, ['voice'])
      }
      const rejected = await readFile(join(app.config.dataDir, 'journal', 'rejected.jsonl'), 'utf8')
      const setAside = rejected
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { write: { callSid: string } })
      t.same(
        setAside.map((line) => line.write.callSid),
        [refused],
        'only the refused write is set aside',
      )
      t.equal(app.writer.journal.pending, 0, 'nothing journaled: the database took every other write')
    })
  })
}
