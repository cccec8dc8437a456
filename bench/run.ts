// npm run bench: bare Fastify, then the service on this machine's Postgres (1 M and 10 M calls) and
// on PGlite, driven by autocannon over loopback; prints one table with every figure as a ratio
// to bare Fastify. `--quick` for a short run, `--help` for the options.
import { execFile } from 'node:child_process'
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs, promisify } from 'node:util'
import postgres from 'postgres'
import {
  CALLS_PER_MONTH,
  CLOCK_START,
  DESKS,
  HISTORY_END,
  REPORT_MONTH,
  benchDeskFile,
  contractCallers,
  menuCallers,
  registeredCalls,
} from './dataset.js'
import {
  LARGE_DATABASE,
  MAIN_DATABASE,
  backendPids,
  dropDatabases,
  preparePglite,
  preparePostgres,
  serviceUrlOf,
} from './databases.js'
import { type CpuProbe, type Measured, flows, load, paced, pacedFlows, timeSerially } from './load.js'
import { benchSetup, outboxWritten } from './paths.js'
import { type Row, printTable } from './report.js'
import type { WhatIfMeasure } from './what-if.js'
import {
  type PathCounts,
  callLogPages,
  consentAtQuotaLine,
  incomingCall,
  languageMenuChoice,
  wholeCall,
  wholeCallFlow,
} from './scenarios.js'
import { imageCommand, npmStartNodeFlags } from '../test/helpers/launch.js'
import { BUILD_DIR, ROOT, type Service, buildService, startService } from './service.js'

// The heap flags the deployed image gives node (the Dockerfile's CMD, between node and the script).
const HEAP_CAP_DEFAULT = imageCommand()
  .slice(1, -1)
  .filter((flag) => flag !== '--enable-source-maps')
  .join(' ')
const HELP = `npm run bench [-- options]
  --quick            a short run: 1 month of history, no 10 M database, 3 s per measurement
  --only=LIST        some of: bare,postgres,heapcap,large,pglite,whatif (default all; heapcap needs postgres)
  --parts=LIST       some of: voice,call,paths,api (default all; paths: the outbox, quota line, consent and menu rows, Postgres only)
  --seconds=N        seconds per measurement (default 10, quick 3)
  --connections=N    connections for the webhooks (default 50)
  --call-rate=N      whole calls a second of the paced whole-call row (default 50)
  --heap-flags=LIST  node flags of the heapcap rows, ';' between settings, 'none' for no flags
                     (default ${HEAP_CAP_DEFAULT}); e.g. 'none;--max-old-space-size=128 --max-semi-space-size=16'
  --heap-rounds=N    measure the --heap-flags list N times over, alternated (default 1)
  --path-connections=N  connections for the call-path rows (default 10)
  --what-if-calls=N  calls the what-if replay row replays (default 100000, quick 20000; the target is 1000000)
  --profile          run the service (and the what-if replay) under node --cpu-prof (profiles in the work directory)
  --keep             keep ${MAIN_DATABASE} after the run (it is dropped, and recreated by the next run)
  --drop             drop the bench databases (${MAIN_DATABASE}, ${LARGE_DATABASE}) and exit`

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    parts: { type: 'string', default: 'voice,call,paths,api' },
    seconds: { type: 'string' },
    'what-if-calls': { type: 'string' },
    connections: { type: 'string', default: '50' },
    'call-rate': { type: 'string', default: '50' },
    'heap-flags': { type: 'string' },
    'heap-rounds': { type: 'string', default: '1' },
    'path-connections': { type: 'string', default: '10' },
    profile: { type: 'boolean', default: false },
    drop: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
})
if (args.help) {
  console.log(HELP)
  process.exit(0)
}
if (args.drop) {
  await dropDatabases([MAIN_DATABASE, LARGE_DATABASE])
  console.log(`dropped ${MAIN_DATABASE} and ${LARGE_DATABASE}`)
  process.exit(0)
}

