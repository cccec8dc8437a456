// The outbox's rows are written with their facts, in the facts' transactions: one per fact and
// recipient, whether the fact comes live, twice, or through a journal replay; the facts that come
// with time (late callbacks, notice deadlines) once, whoever scans.
import { randomUUID } from 'node:crypto'
import { asc, eq } from 'drizzle-orm'
import t from 'tap'
import type { Database } from '../../db/client.js'
import { notificationEvents, notifications } from '../../db/schema.js'
import { recordHolidayOverride, setClosedNow } from '../../src/store/calendar.js'
import { applyDeskFile } from '../../src/store/configuration.js'
import { exportDeskFile } from '../../src/store/admin-config.js'
import { claimDue, listNotifications, resendNotification, scanTimedFacts, settle } from '../../src/store/notifications.js'
import { applyWebhookWrite, applyWebhookWrites } from '../../src/store/webhook-writes.js'
import { newSid } from '../../webhooks/index.js'
import { eachDatabase } from '../helpers/databases.js'
import { answeredCallWrites } from '../fixtures/webhook-writes.js'
import { SECRET, notifyingFile, voicemailWrites } from '../fixtures/notifications.js'

// Real servers and two databases on a machine shared with other work: room beyond tap's 30 s.
t.setTimeout(120_000)

async function rows(db: Database) {
  return db
    .select({
      type: notifications.type,
      channel: notifications.channel,
      recipient: notifications.recipient,
      id: notifications.id,
    })
    .from(notifications)
    .orderBy(asc(notifications.type), asc(notifications.channel), asc(notifications.recipient))
}

