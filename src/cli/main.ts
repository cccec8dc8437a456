// The command line: npm run cli -- <command>. Same configuration (env) as the server.
import { inspect, parseArgs } from 'node:util'
import { type DatabaseHandle, openDatabase } from '../../db/client.js'
import { InUseError } from '../pid-lock.js'
import { ConfigError, loadConfig } from '../config.js'
import { ROLES, type Role } from '../domain/access.js'
import { dateSchema } from '../domain/boundary.js'
import type { ReplayProgress } from '../domain/what-if-progress.js'
import { periodProblem } from '../domain/what-if.js'
import { DeskFileError, applyDeskFileFrom, readDeskFile } from '../load-desk-file.js'
import { replayRecordedCalls } from '../store/what-if.js'
import { type TokenInfo, issueToken, listTokens, revokeToken } from '../store/tokens.js'
import { type CliIo, isProgram, processIo } from './io.js'
import { whatIfLines, whatIfProgressLine } from './what-if.js'

const USAGE = `usage: npm run cli -- <command>

  migrate                 apply the database migrations (also done at every start)
  apply <desk-file.json>  validate a desk file and apply it, in one transaction
  token create --role admin|manager|client|agent [--client <id>] [--agent <id>] --name <label>
                          create an API token; its secret is printed once, here only
  token list              every token (never their secrets)
  token revoke <id>       revoke a token: it stops working at once
  what-if <desk-file.json> --from YYYY-MM-DD --to YYYY-MM-DD [--json] [--progress]
                          replay the period's recorded calls under a proposed desk file:
                          what would change (nothing is written); --json: as POST /api/what-if;
                          --progress: a line a month on stderr (the default when stderr is a terminal)
  help, --help, -h        this text

The database is DATABASE_URL, or the embedded one under DATA_DIR (default ./data).`

const OPTIONS = {
  role: { type: 'string' },
  client: { type: 'string' },
  agent: { type: 'string' },
  name: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  json: { type: 'boolean' },
  progress: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const
type Options = {
  role?: string | undefined
  client?: string | undefined
  agent?: string | undefined
  name?: string | undefined
  from?: string | undefined
  to?: string | undefined
  json?: boolean | undefined
  progress?: boolean | undefined
}

class UsageError extends Error {}
/** A command that could not do what was asked: one line, exit 1. */
class CommandError extends Error {}

async function withDatabase<T>(io: CliIo, work: (database: DatabaseHandle) => Promise<T>): Promise<T> {
  const config = loadConfig(io.env)
  const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir, max: 1 })
  try {
    await database.migrate()
    return await work(database)
  } finally {
    await database.close()
  }
}

/** parseArgs, with its refusals (an unknown option, a missing value) as usage errors. */
function parse(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true })
  } catch (error) {
    const { code, message } = error as { code?: unknown; message?: unknown }
    if (typeof code !== 'string' || !code.startsWith('ERR_PARSE_ARGS_') || typeof message !== 'string') throw error
    // Its first sentence only: the rest is advice about "--" that does not apply behind npm run.
    const first = message.split(/\.\s/)[0] ?? message
    throw new UsageError(first.charAt(0).toLowerCase() + first.slice(1))
  }
}

/** Runs one command line; resolves to its exit code (1: the command could not be done, 2: a wrong command line). */
export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  try {
    await run(argv, io)
    return 0
  } catch (error) {
    if (error instanceof UsageError) io.err(`${error.message}\n\n${USAGE}`)
    else if (
      error instanceof ConfigError ||
      error instanceof DeskFileError ||
      error instanceof InUseError ||
      error instanceof CommandError
    )
      io.err(`supportline: ${error.message}`)
    else io.err(inspect(error))
    return error instanceof UsageError ? 2 : 1
  }
}

async function run(argv: string[], io: CliIo): Promise<void> {
  const { positionals, values } = parse(argv)
  const { help, ...options } = values
  const [command, ...rest] = positionals
  if (help || command === 'help') {
    io.out(USAGE)
    return
  }
  if (command !== 'token' && command !== 'what-if' && Object.keys(options).length > 0)
    throw new UsageError(`${command ?? 'this command'} takes no options`)
  switch (command) {
    case 'migrate':
      await withDatabase(io, async () => {})
      io.out('migrations applied')
      return
    case 'apply': {
      const [file] = rest
      if (!file || rest.length > 1) throw new UsageError('apply takes exactly one desk file')
      const outcome = await withDatabase(io, ({ db }) =>
        applyDeskFileFrom(db, file, {
          actor: 'cli',
          now: new Date(),
          production: io.env.NODE_ENV === 'production',
          log: {
            warn: (fields, message) => io.err(`supportline: warning: ${message} (${String((fields as { err?: unknown }).err)})`),
          },
        }),
      )
      if (outcome.skipped) return
      io.out(outcome.changes.length === 0 ? `${file}: already applied, nothing changed` : outcome.changes.join('\n'))
      io.out(`${file}: ${outcome.created} created, ${outcome.updated} updated, ${outcome.deactivated} deactivated`)
      return
    }
    case 'token':
      if (options.from !== undefined || options.to !== undefined || options.json !== undefined || options.progress !== undefined)
        throw new UsageError('--from, --to, --json and --progress belong to what-if')
      return token(rest, options, io)
    case 'what-if':
      return whatIf(rest, options, io)
    default:
      throw new UsageError(command ? `unknown command "${command}"` : 'no command given')
  }
}

