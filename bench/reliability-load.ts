// npm run load: whole simulated calls against two running instances of the compiled service on
// one real Postgres, each webhook sent to either instance (as Fly's proxy does), with the database
// cut off for 30 s in the middle (a TCP proxy in front of Postgres). Reports errors, latency
// percentiles and memory, then checks that the records and the quota totals are exactly those of
// the calls made. `--help` for the options.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import postgres from 'postgres'
import { openDatabase } from '../db/client.js'
import { parseDeskFile } from '../src/domain/desk-file.js'
import { applyDeskFile } from '../src/store/configuration.js'
import { TcpProxy } from '../test/helpers/tcp-proxy.js'
import { type Post, Twilio, httpPost, newSid, payload } from '../webhooks/index.js'
import { playCall, readTwiml } from '../webhooks/simulator.js'
import { ADMIN_URL, urlOf } from './databases.js'
import { percentile } from './load.js'
import { BUILD_DIR, ROOT, type Service, buildService, startService } from './service.js'

const HELP = `npm run load [-- options]
  --seconds=N       length of the load (default 90)
  --callers=N       callers calling at once (default 16)
  --outage=N        seconds the database is cut off, in the middle of the load (default 30; 0 for none)
  --keep            keep the ${'supportline_load'} database afterwards`

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '90' },
    callers: { type: 'string', default: '16' },
    outage: { type: 'string', default: '30' },
    keep: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
})
if (args.help) {
  console.log(HELP)
  process.exit(0)
}

const SECONDS = Number(args.seconds)
const CALLERS = Number(args.callers)
const OUTAGE = Number(args.outage)
const DATABASE = 'supportline_load'
const AUTH_TOKEN = 'load-test-twilio-token-0123456789'
const ADMIN_TOKEN = 'load-test-admin-token-0123456789'
const PUBLIC_URL = 'https://supportline.example.com'
const CLOCK_START = '2026-11-28T10:00:00+01:00' // a Saturday morning: the INTERcom desk is open
const DESK = '+21321000000'
// ACME's two contacts: its contract bills beyond the quota, so every call is put through.
const CALLERS_NUMBERS = ['+213661000001', '+213661000002']
const log = (line: string) => console.log(`[load] ${line}`)

// A fresh database, migrated, with the INTERcom demo desk.
const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} })
await admin.unsafe(`drop database if exists "${DATABASE}" with (force)`)
await admin.unsafe(`create database "${DATABASE}"`)
await admin.end()
const direct = await openDatabase({ url: urlOf(DATABASE), max: 2 })
await direct.migrate()
const parsed = parseDeskFile(JSON.parse(await readFile(join(ROOT, 'db/desks/intercom.json'), 'utf8')))
if (!parsed.ok) throw new Error('the demo desk file does not parse')
await applyDeskFile(direct.db, parsed.file, { actor: 'load', now: new Date() })

// Postgres behind a proxy the run controls, and two instances of the compiled service on it.
const target = new URL(ADMIN_URL)
const proxy = new TcpProxy(target.hostname, Number(target.port || 5432))
await proxy.start()
log('building the service')
await buildService()
const work = join(tmpdir(), `supportline-load-${process.pid}`)
await mkdir(work, { recursive: true })
const instances: Service[] = []
for (const [index, port] of [3811, 3812].entries()) {
  instances.push(
    await startService({
      name: `instance-${index + 1}`,
      args: [`${BUILD_DIR}/src/server.js`],
      port,
      env: {
        NODE_ENV: 'development',
        DATABASE_URL: proxy.url(DATABASE),
        DATA_DIR: join(work, `instance-${index + 1}`),
        TWILIO_AUTH_TOKEN: AUTH_TOKEN,
        PUBLIC_URL,
        ADMIN_TOKEN,
        CLOCK_START,
        LOG_LEVEL: 'warn',
      },
      logFile: join(work, `instance-${index + 1}.log`),
    }),
  )
}
log(`two instances on ${proxy.url(DATABASE)} (logs in ${work})`)
for (const instance of instances) await warmUp(instance)

