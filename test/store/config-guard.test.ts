// The test databases' guard (test/helpers/config-guard.sql): every test that writes the
// configuration through the store proves the write bumps config_version, because the guard fails
// the transaction otherwise. Here, that the guard itself bites.
import { eq } from 'drizzle-orm'
import t from 'tap'
import { agents, clients } from '../../db/schema.js'
import { touchConfiguration } from '../../src/store/config-version.js'
import { applyDeskFile } from '../../src/store/configuration.js'
import { eachDatabase } from '../helpers/databases.js'
import { deskFile } from '../helpers/desk.js'

/** The database's own words when a statement fails (drizzle wraps them as the cause). */
const failure = (query: PromiseLike<unknown>) =>
  Promise.resolve(query).then(
    () => 'it committed',
    (error: Error) => String((error.cause as Error | undefined)?.message ?? error.message),
  )

eachDatabase(t, async (t, { db }) => {
  const now = new Date('2026-11-28T09:00:00Z')
  await applyDeskFile(db, deskFile('intercom'), { actor: 'test', now })

  t.match(
    await failure(db.update(clients).set({ name: 'ACME' }).where(eq(clients.id, 'acme'))),
    /clients was written without bumping config_version/,
    'a client renamed without a bump fails',
  )
  await t.resolves(
    db.transaction(async (tx) => {
      await tx.update(clients).set({ name: 'ACME' }).where(eq(clients.id, 'acme'))
      await touchConfiguration(tx, now)
    }),
    'with the bump in its transaction it commits',
  )
  await t.resolves(
    db.update(agents).set({ onDuty: false }).where(eq(agents.id, 'amina')),
    'an agent going off duty needs none: it is read live on every call',
  )
  t.match(
    await failure(db.update(agents).set({ number: '+213550000999' }).where(eq(agents.id, 'amina'))),
    /agents was written without bumping/,
    "but an agent's number does",
  )
})
