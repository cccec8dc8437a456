// npm run cli and npm run call: --help prints the usage; a wrong command line is one line and the usage, never a stack trace.
// The commands run in process (main(argv, io)); the last test runs each as the process npm starts.
import { execFile } from 'node:child_process'
import { once } from 'node:events'
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import t from 'tap'
import { main as call } from '../../src/cli/call.js'
import { main as cli } from '../../src/cli/main.js'
import { type Ran, runInProcess } from '../helpers/cli.js'

const root = new URL('../..', import.meta.url).pathname
const run = promisify(execFile)
// None of these reaches a database; should one, it is a scratch one, not ./data.
const dataDir = await mkdtemp(join(tmpdir(), 'supportline-usage-'))
t.teardown(() => rm(dataDir, { recursive: true, force: true }))

const mains: Record<string, typeof cli> = { 'src/cli/main.ts': cli, 'src/cli/call.ts': call }

function runScript(script: string, args: string[], extraEnv: Record<string, string> = {}): Promise<Ran> {
  const main = mains[script]
  if (!main) throw new Error(`no main for ${script}`)
  return runInProcess(main, args, { NODE_ENV: 'test', DATA_DIR: dataDir, ...extraEnv })
}

/** The script as npm starts it: a process of its own, its exit code and streams the process's. */
async function runProcess(script: string, args: string[]): Promise<Ran> {
  const env = { PATH: process.env.PATH ?? '', NODE_ENV: 'test', DATA_DIR: dataDir }
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', script, ...args], { cwd: root, env })
    return { code: 0, stdout, stderr }
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string }
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr }
  }
}

/** A port nothing listens on (it was free a moment ago). */
async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}

const usage: Record<string, RegExp> = {
  'src/cli/main.ts': /^usage: npm run cli -- <command>/,
  'src/cli/call.ts': /^usage: npm run call -- --from <number>/,
}

const helps = [
  { name: 'npm run cli', script: 'src/cli/main.ts', asks: [['--help'], ['-h'], ['help'], ['token', 'create', '--help']] },
  { name: 'npm run call', script: 'src/cli/call.ts', asks: [['--help'], ['-h']] },
]

for (const { name, script, asks } of helps) {
  for (const args of asks) {
    t.test(`${name} -- ${args.join(' ')}`, async (t) => {
      const ran = await runScript(script, args)
      t.equal(ran.code, 0, 'exits 0')
      t.match(ran.stdout, usage[script], 'prints the usage on stdout')
      t.equal(ran.stderr, '', 'and nothing on stderr')
    })
  }
}

const wrong: { name: string; script: string; args: string[]; line: string }[] = [
  { name: 'npm run cli', script: 'src/cli/main.ts', args: ['--bogus'], line: "unknown option '--bogus'" },
  {
    name: 'npm run cli',
    script: 'src/cli/main.ts',
    args: ['token', 'create', '--name'],
    line: "option '--name <value>' argument missing",
  },
  { name: 'npm run cli', script: 'src/cli/main.ts', args: ['migrate', '--role', 'admin'], line: 'migrate takes no options' },
  { name: 'npm run cli', script: 'src/cli/main.ts', args: [], line: 'no command given' },
  { name: 'npm run call', script: 'src/cli/call.ts', args: ['--bogus'], line: "unknown option '--bogus'" },
  { name: 'npm run call', script: 'src/cli/call.ts', args: ['--from'], line: "option '--from <value>' argument missing" },
  { name: 'npm run call', script: 'src/cli/call.ts', args: ['--from', '+213661000001', 'x'], line: "unexpected argument 'x'" },
  { name: 'npm run call', script: 'src/cli/call.ts', args: [], line: '--from is required: the number that calls' },
  {
    name: 'npm run call',
    script: 'src/cli/call.ts',
    args: ['--callback', 'x'],
    line: '--callback takes a request\'s id (got "x")',
  },
  {
    name: 'npm run call',
    script: 'src/cli/call.ts',
    args: ['--from', '+213661000001', '--talk', 'ten'],
    line: '--talk takes a whole number of seconds (got "ten")',
  },
  {
    name: 'npm run call',
    script: 'src/cli/call.ts',
    args: ['--from', '+213661000001', '--url', 'localhost:3000'],
    line: '--url takes an http:// or https:// URL (got "localhost:3000")',
  },
]

for (const { name, script, args, line } of wrong) {
  t.test(`${name} -- ${args.join(' ')}`, async (t) => {
    const ran = await runScript(script, args)
    t.equal(ran.code, 2, 'is a usage error (exit 2)')
    const [first, blank, ...rest] = ran.stderr.split('\n')
    t.equal(first, line, 'says what is wrong in one line')
    t.equal(blank, '', 'then a blank line')
    t.match(rest.join('\n'), usage[script], 'then the usage')
    t.notMatch(ran.stderr, /\n\s+at /, 'no stack trace')
    t.equal(ran.stdout, '', 'nothing on stdout')
  })
}

t.test('npm run call names the URL it tried when nothing listens there', async (t) => {
  const port = await freePort()
  const byUrl = await runScript('src/cli/call.ts', ['--from', '+213661000001', '--url', `http://127.0.0.1:${port}`])
  t.equal(byUrl.code, 1, 'exits 1')
  t.match(byUrl.stderr, `nothing answers at http://127.0.0.1:${port}: start supportline with npm start`, 'names --url')
  t.match(byUrl.stderr, /PORT=<port> npm run call -- …, or --url <url>/, 'and says how to point it elsewhere')
  t.notMatch(byUrl.stderr, /\n\s+at /, 'no stack trace')

  const byPort = await runScript('src/cli/call.ts', ['--from', '+213661000001'], { PORT: String(port) })
  t.equal(byPort.code, 1, 'exits 1')
  t.match(byPort.stderr, `nothing answers at http://localhost:${port}:`, 'names http://localhost:$PORT without --url')
})

t.test(
  'as processes, a wrong command line exits 2 with its line on stderr, --help exits 0 with the usage on stdout',
  async (t) => {
    // The two scripts at once: each process compiles TypeScript as it starts.
    const [cliWrong, callHelp] = await Promise.all([
      runProcess('src/cli/main.ts', ['--bogus']),
      runProcess('src/cli/call.ts', ['--help']),
    ])
    t.equal(cliWrong.code, 2, 'npm run cli -- --bogus exits 2')
    t.match(
      cliWrong.stderr,
      /^unknown option '--bogus'\n\nusage: npm run cli -- <command>/,
      'its line, then the usage, on stderr',
    )
    t.equal(cliWrong.stdout, '', 'nothing on stdout')
    t.equal(callHelp.code, 0, 'npm run call -- --help exits 0')
    t.match(callHelp.stdout, usage['src/cli/call.ts'], 'the usage on stdout')
    t.equal(callHelp.stderr, '', 'nothing on stderr')
  },
)
