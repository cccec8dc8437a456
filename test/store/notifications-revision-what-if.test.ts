// The client's own what-if in the written notice of a revision (contract.revision, issue #21): the
// last full month before it takes effect replayed as if it had been in force, once for the file
// being applied, each client's notice with its own figures; a replay that fails leaves the notice
// without them and the application whole.
import { and, asc, eq } from 'drizzle-orm'
import t from 'tap'
import { calls, contracts, notificationEvents, talkLegs } from '../../db/schema.js'
import type { DeskFile } from '../../src/domain/desk-file.js'
import type { RecordedRevision } from '../../src/domain/desk-file-revisions.js'
import { applyDeskFile } from '../../src/store/configuration.js'
import { revisionWhatIfs } from '../../src/store/what-if.js'
import { eachDatabase } from '../helpers/databases.js'
import { notifyingFile } from '../fixtures/notifications.js'

const DESK = '+21321000000'
const ACME = '+213661000001'
const ATLAS = '+213770000001'

eachDatabase(t, async (t, { db }) => {
  const now = new Date('2026-11-28T09:00:00Z')
  await applyDeskFile(db, notifyingFile(), { actor: 'test', now })
  const contractOf = async (clientId: string) =>
    (await db.select({ id: contracts.id }).from(contracts).where(eq(contracts.clientId, clientId)))[0]?.id ?? null
  // October 2026 in Algiers, in hours: ACME on Monday 5 and Tuesday 6 (100 min each, inside its
  // 300 min); Atlas on Saturday 3 and Sunday 4 (10 min each).
  const answered = async (callSid: string, clientId: string, from: string, at: string, talkSeconds: number) => {
    const contractId = (await contractOf(clientId)) as number
    const startedAt = new Date(at)
    await db.insert(calls).values({
      callSid,
      deskId: 'intercom',
      fromNumber: from,
      toNumber: DESK,
      clientId,
      contractId,
      startedAt,
      usageMonth: '2026-10',
      decision: 'dial',
      outcome: 'answered',
    })
    await db.insert(talkLegs).values({
      callSid,
      dialCallSid: `${callSid}-leg`,
      contractId,
      month: '2026-10',
      talkSeconds,
      countedSeconds: talkSeconds,
      includedSeconds: talkSeconds,
      overageSeconds: 0,
      countedAt: new Date(startedAt.getTime() + talkSeconds * 1000),
    })
  }
  await answered('CAacme1', 'acme', ACME, '2026-10-05T09:00:00Z', 6000)
  await answered('CAacme2', 'acme', ACME, '2026-10-06T09:00:00Z', 6000)
  await answered('CAatlas1', 'atlas', ATLAS, '2026-10-03T09:00:00Z', 600)
  await answered('CAatlas2', 'atlas', ATLAS, '2026-10-04T09:00:00Z', 600)
  const revisionEvents = () =>
    db
      .select({ clientId: notificationEvents.clientId, data: notificationEvents.data })
      .from(notificationEvents)
      .where(eq(notificationEvents.type, 'contract.revision'))
      .orderBy(asc(notificationEvents.occurredAt), asc(notificationEvents.key))

  const withQuota = notifyingFile()
  const acme = withQuota.clients.find((client) => client.id === 'acme')
  acme?.contracts[0]?.changes.push({ from: '2027-01-01', monthlyQuotaMinutes: 60, agreedOn: '2026-11-20' })

  await t.test("a quota revision: the client's notice carries its own October, 140 min beyond the quota", async (t) => {
    await applyDeskFile(db, withQuota, { actor: 'test', now })
    const [event, ...others] = await revisionEvents()
    t.same(others, [], 'one notice: the revision binds ACME alone')
    t.match(event, {
      clientId: 'acme',
      data: {
        effectiveFrom: '2027-01-01',
        whatIf: {
          month: '2026-10',
          calls: 2,
          changedCalls: 0,
          newlyClosed: 0,
          secondsMovedBeyondQuota: 8400,
          minutesMovedBeyondQuota: 140,
        },
      },
    })
    t.equal((event?.data as { whatIf?: { calls: number } } | undefined)?.whatIf?.calls, 2, "ACME's own calls, not Atlas's")
  })

  await t.test("new hours: each client's notice carries its own figures", async (t) => {
    const hours = structuredClone(withQuota) as DeskFile
    hours.desks[0]?.schedule.changes.push({ from: '2027-01-03', weekly: { sun: ['09:00-12:00'] }, agreedOn: '2026-11-25' })
    await applyDeskFile(db, hours, { actor: 'test', now })
    const told = (await revisionEvents()).filter(
      (event) => (event.data as { effectiveFrom: string }).effectiveFrom === '2027-01-03',
    )
    const figures = Object.fromEntries(told.map((event) => [event.clientId, (event.data as { whatIf?: object }).whatIf]))
    t.same(Object.keys(figures).sort(), ['acme', 'atlas', 'djurdjura', 'numidia'])
    t.same(
      figures.acme,
      { month: '2026-10', calls: 2, changedCalls: 2, newlyClosed: 2, secondsMovedBeyondQuota: 0, minutesMovedBeyondQuota: 0 },
      "ACME's Monday and Tuesday closed (its quota revision is not yet in force in October)",
    )
    t.same(
      figures.atlas,
      { month: '2026-10', calls: 2, changedCalls: 1, newlyClosed: 1, secondsMovedBeyondQuota: 0, minutesMovedBeyondQuota: 0 },
      "Atlas's Saturday closed, its Sunday morning open",
    )
    t.same(
      figures.djurdjura,
      { month: '2026-10', calls: 0, changedCalls: 0, newlyClosed: 0, secondsMovedBeyondQuota: 0, minutesMovedBeyondQuota: 0 },
      'Djurdjura, without calls: zeros',
    )
  })

  await t.test('a replay that fails: a warning, no figures, the transaction whole', async (t) => {
    const warnings: string[] = []
    const log = { warn: (_fields: object, message: string) => warnings.push(message) }
    const revision: RecordedRevision = {
      kind: 'contract',
      clientId: 'acme',
      desk: 'intercom',
      start: '2026-01-15',
      from: '2027-02-01',
      key: 'none',
      summary: '…',
    }
    const broken = { ...notifyingFile(), agents: null } as unknown as DeskFile
    const after = await db.transaction(async (tx) => {
      const figures = await revisionWhatIfs(tx, broken, [revision], now, log)
      t.equal(figures.size, 0, 'no figures')
      // the transaction goes on: the savepoint was rolled back
      return tx
        .select({ id: contracts.id })
        .from(contracts)
        .where(and(eq(contracts.clientId, 'acme')))
    })
    t.equal(after.length, 1, 'the transaction still reads after the failed replay')
    t.match(warnings, [/the revision notices go without the client's what-if/])
  })
})
