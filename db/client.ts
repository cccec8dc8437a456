// The database: embedded Postgres (PGlite) under DATA_DIR by default, a real Postgres with a URL.
// Both speak the same SQL through drizzle, with the same schema and the same migrations.
import { readdirSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { PGlite, type PGliteOptions } from '@electric-sql/pglite'
import { sql } from 'drizzle-orm'
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core'
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite'
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator'
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js'
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator'
import postgres from 'postgres'
import { lockWithPid } from '../src/pid-lock.js'
import { migrationsFolder } from './migrations.js'
import { PRODUCT_TEMPLATE, Tarball, dumpTemplate, readTemplate, saveTemplate, templateFile } from './pglite-template.js'
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
  /** where a new embedded database's template is kept (default node_modules/.cache/supportline) */
  templateCache?: string
}

export async function openDatabase(options: OpenOptions): Promise<DatabaseHandle> {
  return options.url
    ? openPostgres(options.url, options.max, options.onStatement)
    : openPglite(options.dataDir ?? './data', options.pglite, options.templateCache)
}

async function openPglite(dataDir: string, options: OpenOptions['pglite'] = {}, templateCache?: string): Promise<DatabaseHandle> {
  const inMemory = dataDir.startsWith('memory://')
  const release = inMemory ? async () => {} : await lockDataDir(dataDir)
  const path = inMemory ? dataDir : `${dataDir}/pglite`
  let opened: { client: PGlite; created?: Created }
  try {
    opened =
      options.loadDataDir || !isNew(path)
        ? { client: await startPglite(path, options) }
        : await createPglite(path, options, templateCache)
  } catch (error) {
    await release()
    throw error
  }
  const { client, created } = opened
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
    ...(created ? { created } : {}),
  }
}

/** Where PGlite would make a new database: memory, or a directory that is absent or empty. */
function isNew(path: string): boolean {
  if (path.startsWith('memory://')) return true
  try {
    return readdirSync(path).length === 0
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT'
  }
}

async function startPglite(path: string, options: OpenOptions['pglite']): Promise<PGlite> {
  const client = new PGlite(path, { ...options, startParams: pgliteStartParams(PGlite.defaultStartParams) })
  try {
    await client.waitReady
  } catch (error) {
    await client.close().catch(() => {})
    throw error
  }
  return client
}

/**
 * The embedded Postgres's settings, for a small desk on a small machine (docs/BENCHMARKS.md, "PGlite
 * for a small desk"): given on its command line after PGlite's own, so they hold for a new database
 * and an existing one alike (they override the data directory's postgresql.conf and ALTER SYSTEM).
 * PGlite is one backend in one WebAssembly memory that only grows: Postgres's default 128 MB of
 * shared buffers, once read through, stay resident for good, while the files they cache are in the
 * operating system's page cache anyway (a read is one system call away).
 */
export const PGLITE_SETTINGS: Readonly<Record<string, string>> = {
  shared_buffers: '16MB',
}

/** PGlite's start parameters (`defaults`: `PGlite.defaultStartParams`) with PGLITE_SETTINGS after them. */
export function pgliteStartParams(defaults: readonly string[]): string[] {
  return [...defaults, ...Object.entries(PGLITE_SETTINGS).flatMap(([name, value]) => ['-c', `${name}=${value}`])]
}

/**
 * A new embedded database: a copy of the migrated template when there is one for this PGlite and
 * these migrations (a second or so); else PGlite's initdb and every migration (5 s and more), after
 * which the database is saved as the template for the next new one. The template only saves time:
 * when it cannot be loaded the database is made without it, and the migrations run after either.
 */
async function createPglite(
  path: string,
  options: OpenOptions['pglite'],
  templateCache?: string,
): Promise<{ client: PGlite; created: Created }> {
  const began = performance.now()
  const ms = () => Math.round(performance.now() - began)
  const template = await templateFile(PRODUCT_TEMPLATE, templateCache)
  const tarball = await readTemplate(template)
  let problem: string | undefined
  if (tarball) {
    try {
      const client = await startPglite(path, { ...options, loadDataDir: new Tarball(tarball) })
      return { client, created: { from: 'template', template, ms: ms() } }
    } catch (error) {
      problem = `the template could not be loaded (${messageOf(error)}): made again`
      // What the load left is no database; nothing else was there (isNew).
      if (!path.startsWith('memory://')) await rm(path, { recursive: true, force: true })
      await rm(template, { force: true })
    }
  }
  const client = await startPglite(path, options)
  try {
    await migratePglite(drizzlePglite({ client, ...drizzleConfig }), { migrationsFolder })
  } catch (error) {
    await client.close().catch(() => {})
    throw error
  }
  try {
    await saveTemplate(template, await dumpTemplate(client))
    return { client, created: { from: 'initdb', template, ms: ms(), saved: true, ...(problem ? { problem } : {}) } }
  } catch (error) {
    const notSaved = `the template could not be saved (${messageOf(error)})`
    return {
      client,
      created: { from: 'initdb', template, ms: ms(), saved: false, problem: problem ? `${problem}; ${notSaved}` : notSaved },
    }
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
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
