// The embedded database runs with the small-desk settings of db/client.ts (PGLITE_SETTINGS): on a
// new data directory, on the same directory opened again, and on a copy of the tests' template,
// whose ALTER SYSTEM asks for other values (the command line wins over the data directory's files).
import { sql } from 'drizzle-orm'
import t, { type Test } from 'tap'
import { type DatabaseHandle, PGLITE_SETTINGS, openDatabase } from '../../db/client.js'
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
  await first.close()
  const again = await openDatabase({ dataDir })
  t.teardown(() => again.close())
  await checkSettings(t, again, 'the same directory opened again')
})

t.test("a copy of the tests' template (shared_buffers = 4MB by ALTER SYSTEM)", async (t) => {
  const database = await freshDatabase(t, 'pglite')
  await checkSettings(t, database, 'the copy')
})