/** A bad option stops the run at once with the option named, before any database is made. */
function refuse(message: string): never {
  console.error(`npm run bench: ${message} (npm run bench -- --help)`)
  process.exit(2)
}
function positive(option: string, value: string | undefined, fallback: number): number {
  const number = Number(value ?? fallback)
  if (!Number.isFinite(number) || number <= 0) refuse(`--${option} must be a positive number (got "${value}")`)
  return number
}
function listOf(option: string, value: string, known: readonly string[]): Set<string> {
  const items = value.split(',').map((item) => item.trim())
  const unknown = items.filter((item) => !known.includes(item))
  if (unknown.length > 0) refuse(`--${option} knows ${known.join(', ')}, not ${unknown.join(', ')}`)
  return new Set(items)
}

const quick = args.quick
const groups = listOf('only', args.only ?? 'bare,postgres,heapcap,large,pglite,whatif', [
  'bare',
  'postgres',
  'heapcap',
  'large',
  'pglite',
  'whatif',
])
if (quick) groups.delete('large')
const parts = listOf('parts', args.parts, ['voice', 'call', 'paths', 'api'])
const seconds = positive('seconds', args.seconds, quick ? 3 : 10)
const warmupSeconds = quick ? 1 : 3
const connections = Math.round(positive('connections', args.connections, 50))
const pathConnections = Math.round(positive('path-connections', args['path-connections'], 10))
const apiConnections = 10
const FIXED_RATE = 500
const CALL_RATE = positive('call-rate', args['call-rate'], 50)
const WHAT_IF_CALLS = Math.round(positive('what-if-calls', args['what-if-calls'], quick ? 20_000 : 100_000))
const HEAP_CAP = HEAP_CAP_DEFAULT
// '' is the service without heap flags (what the postgres group runs), for alternated comparisons.
const heapFlags = (args['heap-flags'] ?? HEAP_CAP).split(';').map((flags) => (flags.trim() === 'none' ? '' : flags.trim()))
const heapRounds = Math.round(positive('heap-rounds', args['heap-rounds'], 1))
const months = { main: quick ? 1 : 12, large: 120, pglite: quick ? 1 : 12 }

const AUTH_TOKEN = 'bench-twilio-auth-token'
const ADMIN_TOKEN = 'bench-admin-token-0123456789'
const workDir = join(tmpdir(), 'supportline-bench')
const deskFilePath = join(workDir, 'desk-file.json')
const rows: Row[] = []
const log = (line: string) => console.log(line)

await mkdir(workDir, { recursive: true })
if (groups.has('postgres') || groups.has('large') || groups.has('pglite')) {
  log(`compiling the service into ${BUILD_DIR}`)
  await buildService()
}
await writeFile(deskFilePath, JSON.stringify(benchDeskFile()))
log(
  `supportline bench${quick ? ' (quick)' : ''}: ${seconds} s per measurement after ${warmupSeconds} s of warm-up; work directory ${workDir}`,
)

// BENCH_PORT: the first of the ports the services take (one more each), apart from another run's.
let port = Number(process.env.BENCH_PORT || 3900)
function serviceEnv(database: { url: string } | { dataDir: string }): Record<string, string> {
  return {
    NODE_ENV: 'development',
    ...('url' in database ? { DATABASE_URL: database.url } : { DATA_DIR: database.dataDir }),
    TWILIO_AUTH_TOKEN: AUTH_TOKEN,
    ADMIN_TOKEN,
    DESK_FILE: deskFilePath,
    CLOCK_START,
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
    ...(process.env.BENCH_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS } : {}),
  }
}

// The service runs compiled, as deployed; bare Fastify runs through tsx (a loader that costs some
// memory at start and nothing per request).
const SERVICE = ['--enable-source-maps', `${BUILD_DIR}/src/server.js`]
// The embedded default is what `npm start` runs: with its node flags (package.json), the heap's.
const SMALL_DESK_SERVICE = [...npmStartNodeFlags(), `${BUILD_DIR}/src/server.js`]
const BARE = ['--import', 'tsx', 'bench/bare-fastify.ts']

