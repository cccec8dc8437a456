// A new embedded database starts from the migrated template: a broken template is made again
// from initdb and the migrations, a good one gives a database the migrations find current, and a
// template is only ever replaced whole.
import { readFile, readdir, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { sql } from 'drizzle-orm'
import t from 'tap'
import { type DatabaseHandle, openDatabase } from '../../db/client.js'
import { PRODUCT_TEMPLATE, saveTemplate, templateFile } from '../../db/pglite-template.js'
import { auditLog } from '../../db/schema.js'

const MB = 1024 * 1024

/** How many migrations drizzle records as applied. */
async function migrated(database: DatabaseHandle): Promise<number> {
  const result = (await database.db.execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations`)) as unknown as {
    rows: { n: number }[]
  }
  return result.rows[0]?.n ?? 0
}

t.test('a new database, with a broken template, then from the template made instead', async (t) => {
  const root = t.testdir({ cache: {} })
  const cache = join(root, 'cache')
  const file = await templateFile(PRODUCT_TEMPLATE, cache)
  await writeFile(file, 'not a tarball')

  const first = await openDatabase({ dataDir: 'memory://', templateCache: cache })
  t.teardown(() => first.close())
  t.match(
    first.created,
    { from: 'initdb', saved: true, problem: /the template could not be loaded/ },
    'a template that does not load: initdb and the migrations, and a new template saved',
  )
  const applied = await migrated(first)
  t.ok(applied > 0, `the migrations were applied (${applied})`)
  t.ok((await stat(file)).size > MB, 'the broken template was replaced by a tarball')

  const dataDir = join(root, 'data')
  const second = await openDatabase({ dataDir, templateCache: cache })
  t.match(second.created, { from: 'template', template: file }, 'the next new database is copied from it')
  await second.migrate()
  t.equal(await migrated(second), applied, 'and the migrations find it current: nothing applied again')
  await second.db.execute(
    sql`insert into audit_log (at, actor, action, entity, entity_id) values (now(), 'test', 'kept', 'desk', 'd')`,
  )
  await second.close()

  const reopened = await openDatabase({ dataDir, templateCache: cache })
  t.teardown(() => reopened.close())
  t.equal(reopened.created, undefined, 'reopened, it is an existing database')
  t.match(await reopened.db.select().from(auditLog), [{ action: 'kept', entityId: 'd' }], 'with what was written in it')
})

t.test('templates are replaced whole: two processes saving at once leave one complete file', async (t) => {
  const cache = t.testdir()
  const file = `${cache}/racing.tar`
  const a = new Uint8Array(4 * MB).fill(1)
  const b = new Uint8Array(4 * MB).fill(2)
  await Promise.all([saveTemplate(file, a), saveTemplate(file, b), saveTemplate(file, a)])
  const saved = await readFile(file)
  t.equal(saved.length, 4 * MB, 'the file is whole')
  t.ok(
    saved.every((byte) => byte === saved[0]),
    'and one writer’s bytes, not a mix',
  )
  t.same(await readdir(cache), ['racing.tar'], 'no partial file is left behind')
})
