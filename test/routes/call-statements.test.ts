// What a whole call costs the database, counted in statements sent (Postgres; not a timing): the
// incoming call reads and records in one statement each, the callbacks take their desk, client
// and contract from the configuration in memory (docs/BENCHMARKS.md, issue #19).
import t from 'tap'
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
}
