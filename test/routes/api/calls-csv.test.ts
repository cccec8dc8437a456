// A year of calls exported as CSV streams: 100,000 calls through the real app over a real port,
// with the memory it takes sampled all along and bounded well below the size of the export.
import { request } from 'node:http'
import v8 from 'node:v8'
import vm from 'node:vm'
import { sql } from 'drizzle-orm'
import t from 'tap'
import { TEST_ADMIN_TOKEN } from '../../helpers/app.js'
import { eachDatabase } from '../../helpers/databases.js'
import { deskApp } from '../../helpers/desk.js'

const CALLS = 100_000
const MB = 1024 * 1024

/**
 * A full garbage collection, so that samples measure what is alive (what the export holds), not
 * garbage V8 has not collected yet. tap does not start node with --expose-gc: the flag is set now
 * and the function taken from a fresh context.
 */
function collector(): () => void {
  if (typeof globalThis.gc === 'function') return globalThis.gc
  v8.setFlagsFromString('--expose-gc')
  return vm.runInNewContext('gc') as () => void
}
const collect = collector()

/** What the process holds alive that the export could grow: the JS heap and the buffers outside it. */
function held() {
  collect()
  const memory = process.memoryUsage()
  return { live: memory.heapUsed + memory.arrayBuffers, rss: memory.rss }
}

eachDatabase(t, async (t, database) => {
  const { app } = await deskApp(t, database)
  // A year of ACME calls, one every five minutes, each with a recording: inserted in one statement,
  // which may take longer than the app's statement timeout (10 s) on a busy machine.
  await database.db.transaction(async (tx) => {
    await tx.execute(sql`set local statement_timeout = 0`)
    await tx.execute(sql`
    insert into calls (call_sid, desk_id, from_number, to_number, client_id, contract_id, started_at, usage_month,
                       decision, outcome, agent_id, talk_seconds, duration_seconds, ended_at, call_status, recording_url)
    select 'CA' || md5('call' || n), 'intercom', '+213661000001', '+21321000000', 'acme', 1,
           timestamptz '2026-01-01 08:00:00+00' + n * interval '5 minutes', '2026-01',
           'route', 'answered', 'amina', 30 + n % 900, 45 + n % 900,
           timestamptz '2026-01-01 08:00:00+00' + n * interval '5 minutes' + interval '15 minutes', 'completed',
           'https://api.twilio.com/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Recordings/RE' || md5('recording' || n)
    from generate_series(1, ${CALLS}) as n`)
  })
  await app.listen({ port: 0, host: '127.0.0.1' })
  const { port } = app.server.address() as { port: number }

  t.test(`CSV of ${CALLS.toLocaleString('en')} calls within bounded memory`, async (t) => {
    const before = held()
    let peak = before
    let samples = 0
    const sampler = setInterval(() => {
      const now = held()
      samples++
      if (now.live > peak.live) peak = now
    }, 250)
    const { status, bytes, lines } = await new Promise<{ status: number; bytes: number; lines: number }>((resolve, reject) => {
      const req = request(
        { port, path: '/api/calls', headers: { accept: 'text/csv', authorization: `Bearer ${TEST_ADMIN_TOKEN}` } },
        (res) => {
          let bytes = 0
          let lines = 0
          res.on('data', (chunk: Buffer) => {
            bytes += chunk.length
            for (const byte of chunk) if (byte === 10) lines++
          })
          res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes, lines }))
          res.on('error', reject)
        },
      )
      req.on('error', reject)
      req.end()
    })
    clearInterval(sampler)
    const growth = peak.live - before.live
    t.equal(status, 200, 'the export is served')
    t.equal(lines, CALLS + 1, 'a header and every call')
    t.ok(bytes > 25 * MB, `the export is large (${(bytes / MB).toFixed(1)} MB)`)
    t.ok(samples >= 3, `memory was sampled ${samples} times while streaming (each after a full collection)`)
    // Loading the calls first would hold them all (well over 100 MB as objects), building the text
    // would hold the export's size; streaming holds a page of 1,000 calls (a few MB). The bound is
    // generous for a busy shared machine, and still far below what either mistake would take:
    t.ok(
      growth < bytes / 2,
      `live memory grew by ${(growth / MB).toFixed(1)} MB at most while streaming ${(bytes / MB).toFixed(1)} MB (rss ${(before.rss / MB).toFixed(0)} → ${(peak.rss / MB).toFixed(0)} MB): less than half the export`,
    )
  })
})
