// Load with autocannon over loopback: a warm-up, then a measured run whose latencies are kept to
// the microsecond (autocannon's own histogram rounds to whole milliseconds).
import { Agent, request as httpRequest } from 'node:http'
import autocannon from 'autocannon'
import { type Service, cpuMs } from './service.js'

export interface Measured {
  requests: number
  reqPerSec: number
  p50Ms: number
  p99Ms: number
  non2xx: number
  errors: number
  peakRssMb: number
  /** CPU time per request (µs): the service process, its database's backends, the load generator */
  cpu?: { serviceUs: number; databaseUs: number | null; loadUs: number }
}

/** The processes whose CPU time is counted: the service's, and the database backends serving it. */
export interface CpuProbe {
  databasePids(): Promise<number[]>
}

export type Request = autocannon.Request

export interface LoadOptions {
  connections: number
  seconds: number
  warmupSeconds: number
  /** the request sequence each connection plays in a loop */
  requests: Request[]
  headers?: Record<string, string>
}

export async function load(service: Service, options: LoadOptions, probe?: CpuProbe): Promise<Measured> {
  if (options.warmupSeconds > 0) await run(service, { ...options, seconds: options.warmupSeconds })
  await service.resetPeak()
  const before = await cpuSnapshot(service, probe)
  const measured = await run(service, options)
  const after = await cpuSnapshot(service, probe, before.pids)
  const perRequest = (ms: number) => (ms * 1000) / Math.max(1, measured.requests)
  const cpu = {
    serviceUs: perRequest(after.service - before.service),
    databaseUs: probe ? perRequest(after.database - before.database) : null,
    loadUs: perRequest(after.load - before.load),
  }
  return { ...measured, peakRssMb: service.peakRssMb(), cpu }
}

async function cpuSnapshot(service: Service, probe: CpuProbe | undefined, knownPids?: number[]) {
  const pids = knownPids ?? (probe ? await probe.databasePids() : [])
  const usage = process.cpuUsage()
  const database = (await Promise.all(pids.map(cpuMs))).reduce((a, b) => a + b, 0)
  return { pids, service: await cpuMs(service.pid), database, load: (usage.user + usage.system) / 1000 }
}

function run(service: Service, options: LoadOptions): Promise<Omit<Measured, 'peakRssMb'>> {
  const latencies: number[] = []
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: service.url,
        connections: options.connections,
        duration: options.seconds,
        requests: options.requests,
        ...(options.headers ? { headers: options.headers } : {}),
      },
      (error, result) => {
        if (error) return reject(error)
        latencies.sort((a, b) => a - b)
        resolve({
          requests: latencies.length,
          reqPerSec: latencies.length / options.seconds,
          p50Ms: percentile(latencies, 0.5),
          p99Ms: percentile(latencies, 0.99),
          non2xx: result.non2xx,
          errors: result.errors,
        })
      },
    )
    instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => {
      latencies.push(responseTime)
    })
  })
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? Number.NaN
}

/** Times single requests one after another (for what one manager asks: a month's report, an export). */
export async function timeSerially(
  service: Service,
  count: number,
  request: () => Promise<{ ok: boolean; bytes: number }>,
): Promise<Measured & { bytes: number }> {
  await service.resetPeak()
  const times: number[] = []
  let non2xx = 0
  let bytes = 0
  for (let i = 0; i < count; i++) {
    const started = performance.now()
    const response = await request()
    times.push(performance.now() - started)
    if (!response.ok) non2xx++
    bytes = response.bytes
  }
  const total = times.reduce((a, b) => a + b, 0)
  times.sort((a, b) => a - b)
  return {
    requests: count,
    reqPerSec: count / (total / 1000),
    p50Ms: percentile(times, 0.5),
    p99Ms: percentile(times, 0.99),
    non2xx,
    errors: 0,
    peakRssMb: service.peakRssMb(),
    bytes,
  }
}

/**
 * `start` called `rate` times a second for `seconds`, on time whether or not the earlier ones have
 * finished (open loop); all their results, once every one has.
 */
