// The embedded database: PGlite under DATA_DIR (or in memory), with the small-desk settings, a new
// one made from the migrated template, its files locked to one process, and checkpointed on a
// timer. Loaded by db/client.ts only when there is no DATABASE_URL.
import { readdirSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { PGlite } from '@electric-sql/pglite'
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite'
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator'
import { lockWithPid } from '../src/pid-lock.js'
import { type Created, type Database, type DatabaseHandle, type OpenOptions, drizzleConfig } from './client.js'
import { migrationsFolder } from './migrations.js'
import { PRODUCT_TEMPLATE, Tarball, dumpTemplate, readTemplate, saveTemplate, templateFile } from './pglite-template.js'

/**
 * How often the embedded database checkpoints, as Postgres's checkpointer would (its
 * checkpoint_timeout). PGlite runs Postgres as one backend without a checkpointer: without this,
 * the write-ahead log in DATA_DIR grows until the process stops (the shutdown checkpoints), and a
 * crash replays all of it at the next start. A checkpoint writes the dirty pages of 16 MB of
 * shared buffers at most, on the one thread calls use too.
 */
const CHECKPOINT_EVERY_MS = 5 * 60_000

export async function openPglite(dataDir: string, open: OpenOptions): Promise<DatabaseHandle> {
  const { pglite: options = {}, templateCache, checkpointEveryMs = CHECKPOINT_EVERY_MS } = open
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
  // A failed checkpoint is tried again at the next one; the shutdown's own checkpoint closes the log.
  const checkpoints = inMemory
    ? undefined
    : setInterval(() => void client.exec('checkpoint').catch(() => {}), checkpointEveryMs).unref()
  return {
    db: db as unknown as Database,
    kind: 'pglite',
    migrate: () => migratePglite(db, { migrationsFolder }),
    ping: async () => {
      await client.query('select 1')
    },
    close: async () => {
      clearInterval(checkpoints)
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