// Each webhook goes to either instance, and is timed and checked: 200 and valid TwiML, always.
const latencies: number[] = []
const failures: string[] = []
/** Per call, where each of its webhooks went and how long it took: to tell a failed call's story. */
const deliveries = new Map<string, string[]>()
const post: Post = async (path, form, headers) => {
  const instance = instances[Math.floor(Math.random() * instances.length)] as Service
  const began = performance.now()
  const sent = new Date().toISOString().slice(11, 23)
  const response = await httpPost(instance.url)(path, form, headers)
  const ms = performance.now() - began
  latencies.push(ms)
  const fields = new URLSearchParams(form)
  const callSid = fields.get('ParentCallSid') ?? fields.get('CallSid') ?? '?'
  const story = deliveries.get(callSid) ?? []
  story.push(`${sent} ${path.split('?')[0]} on ${instance.name}: ${response.status} in ${Math.round(ms)} ms`)
  deliveries.set(callSid, story)
  try {
    if (response.status !== 200) throw new Error(`status ${response.status}`)
    readTwiml(response.body)
  } catch (error) {
    failures.push(`${path} on ${instance.name}: ${(error as Error).message}: ${response.body.slice(0, 200)}`)
  }
  return response
}
const twilio = new Twilio(post, AUTH_TOKEN, PUBLIC_URL)

const played: { callSid: string; talkSeconds: number }[] = []
let journaledAtRecovery = 0
let recoveredAt = 0

/** Writes waiting in both instances' journals (from their /readyz). */
async function journaled(): Promise<number> {
  const counts = await Promise.all(
    instances.map((instance) =>
      fetch(`${instance.url}/readyz`)
        .then((r) => r.json() as Promise<{ journaled: number }>)
        .then((ready) => ready.journaled),
    ),
  )
  return counts.reduce((a, b) => a + b, 0)
}
let running = true
async function caller(index: number): Promise<void> {
  for (let n = 0; running; n++) {
    const talkSeconds = 30 + ((index * 37 + n * 11) % 600)
    const from = CALLERS_NUMBERS[(index + n) % CALLERS_NUMBERS.length] as string
    try {
      const call = await playCall(twilio, { from, to: DESK, talkSeconds })
      played.push({ callSid: call.callSid, talkSeconds })
    } catch (error) {
      failures.push(`a call from ${from}: ${(error as Error).message}`)
    }
  }
}

log(
  `${CALLERS} callers for ${SECONDS} s${OUTAGE ? `, the database cut off for ${OUTAGE} s from ${Math.round((SECONDS - OUTAGE) / 2)} s` : ''}`,
)
const began = Date.now()
const callers = Array.from({ length: CALLERS }, (_, i) => caller(i))
const outage = (async () => {
  if (!OUTAGE) return
  await sleep(((SECONDS - OUTAGE) / 2) * 1000)
  log('cutting the database off')
  await proxy.cut()
  await sleep(OUTAGE * 1000)
  journaledAtRecovery = await journaled()
  await proxy.start()
  recoveredAt = Date.now()
  log(`the database is back (${journaledAtRecovery} writes journaled)`)
})()
await sleep(SECONDS * 1000)
running = false
await Promise.all([...callers, outage])
const loadSeconds = (Date.now() - began) / 1000
const journaledAtEnd = await journaled()

// Recovery: both journals replayed (each instance's /readyz says ready, nothing journaled).
const recoveryBegan = Date.now()
for (const instance of instances) {
  for (;;) {
    const ready = await fetch(`${instance.url}/readyz`).then((r) => r.json() as Promise<{ status: string; journaled: number }>)
    if (ready.status === 'ready' && ready.journaled === 0) break
    await sleep(250)
  }
}
const recoverySeconds = (Date.now() - recoveryBegan) / 1000
const peaks = instances.map((instance) => Math.round(instance.peakRssMb()))
for (const instance of instances) await instance.stop()
await proxy.cut()

// The books: one record per call, every one answered, every talk second counted once.
const talk = played.reduce((sum, call) => sum + call.talkSeconds, 0)
const db = postgres(urlOf(DATABASE), { max: 1, onnotice: () => {} })
const [records] = await db`select count(*)::int as calls, count(*) filter (where outcome = 'answered')::int as answered,
  count(*) filter (where decision = 'pending')::int as pending from calls`