async function withService<T>(
  name: string,
  serviceArgs: string[],
  env: Record<string, string>,
  body: (service: Service) => Promise<T>,
): Promise<T> {
  const servicePort = port++
  const service = await startService({
    name,
    args: serviceArgs,
    port: servicePort,
    env: { ...env, PUBLIC_URL: `http://127.0.0.1:${servicePort}` },
    logFile: join(workDir, `${name}.log`),
    profileDir: args.profile && serviceArgs !== BARE ? workDir : undefined,
  })
  try {
    return await body(service)
  } finally {
    await service.stop()
  }
}

/** bench/what-if.ts in a child process: its one JSON line. */
async function whatIfReplay(calls: number, nodeArgs: string[]): Promise<WhatIfMeasure> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [...nodeArgs, '--import', 'tsx', 'bench/what-if.ts', `--calls=${calls}`],
    { cwd: ROOT, maxBuffer: 1 << 20 },
  )
  return JSON.parse(stdout.trim().split('\n').pop() as string) as WhatIfMeasure
}

function record(group: string, label: string, conns: number, measured: Measured, extra: Partial<Row> = {}) {
  const row: Row = { group, label, connections: conns, ...measured, ...extra }
  rows.push(row)
  const errors = measured.non2xx + measured.errors
  const cpu = measured.cpu
    ? `, CPU µs/request: service ${measured.cpu.serviceUs.toFixed(0)}${measured.cpu.databaseUs === null ? '' : `, database ${measured.cpu.databaseUs.toFixed(0)}`}, load generator ${measured.cpu.loadUs.toFixed(0)}`
    : ''
  log(
    `  ${label} @${conns}: ${measured.reqPerSec.toFixed(0)} req/s, p50 ${measured.p50Ms.toFixed(2)} ms, p99 ${measured.p99Ms.toFixed(2)} ms, peak RSS ${measured.peakRssMb.toFixed(0)} MB${cpu}${errors ? `, ${errors} errors/non-2xx` : ''} (load average ${loadavg()[0]?.toFixed(2)})`,
  )
}

/** Which of the webhook rows a service runs (of those `--parts` asks for); all by default. */
interface WebhookRows {
  /** the incoming call at 50 connections and paced at 500 req/s */
  voice?: boolean
  /** whole calls at 50 connections */
  wholeCalls?: boolean
  /** whole calls paced at --call-rate */
  pacedCalls?: boolean
}

/**
 * The webhook runs: incoming calls at 50 connections and paced, then whole calls at 50 connections
 * and paced (the heap flags' rows skip the whole calls at 50: a latency below saturation to compare).
 */
async function webhooks(
  group: string,
  service: Service,
  probe?: CpuProbe,
  { voice = true, wholeCalls = true, pacedCalls = true }: WebhookRows = {},
) {
  const common = { connections, seconds, warmupSeconds }
  if (voice && parts.has('voice')) {
    record(
      group,
      'incoming-call webhook (signed, registered caller, in hours)',
      connections,
      await load(service, { ...common, requests: [incomingCall(AUTH_TOKEN, service.url)] }, probe),
      { baseline: 'webhook' },
    )
  }
  if (voice && parts.has('voice')) {
    // Twilio's calls arrive at their own pace: the latency a caller gets below saturation.
    record(
      group,
      `incoming-call webhook, paced at ${FIXED_RATE} req/s (open loop)`,
      0,
      await paced(service, { rate: FIXED_RATE, seconds, warmupSeconds, request: incomingCall(AUTH_TOKEN, service.url) }, probe),
      { baseline: 'webhook' },
    )
  }
  if (!parts.has('call')) return
  if (wholeCalls) {
    const whole = await load(service, { ...common, requests: wholeCall(AUTH_TOKEN, service.url) }, probe)
    record(group, 'whole call: voice + dial callback + status callback', connections, whole, {
      baseline: 'webhook',
      callsPerSec: whole.reqPerSec / 3,
    })
  }
  if (!pacedCalls) return
  // A small real desk (issue #19): calls arriving at an even pace whatever the answers, each one
  // played to its end (voice, dial, status) as Twilio follows it; latency per request and per call.
  const calls = await pacedFlows(
    service,
    { rate: CALL_RATE, seconds, warmupSeconds, call: wholeCallFlow(AUTH_TOKEN, service.url) },
    probe,
  )
  record(group, `whole call, paced at ${CALL_RATE} calls/s (open loop)`, 0, calls, {
    baseline: 'webhook',
    callsPerSec: calls.callsPerSec,
    note: `a call (3 requests) p50 ${calls.callP50Ms.toFixed(1)} ms, p99 ${calls.callP99Ms.toFixed(1)} ms`,
  })
}

