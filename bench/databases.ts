// The benchmark's databases: dedicated Postgres databases on the machine's server (never `test`),
// and a PGlite directory, each migrated, given the generated desk file and a call history.
import { createHash } from 'node:crypto'
import { readFile, readdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import postgres from 'postgres'
import { migrationsFolder, openDatabase } from '../db/client.js'
import { parseDeskFile } from '../src/domain/desk-file.js'
import { applyDeskFile } from '../src/store/configuration.js'
import { benchDeskFile, generateHistory } from './dataset.js'

/** The server's maintenance database: bench databases are created and dropped through it. */
export const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
/**
 * Recreated on every run: the webhooks write into it. BENCH_MAIN_DATABASE names another, so that two
 * sessions sharing the machine's server do not drop each other's.
 */
export const MAIN_DATABASE = process.env.BENCH_MAIN_DATABASE || 'supportline_bench'
/** Kept between runs (ten million calls take minutes to generate), regenerated when the schema changes. */
export const LARGE_DATABASE = 'supportline_bench_10m'
const GENERATOR = 'v1'

export function urlOf(name: string): string {
  const url = new URL(ADMIN_URL)
  url.pathname = `/${name}`
  return url.toString()
}

/** The service's URL: BENCH_POOL=n tries another pool size (postgres.js reads ?max=). */
export function serviceUrlOf(name: string): string {
  const url = new URL(urlOf(name))
  if (process.env.BENCH_POOL) url.searchParams.set('max', process.env.BENCH_POOL)
  return url.toString()
}

/** What a database was generated from: the generator, the months of history and the migrations. */
async function markOf(months: number): Promise<string> {
  const hash = createHash('sha256')
  for (const file of (await readdir(migrationsFolder, { recursive: true })).sort()) {
    if (file.endsWith('.sql') || file.endsWith('.json')) hash.update(file).update(await readFile(join(migrationsFolder, file)))
  }
  return `supportline-bench ${GENERATOR} months=${months} schema=${hash.digest('hex').slice(0, 16)}`
}

/**
 * A Postgres database with the data set and `months` of history. With `reuse`, a database already
 * generated the same way (same months, same migrations) is kept as it is.
 */
export async function preparePostgres(
  name: string,
  months: number,
  options: { reuse: boolean; log: (line: string) => void },
): Promise<string> {
  const mark = await markOf(months)
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} })
  try {
    const [existing] = await admin<{ mark: string | null }[]>`
      select shobj_description(oid, 'pg_database') as mark from pg_database where datname = ${name}`
    if (existing && options.reuse && existing.mark === mark) {
      options.log(`${name}: reused (${mark})`)
      return serviceUrlOf(name)
    }
    await admin.unsafe(`drop database if exists "${name}" with (force)`)
    await admin.unsafe(`create database "${name}"`)
  } finally {
    await admin.end()
  }
  await seed(urlOf(name), undefined, months, options.log)
  const marker = postgres(ADMIN_URL, { max: 1, onnotice: () => {} })
  await marker.unsafe(`comment on database "${name}" is '${mark}'`)
  await marker.end()
  return serviceUrlOf(name)
}

/** A fresh PGlite directory with the data set and `months` of history. */
export async function preparePglite(dataDir: string, months: number, log: (line: string) => void): Promise<void> {
  await rm(dataDir, { recursive: true, force: true })
  await seed(undefined, dataDir, months, log)
}

async function seed(url: string | undefined, dataDir: string | undefined, months: number, log: (line: string) => void) {
  const database = await openDatabase({ url, ...(dataDir ? { dataDir } : {}), max: 2 })
  try {
    await database.migrate()
    const parsed = parseDeskFile(benchDeskFile())
    if (!parsed.ok) throw new Error(`the generated desk file is invalid: ${JSON.stringify(parsed.errors.slice(0, 3))}`)
    const started = performance.now()
    const applied = await applyDeskFile(database.db, parsed.file, { actor: 'bench', now: new Date() })
    log(`  desk file applied: ${applied.created} created (${((performance.now() - started) / 1000).toFixed(1)} s)`)
    if (months > 0) await generateHistory(database.db, months, log)
  } finally {
    await database.close()
  }
}

export async function dropDatabases(names: string[]): Promise<void> {
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} })
  try {
    for (const name of names) await admin.unsafe(`drop database if exists "${name}" with (force)`)
  } finally {
    await admin.end()
  }
}

/** The server processes serving the service's connections to a database (for CPU accounting). */
export async function backendPids(name: string): Promise<number[]> {
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} })
  try {
    const rows = await admin<{ pid: number }[]>`
      select pid from pg_stat_activity where datname = ${name} and application_name = 'supportline'`
    return rows.map((row) => row.pid)
  } finally {
    await admin.end()
  }
}
