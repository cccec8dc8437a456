// The command line: npm run cli -- <command>. Same configuration (env) as the server.
import { parseArgs } from 'node:util'
import { DatabaseInUseError, type DatabaseHandle, openDatabase } from '../../db/client.js'
import { ConfigError, loadConfig } from '../config.js'
import { DeskFileError, applyDeskFileFrom } from '../load-desk-file.js'

const USAGE = `usage: npm run cli -- <command>

  migrate                 apply the database migrations (also done at every start)
  apply <desk-file.json>  validate a desk file and apply it, in one transaction

The database is DATABASE_URL, or the embedded one under DATA_DIR (default ./data).`

class UsageError extends Error {}

async function withDatabase<T>(work: (database: DatabaseHandle) => Promise<T>): Promise<T> {
  const config = loadConfig()
  const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir, max: 1 })
  try {
    await database.migrate()
    return await work(database)
  } finally {
    await database.close()
  }
}

async function main(argv: string[]): Promise<void> {
  const { positionals } = parseArgs({ args: argv, allowPositionals: true, strict: true })
  const [command, ...rest] = positionals
  switch (command) {
    case 'migrate':
      await withDatabase(async () => {})
      console.log('migrations applied')
      return
    case 'apply': {
      const [file] = rest
      if (!file || rest.length > 1) throw new UsageError('apply takes exactly one desk file')
      const outcome = await withDatabase(({ db }) => applyDeskFileFrom(db, file, { actor: 'cli', now: new Date() }))
      if (outcome.skipped) return
      console.log(outcome.changes.length === 0 ? `${file}: already applied, nothing changed` : outcome.changes.join('\n'))
      console.log(`${file}: ${outcome.created} created, ${outcome.updated} updated, ${outcome.deactivated} deactivated`)
      return
    }
    default:
      throw new UsageError(command ? `unknown command "${command}"` : 'no command given')
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError) console.error(`${error.message}\n\n${USAGE}`)
  else if (error instanceof ConfigError || error instanceof DeskFileError || error instanceof DatabaseInUseError)
    console.error(`supportline: ${error.message}`)
  else console.error(error)
  process.exit(error instanceof UsageError ? 2 : 1)
})
