// Starting and stopping the measured processes (the service, bare Fastify) on loopback, and
// watching their resident memory from /proc while they are under load.
import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { createWriteStream } from 'node:fs'
import { readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const ROOT = fileURLToPath(new URL('..', import.meta.url))
/** Where the service is compiled for the runs: inside dist/ (ignored by git), apart from the deploy build. */
export const BUILD_DIR = 'dist/bench'

/**
 * Compiles the service with the project's own build script (npm run build: tsc, then the files it
 * copies beside the code), pointed at BUILD_DIR instead of dist/, so the runs measure what is
 * deployed without touching the deploy build.
 */
export async function buildService(): Promise<void> {
  const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
  const build = pkg.scripts.build
  if (!build?.includes('tsconfig.build.json'))
    throw new Error('package.json has no "build" script running tsc -p tsconfig.build.json')
  const script = build
    .replaceAll('dist/', `${BUILD_DIR}/`)
    .replace('tsconfig.build.json', `tsconfig.build.json --outDir ${BUILD_DIR}`)
  await rm(join(ROOT, BUILD_DIR), { recursive: true, force: true })
  const child = spawn('sh', ['-c', script], {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, PATH: `${join(ROOT, 'node_modules/.bin')}:${process.env.PATH ?? ''}` },
  })
  const [code] = (await once(child, 'exit')) as [number | null]
  if (code !== 0) throw new Error(`the build (${script}) exited with ${code}`)
}

export interface Service {
  name: string
  url: string
  pid: number
  /** the highest resident set size (MB) seen since the last reset, sampled every 50 ms */
  peakRssMb(): number
  resetPeak(): Promise<void>
  stop(): Promise<void>
}

export interface StartOptions {
  name: string
  /** node's arguments: the script and its flags (relative to the repository) */
  args: string[]
  port: number
  env: Record<string, string>
  logFile: string
  /** node --cpu-prof into this directory (the profile is written when the process exits) */
  profileDir?: string | undefined
}

export async function startService(options: StartOptions): Promise<Service> {
  // One profile per thread (tsx's loader runs on a thread of its own): the main thread's is the largest.
  const args = [
    ...(options.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.profileDir}/${options.name}`] : []),
    ...options.args,
  ]
  const log = createWriteStream(options.logFile)
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      ...options.env,
      PORT: String(options.port),
      HOST: '127.0.0.1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  child.stdout?.pipe(log)
  child.stderr?.pipe(log)
  const url = `http://127.0.0.1:${options.port}`
  await waitUntilReady(child, url, options)
  const pid = child.pid as number
  let peak = 0
  const sample = async () => {
    peak = Math.max(peak, await rssMb(pid))
  }
  const timer = setInterval(() => void sample().catch(() => {}), 50)
  return {
    name: options.name,
    url,
    pid,
    peakRssMb: () => peak,
    resetPeak: async () => {
      peak = 0
      await sample()
    },
    stop: async () => {
      clearInterval(timer)
      if (child.exitCode === null) {
        const exited = once(child, 'exit')
        child.kill('SIGTERM')
        await exited
      }
      log.end()
    },
  }
}

async function waitUntilReady(child: ChildProcess, url: string, options: StartOptions): Promise<void> {
  const deadline = Date.now() + 120_000
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`${options.name} exited with ${child.exitCode} while starting: see ${options.logFile}`)
    try {
      const response = await fetch(`${url}/healthz`)
      if (response.ok) return
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  child.kill('SIGKILL')
  throw new Error(`${options.name} did not become ready in 120 s: see ${options.logFile}`)
}

/** CPU time (user + system) a process has used, in ms; 0 once it is gone. */
export async function cpuMs(pid: number): Promise<number> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8')
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS
  } catch {
    return 0
  }
}
const CLOCK_TICKS = 100

/** VmRSS of a process, in MB. */
export async function rssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8')
  const kb = Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0)
  return kb / 1024
}