const [legs] = await db`select count(*)::int as legs, coalesce(sum(talk_seconds), 0)::int as talk from talk_legs`
const [used] = await db`select coalesce(sum(used_seconds), 0)::int as used, coalesce(sum(calls), 0)::int as calls from usage`
const failedCalls = await callsNotInTheBooks(db)
await db.end()
await direct.close()
if (!args.keep) {
  const dropper = postgres(ADMIN_URL, { max: 1, onnotice: () => {} })
  await dropper.unsafe(`drop database if exists "${DATABASE}" with (force)`)
  await dropper.end()
}

const sorted = [...latencies].sort((a, b) => a - b)
const checks = {
  'every webhook answered 200 with valid TwiML': failures.length === 0,
  'one record per call made': records?.calls === played.length,
  'every call answered': records?.answered === played.length && records?.pending === 0,
  'one counted leg per call': legs?.legs === played.length,
  'talk counted = talk made': legs?.talk === talk && used?.used === talk,
  'every call made in the books as made': failedCalls.count === 0,
}
const result = {
  at: new Date().toISOString(),
  seconds: Math.round(loadSeconds),
  callers: CALLERS,
  outageSeconds: OUTAGE,
  calls: played.length,
  webhooks: latencies.length,
  failures: failures.length,
  latencyMs: {
    p50: round(percentile(sorted, 0.5)),
    p90: round(percentile(sorted, 0.9)),
    p99: round(percentile(sorted, 0.99)),
    max: round(sorted.at(-1) ?? 0),
  },
  peakRssMb: peaks,
  recoverySeconds: round(recoverySeconds),
  journaled: { atRecovery: journaledAtRecovery, atEnd: journaledAtEnd },
  talkSeconds: talk,
  counted: { records, legs, usage: used },
  checks,
  failedCalls,
}
await mkdir(join(ROOT, 'bench/results'), { recursive: true })
await writeFile(join(ROOT, 'bench/results/load.json'), `${JSON.stringify(result, null, 2)}\n`)
const recoveries = await Promise.all(instances.map((instance) => recoveryOf(join(work, `${instance.name}.log`))))
await rm(work, { recursive: true, force: true }).catch(() => {})

console.log(`
calls made            ${played.length} (${latencies.length} webhooks, ${(played.length / loadSeconds).toFixed(1)} calls/s)
webhook failures      ${failures.length}${failures.length ? `\n  ${failures.slice(0, 5).join('\n  ')}` : ''}
latency ms            p50 ${result.latencyMs.p50}  p90 ${result.latencyMs.p90}  p99 ${result.latencyMs.p99}  max ${result.latencyMs.max}
peak RSS MB           ${peaks.join(' / ')}
journaled writes      ${journaledAtRecovery} when the database came back, ${journaledAtEnd} when the load ended
journal replayed in   ${result.recoverySeconds} s after the load
back to direct writes ${recoveries.map((ms, i) => `instance-${i + 1} ${ms === null ? '?' : `${(ms / 1000).toFixed(1)} s`}`).join(', ')} after the database came back
talk made / counted   ${talk} s / ${legs?.talk} s (usage ${used?.used} s)${failedCalls.shown.map(story).join('')}${
  failedCalls.count > failedCalls.shown.length ? `\n(and ${failedCalls.count - failedCalls.shown.length} more calls)` : ''
}
${Object.entries(checks)
  .map(([what, ok]) => `${ok ? 'ok    ' : 'FAILED'} ${what}`)
  .join('\n')}
(bench/results/load.json)`)
process.exit(Object.values(checks).every(Boolean) ? 0 : 1)

interface FailedCall {
  callSid: string
  talkSeconds: number
  why: string
  record: Record<string, unknown> | null
  events: { at: string; kind: string; writeId: string | null }[]
  webhooks: string[]
}

/**
 * The calls made whose books are not those of the call (no record, not answered, pending, not
 * counted once, the wrong talk), each with its record, the events the database logged for it and
 * where each of its webhooks went: the first few, so that the next interleaving is found fast.
 */