/** token create | list | revoke: the same rules as POST /api/tokens, on the database directly. */
async function token([action, ...rest]: string[], options: Options, io: CliIo): Promise<void> {
  const now = new Date()
  switch (action) {
    case 'create': {
      const { role, client, agent, name } = options
      if (rest.length > 0) throw new UsageError('token create takes options only')
      if (!role || !ROLES.includes(role as Role)) throw new UsageError(`--role must be one of ${ROLES.join(', ')}`)
      if (!name?.trim()) throw new UsageError('--name is required: who or what uses the token')
      const issued = await withDatabase(io, ({ db }) =>
        db.transaction((tx) =>
          issueToken(tx, { name: name.trim(), role: role as Role, clientId: client, agentId: agent, actor: 'cli', now }),
        ),
      )
      if (!issued.ok) throw new CommandError(`--${issued.field === 'agentId' ? 'agent' : 'client'}: ${issued.message}`)
      io.out(`token ${issued.info.id} (${describe(issued.info)}) created; its secret, shown only now:`)
      io.out(issued.token)
      return
    }
    case 'list': {
      if (rest.length > 0 || Object.keys(options).length > 0) throw new UsageError('token list takes no arguments')
      const tokens = await withDatabase(io, ({ db }) => listTokens(db))
      if (tokens.length === 0) io.out('no tokens')
      for (const info of tokens)
        io.out(`${info.id}\t${describe(info)}\t${info.revokedAt ? `revoked ${info.revokedAt.toISOString()}` : 'live'}`)
      return
    }
    case 'revoke': {
      const [id] = rest
      if (!id || rest.length > 1 || !/^\d{1,10}$/.test(id) || Number(id) > 2_147_483_647 || Object.keys(options).length > 0)
        throw new UsageError('token revoke takes one token id')
      const revoked = await withDatabase(io, ({ db }) => db.transaction((tx) => revokeToken(tx, Number(id), 'cli', now)))
      if (!revoked) throw new CommandError(`no live token ${id}`)
      io.out(`token ${id} revoked`)
      return
    }
    default:
      throw new UsageError(action ? `unknown token command "${action}"` : 'token needs create, list or revoke')
  }
}

/** what-if: the same validation, replay and answer as POST /api/what-if, on the database directly. */
async function whatIf(rest: string[], options: Options, io: CliIo): Promise<void> {
  const { from, to, json, progress, role, client, name } = options
  const [path] = rest
  if (!path || rest.length > 1) throw new UsageError('what-if takes exactly one desk file')
  if (role !== undefined || client !== undefined || name !== undefined)
    throw new UsageError('what-if takes --from, --to, --json and --progress only')
  if (from === undefined || to === undefined) throw new UsageError('what-if needs --from and --to (YYYY-MM-DD)')
  for (const [field, value] of [
    ['from', from],
    ['to', to],
  ] as const) {
    const checked = dateSchema.safeParse(value)
    if (!checked.success) throw new CommandError(`--${field}: ${checked.error.issues[0]?.message ?? 'not a date'}`)
  }
  const problem = periodProblem({ from, to }, new Date())
  if (problem) throw new CommandError(`--${problem.field}: ${problem.message}`)
  // As POST /api/what-if: the desk file's schema, not the production checks of applying it.
  const file = await readDeskFile(path)
  // Progress goes to stderr, so that stdout (the --json answer) stays the answer alone.
  const onProgress = progress || io.errIsTty ? progressLine(io) : undefined
  const result = await withDatabase(io, ({ db }) => replayRecordedCalls(db, file, { from, to }, { onProgress }))
  if (json) io.out(JSON.stringify(result, null, 2))
  else io.out(whatIfLines(result).join('\n'))
}

/** "2026-03: 81,234 calls replayed (243,702 so far, 12.4 s)": a month's line on stderr. */
function progressLine(io: CliIo): (progress: ReplayProgress) => void {
  const started = performance.now()
  return (progress) => io.err(whatIfProgressLine(progress, performance.now() - started))
}

function describe(info: TokenInfo): string {
  return `${info.role}${info.clientId ? ` of client ${info.clientId}` : ''}${info.agentId ? ` ${info.agentId}` : ''}, "${info.name}", created ${info.createdAt.toISOString()} by ${info.createdBy}`
}

// Run as a program (a test imports main instead): its exit code is the process's.
if (isProgram(import.meta.url))
  main(process.argv.slice(2)).then((code) => {
    if (code !== 0) process.exit(code)
  })