async function openLoop<T>(rate: number, seconds: number, start: () => Promise<T>): Promise<T[]> {
  const started: Promise<T>[] = []
  const began = performance.now()
  const total = Math.round(rate * seconds)
  while (started.length < total) {
    const due = Math.min(total, Math.floor(((performance.now() - began) / 1000) * rate) + 1)
    while (started.length < due) started.push(start())
    await new Promise((resolve) => setTimeout(resolve, 1))
  }
  return Promise.all(started)
}

/**
 * Requests at an even pace (open loop: each leaves on time whether or not earlier ones came back),
 * for the latency a caller gets below saturation. autocannon's own rate limit sends each second's
 * quota in one burst at the start of the second, which measures a burst, not a pace.
 */
export async function paced(
  service: Service,
  options: { rate: number; seconds: number; warmupSeconds: number; request: Request },
  probe?: CpuProbe,
): Promise<Measured> {
  const agent = new Agent({ keepAlive: true, maxSockets: 256 })
  const base = new URL(service.url)
  const send = () =>
    new Promise<{ ok: boolean; ms: number }>((resolve) => {
      const setup = options.request.setupRequest
      const built = typeof setup === 'function' ? setup({ ...options.request }, {}) : options.request
      const started = performance.now()
      const req = httpRequest(
        {
          agent,
          host: base.hostname,
          port: base.port,
          method: built.method ?? 'GET',
          path: built.path ?? '/',
          headers: { ...built.headers },
        },
        (res) => {
          res.resume()
          res.on('end', () => resolve({ ok: (res.statusCode ?? 500) < 300, ms: performance.now() - started }))
        },
      )
      req.on('error', () => resolve({ ok: false, ms: performance.now() - started }))
      req.end(built.body)
    })
  const run = (seconds: number) => openLoop(options.rate, seconds, send)
  if (options.warmupSeconds > 0) await run(options.warmupSeconds)
  await service.resetPeak()
  const before = await cpuSnapshot(service, probe)
  const results = await run(options.seconds)
  const after = await cpuSnapshot(service, probe, before.pids)
  agent.destroy()
  const times = results.map((r) => r.ms).sort((a, b) => a - b)
  const perRequest = (ms: number) => (ms * 1000) / Math.max(1, results.length)
  return {
    requests: results.length,
    reqPerSec: results.length / options.seconds,
    p50Ms: percentile(times, 0.5),
    p99Ms: percentile(times, 0.99),
    non2xx: results.filter((r) => !r.ok).length,
    errors: 0,
    peakRssMb: service.peakRssMb(),
    cpu: {
      serviceUs: perRequest(after.service - before.service),
      databaseUs: probe ? perRequest(after.database - before.database) : null,
      loadUs: perRequest(after.load - before.load),
    },
  }
}

/**
 * Calls started at an even pace (open loop: a new call every 1/rate s whatever the answers), each
 * following the service's answers step by step as in `flows`: what a desk's callers feel below
 * saturation. Every request is timed, and every call from its first request to its last answer.
 */
export async function pacedFlows(
  service: Service,
  options: { rate: number; seconds: number; warmupSeconds: number; call: (send: Send) => Promise<void> },
  probe?: CpuProbe,
): Promise<Measured & { callsPerSec: number; callP50Ms: number; callP99Ms: number }> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1024 })
  const timed = flowSender(service, agent)
  const play = async () => {
    const began = performance.now()
    await options.call(timed.send).catch(() => {})
    return performance.now() - began
  }
  const run = (seconds: number) => openLoop(options.rate, seconds, play)
  const { measured, result, elapsed } = await measureFlows(service, probe, agent, timed, options, run)
  const callTimes = [...result].sort((a, b) => a - b)
  return {
    ...measured,
    callsPerSec: callTimes.length / elapsed,
    callP50Ms: percentile(callTimes, 0.5),
    callP99Ms: percentile(callTimes, 0.99),
  }
}

/**
 * A flow driver's warm-up, then its measured run (`run` for `seconds`): every request timed by the
 * sender, the CPU of the service, its database and the load generator, and the peak RSS around it.
 */
