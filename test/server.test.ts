// The real server process: starts on a fresh embedded database, answers /healthz, lets an
// in-flight webhook finish on SIGTERM, and stops with one clear line on bad configuration.
import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { request } from 'node:http'
import { createServer } from 'node:net'
import t from 'tap'
import { payload, sign } from '../webhooks/index.js'
import { seedPgliteDataDir } from './helpers/databases.js'
import { npmStartNodeFlags } from './helpers/launch.js'

// Each process starts as `npm start` does (bin/start.mjs: the bundle of src/, rebuilt when a source
// is newer): one server is started on a fresh embedded database and serves every test that needs
// one running; the others stop early.

const root = new URL('..', import.meta.url).pathname

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as { port: number }
  server.close()
  return port
}

interface Started {
  child: ChildProcess
  output: () => string
  exited: Promise<number | null>
}

function start(env: Record<string, string>): Started {
  // `npm start`'s node flags (package.json), so that the test starts the service as it does
  const child = spawn(process.execPath, [...npmStartNodeFlags(), 'bin/start.mjs'], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout?.on('data', (chunk) => (output += chunk))
  child.stderr?.on('data', (chunk) => (output += chunk))
  const exited = once(child, 'exit').then(([code]) => code as number | null)
  return { child, output: () => output, exited }
}

async function waitForHealth(port: number, ms: number): Promise<number> {
  const began = Date.now()
  while (Date.now() - began < ms) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/healthz`)
      if (response.ok) return Date.now() - began
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error(`no /healthz within ${ms} ms`)
}

t.test('a fresh start on the embedded database with the demo desk answers /healthz', async (t) => {
  const port = await freePort()
  const dataDir = t.testdir()
  const server = start({ PORT: String(port), DATA_DIR: dataDir, DESK_FILE: 'db/desks/intercom.json' })
  t.teardown(() => {
    server.child.kill('SIGKILL')
  })
  // From the migrated template (npm ci makes it) a few seconds; without it initdb and the migrations,
  // which took more than 50 s at a load average of 14 (1 December): room within tap's 300 s.
  const took = await waitForHealth(port, 150_000)
  t.comment(`healthy after ${took} ms`)
  const ready = await fetch(`http://127.0.0.1:${port}/readyz`)
  t.same(
    await ready.json(),
    { status: 'ready', database: 'pglite', journaled: 0, mailbox: null },
    'ready on PGlite, nothing journaled, no mailbox read',
  )

  t.test('a second process cannot open an embedded database in use', async (t) => {
    const second = start({ PORT: String(await freePort()), DATA_DIR: dataDir })
    t.equal(await second.exited, 1)
    t.match(second.output(), /the embedded database in .+ is in use by process \d+/)
  })

  t.test('SIGTERM lets an in-flight webhook finish, then the process exits cleanly', async (t) => {
    const params = payload('incoming-call', { callSid: `CA${'1'.repeat(32)}`, from: '+213661000001', to: '+21321000000' })
    const body = new URLSearchParams(params).toString()
    const response = new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: '/webhooks/twilio/voice',
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            'content-length': Buffer.byteLength(body),
            'x-twilio-signature': sign('supportline-development-token', `http://localhost:${port}/webhooks/twilio/voice`, params),
          },
        },
        (res) => {
          let text = ''
          res.on('data', (chunk) => (text += chunk))
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text }))
        },
      )
      req.on('error', reject)
      // Half the body now, SIGTERM, then the rest: the request is in flight when the signal lands.
      req.write(body.slice(0, 100))
      setTimeout(() => {
        server.child.kill('SIGTERM')
        setTimeout(() => req.end(body.slice(100)), 300)
      }, 200)
    })
    const { status, text } = await response
    t.equal(status, 200, 'the in-flight webhook is answered')
    t.match(text, /<Response>/, 'with TwiML')
    t.equal(await server.exited, 0, 'then the process exits with 0')
  })
})

t.test('a wrong environment value stops the service with one line naming it', async (t) => {
  const server = start({ PORT: 'eighty' })
  t.equal(await server.exited, 1, 'exit code 1')
  t.equal(server.output().trim(), 'supportline: invalid configuration: PORT must be a number (got "eighty")')
})

t.test('a wrong desk file stops the service and names every wrong value', async (t) => {
  const dir = t.testdir({
    'desk.json': JSON.stringify({
      desks: [{ id: 'd', name: 'D', numbers: ['12345'], timezone: 'Africa/Algiers', schedule: { weekly: { mon: ['9h-12h'] } } }],
    }),
  })
  // A migrated embedded database (copied: making one takes seconds); the desk file is what fails.
  await seedPgliteDataDir(`${dir}/data`)
  const server = start({ PORT: String(await freePort()), DATA_DIR: `${dir}/data`, DESK_FILE: `${dir}/desk.json` })
  t.equal(await server.exited, 1, 'exit code 1')
  t.match(server.output(), /desk\.json: 2 problems:/)
  t.match(server.output(), /desks\[0\]\.numbers\[0\]: "12345" is not a valid E\.164 phone number/)
  t.match(server.output(), /desks\[0\]\.schedule\.weekly\.mon\[0\]: expected "HH:MM-HH:MM", got "9h-12h"/)
  t.notMatch(server.output(), /\n\s+at /, 'no stack trace')
})
