// Every database test runs on PGlite, and on the real Postgres of TEST_DATABASE_URL when it is set;
// each run gets a database of its own, so test files can run in parallel.
import { randomBytes } from 'node:crypto'
import postgres from 'postgres'
import type { Test } from 'tap'
import { type DatabaseHandle, openDatabase } from '../../db/client.js'

export type Kind = 'pglite' | 'postgres'

export const kinds: Kind[] = process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite']

/** A fresh, migrated database of the given kind, dropped in teardown. */
export async function freshDatabase(t: Test, kind: Kind, options: { max?: number } = {}): Promise<DatabaseHandle> {
  if (kind === 'pglite') {
    const handle = await openDatabase({ dataDir: 'memory://' })
    t.teardown(() => handle.close())
    await handle.migrate()
    return handle
  }
  const url = await createPostgresDatabase(t)
  const handle = await openDatabase({ url, max: options.max ?? 5 })
  t.teardown(() => handle.close())
  await handle.migrate()
  return handle
}

/** A new empty database on the TEST_DATABASE_URL server; returns its URL. */
export async function createPostgresDatabase(t: Test): Promise<string> {
  const adminUrl = process.env.TEST_DATABASE_URL
  if (!adminUrl) throw new Error('TEST_DATABASE_URL is not set')
  const name = `supportline_test_${process.pid}_${randomBytes(4).toString('hex')}`
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} })
  await admin.unsafe(`create database "${name}"`)
  await admin.end()
  t.teardown(async () => {
    const dropper = postgres(adminUrl, { max: 1, onnotice: () => {} })
    await dropper.unsafe(`drop database if exists "${name}" with (force)`)
    await dropper.end()
  })
  const url = new URL(adminUrl)
  url.pathname = `/${name}`
  return url.toString()
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