const pathsNote = (paths: PathCounts) =>
  [...paths]
    .sort((a, b) => b[1] - a[1])
    .map(([path, n]) => `${path} ${n.toLocaleString('en')}`)
    .join(', ')

/**
 * What the other issues added to the call path (#12 the quota line, #14 the outbox, #17 the
 * language menu), each next to the plain incoming call: the database set up for each row by the
 * bench's own connection (not counted as the service's database CPU).
 */
async function callPaths(group: string, service: Service, url: string, probe: CpuProbe) {
  if (!parts.has('paths')) return
  const setup = benchSetup(url)
  // Fewer connections than the webhook rows: at 50 on this shared machine the slower paths (the
  // callback's transaction) pass the 600 ms read deadline and are answered as with the database
  // away, which would measure the degraded path instead. The plain incoming call comes first, at
  // the same concurrency, as these rows' reference.
  const conns = pathConnections
  const common = { connections: conns, seconds, warmupSeconds }
  try {
    record(
      group,
      'incoming-call webhook (the reference for the rows below)',
      conns,
      await load(service, { ...common, requests: [incomingCall(AUTH_TOKEN, service.url)] }, probe),
    )

    // The outbox: nobody on duty at the model desk, so every call opens a callback request and
    // writes its notification (the desk's mailbox) in the voice write's transaction.
    const modelCallers = registeredCalls().filter((caller) => caller.to === DESKS[1].number)
    let before = await setup.outbox()
    const restore = await setup.offDuty('model')
    try {
      const measured = await load(service, { ...common, requests: [incomingCall(AUTH_TOKEN, service.url, modelCallers)] }, probe)
      record(group, 'incoming call, nobody on duty: voicemail, callback opened, outbox written', conns, measured, {
        note: `outbox: ${outboxWritten(before, await setup.outbox())}`,
      })
    } finally {
      await restore()
    }

    // The quota line: callers under `ask` or `refuse` with 10 minutes left get <Dial timeLimit>.
    const limited = contractCallers(['ask', 'refuse'])
    for (const caller of limited) await setup.usageLeft(caller, 600)
    record(
      group,
      'incoming call under ask/refuse, quota left: <Dial timeLimit>',
      conns,
      await load(service, { ...common, requests: [incomingCall(AUTH_TOKEN, service.url, limited)] }, probe),
    )

    // The consent at the quota line and the re-dial (each call starts 120 s under the quota).
    const consentPaths: PathCounts = new Map()
    before = await setup.outbox()
    const consent = await flows(
      service,
      {
        ...common,
        call: consentAtQuotaLine(
          AUTH_TOKEN,
          service.url,
          contractCallers(['ask']),
          (caller) => setup.usageLeft(caller, 120),
          consentPaths,
        ),
        measuring: () => consentPaths.clear(),
      },
      probe,
    )
    record(group, 'quota line (ask): limit cuts, caller says yes, agent re-dialled (6 requests)', conns, consent, {
      callsPerSec: consent.callsPerSec,
      note: `${pathsNote(consentPaths)}; outbox (warm-up included): ${outboxWritten(before, await setup.outbox())}`,
    })

    // The language menu: every call hears it (the number's choice forgotten first) and presses 2.
    const menuPaths: PathCounts = new Map()
    const menu = await flows(
      service,
      {
        ...common,
        call: languageMenuChoice(AUTH_TOKEN, service.url, menuCallers(), (caller) => setup.forgetLanguage(caller), menuPaths),
        measuring: () => menuPaths.clear(),
      },
      probe,
    )
    record(group, 'language menu (3 languages): the menu, then 2 chosen and routed (2 requests)', conns, menu, {
      callsPerSec: menu.callsPerSec,
      note: pathsNote(menuPaths),
    })
  } finally {
    await setup.end()
  }
}

