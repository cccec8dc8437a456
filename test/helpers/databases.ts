// Every database test runs on PGlite, and on the real Postgres of TEST_DATABASE_URL when it is set;
// each run gets a database of its own, copied from one migrated template, so test files can run in parallel.
import { createHash, randomBytes } from 'node:crypto'
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join, relative } from 'node:path'
import { PGlite, type PGliteOptions } from '@electric-sql/pglite'
import { drizzle } from 'drizzle-orm/pglite'
import { migrate } from 'drizzle-orm/pglite/migrator'
import postgres from 'postgres'
import type { Test } from 'tap'
import { type DatabaseHandle, migrationsFolder, openDatabase } from '../../db/client.js'

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

const require = createRequire(import.meta.url)

/**
 * What test databases add to the migrations: a guard that fails any transaction writing the
 * configuration without bumping its version (see the file).
 */
const CONFIG_GUARD = new URL('./config-guard.sql', import.meta.url)

/** The migration files' fingerprint, and the guard's: a change to any of them makes new templates. */
const migrationsHash = memo(async () => {
  const hash = createHash('sha256').update(await readFile(CONFIG_GUARD))
  const files = (await readdir(migrationsFolder, { recursive: true, withFileTypes: true }))
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort()
  for (const file of files) hash.update(`${relative(migrationsFolder, file)}\n`).update(await readFile(file))
  return hash.digest('hex').slice(0, 16)
})

const pgliteDist = dirname(require.resolve('@electric-sql/pglite'))
const pgliteVersion = (require(join(pgliteDist, '..', 'package.json')) as { version: string }).version

/**
 * How the PGlite template is made, beyond the migrations (part of its file name, so that a change
 * here makes a new one). Each step makes a copy start faster, none changes what the app sees: a
 * 1 MB WAL segment instead of 16, small shared buffers, and no template0/template1 databases
 * (nothing creates a database in PGlite): 15 MB to load instead of 40, and a start that takes about
 * a third of the CPU.
 */
const PGLITE_RECIPE = [
  'initdb --wal-segsize=1',
  "alter system set shared_buffers = '4MB'",
  'alter system set max_connections = 10',
  'alter database template0 is_template false',
  'drop database template0',
  'alter database template1 is_template false',
  'drop database template1',
  'checkpoint',
]

// Node's WebAssembly, which the ES2023 lib this project compiles against does not declare.
const webAssembly = (
  globalThis as unknown as { WebAssembly: { compile(bytes: Uint8Array): Promise<PGliteOptions['pgliteWasmModule']> } }
).WebAssembly

/**
 * A data directory tarball PGlite loads as fast as it can: Node's Blob hands its bytes over in
 * small chunks, which cost more than the rest of the copy. Each load gets its own copy of the bytes.
 */
class Tarball extends Blob {
  readonly #data: Uint8Array
  constructor(data: Uint8Array) {
    super([])
    this.#data = data
  }
  override arrayBuffer(): Promise<ArrayBuffer> {
    // A copy the size of the data (a Buffer's slice() would share its memory, and its .buffer be larger).
    return Promise.resolve(new Uint8Array(this.#data).buffer)
  }
}

/**
 * PGlite's migrated data directory as a tarball, kept in the temporary directory (15 MB, not
 * compressed: gunzip would cost each process a second) for every test process to start from, and
 * its WebAssembly compiled once per process. Written under another name, then renamed: a reader
 * never sees half a file.
 */
const pgliteTemplate = memo(async () => {
  const pgliteWasmModule = await webAssembly.compile(await readFile(join(pgliteDist, 'pglite.wasm')))
  const recipe = createHash('sha256')
    .update(`${pgliteVersion}\n${PGLITE_RECIPE.join('\n')}`)
    .digest('hex')
    .slice(0, 8)
  const file = join(tmpdir(), `supportline-test-pglite-${await migrationsHash()}-${recipe}.tar`)
  const cached = await readFile(file).catch(() => null)
  if (cached) return { loadDataDir: new Tarball(cached), pgliteWasmModule }
  const [initdb, ...statements] = PGLITE_RECIPE
  const client = await PGlite.create({ pgliteWasmModule, initDbStartParams: initdb?.split(' ').slice(1) ?? [] })
  let tarball: Uint8Array
  try {
    await migrate(drizzle({ client }), { migrationsFolder })
    await client.exec(await readFile(CONFIG_GUARD, 'utf8'))
    for (const statement of statements) await client.exec(statement)
    tarball = new Uint8Array(await (await client.dumpDataDir('none')).arrayBuffer())
  } finally {
    await client.close()
  }
  const partial = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`
  await writeFile(partial, tarball)
  await rename(partial, file).catch(() => rm(partial, { force: true }))
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
