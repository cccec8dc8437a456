// The database: embedded Postgres (PGlite) under DATA_DIR by default, a real Postgres with a URL.
// Both speak the same SQL through drizzle, with the same schema and the same migrations.
import { fileURLToPath } from 'node:url'
import { PGlite, type PGliteOptions } from '@electric-sql/pglite'
import { sql } from 'drizzle-orm'
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core'
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite'
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator'
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js'
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator'
import postgres from 'postgres'
import { lockWithPid } from '../src/pid-lock.js'
import * as schema from './schema.js'

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
}

export const migrationsFolder = fileURLToPath(new URL('../drizzle', import.meta.url))
const drizzleConfig = { schema, casing: 'snake_case' } as const
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
}

export async function openDatabase(options: OpenOptions): Promise<DatabaseHandle> {
  return options.url
    ? openPostgres(options.url, options.max, options.onStatement)
    : openPglite(options.dataDir ?? './data', options.pglite)
}

async function openPglite(dataDir: string, options: OpenOptions['pglite'] = {}): Promise<DatabaseHandle> {
  const inMemory = dataDir.startsWith('memory://')
  const release = inMemory ? async () => {} : await lockDataDir(dataDir)
  const client = new PGlite(inMemory ? dataDir : `${dataDir}/pglite`, options)
  await client.waitReady
  const db = drizzlePglite({ client, ...drizzleConfig })
  return {
    db: db as unknown as Database,
    kind: 'pglite',
    migrate: () => migratePglite(db, { migrationsFolder }),
    ping: async () => {
      await client.query('select 1')
    },
    close: async () => {
      await client.close()
      await release()
    },
  }
}

/**
 * PGlite is one process's database: a second process opening the same files would corrupt them.
 * A lock file holding the owner's pid keeps a CLI from opening what a running server has open.
 */
function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  return lockWithPid(
    `${dataDir}/supportline.lock`,
    (owner) =>
      `the embedded database in ${dataDir} is in use by process ${owner} (a running supportline?); ` +
      'stop it first, or set DATABASE_URL to a Postgres server that both can share',
  )
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
