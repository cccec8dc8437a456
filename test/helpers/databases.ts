// Every database test runs on PGlite, and on the real Postgres of TEST_DATABASE_URL when it is set;
// each run gets a database of its own, copied from one migrated template, so test files can run in parallel.
import { createHash, randomBytes } from 'node:crypto'
import { mkdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { PGlite, type PGliteOptions } from '@electric-sql/pglite'
import postgres from 'postgres'
import type { Test } from 'tap'
import { type DatabaseHandle, openDatabase } from '../../db/client.js'
import { migrationsFingerprint } from '../../db/migrations.js'
import { type TemplateRecipe, Tarball, cachedTemplate, pgliteWasm } from '../../db/pglite-template.js'

export type Kind = 'pglite' | 'postgres'

export const kinds: Kind[] = process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite']

/** A fresh, migrated database of the given kind, dropped in teardown. */
export async function freshDatabase(t: Test, kind: Kind, options: { max?: number } = {}): Promise<DatabaseHandle> {
  if (kind === 'pglite') {
    // A copy of the migrated template: no initdb, no migrations (seconds each on a busy machine).
    const handle = await openDatabase({ dataDir: 'memory://', pglite: await pgliteTemplate() })
    t.teardown(() => handle.close())
    return handle
  }
  const url = await newPostgresDatabase(t, await postgresTemplate())
  const handle = await openDatabase({ url, max: options.max ?? 5 })
  t.teardown(() => handle.close())
  return handle
}

/** A fresh, migrated Postgres database whose every statement sent is passed to `onStatement`. */
export async function countedPostgres(t: Test, onStatement: (statement: string) => void): Promise<DatabaseHandle> {
  const url = await newPostgresDatabase(t, await postgresTemplate())
  const handle = await openDatabase({ url, max: 5, onStatement })
  t.teardown(() => handle.close())
  return handle
}

/** A new empty database on the TEST_DATABASE_URL server; returns its URL. */
export function createPostgresDatabase(t: Test): Promise<string> {
  return newPostgresDatabase(t)
}

/** Runs `body` once per database kind, as a subtest named after it. */
export function eachDatabase(t: Test, body: (t: Test, database: DatabaseHandle, kind: Kind) => Promise<void>) {
  for (const kind of kinds) {
    t.test(kind, async (t) => {
      const database = await freshDatabase(t, kind)
      await body(t, database, kind)
    })
  }
}

function adminUrl(): string {
  const url = process.env.TEST_DATABASE_URL
  if (!url) throw new Error('TEST_DATABASE_URL is not set')
  return url
}

function databaseUrl(name: string): string {
  const url = new URL(adminUrl())
  url.pathname = `/${name}`
  return url.toString()
}

function admin() {
  return postgres(adminUrl(), { max: 1, onnotice: () => {} })
}

async function newPostgresDatabase(t: Test, template?: string): Promise<string> {
  const name = `supportline_test_${process.pid}_${randomBytes(4).toString('hex')}`
  const sql = admin()
  try {
    await sql.unsafe(`create database "${name}"${template ? ` template "${template}"` : ''}`)
  } finally {
    await sql.end()
  }
  t.teardown(async () => {
    const dropper = admin()
    await dropper.unsafe(`drop database if exists "${name}" with (force)`)
    await dropper.end()
  })
  return databaseUrl(name)
}

/**
 * What test databases add to the migrations: a guard that fails any transaction writing the
 * configuration without bumping its version (see the file).
 */
const CONFIG_GUARD = new URL('./config-guard.sql', import.meta.url)

/** The migration files' fingerprint, and the guard's: a change to any of them makes new templates. */
const migrationsHash = memo(async () =>
  createHash('sha256')
    .update(await migrationsFingerprint())
    .update(await readFile(CONFIG_GUARD))
    .digest('hex')
    .slice(0, 16),
)

/**
 * How the tests' PGlite template is made (db/pglite-template.ts keeps it, named after this recipe):
 * the migrations, the guard, and steps that each make a copy start faster without changing what
 * the app sees: a 1 MB WAL segment instead of 16, and no template0/template1 databases (nothing
 * creates a database in PGlite): 15 MB to load instead of 40. (Shared buffers are the product's
 * 16 MB: db/pglite.ts gives them on PGlite's command line, which no setting in the files overrides.)
 */
const testRecipe = memo(
  async (): Promise<TemplateRecipe> => ({
    name: 'pglite-test',
    initdb: ['--wal-segsize=1'],
    after: [
      await readFile(CONFIG_GUARD, 'utf8'),
      'alter system set max_connections = 10',
      'alter database template0 is_template false',
      'drop database template0',
      'alter database template1 is_template false',
      'drop database template1',
    ],
  }),
)

// Node's WebAssembly, which the ES2023 lib this project compiles against does not declare.
const webAssembly = (
  globalThis as unknown as { WebAssembly: { compile(bytes: Uint8Array): Promise<PGliteOptions['pgliteWasmModule']> } }
).WebAssembly

/**
 * The tests' migrated PGlite data directory, made once by whichever test process needs it first and
 * kept with the product's (node_modules/.cache/supportline), and PGlite's WebAssembly compiled once
 * per process.
 */
const pgliteTemplate = memo(async () => {
  const pgliteWasmModule = await webAssembly.compile(await readFile(pgliteWasm))
  const tarball = await cachedTemplate(await testRecipe(), { pgliteWasmModule })
  return { loadDataDir: new Tarball(tarball), pgliteWasmModule }
})

// Any constant: test processes building the Postgres template take turns on it.
const TEMPLATE_LOCK = 7_240_532

/**
 * The migrated Postgres template, `supportline_template_<fingerprint>`: made once on the server by
 * whichever test process gets there first (the others wait on an advisory lock, then find it), so a
 * test database is a `create database … template`, not a run of the migrations.
 */
const postgresTemplate = memo(async () => {
  const name = `supportline_template_${await migrationsHash()}`
  const sql = admin()
  const exists = async () => (await sql`select 1 from pg_database where datname = ${name}`).length > 0
  try {
    if (await exists()) return name
    await sql`select pg_advisory_lock(${TEMPLATE_LOCK})`
    try {
      if (await exists()) return name
      // Built under another name and renamed when complete: a crashed builder leaves no half template.
      const building = `${name}_building`
      await sql.unsafe(`drop database if exists "${building}" with (force)`)
      await sql.unsafe(`create database "${building}"`)
      const handle = await openDatabase({ url: databaseUrl(building), max: 1 })
      try {
        await handle.migrate()
        const guard = postgres(databaseUrl(building), { max: 1, onnotice: () => {} })
        try {
          await guard.unsafe(await readFile(CONFIG_GUARD, 'utf8')).simple()
        } finally {
          await guard.end()
        }
      } finally {
        await handle.close()
      }
      // Nobody connects to it: a connection would stop it being copied.
      await sql.unsafe(`alter database "${building}" with allow_connections false`)
      await sql.unsafe(`alter database "${building}" rename to "${name}"`)
      // Templates of other migrations stay: another checkout (a branch with a new migration) may be
      // copying one right now. They are a few megabytes each, and dropped at will.
      return name
    } finally {
      await sql`select pg_advisory_unlock(${TEMPLATE_LOCK})`
    }
  } finally {
    await sql.end()
  }
})

/** The first call's promise, for every call: one template per process, built on first use. */
function memo<T>(make: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | undefined
  return () => {
    made ??= make()
    return made
  }
}

/**
 * An embedded database under `dataDir` as the server keeps one there (`<dataDir>/pglite`), copied
 * from the migrated template: for a test that opens it by its path, like the CLI does.
 */
export async function seedPgliteDataDir(dataDir: string): Promise<void> {
  await mkdir(dataDir, { recursive: true })
  const client = await PGlite.create(join(dataDir, 'pglite'), await pgliteTemplate())
  await client.close()
}