eachDatabase(t, async (t, database) => {
  const { db } = database
  await applyDeskFile(db, notifyingFile(), { actor: 'test', now: new Date('2026-11-01T00:00:00Z') })

  await t.test('the contact and the settings are stored and exported as the file says', async (t) => {
    const exported = await exportDeskFile(db)
    t.same(exported.clients.find((c) => c.id === 'acme')?.contact, {
      name: 'M. Benali',
      email: 'benali@acme.example',
      phone: '+213661000001',
      fax: '+21321000099',
    })
    t.equal(exported.desks[0]?.notifications?.webhooks[0]?.secret, SECRET)
    const again = await applyDeskFile(db, exported, { actor: 'test', now: new Date() })
    t.same(again.changes, [], 're-applying the export changes nothing')
  })

  await t.test('a voicemail writes its notifications once, live, twice, or replayed', async (t) => {
    const callSid = newSid()
    const writes = voicemailWrites(callSid)
    for (const write of writes) await applyWebhookWrite(db, write, { live: true })
    const first = (await rows(db)).filter((r) => r.id)
    t.same(
      first.map((r) => `${r.type} ${r.channel} ${r.recipient}`),
      [
        'callback.opened email support@intercom.example',
        'callback.opened webhook https://tickets.example.com/hook',
        'voicemail.recorded email support@intercom.example',
        'voicemail.recorded sms +213550000001',
        'voicemail.recorded sms +213550000002',
        'voicemail.recorded webhook https://tickets.example.com/hook',
      ],
    )
    // The same facts again: the same deliveries (journal replay), and a second delivery by Twilio.
    await applyWebhookWrites(db, writes)
    await applyWebhookWrites(
      db,
      writes.map((w) => ({ ...w, id: randomUUID() })),
    )
    t.same(await rows(db), first, 'nothing more')
    const [event] = await db
      .select()
      .from(notificationEvents)
      .where(eq(notificationEvents.key, `voicemail.recorded:${callSid}`))
    t.match(event?.data, {
      callSid,
      desk: 'intercom',
      clientId: 'acme',
      clientName: 'ACME SARL',
      from: '+213661000001',
      reason: 'no_agent',
      recordingUrl: 'https://api.twilio.com/rec/RE1',
      durationSeconds: 31,
    })
    t.ok(event?.data.dueAt, 'with the due time')
    await db.delete(notifications)
    await db.delete(notificationEvents)
  })

  await t.test('crossing 80 % and 100 % of the quota tells the contact and the managers, once', async (t) => {
    // 300 minutes: 250 minutes then 60 more cross 80 % and then 100 %.
    const a = answeredCallWrites(newSid(), { talkSeconds: 250 * 60 })
    const b = answeredCallWrites(newSid(), { talkSeconds: 60 * 60, at: '2026-11-28T14:00:00.000Z' })
    for (const write of [a.voice, a.dial, b.voice, b.dial, b.dial]) await applyWebhookWrite(db, write, { live: true })
    await applyWebhookWrites(db, [{ ...b.dial, id: randomUUID() }])
    t.same(
      (await rows(db)).map((r) => `${r.type} ${r.channel} ${r.recipient}`),
      [
        'quota.threshold email benali@acme.example',
        'quota.threshold email benali@acme.example',
        'quota.threshold email chef@intercom.example',
        'quota.threshold email chef@intercom.example',
        'quota.threshold webhook https://tickets.example.com/hook',
        'quota.threshold webhook https://tickets.example.com/hook',
      ],
    )
    const events = await db.select({ key: notificationEvents.key }).from(notificationEvents).orderBy(asc(notificationEvents.key))
    t.same(
      events.map((e) => e.key),
      ['quota.threshold:1:2026-11:100', 'quota.threshold:1:2026-11:80'],
    )
  })

  await t.test('the emergency switch and a holiday change tell agents, clients and webhooks', async (t) => {
    await db.delete(notifications)
    await db.delete(notificationEvents)
    const actor = { name: 'Nadia', now: new Date('2026-11-28T10:00:00Z') }
    await setClosedNow(db, 'intercom', 'Coupure réseau', actor)
    await setClosedNow(db, 'intercom', 'Toujours coupé', { ...actor, now: new Date('2026-11-28T10:05:00Z') })
    await setClosedNow(db, 'intercom', null, { ...actor, now: new Date('2026-11-28T11:00:00Z') })
    await setClosedNow(db, 'intercom', null, { ...actor, now: new Date('2026-11-28T11:01:00Z') })
    await recordHolidayOverride(
      db,
      'intercom',
      { holidayId: 'eid-al-adha-2027', action: 'move', start: '2027-05-17', days: 3 },
      actor,
    )
    const told = (await rows(db)).map((r) => `${r.type} ${r.channel} ${r.recipient}`)
    t.same(told, [
      'desk.closed_now sms +213550000001',
      'desk.closed_now sms +213550000002',
      'desk.closed_now webhook https://tickets.example.com/hook',
      'desk.reopened sms +213550000001',
      'desk.reopened sms +213550000002',
      'desk.reopened webhook https://tickets.example.com/hook',
      'holiday.changed email benali@acme.example',
      'holiday.changed webhook https://tickets.example.com/hook',
    ])
    const [holiday] = await db.select().from(notificationEvents).where(eq(notificationEvents.type, 'holiday.changed'))
    t.match(holiday?.data, { action: 'move', start: '2027-05-17', days: 3, by: 'Nadia' })
    t.ok(holiday?.data.nextOpening, 'with the next opening')
  })

  await t.test('late callbacks and notice deadlines are written once, however often scanned', async (t) => {
    await db.delete(notifications)
    await db.delete(notificationEvents)
    for (const write of voicemailWrites(newSid(), '2026-09-05T09:00:00.000Z')) await applyWebhookWrite(db, write, { live: true })
    await db.delete(notifications)
    await db.delete(notificationEvents)
    // ACME's contract (from 2026-01-15, notice 3 months) must be refused by 2026-10-15.
    const before = await scanTimedFacts(db, new Date('2026-09-05T10:00:00Z'), { noticeDays: 30 })
    t.equal(before, 0, 'the callback is not late yet; no deadline within 30 days (ACME: 15 Oct)')
    const now = new Date('2026-09-20T10:00:00Z')
    t.equal(await scanTimedFacts(db, now, { noticeDays: 30 }), 4, 'late: managers and the webhook; ACME notice due: the same')
    t.equal(await scanTimedFacts(db, now, { noticeDays: 30 }), 0, 'a second scan writes nothing')
    t.same(
      (await rows(db)).map((r) => `${r.type} ${r.channel} ${r.recipient}`),
      [
        'callback.late email chef@intercom.example',
        'callback.late webhook https://tickets.example.com/hook',
        'contract.notice_due email chef@intercom.example',
        'contract.notice_due webhook https://tickets.example.com/hook',
      ],
    )
  })

  await t.test('claims skip what another sender holds, settle records the verdict, a manager resends', async (t) => {
    const now = new Date('2026-11-28T12:00:00Z')
    const due = await db.select({ id: notifications.id }).from(notifications)
    const both = await Promise.all([
      claimDue(db, { now, leaseMs: 60_000, limit: 3, channels: ['email', 'webhook'] }),
      claimDue(db, { now, leaseMs: 60_000, limit: 3, channels: ['email', 'webhook'] }),
    ])
    const claimed = both.flat()
    t.equal(claimed.length, due.length, 'every one claimed')
    t.equal(new Set(claimed.map((c) => c.id)).size, claimed.length, 'none by both')
    t.same(await claimDue(db, { now, leaseMs: 60_000, limit: 10, channels: ['email', 'webhook'] }), [], 'held')
    const [lapsed] = await claimDue(db, {
      now: new Date(now.getTime() + 61_000),
      leaseMs: 60_000,
      limit: 1,
      channels: ['webhook'],
    })
    t.ok(lapsed, 'a claim that lapsed is taken again (its sender died)')
    t.equal(lapsed?.attempts, 2)
    const [one] = claimed
    if (!one || !lapsed) return
    await settle(db, lapsed.id, 1, { status: 'sent' }, now)
    t.equal(
      (await listNotifications(db, {}, { limit: 50 })).items.find((i) => i.id === lapsed.id)?.status,
      'sending',
      'a stale claim settles nothing',
    )
    await settle(db, lapsed.id, 2, { status: 'failed', error: 'answered 404' }, now)
    t.ok(await resendNotification(db, lapsed.id, 'Nadia', now))
    t.notOk(await resendNotification(db, lapsed.id, 'Nadia', now), 'only a failed one')
    const page = await listNotifications(db, { status: 'pending' }, { limit: 1 })
    t.equal(page.items[0]?.resentBy, 'Nadia')
    t.equal(page.next, null)
    const acme = await listNotifications(
      db,
      { clientId: 'acme', type: 'callback.late', channel: 'email', deskId: 'intercom' },
      { limit: 1 },
    )
    t.equal(acme.items.length, 1)
    const next = await listNotifications(db, {}, { limit: 1 })
    t.ok(next.next)
    const second = await listNotifications(db, {}, { limit: 1, cursor: next.next ?? undefined })
    t.not(second.items[0]?.id, next.items[0]?.id)
  })
})
