// What a whole call costs the database, counted in statements sent (Postgres; not a timing): the
// incoming call reads and records in one statement each, the callbacks take their desk, client
// and contract from the configuration in memory (docs/BENCHMARKS.md, issue #19).
import { eq } from 'drizzle-orm'
import t from 'tap'
import { agents, callbacks } from '../../db/schema.js'
import { newSid, payload } from '../../webhooks/index.js'
import { readTwiml } from '../../webhooks/simulator.js'
import { countedPostgres } from '../helpers/databases.js'
import { deskApp } from '../helpers/desk.js'
import { ACME, DESK, SATURDAY_10H } from '../fixtures/intercom.js'

if (!process.env.TEST_DATABASE_URL) {
  t.comment('TEST_DATABASE_URL is not set: statements are counted on Postgres only')
} else {
  t.test('a whole call, statement by statement', async (t) => {
    const sent: string[] = []
    const database = await countedPostgres(t, (statement) => sent.push(statement))
    const { twilio } = await deskApp(t, database, { at: SATURDAY_10H })
    const counted = async (post: () => Promise<{ status: number; body: string }>) => {
      sent.length = 0
      const response = await post()
      t.equal(response.status, 200)
      return { response, statements: [...sent] }
    }
    const call = () => ({ callSid: newSid(), from: ACME, to: DESK })
    // The first call loads the configuration; the second is what every call costs.
    for (const round of ['first call', 'second call']) {
      const c = call()
      const voice = await counted(() => twilio.webhook('/webhooks/twilio/voice', payload('incoming-call', c)))
      const action = readTwiml(voice.response.body).find((verb) => verb.name === 'Dial')?.attributes.action
      if (!action) throw new Error(`no <Dial> in ${voice.response.body}`)
      const dial = await counted(() =>
        twilio.webhook(action, payload('dial-completed', c, { DialCallSid: newSid(), DialCallDuration: '300' })),
      )
      const status = await counted(() =>
        twilio.webhook('/webhooks/twilio/status', payload('status-completed', c, { CallDuration: '320' })),
      )
      t.comment(`${round}: voice ${voice.statements.length}, dial ${dial.statements.length}, status ${status.statements.length}`)
      if (round === 'second call') {
        t.equal(voice.statements.length, 2, 'voice: the facts, the record')
        t.equal(
          dial.statements.length,
          6,
          'dial: begin, the event with the month locked, the leg with the month, the record locked and saved, commit',
        )
        t.equal(status.statements.length, 2, 'status: the record read, the record saved with its event')
      }
    }
  })

  t.test('a call nobody can take opens its callback with the desk from memory', async (t) => {
    const sent: string[] = []
    const database = await countedPostgres(t, (statement) => sent.push(statement))
    const { twilio } = await deskApp(t, database, { at: SATURDAY_10H })
    await database.db.update(agents).set({ onDuty: false })
    // The first call loads the configuration; the second is what such a call costs.
    await twilio.webhook('/webhooks/twilio/voice', payload('incoming-call', { callSid: newSid(), from: ACME, to: DESK }))
    sent.length = 0
    const callSid = newSid()
    const voice = await twilio.webhook('/webhooks/twilio/voice', payload('incoming-call', { callSid, from: ACME, to: DESK }))
    t.match(voice.body, /<Record/, 'the caller may leave a message')
    const [request] = await database.db.select().from(callbacks).where(eq(callbacks.callSid, callSid))
    t.equal(request?.dueAt?.toISOString(), '2026-12-02T13:15:00.000Z', 'due within 24 working hours of the desk')
    const calendarReads = sent.filter((statement) =>
      /from "(holiday_overrides|calendar_entries|season_overrides)"/.test(statement),
    )
    t.same(calendarReads, [], 'the calendar is not read again: the call was decided with it')
  })
}