/** The manager's reads: call-log pages under load, a month's usage and a month's CSV one at a time. */
async function managerApi(group: string, service: Service, history: number, probe?: CpuProbe) {
  if (!parts.has('api')) return
  const headers = { authorization: `Bearer ${ADMIN_TOKEN}` }
  for (const page of callLogPages(history)) {
    record(
      group,
      page.label,
      apiConnections,
      await load(service, { connections: apiConnections, seconds, warmupSeconds, requests: [page.request], headers }, probe),
      { baseline: 'api' },
    )
  }
  // What one manager waits for, paging alone (the target), next to the pages under load above.
  for (const page of callLogPages(history)) {
    record(
      group,
      `${page.label}, one at a time`,
      1,
      await timeSerially(service, quick ? 30 : 200, async () => {
        const setup = page.request.setupRequest
        const built = typeof setup === 'function' ? setup({ ...page.request }, {}) : page.request
        const response = await fetch(service.url + built.path, { headers })
        return { ok: response.ok, bytes: (await response.text()).length }
      }),
      { baseline: 'serial' },
    )
  }
  const get = async (path: string, accept = 'application/json') => {
    const response = await fetch(service.url + path, { headers: { ...headers, accept } })
    const body = await response.text()
    return { ok: response.ok, bytes: body.length, body }
  }
  const usage = await get(`/api/usage?month=${REPORT_MONTH}`)
  const items = (JSON.parse(usage.body) as { items: unknown[] }).items.length
  await timeSerially(service, 3, () => get(`/api/usage?month=${REPORT_MONTH}`))
  record(
    group,
    `GET /api/usage?month= (${items} contracts)`,
    1,
    await timeSerially(service, quick ? 10 : 30, () => get(`/api/usage?month=${REPORT_MONTH}`)),
    { baseline: 'serial' },
  )
  const [from, to] = [`${REPORT_MONTH}-01`, `${REPORT_MONTH}-31`]
  const csv = await timeSerially(service, quick ? 1 : 3, () => get(`/api/calls?from=${from}&to=${to}`, 'text/csv'))
  const csvRows = (await get(`/api/calls?from=${from}&to=${to}`, 'text/csv')).body.split('\n').filter(Boolean).length - 1
  record(
    group,
    `CSV export of ${REPORT_MONTH} (${csvRows.toLocaleString('en')} calls, ${(csv.bytes / 1e6).toFixed(1)} MB)`,
    1,
    csv,
    {
      baseline: 'serial',
      note: `${Math.round(csvRows / (csv.p50Ms / 1000)).toLocaleString('en')} rows/s`,
    },
  )
  // The month replayed under the file in force, through the database: one read-only snapshot,
  // calls streamed in batches. The generated history is not decided by the rules (its outcomes
  // are a fixed mix at any hour), so many calls "change" and the answer is large.
  const deskFile = JSON.parse(await readFile(deskFilePath, 'utf8'))
  // the history's last month (quick runs have no other), up to the eve of CLOCK_START
  const lastMonth = { from: '2026-11-01', to: '2026-11-29' }
  let answer = { calls: 0, changed: 0, bytes: 0 }
  const whatIf = await timeSerially(service, 1, async () => {
    const response = await fetch(`${service.url}/api/what-if`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ deskFile, ...lastMonth }),
    })
    const body = await response.text()
    const parsed = response.ok ? (JSON.parse(body) as { calls: number; changed: unknown[] }) : { calls: 0, changed: [] }
    answer = { calls: parsed.calls, changed: parsed.changed.length, bytes: body.length }
    return { ok: response.ok, bytes: body.length }
  })
  record(group, `POST /api/what-if, ${lastMonth.from} to ${lastMonth.to} under the file in force`, 1, whatIf, {
    baseline: 'serial',
    note: `${answer.calls.toLocaleString('en')} calls (${Math.round(answer.calls / (whatIf.p50Ms / 1000)).toLocaleString('en')} calls/s), ${answer.changed.toLocaleString('en')} changed, ${(answer.bytes / 1e6).toFixed(1)} MB answer`,
  })
}

