// The database: embedded Postgres (PGlite) under DATA_DIR by default, a real Postgres with a URL.
// Both speak the same SQL through drizzle, with the same schema and the same migrations.
// PGlite (db/pglite.ts: its WebAssembly, drizzle's driver for it, the template) is loaded only for
// the embedded database, so a service on Postgres never loads or evaluates it.
import type { PGliteOptions } from '@electric-sql/pglite'
import { sql } from 'drizzle-orm'
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core'
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js'
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator'
import postgres from 'postgres'
import { migrationsFolder } from './migrations.js'
import * as schema from './schema.js'

export { migrationsFolder }

export type Schema = typeof schema
export type Database = PgDatabase<PgQueryResultHKT, Schema>
export type Transaction = PgTransaction<PgQueryResultHKT, Schema>
/** What store functions take: the database, or a transaction already open on it. */
export type Queryable = Database | Transaction

export interface DatabaseHandle {
  db: Database
  kind: 'pglite' | 'postgres'
  /** applies the committed migrations (idempotent; serialised across instances on Postgres) */
  migrate(): Promise<void>
  /** a cheap round trip, for /readyz */
  ping(): Promise<void>
  close(): Promise<void>
  /** how a new embedded database was made (absent: an existing one, or Postgres), for the start's log */
  created?: Created
}

/**
 * A new embedded database: loaded from the migrated template (`template`), or made by initdb and
 * the migrations (`initdb`), after which the template was saved (`saved`) or could not be (`problem`).
 */
export interface Created {
  from: 'template' | 'initdb'
  template: string
  ms: number
  saved?: boolean
  problem?: string
}
export const drizzleConfig = { schema, casing: 'snake_case' } as const
// An arbitrary constant: every instance takes the same advisory lock while migrating.
const MIGRATION_LOCK = 7_240_531

export interface OpenOptions {
  /** postgres:// URL; absent = embedded PGlite */
  url?: string | undefined
  /** where PGlite keeps its files; 'memory://' for a throwaway database */
  dataDir?: string
  /** connections in the pool (Postgres only) */
  max?: number
  /** called with each statement sent (tests and the bench count them), Postgres only */
  onStatement?: (statement: string) => void
  /** what PGlite starts from (tests: a migrated data directory, a compiled module), PGlite only */
  pglite?: Pick<PGliteOptions, 'loadDataDir' | 'pgliteWasmModule'>
  /** where a new embedded database's template is kept (default node_modules/.cache/supportline) */
  templateCache?: string
  /** how often the embedded database checkpoints (default 5 minutes), PGlite only */
  checkpointEveryMs?: number
}

export async function openDatabase(options: OpenOptions): Promise<DatabaseHandle> {
  if (options.url) return openPostgres(options.url, options.max, options.onStatement)
  const { openPglite } = await import('./pglite.js')
  return openPglite(options.dataDir ?? './data', options)
}

async function openPostgres(
  url: string,
  max: number | undefined,
  onStatement: ((statement: string) => void) | undefined,
): Promise<DatabaseHandle> {
  // Without `max`, postgres.js takes it from the URL (?max=4) or PGMAX, else 10.
  const client = postgres(url, {
    ...(max ? { max } : {}),
    ...(onStatement ? { debug: (_connection: number, statement: string) => onStatement(statement) } : {}),
    onnotice: () => {},
    // A database that cannot be reached fails fast (the default waits 30 s), and no statement runs
    // for ever: the webhook path answers within its own deadlines and journals what it could not write.
    connect_timeout: 3,
    connection: { application_name: 'supportline', statement_timeout: 10_000 },
  })
  const db = drizzlePostgres({ client, ...drizzleConfig })
  return {
    db: db as unknown as Database,
    kind: 'postgres',
    migrate: async () => {
      // One connection of its own, holding the lock for the whole run, so two instances starting
      // together (or a release command racing a start) never apply a migration twice.
      const single = postgres(url, { max: 1, onnotice: () => {} })
      try {
        await single`select pg_advisory_lock(${MIGRATION_LOCK})`
        await migratePostgres(drizzlePostgres({ client: single, ...drizzleConfig }), { migrationsFolder })
        await single`select pg_advisory_unlock(${MIGRATION_LOCK})`
      } finally {
        await single.end()
      }
    },
    ping: async () => {
      await db.execute(sql`select 1`)
    },
    close: () => client.end({ timeout: 5 }),
  }
}