async function measureFlows<T>(
  service: Service,
  probe: CpuProbe | undefined,
  agent: Agent,
  timed: ReturnType<typeof flowSender>,
  options: { seconds: number; warmupSeconds: number; measuring?: () => void },
  run: (seconds: number) => Promise<T>,
): Promise<{ measured: Measured; result: T; elapsed: number }> {
  if (options.warmupSeconds > 0) await run(options.warmupSeconds)
  options.measuring?.()
  timed.reset()
  await service.resetPeak()
  const before = await cpuSnapshot(service, probe)
  const started = performance.now()
  const result = await run(options.seconds)
  const elapsed = (performance.now() - started) / 1000
  const after = await cpuSnapshot(service, probe, before.pids)
  agent.destroy()
  const times = [...timed.times].sort((a, b) => a - b)
  const perRequest = (ms: number) => (ms * 1000) / Math.max(1, times.length)
  const measured: Measured = {
    requests: times.length,
    // the last calls finish after the measured seconds: rates over the time they took
    reqPerSec: times.length / elapsed,
    p50Ms: percentile(times, 0.5),
    p99Ms: percentile(times, 0.99),
    non2xx: timed.non2xx(),
    errors: timed.errors(),
    peakRssMb: service.peakRssMb(),
    cpu: {
      serviceUs: perRequest(after.service - before.service),
      databaseUs: probe ? perRequest(after.database - before.database) : null,
      loadUs: perRequest(after.load - before.load),
    },
  }
  return { measured, result, elapsed }
}

/** A flow's sender on an agent: every answer timed, non-2xx answers and failures counted. */
function flowSender(service: Service, agent: Agent) {
  const base = new URL(service.url)
  let times: number[] = []
  let non2xx = 0
  let errors = 0
  const send: Send = (built) =>
    new Promise((resolve, reject) => {
      const started = performance.now()
      const req = httpRequest(
        { agent, host: base.hostname, port: base.port, method: 'POST', path: built.path, headers: built.headers },
        (res) => {
          const chunks: Buffer[] = []
          res.on('data', (chunk: Buffer) => chunks.push(chunk))
          res.on('end', () => {
            times.push(performance.now() - started)
            const status = res.statusCode ?? 500
            if (status >= 300) non2xx++
            resolve({ status, body: Buffer.concat(chunks).toString('utf8') })
          })
        },
      )
      req.on('error', (error) => {
        errors++
        reject(error)
      })
      req.end(built.body)
    })
  return {
    send,
    get times(): readonly number[] {
      return times
    },
    non2xx: () => non2xx,
    errors: () => errors,
    reset: () => {
      times = []
      non2xx = 0
      errors = 0
    },
  }
}

/** A request of a flow: a POST the scenario built (path, headers, form body). */
export interface FlowRequest {
  path: string
  headers: Record<string, string>
  body: string
}

/** Sends one request of a flow and gives its answer (timed by the driver). */
export type Send = (request: FlowRequest) => Promise<{ status: number; body: string }>

/**
 * Calls that follow the service's answers, step by step, as Twilio does (what autocannon's fixed
 * request sequences cannot: the next URL comes from the TwiML, and some calls need the bench to set
 * the database up first, outside the measured service). `connections` workers each play one call
 * after another; every request is timed; CPU is counted as in `load`. `calls` counts whole calls.
 */
export async function flows(
  service: Service,
  options: {
    connections: number
    seconds: number
    warmupSeconds: number
    call: (send: Send) => Promise<void>
    /** called between the warm-up and the measured run */
    measuring?: () => void
  },
  probe?: CpuProbe,
): Promise<Measured & { callsPerSec: number }> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections })
  const timed = flowSender(service, agent)
  const send = timed.send
  const run = async (seconds: number) => {
    let calls = 0
    const until = performance.now() + seconds * 1000
    const worker = async () => {
      while (performance.now() < until) {
        await options.call(send).catch(() => {})
        calls++
      }
    }
    await Promise.all(Array.from({ length: options.connections }, worker))
    return calls
  }
  const { measured, result: calls, elapsed } = await measureFlows(service, probe, agent, timed, options, run)
  return { ...measured, callsPerSec: calls / elapsed }
}
