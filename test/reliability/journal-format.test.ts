// A release reads what the one before it journaled: lines exactly as the code before format
// versions wrote them (test/fixtures/journal/version-1.jsonl, two whole calls: one answered, one
// missed with a voicemail) are replayed into the database at start.
import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { eq } from 'drizzle-orm'
import t from 'tap'
import { callbacks, calls, overageConsents, talkLegs, usage } from '../../db/schema.js'
import { testApp } from '../helpers/app.js'
import { eachDatabase } from '../helpers/databases.js'
import { deskFile } from '../helpers/desk.js'
import { Journal } from '../../src/journal.js'
import { applyDeskFile } from '../../src/store/configuration.js'
import { WEBHOOK_WRITE_FORMAT } from '../../src/store/webhook-writes.js'

const VERSION_1 = new URL('../fixtures/journal/version-1.jsonl', import.meta.url).pathname

eachDatabase(t, async (t, database) => {
  await applyDeskFile(database.db, deskFile('intercom'), { actor: 'test', now: new Date() })
  // An instance stopped with these lines in its journal; the new release starts on its DATA_DIR.
  const dataDir = mkdtempSync(join(tmpdir(), 'supportline-test-'))
  t.teardown(() => import('node:fs').then(({ rmSync }) => rmSync(dataDir, { recursive: true, force: true })))
  mkdirSync(join(dataDir, 'journal'))
  copyFileSync(VERSION_1, join(dataDir, 'journal', 'current.jsonl'))
  // What the new release reads, before it starts (once started, it replays at once).
  const journal = await Journal.open(join(dataDir, 'journal'), WEBHOOK_WRITE_FORMAT)
  const entries = await journal.entries()
  await journal.close()
  t.equal(entries.length, 9, 'the nine lines are read')
  t.same(
    [...new Set(entries.map((entry) => entry.write.kind))].sort(),
    ['dial', 'event', 'recording', 'status', 'voice', 'whisper-accepted'],
    'as writes of the kinds they were',
  )
  const { app } = await testApp(t, database, { env: { DATA_DIR: dataDir } })
  await app.writer.replay()
  t.equal(app.writer.journal.pending, 0, 'and replayed')

  const record = async (callSid: string) => (await database.db.select().from(calls).where(eq(calls.callSid, callSid)))[0]
  t.match(
    await record('CA0000000000000000000000000000a001'),
    { decision: 'dial', clientId: 'acme', outcome: 'answered', talkSeconds: 300, agentId: 'amina', callStatus: 'completed' },
    'the answered call, complete',
  )
  t.match(
    await record('CA0000000000000000000000000000a002'),
    { decision: 'dial', clientId: 'acme', outcome: 'voicemail', dialStatus: 'no-answer', callStatus: 'completed' },
    'the missed call with its voicemail',
  )
  const [request] = await database.db.select().from(callbacks).where(eq(callbacks.callSid, 'CA0000000000000000000000000000a002'))
  t.match(request, { reason: 'no_answer', clientId: 'acme', recordingSeconds: 25 }, 'which is owed a call back')
  const [month] = await database.db.select().from(usage).where(eq(usage.contractId, 1))
  t.match(month, { month: '2026-11', usedSeconds: 300, calls: 1 }, 'the talk counted once')
})

// Lines written by the code before the quota line (issue #13), of an ATLAS call (`ask`): the quota
// used up, the caller pressed 1, 120 s of talk. Its overage line has no question or words, its dial
// line no `consented`: the consent is the record's, as it was, and the question the start's.
const ASK_ACCEPTED = new URL('../fixtures/journal/version-1-ask-accepted.jsonl', import.meta.url).pathname

eachDatabase(t, async (t, database) => {
  await applyDeskFile(database.db, deskFile('intercom'), { actor: 'test', now: new Date() })
  await database.db
    .insert(usage)
    .values({ contractId: 2, month: '2026-11', quotaSeconds: 18_000, usedSeconds: 18_000, includedSeconds: 18_000 })
  const dataDir = mkdtempSync(join(tmpdir(), 'supportline-test-'))
  t.teardown(() => import('node:fs').then(({ rmSync }) => rmSync(dataDir, { recursive: true, force: true })))
  mkdirSync(join(dataDir, 'journal'))
  copyFileSync(ASK_ACCEPTED, join(dataDir, 'journal', 'current.jsonl'))
  const { app } = await testApp(t, database, { env: { DATA_DIR: dataDir } })
  t.equal(app.writer.journal.pending, 6, 'the six lines are read')
  await app.writer.replay()
  t.equal(app.writer.journal.pending, 0, 'and replayed')
  const callSid = 'CA0000000000000000000000000000a003'
  t.match((await database.db.select().from(calls).where(eq(calls.callSid, callSid)))[0], {
    decision: 'ask_overage',
    outcome: 'answered',
    overageAccepted: true,
    talkSeconds: 120,
  })
  const [month] = await database.db.select().from(usage).where(eq(usage.contractId, 2))
  t.match(month, { usedSeconds: 18_120, overageSeconds: 120, graceSeconds: 0, calls: 1 }, 'billed: the caller said yes')
  const [leg] = await database.db.select().from(talkLegs).where(eq(talkLegs.callSid, callSid))
  t.match(leg, { consented: true, overageSeconds: 120 })
  const [consent] = await database.db.select().from(overageConsents).where(eq(overageConsents.callSid, callSid))
  t.match(
    consent,
    { digit: '1', question: 'start', words: null },
    'the consent kept, without the words the old code did not keep',
  )
})
