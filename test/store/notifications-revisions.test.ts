// The two notices that come with the quota line and the revisions: a caller's yes to billing
// (overage.consented, with its evidence) and a revision the service records (contract.revision,
// the model clause's written notice), each written once with its fact.
import { randomUUID } from 'node:crypto'
import { asc, eq } from 'drizzle-orm'
import t from 'tap'
import { notificationEvents, notifications } from '../../db/schema.js'
import { applyDeskFile } from '../../src/store/configuration.js'
import { applyWebhookWrite } from '../../src/store/webhook-writes.js'
import { newSid } from '../../webhooks/index.js'
import { eachDatabase } from '../helpers/databases.js'
import { notifyingFile } from '../fixtures/notifications.js'
import { answeredCallWrites } from '../fixtures/webhook-writes.js'

eachDatabase(t, async (t, { db }) => {
  const now = new Date('2026-11-28T09:00:00Z')
  await applyDeskFile(db, notifyingFile(), { actor: 'test', now })
  const told = async (type: (typeof notifications.$inferSelect)['type']) =>
    (
      await db
        .select({ channel: notifications.channel, recipient: notifications.recipient })
        .from(notifications)
        .where(eq(notifications.type, type))
        .orderBy(asc(notifications.channel), asc(notifications.recipient))
    ).map((row) => `${row.channel} ${row.recipient}`)

  await t.test("a caller's yes to billing tells the client's contact and the managers, once", async (t) => {
    const callSid = newSid()
    const { voice } = answeredCallWrites(callSid, { talkSeconds: 60 })
    await applyWebhookWrite(db, voice, { live: true })
    const yes = {
      id: randomUUID(),
      callSid,
      at: '2026-11-28T09:00:20.000Z',
      event: 'overage:accepted',
      params: { CallSid: callSid, From: voice.from, To: voice.to, Digits: '1' },
      kind: 'overage' as const,
      accepted: true,
      callback: null,
      question: 'start' as const,
      words: 'Pour être mis en relation, avec une facturation en dehors du forfait, appuyez sur 1.',
    }
    await applyWebhookWrite(db, yes, { live: true })
    await applyWebhookWrite(db, { ...yes, id: randomUUID() }, { live: true })
    t.same(await told('overage.consented'), [
      'email benali@acme.example',
      'email chef@intercom.example',
      'webhook https://tickets.example.com/hook',
    ])
    const [event] = await db.select().from(notificationEvents).where(eq(notificationEvents.type, 'overage.consented'))
    t.match(event?.data, { callSid, clientId: 'acme', clientName: 'ACME SARL', month: '2026-11', at: '2026-11-28T09:00:20.000Z' })
  })

  await t.test('a revision recorded tells the clients it binds, once; one refused tells nobody', async (t) => {
    const revised = notifyingFile()
    const acme = revised.clients.find((client) => client.id === 'acme')
    acme?.contracts[0]?.changes.push({ from: '2027-01-01', monthlyQuotaMinutes: 600, agreedOn: '2026-11-20' })
    await applyDeskFile(db, revised, { actor: 'test', now })
    await applyDeskFile(db, revised, { actor: 'test', now: new Date('2026-12-10T09:00:00Z') })
    t.same(await told('contract.revision'), ['email benali@acme.example', 'webhook https://tickets.example.com/hook'])
    const [event] = await db.select().from(notificationEvents).where(eq(notificationEvents.type, 'contract.revision'))
    t.match(event?.data, {
      clientId: 'acme',
      effectiveFrom: '2027-01-01',
      summary: 'forfait mensuel de 600 minutes (avenant signé le 2026-11-20).',
    })

    const unsigned = notifyingFile()
    unsigned.clients.find((client) => client.id === 'acme')?.contracts[0]?.changes.push({ from: '2027-02-01', overage: 'refuse' })
    await t.rejects(
      applyDeskFile(db, unsigned, { actor: 'test', now }),
      { code: 'revision_refused' },
      'INTERcom: not without the amendment',
    )
    t.equal((await told('contract.revision')).length, 2, 'and nobody is told of it')

    const hours = notifyingFile()
    const desk = hours.desks[0]
    desk?.schedule.changes.push({ from: '2027-01-03', weekly: { sun: ['09:00-12:00'] }, agreedOn: '2026-11-25' })
    if (acme) hours.clients = hours.clients.map((client) => (client.id === 'acme' ? acme : client))
    await applyDeskFile(db, hours, { actor: 'test', now })
    const hoursEvents = await db
      .select({ clientId: notificationEvents.clientId })
      .from(notificationEvents)
      .where(eq(notificationEvents.type, 'contract.revision'))
      .orderBy(asc(notificationEvents.clientId))
    t.same(
      hoursEvents.map((e) => e.clientId),
      ['acme', 'acme', 'atlas', 'djurdjura', 'numidia'],
      "new hours are told to every client with a contract on the desk (Oasis's has ended)",
    )
  })
})