/** How many incoming calls the webhook runs recorded, by decision (each must have its record). */
async function recordedCalls(url: string): Promise<string> {
  const sql = postgres(url, { max: 1, onnotice: () => {} })
  try {
    const counts = await sql<{ decision: string; n: string }[]>`
      select decision, count(*) as n from calls where started_at > ${HISTORY_END} group by decision order by 2 desc`
    const events = await sql<{ n: string }[]>`select count(*) as n from call_events where at > ${HISTORY_END} and kind = 'voice'`
    // The whole-call runs count talk like production does: one leg per answered call.
    const legs = await sql<{ n: string }[]>`select count(*) as n from talk_legs where counted_at > ${HISTORY_END}`
    return `${counts.map((c) => `${c.decision} ${c.n}`).join(', ')}; voice events ${events[0]?.n}; talk legs counted ${legs[0]?.n}`
  } finally {
    await sql.end()
  }
}

if (groups.has('bare')) {
  log('\n== bare Fastify (constant TwiML)')
  await withService('bare-fastify', BARE, {}, async (service) => {
    record(
      'bare Fastify',
      'POST constant TwiML (same signed form body)',
      connections,
      await load(service, { connections, seconds, warmupSeconds, requests: [incomingCall(AUTH_TOKEN, service.url)] }),
      { baseline: 'self-webhook' },
    )
    record(
      'bare Fastify',
      'GET constant TwiML',
      apiConnections,
      await load(service, {
        connections: apiConnections,
        seconds,
        warmupSeconds,
        requests: [{ method: 'GET', path: '/api/calls' }],
      }),
      { baseline: 'self-api' },
    )
    record(
      'bare Fastify',
      'GET constant TwiML, one at a time',
      1,
      await timeSerially(service, 200, async () => {
        const response = await fetch(`${service.url}/api/calls`)
        return { ok: response.ok, bytes: (await response.text()).length }
      }),
      { baseline: 'self-serial' },
    )
  })
}

if (groups.has('postgres')) {
  const calls = months.main * CALLS_PER_MONTH
  const group = `Postgres, ${(calls / 1e6).toFixed(calls < 1e6 ? 2 : 0)} M calls`
  log(`\n== ${group}: preparing ${MAIN_DATABASE}`)
  const url = await preparePostgres(MAIN_DATABASE, months.main, { reuse: false, log })
  await withService('service-postgres', SERVICE, serviceEnv({ url }), async (service) => {
    const probe = { databasePids: () => backendPids(MAIN_DATABASE) }
    await webhooks(group, service, probe)
    await callPaths(group, service, url, probe)
    await managerApi(group, service, months.main, probe)
  })
  log(`  recorded by the webhook runs: ${await recordedCalls(url)}`)
}

if (groups.has('heapcap') && groups.has('postgres')) {
  // The same service with V8's heap limited: RSS under load is mostly heap V8 has not collected
  // yet, not live data (see docs/BENCHMARKS.md). Each setting of --heap-flags in turn, the whole
  // list --heap-rounds times, so that settings measured minutes apart alternate.
  const url = serviceUrlOf(MAIN_DATABASE)
  for (let round = 0; round < heapRounds; round++) {
    for (const flags of heapFlags) {
      const group = flags ? `Postgres, ${flags}` : 'Postgres, no heap flags'
      log(`\n== ${group}${heapRounds > 1 ? ` (round ${round + 1} of ${heapRounds})` : ''}`)
      // On node's command line, as the Dockerfile gives them (node takes only some in NODE_OPTIONS).
      const args = [...flags.split(' ').filter(Boolean), ...SERVICE]
      await withService('service-postgres-heap-cap', args, serviceEnv({ url }), (service) =>
        webhooks(group, service, { databasePids: () => backendPids(MAIN_DATABASE) }, { wholeCalls: false }),
      )
    }
  }
}

