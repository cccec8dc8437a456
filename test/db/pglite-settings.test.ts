// The embedded database runs with the small-desk settings of db/pglite.ts (PGLITE_SETTINGS): on a
// new data directory, on the same directory opened again after an ALTER SYSTEM asked for other
// values (the command line wins over the data directory's files), and on a copy of the tests'
// template.
import { sql } from 'drizzle-orm'
import t, { type Test } from 'tap'
import { type DatabaseHandle, openDatabase } from '../../db/client.js'
import { PGLITE_SETTINGS } from '../../db/pglite.js'
import { freshDatabase } from '../helpers/databases.js'

/** What `show <name>` answers on the database. */
async function show(database: DatabaseHandle, name: string): Promise<string | undefined> {
  const result = (await database.db.execute(sql.raw(`show ${name}`))) as unknown as { rows: Record<string, string>[] }
  return result.rows[0]?.[name]
}

async function checkSettings(t: Test, database: DatabaseHandle, where: string) {
  for (const [name, value] of Object.entries(PGLITE_SETTINGS)) {
    t.equal(await show(database, name), value, `${where}: ${name} is ${value}`)
  }
}

t.test('a new embedded database, and the same opened again', async (t) => {
  const dataDir = t.testdir()
  const first = await openDatabase({ dataDir })
  await checkSettings(t, first, 'a new database')
  await first.db.execute(sql`alter system set shared_buffers = '4MB'`)
  await first.close()
  const again = await openDatabase({ dataDir })
  t.teardown(() => again.close())
  await checkSettings(t, again, 'the same directory opened again, after ALTER SYSTEM asked for 4MB')
})

t.test("a copy of the tests' template", async (t) => {
  const database = await freshDatabase(t, 'pglite')
  await checkSettings(t, database, 'the copy')
})

t.test('the embedded database checkpoints on its own, as Postgres does', async (t) => {
  const database = await openDatabase({ dataDir: t.testdir(), checkpointEveryMs: 100 })
  t.teardown(() => database.close())
  const checkpoint = async () => {
    const result = (await database.db.execute(
      sql`select checkpoint_lsn::text as lsn from pg_control_checkpoint()`,
    )) as unknown as {
      rows: { lsn: string }[]
    }
    return result.rows[0]?.lsn
  }
  const before = await checkpoint()
  await database.db.execute(sql`create table written (n int)`)
  await database.db.execute(sql`insert into written select generate_series(1, 1000)`)
  let after = before
  for (let tries = 0; tries < 100 && after === before; tries++) {
    await new Promise((resolve) => setTimeout(resolve, 100))
    after = await checkpoint()
  }
  t.not(after, before, 'a checkpoint came after the writes, with no one asking (the write-ahead log can be recycled)')
})
