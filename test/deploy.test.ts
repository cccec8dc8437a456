// fly.toml and the Dockerfile, checked on paper and by running what they run: the compiled
// release command and server, exactly as the image starts them (there is no Docker engine here).
import { execFile, spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { once } from 'node:events'
import { createServer } from 'node:net'
import { promisify } from 'node:util'
import { parse } from 'smol-toml'
import t from 'tap'
import { loadConfig } from '../src/config.js'
import { seedPgliteDataDir } from './helpers/databases.js'
import { imageCommand } from './helpers/launch.js'

const run = promisify(execFile)
const root = new URL('..', import.meta.url).pathname
const fly = parse(readFileSync(`${root}fly.toml`, 'utf8')) as {
  kill_signal: string
  kill_timeout: number
  deploy: { release_command: string }
  env: Record<string, string>
  http_service: { internal_port: number; auto_stop_machines: string; min_machines_running: number; checks: { path: string }[] }
  checks: Record<string, { path: string; port: number }>
}
const dockerfile = readFileSync(`${root}Dockerfile`, 'utf8')

/** A port free a moment ago, for the server's PORT (it must be known before the process starts). */
async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}

t.test('fly.toml is consistent with the app', async (t) => {
  t.equal(String(fly.http_service.internal_port), fly.env.PORT, 'the internal port is the PORT the app listens on')
  t.equal(fly.env.NODE_ENV, 'production')
  t.match(fly.env.PUBLIC_URL, /^https:\/\//, 'PUBLIC_URL is the public https URL')
  t.equal(fly.kill_signal, 'SIGTERM', 'machines are stopped with SIGTERM, which the app handles')
  t.ok(fly.kill_timeout > 10, 'longer than the 10 s the app gives in-flight requests')
  t.same(
    fly.http_service.checks.map((c) => c.path),
    ['/healthz'],
    'routing follows liveness',
  )
  t.equal(fly.checks.ready?.path, '/readyz', 'readiness is a separate check')
  t.equal(fly.http_service.auto_stop_machines, 'off', 'no machine is stopped while idle')
  t.ok(fly.http_service.min_machines_running >= 2, 'two machines at least')
  t.notOk('DATABASE_URL' in fly.env || 'TWILIO_AUTH_TOKEN' in fly.env, 'secrets are not in the file')
  t.notOk(fly.env.NODE_OPTIONS, "no NODE_OPTIONS: the heap's flags are the Dockerfile's")
  const config = loadConfig({ ...fly.env, TWILIO_AUTH_TOKEN: 'x'.repeat(32), ADMIN_TOKEN: 'y'.repeat(32) })
  t.same(config.trustProxy, { header: 'fly-client-ip' }, "the client's address is the one Fly's proxy saw")
})

t.test('the Dockerfile builds what fly.toml runs', async (t) => {
  t.match(dockerfile, /^FROM node:20/m, 'Node 20')
  t.match(dockerfile, /RUN npm run build/, 'compiles the service')
  t.match(
    dockerfile,
    /CMD \["node", "--enable-source-maps", "--max-old-space-size=\d+", "--heap-growing-percent=\d+", "dist\/src\/server\.js"\]/,
    'the heap capped for a small machine, with a growing factor that keeps its tail (peak RSS target)',
  )
  t.match(fly.deploy.release_command, /^node dist\/src\/cli\/main\.js migrate$/)
})

t.test('the compiled release command and server run', async (t) => {
  // tap hooks every child process through NODE_OPTIONS; the compiler must run without its loaders.
  await run('sh', ['-c', 'unset NODE_OPTIONS; npm run build'], { cwd: root })
  const dataDir = t.testdir()
  // A migrated embedded database (copied: making one takes seconds); the release command checks it.
  await seedPgliteDataDir(dataDir)
  const env = {
    PATH: process.env.PATH ?? '',
    DATA_DIR: dataDir,
    NODE_ENV: 'production',
    TWILIO_AUTH_TOKEN: 'x'.repeat(32),
    PUBLIC_URL: 'https://supportline.fly.dev',
  }
  const release = await run('node', fly.deploy.release_command.split(' ').slice(1), { cwd: root, env })
  t.match(release.stdout, /migrations applied/, 'the release command applies the migrations')

  const port = await freePort()
  // The image's own command, its heap flags included (node refuses an unknown one).
  const server = spawn('node', imageCommand().slice(1), {
    cwd: root,
    env: { ...env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
  })
  t.teardown(() => {
    server.kill('SIGKILL')
  })
  // Waited for by the clock, not a count of tries: a busy machine starts it slower.
  let healthy = false
  for (const began = Date.now(); !healthy && Date.now() - began < 30_000; ) {
    healthy = await fetch(`http://127.0.0.1:${port}/healthz`).then(
      (r) => r.ok,
      () => false,
    )
    if (!healthy) await new Promise((resolve) => setTimeout(resolve, 100))
  }
  t.ok(healthy, 'the compiled server answers /healthz')
  const signIn = await fetch(`http://127.0.0.1:${port}/dashboard/sign-in`)
  t.equal(signIn.status, 200, 'and serves the dashboard')
  const css = await fetch(
    new URL(/href="([^"]+\.css[^"]*)"/.exec(await signIn.text())?.[1] ?? '/missing', `http://127.0.0.1:${port}`),
  )
  t.equal(css.status, 200, 'with its stylesheet, copied next to the compiled code')
  server.kill('SIGTERM')
  const [code] = await once(server, 'exit')
  t.equal(code, 0, 'and stops cleanly on SIGTERM')
})