if (groups.has('postgres') && !args.keep) {
  // Recreated by every run: no need to keep its gigabyte.
  await dropDatabases([MAIN_DATABASE])
}

if (groups.has('large')) {
  const group = `Postgres, ${((months.large * CALLS_PER_MONTH) / 1e6).toFixed(0)} M calls`
  log(`\n== ${group}: preparing ${LARGE_DATABASE} (kept between runs)`)
  const url = await preparePostgres(LARGE_DATABASE, months.large, { reuse: true, log })
  await withService('service-postgres-10m', SERVICE, serviceEnv({ url }), (service) =>
    managerApi(group, service, months.large, { databasePids: () => backendPids(LARGE_DATABASE) }),
  )
}

if (groups.has('pglite')) {
  const calls = months.pglite * CALLS_PER_MONTH
  const group = `PGlite, ${(calls / 1e6).toFixed(calls < 1e6 ? 2 : 0)} M calls`
  const dataDir = join(workDir, 'pglite')
  log(`\n== ${group}: preparing ${dataDir}`)
  await preparePglite(dataDir, months.pglite, log)
  // The small desk the embedded default is for (issue #19) in a service of its own, started for
  // it: its RSS is what paced calls hold, not what the saturating rows after it leave behind.
  if (parts.has('call')) {
    await withService('service-pglite-paced', SMALL_DESK_SERVICE, serviceEnv({ dataDir }), (service) =>
      webhooks(group, service, undefined, { voice: false, wholeCalls: false }),
    )
  }
  await withService('service-pglite', SMALL_DESK_SERVICE, serviceEnv({ dataDir }), async (service) => {
    await webhooks(group, service, undefined, { pacedCalls: false })
    await managerApi(group, service, months.pglite)
  })
  await rm(dataDir, { recursive: true, force: true })
}

if (groups.has('whatif')) {
  // The replay alone, in a process of its own (its RSS is its own): no database, no HTTP.
  const calls = WHAT_IF_CALLS
  const group = 'what-if replay (pure)'
  log(`\n== ${group}: ${calls.toLocaleString('en')} synthetic calls over 12 months`)
  const profile = args.profile ? ['--cpu-prof', `--cpu-prof-dir=${join(workDir, 'what-if')}`] : []
  const measured = await whatIfReplay(calls, profile)
  const note =
    `${measured.seconds.toFixed(1)} s wall, ${measured.cpuSeconds.toFixed(1)} s CPU (${measured.cpuUsPerCall.toFixed(1)} µs a call), ` +
    `peak heap ${measured.peakHeapMb.toFixed(0)} MB, ${measured.changed.toLocaleString('en')} changed`
  rows.push({
    group,
    label: `replay of ${measured.calls.toLocaleString('en')} calls in batches of 5,000`,
    connections: 1,
    requests: measured.calls,
    reqPerSec: measured.calls / measured.seconds,
    p50Ms: Number.NaN,
    p99Ms: Number.NaN,
    non2xx: 0,
    errors: 0,
    peakRssMb: measured.peakRssMb,
    note,
  })
  log(`  ${(measured.calls / measured.seconds).toFixed(0)} calls/s; ${note} (load average ${loadavg()[0]?.toFixed(2)})`)
}

printTable(rows)
const resultsFile = join(ROOT, 'bench', 'results', `${quick ? 'quick' : 'full'}.json`)
await mkdir(join(ROOT, 'bench', 'results'), { recursive: true })
await writeFile(resultsFile, JSON.stringify({ at: new Date().toISOString(), quick, seconds, connections, rows }, null, 2))
log(
  `\nresults: ${resultsFile}${args.profile ? `; CPU profiles: ${workDir}/<service>/*.cpuprofile (npx tsx bench/profile-top.ts FILE)` : ''}`,
)
