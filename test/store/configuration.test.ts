// Applying a desk file: idempotent, one transaction, removals deactivate and never delete history.
import { readFileSync } from 'node:fs'
import { and, eq } from 'drizzle-orm'
import t from 'tap'
import { agents, auditLog, clientNumbers, clients, contracts, deskNumbers, desks } from '../../db/schema.js'
import { type DeskFile, parseDeskFile } from '../../src/domain/desk-file.js'
import { exportDeskFile } from '../../src/store/admin-config.js'
import { applyDeskFile } from '../../src/store/configuration.js'
import { currentConfigVersion } from '../../src/store/config-version.js'
import { eachDatabase } from '../helpers/databases.js'
import { localDate } from '../../src/domain/contract-overview.js'

const now = new Date('2026-11-26T10:00:00Z')
const context = { actor: 'test', now }

function load(name: string): DeskFile {
  const parsed = parseDeskFile(JSON.parse(readFileSync(new URL(`../../db/desks/${name}`, import.meta.url), 'utf8')))
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors))
  return parsed.file
}

eachDatabase(t, async (t, { db }) => {
  const intercom = load('intercom.json')

  t.test('the first apply creates everything the file declares', async (t) => {
    const summary = await applyDeskFile(db, intercom, context)
    t.equal(summary.deactivated, 0, 'nothing deactivated')
    t.ok(summary.created >= 10, `${summary.created} things created`)
    const [desk] = await db.select().from(desks).where(eq(desks.id, 'intercom'))
    t.match(desk, { name: 'Assistance INTERcom', timezone: 'Africa/Algiers', country: 'DZ', active: true })
    t.same(desk?.weekly.sat, ['09:30-12:00', '13:15-16:00'], 'with its weekly hours')
    t.same(await db.select().from(deskNumbers), [{ number: '+21321000000', deskId: 'intercom' }], 'and its number')
    const [contract] = await db.select().from(contracts).where(eq(contracts.clientId, 'acme'))
    t.match(contract, { deskId: 'intercom', start: '2026-01-15', months: 12, monthlyQuotaSeconds: 18_000, overage: 'bill' })
    const [yacine] = await db.select().from(agents).where(eq(agents.id, 'yacine'))
    t.equal(yacine?.onDuty, false, 'an agent declared off duty starts off duty')
  })

  t.test('applying the same file again changes nothing', async (t) => {
    const auditBefore = (await db.select().from(auditLog)).length
    const versionBefore = await currentConfigVersion(db)
    const summary = await applyDeskFile(db, intercom, context)
    t.same(summary.changes, [], 'no change reported')
    t.equal(await currentConfigVersion(db), versionBefore, 'the configuration version stays')
    t.equal((await db.select().from(auditLog)).length, auditBefore, 'nothing written to the audit log')
  })

  t.test('a changed value is updated and audited with before and after', async (t) => {
    const file = structuredClone(intercom)
    file.clients[0]!.name = 'ACME Algérie SARL'
    const summary = await applyDeskFile(db, file, { actor: 'admin@test', now })
    t.same(summary.changes, ['client acme: updated'])
    t.ok((await currentConfigVersion(db)) > 1, 'a change bumps the configuration version')
    const [entry] = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityId, 'acme'), eq(auditLog.action, 'desk-file.update')))
    t.match(entry, {
      actor: 'admin@test',
      action: 'desk-file.update',
      entity: 'client',
      before: { name: 'ACME SARL' },
      after: { name: 'ACME Algérie SARL' },
    })
  })

  t.test('an agent removed from the file goes off duty and is not deleted', async (t) => {
    const file = structuredClone(intercom)
    file.agents = file.agents.filter((agent) => agent.id !== 'karim')
    await applyDeskFile(db, file, context)
    const [karim] = await db.select().from(agents).where(eq(agents.id, 'karim'))
    t.match(karim, { active: false, onDuty: false }, 'karim is kept, inactive and off duty')
  })

  t.test('the on-duty switch survives a re-apply; a returning agent gets the file duty', async (t) => {
    await db.update(agents).set({ onDuty: false }).where(eq(agents.id, 'amina'))
    await applyDeskFile(db, intercom, context)
    const rows = await db.select().from(agents)
    t.equal(rows.find((a) => a.id === 'amina')?.onDuty, false, 'amina stays off duty as she switched herself')
    t.match(
      rows.find((a) => a.id === 'karim'),
      { active: true, onDuty: true },
      'karim is back, on duty as the file says',
    )
  })

  t.test('a number moved between clients follows them', async (t) => {
    const file = structuredClone(intercom)
    const moved = file.clients[0]!.numbers.pop()!
    file.clients[1]!.numbers.push(moved)
    await applyDeskFile(db, file, context)
    const [row] = await db.select().from(clientNumbers).where(eq(clientNumbers.number, moved.number))
    t.equal(row?.clientId, file.clients[1]!.id)
  })

  t.test('a client removed from the file is deactivated with its contracts, its numbers stop identifying it', async (t) => {
    const file = structuredClone(intercom)
    file.clients = file.clients.filter((client) => client.id !== 'djurdjura')
    await applyDeskFile(db, file, context)
    const [client] = await db.select().from(clients).where(eq(clients.id, 'djurdjura'))
    t.equal(client?.active, false, 'the client is kept, inactive')
    const [contract] = await db.select().from(contracts).where(eq(contracts.clientId, 'djurdjura'))
    t.equal(contract?.active, false, 'its contract is inactive')
    t.same(await db.select().from(clientNumbers).where(eq(clientNumbers.clientId, 'djurdjura')), [], 'its numbers are gone')
  })

  t.test('a file that fails half-way leaves nothing behind', async (t) => {
    const file = structuredClone(intercom)
    file.desks[0]!.name = 'Renamed desk'
    // Valid for the schema but impossible for the database: an agent on a desk that is not there.
    file.agents.push({ id: 'ghost', name: 'Ghost', number: '+213550000099', desks: ['nowhere'], onDuty: true })
    await t.rejects(applyDeskFile(db, file, context))
    const [desk] = await db.select().from(desks).where(eq(desks.id, 'intercom'))
    t.equal(desk?.name, 'Assistance INTERcom', 'the desk change before the failure was rolled back')
    t.same(await db.select().from(agents).where(eq(agents.id, 'ghost')), [], 'no agent was added')
  })

  t.test('revised hours and terms are stored and exported as they were given', async (t) => {
    const model = load('model-clause.json')
    await applyDeskFile(db, model, context)
    const exported = await exportDeskFile(db)
    const desk = exported.desks.find((d) => d.id === 'model')
    // Each with the day the service first saw it, the model desk's first import (Algiers time).
    const recordedOn = localDate(context.now, 'Africa/Algiers')
    t.same(
      desk?.schedule.changes,
      model.desks[0]?.schedule.changes.map((change) => ({ ...change, recordedOn })),
      'the weekly hours from 4 January 2027',
    )
    const durand = exported.clients.find((c) => c.id === 'durand')
    t.same(
      durand?.contracts[0]?.changes,
      [{ from: '2027-01-01', monthlyQuotaMinutes: 900, recordedOn }],
      "Durand's quota revised from January",
    )
    t.same(durand?.contracts[0]?.revision, { by: 'notice', days: 30 }, 'and the rule it is revised by')
    t.same((await applyDeskFile(db, exported, context)).changes, [], 're-applying the export changes nothing')
  })

  t.test('another whole configuration replaces this one', async (t) => {
    await applyDeskFile(db, load('model-clause.json'), context)
    const rows = await db.select({ id: desks.id, active: desks.active }).from(desks).orderBy(desks.id)
    t.same(rows, [
      { id: 'intercom', active: false },
      { id: 'model', active: true },
    ])
    t.same(
      (await db.select().from(deskNumbers)).map((n) => n.deskId),
      ['model'],
      'only the model desk answers',
    )
  })
})