async function callsNotInTheBooks(db: postgres.Sql): Promise<{ count: number; shown: FailedCall[] }> {
  const rows = await db<{ callSid: string; decision: string; outcome: string | null; talkSeconds: number }[]>`
    select call_sid as "callSid", decision, outcome, talk_seconds as "talkSeconds" from calls`
  const counted = await db<{ callSid: string; legs: number; talk: number }[]>`
    select call_sid as "callSid", count(*)::int as legs, sum(talk_seconds)::int as talk from talk_legs group by call_sid`
  const recordOf = new Map(rows.map((row) => [row.callSid, row]))
  const legsOf = new Map(counted.map((row) => [row.callSid, row]))
  const failed = played.flatMap((call) => {
    const record = recordOf.get(call.callSid)
    const leg = legsOf.get(call.callSid)
    const why = !record
      ? 'no record'
      : record.decision === 'pending'
        ? 'its record is a placeholder never completed (decision pending)'
        : record.outcome !== 'answered'
          ? `outcome ${record.outcome}, not answered`
          : leg?.legs !== 1
            ? `${leg?.legs ?? 0} counted legs`
            : leg.talk !== call.talkSeconds
              ? `${leg.talk} s counted for ${call.talkSeconds} s of talk`
              : null
    return why ? [{ ...call, why }] : []
  })
  const shown = await Promise.all(
    failed.slice(0, 5).map(async (call) => {
      const [record] = await db`select * from calls where call_sid = ${call.callSid}`
      const events = await db<{ at: Date; kind: string; writeId: string | null }[]>`
        select at, kind, write_id as "writeId" from call_events where call_sid = ${call.callSid} order by id`
      return {
        ...call,
        record: record ?? null,
        events: events.map((event) => ({ ...event, at: event.at.toISOString() })),
        webhooks: deliveries.get(call.callSid) ?? [],
      }
    }),
  )
  return { count: failed.length, shown }
}

function story(call: FailedCall): string {
  return [
    `\nFAILED call ${call.callSid} (${call.talkSeconds} s of talk): ${call.why}`,
    `  record   ${JSON.stringify(call.record)}`,
    '  webhooks (sent, at the load)',
    ...call.webhooks.map((line) => `    ${line}`),
    '  events (logged, in the database; the write id keys each)',
    ...call.events.map((event) => `    ${event.at} ${event.kind} ${event.writeId}`),
  ].join('\n')
}

/** From an instance's log: ms from its last "database is away" warning to "the database is back". */
async function recoveryOf(logFile: string): Promise<number | null> {
  const lines = (await readFile(logFile, 'utf8').catch(() => '')).split('\n').flatMap((line) => {
    try {
      return [JSON.parse(line) as { time: number; msg: string }]
    } catch {
      return []
    }
  })
  // The first time after the outage (a hang noticed under load may have come and gone before it).
  const back = lines.find((line) => line.msg.startsWith('the database is back') && line.time >= recoveredAt)
  return back && recoveredAt ? back.time - recoveredAt : null
}

/**
 * Until an instance holds its configuration: it loads it on its first webhook, and a call that
 * comes before it has (the load within the 600 ms read deadline on a busy machine) is answered
 * with the apology. The whisper names the client once the configuration is in memory; it writes
 * only an event, no call record.
 */
async function warmUp(instance: Service): Promise<void> {
  const direct = new Twilio(httpPost(instance.url), AUTH_TOKEN, PUBLIC_URL)
  for (let attempt = 0; attempt < 120; attempt++) {
    const call = { callSid: newSid(), from: CALLERS_NUMBERS[0] as string, to: DESK }
    const whisper = await direct.webhook(
      '/webhooks/twilio/whisper?desk=intercom',
      payload('whisper', call, { CallSid: newSid() }),
    )
    if (whisper.body.includes('ACME')) return
    await sleep(500)
  }
  throw new Error(`${instance.name} did not load its configuration`)
}

function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
function round(n: number) {
  return Math.round(n * 10) / 10
}
