// Notifications with plain values: the settings' validation, who is told of what, ids, the retry
// schedule, and the words of every event in French and English.
import t from 'tap'
import { parseDeskFile } from '../../src/domain/desk-file.js'
import {
  type Audience,
  EVENT_TYPES,
  type EventData,
  type EventType,
  NO_NOTIFICATIONS,
  afterAttempt,
  emailBodies,
  insecureWebhooks,
  noticeReminder,
  notificationId,
  notificationsSchema,
  recipientsOf,
  renderMessage,
  renderSms,
} from '../../src/domain/notifications.js'

const SECRET = `whsec_${Buffer.alloc(32, 7).toString('base64')}`

const baseFile = (desk: Record<string, unknown> = {}, client: Record<string, unknown> = {}) => ({
  desks: [
    {
      id: 'intercom',
      name: 'Assistance INTERcom',
      numbers: ['+21321000000'],
      timezone: 'Africa/Algiers',
      schedule: { weekly: { sat: ['09:30-12:00'] } },
      ...desk,
    },
  ],
  clients: [{ id: 'acme', name: 'ACME SARL', ...client }],
})

t.test('the desk file takes a contact and notifications, and names each wrong value by its path', async (t) => {
  const good = parseDeskFile(
    baseFile(
      {
        notifications: {
          email: ['support@intercom.dz'],
          managers: ['chef@intercom.dz'],
          sms: true,
          webhooks: [{ url: 'https://tickets.example.com/hook', secret: SECRET, events: ['voicemail.recorded'] }],
        },
      },
      { contact: { name: 'M. Benali', email: 'benali@acme.dz', phone: '+213661000001', fax: '+21321000009' } },
    ),
  )
  t.ok(good.ok)
  const bad = parseDeskFile(
    baseFile(
      {
        notifications: {
          email: ['not an address'],
          webhooks: [{ url: 'ftp://x', secret: 'whsec_short', events: ['voicemail.recorded', 'call.made'] }],
        },
      },
      { contact: { name: 'M. Benali', email: 'nope' } },
    ),
  )
  t.notOk(bad.ok)
  const paths = bad.ok ? [] : bad.errors.map((e) => e.path)
  t.same(paths.sort(), [
    'clients[0].contact.email',
    'desks[0].notifications.email[0]',
    'desks[0].notifications.webhooks[0].events[1]',
    'desks[0].notifications.webhooks[0].secret',
    'desks[0].notifications.webhooks[0].url',
  ])
})

t.test('production refuses webhooks that are not https', async (t) => {
  const file = baseFile({
    notifications: {
      webhooks: [
        { url: 'https://ok.example.com/hook', secret: SECRET, events: ['desk.reopened'] },
        { url: 'http://tickets.example.com/hook', secret: SECRET, events: ['desk.reopened'] },
      ],
    },
  })
  t.ok(parseDeskFile(file).ok, 'accepted outside production')
  const refused = parseDeskFile(file, { production: true })
  t.same(refused.ok ? [] : refused.errors, [
    { path: 'desks[0].notifications.webhooks[1].url', message: 'must be an https:// URL in production' },
  ])
  t.ok(parseDeskFile(baseFile(), { production: true }).ok, 'a desk without notifications is fine')
  t.same(insecureWebhooks(NO_NOTIFICATIONS), [])
})

const settings = notificationsSchema.parse({
  email: ['support@intercom.dz'],
  managers: ['Chef@intercom.dz', 'support@intercom.dz'],
  sms: true,
  webhooks: [
    { url: 'https://a.example.com/', secret: SECRET, events: ['voicemail.recorded', 'desk.closed_now'] },
    { url: 'https://b.example.com/', secret: SECRET, events: ['quota.threshold'] },
  ],
})
const audience: Audience = {
  settings,
  deskLanguage: 'fr-FR',
  client: { id: 'acme', contactEmail: 'benali@acme.dz', language: 'en-US' },
  deskClients: [
    { id: 'acme', contactEmail: 'benali@acme.dz', language: null },
    { id: 'djurdjura', contactEmail: null, language: null },
    { id: 'atlas', contactEmail: 'it@atlas.dz', language: 'ar' },
  ],
  agentsOnDuty: [{ number: '+213550000001' }],
}

t.test('who is told of each event', async (t) => {
  const told = (type: EventType, a: Audience = audience) =>
    recipientsOf(type, a).map((r) => `${r.channel}:${r.address}:${r.language}`)
  t.same(told('voicemail.recorded'), [
    'sms:+213550000001:fr-FR',
    'email:support@intercom.dz:fr-FR',
    'webhook:https://a.example.com/:fr-FR',
  ])
  t.same(told('callback.opened'), ['email:support@intercom.dz:fr-FR'])
  t.same(told('callback.late'), ['email:chef@intercom.dz:fr-FR', 'email:support@intercom.dz:fr-FR'])
  t.same(told('quota.threshold'), [
    'email:benali@acme.dz:en-US',
    'email:chef@intercom.dz:fr-FR',
    'email:support@intercom.dz:fr-FR',
    'webhook:https://b.example.com/:fr-FR',
  ])
  t.same(told('holiday.changed'), ['email:benali@acme.dz:fr-FR', 'email:it@atlas.dz:ar'])
  t.same(
    recipientsOf('holiday.changed', audience).map((r) => r.clientId),
    ['acme', 'atlas'],
    "a contact's notice is marked as its client's",
  )
  t.same(told('email.acknowledged'), [], "an e-mail request's message goes to its own recipients only")
  t.same(
    recipientsOf('email.answered', {
      ...audience,
      mailTo: { addresses: ['k.benali@acme.dz', 'it@acme.dz'], language: 'fr-FR', clientId: 'acme' },
    }).map((r) => `${r.address}:${r.language}:${r.clientId}`),
    ['k.benali@acme.dz:fr-FR:acme', 'it@acme.dz:fr-FR:acme'],
  )
  t.same(
    recipientsOf('email.refused', {
      ...audience,
      mailTo: { addresses: ['x@acme.dz'], language: 'ar', clientId: null },
    }).map((r) => `${r.address}:${r.language}:${r.clientId}`),
    ['x@acme.dz:ar:undefined'],
  )
  t.same(
    recipientsOf('voicemail.recorded', audience).map((r) => r.clientId),
    [undefined, undefined, undefined],
    "agents', the desk's and webhooks' are not",
  )
  t.same(told('contract.revision', { ...audience, client: null }), [])
  t.same(
    told('overage.consented', { ...audience, client: { id: 'acme', contactEmail: 'CHEF@intercom.dz', language: null } }),
    ['email:chef@intercom.dz:fr-FR', 'email:support@intercom.dz:fr-FR'],
    'one message to an address named twice',
  )
  t.same(told('desk.closed_now', { ...audience, settings: { ...settings, sms: false } }), [
    'webhook:https://a.example.com/:fr-FR',
  ])
  t.same(told('desk.reopened'), ['sms:+213550000001:fr-FR'])
  t.same(told('contract.notice_due', { ...audience, settings: NO_NOTIFICATIONS }), [])
})

t.test('a notification id is the same for the same fact and recipient, and differs otherwise', async (t) => {
  const id = notificationId('voicemail.recorded:CA1', { channel: 'email', address: 'a@b.dz' })
  t.match(id, /^msg_[0-9a-f]{32}$/)
  t.equal(notificationId('voicemail.recorded:CA1', { channel: 'email', address: 'a@b.dz' }), id)
  t.not(notificationId('voicemail.recorded:CA1', { channel: 'webhook', address: 'a@b.dz' }), id)
  t.not(notificationId('voicemail.recorded:CA2', { channel: 'email', address: 'a@b.dz' }), id)
})

t.test('retries back off exponentially with jitter for 24 hours, then fail', async (t) => {
  const since = new Date('2026-11-28T10:00:00Z')
  const failure = { ok: false as const, transient: true, error: 'answered 500' }
  t.same(afterAttempt({ ok: true }, 1, since, since, 0.5), { status: 'sent' })
  t.same(afterAttempt({ ok: false, transient: false, error: 'answered 404' }, 1, since, since, 0.5), {
    status: 'failed',
    error: 'answered 404',
  })
  const first = afterAttempt(failure, 1, since, since, 0)
  t.same(first, { status: 'pending', nextAttemptAt: new Date(since.getTime() + 15_000), error: 'answered 500' })
  const third = afterAttempt(failure, 3, since, since, 0.999_999)
  t.ok(third.status === 'pending' && Math.abs(third.nextAttemptAt.getTime() - since.getTime() - 120_000) < 2)
  const capped = afterAttempt(failure, 40, since, since, 0.5)
  t.ok(capped.status === 'pending' && capped.nextAttemptAt.getTime() - since.getTime() === 2_700_000, 'at most an hour')
  const slow = afterAttempt({ ...failure, retryAfterSeconds: 600 }, 1, since, since, 0)
  t.ok(slow.status === 'pending' && slow.nextAttemptAt.getTime() - since.getTime() === 600_000, 'Retry-After is a floor')
  const late = new Date(since.getTime() + 23.9 * 3_600_000)
  t.same(afterAttempt(failure, 30, late, since, 0.5), { status: 'failed', error: 'answered 500 (gave up after 30 attempts)' })
  // the whole schedule: how many attempts fit in 24 hours with the midpoint of the jitter
  let at = since
  let attempts = 0
  for (;;) {
    attempts++
    const verdict = afterAttempt(failure, attempts, at, since, 0.5)
    if (verdict.status !== 'pending') break
    at = verdict.nextAttemptAt
  }
  t.ok(attempts > 20 && attempts < 45, `${attempts} attempts in 24 hours`)
})

t.test('a notice deadline is reminded from `days` before it until it passes', async (t) => {
  t.equal(noticeReminder({ today: '2026-10-01', noticeDeadline: '2026-10-15' }, 30), '2026-10-15')
  t.equal(noticeReminder({ today: '2026-09-01', noticeDeadline: '2026-10-15' }, 30), null)
  t.equal(noticeReminder({ today: '2026-10-16', noticeDeadline: '2026-10-15' }, 30), null)
  t.equal(noticeReminder({ today: '2026-10-16', noticeDeadline: null }, 30), null)
})

const callback = {
  callbackId: 7,
  callSid: 'CA1',
  desk: 'intercom',
  clientId: 'acme',
  clientName: 'ACME SARL',
  from: '+213661000001',
  reason: 'closed_hours' as const,
  dueAt: '2026-11-29T09:30:00.000Z',
}
/** An e-mail request (issue #15): no call, the sender's address, a subject. */
const emailRequest = {
  ...callback,
  callSid: null,
  from: 'k.benali@acme.dz',
  reason: 'email' as const,
  channel: 'email' as const,
  subject: 'Problème de connexion',
}
const mail = {
  requestId: 7,
  clientId: 'acme',
  to: ['k.benali@acme.dz'],
  language: 'fr-FR',
  subject: 'Re: [SL-7] Problème de connexion',
  text: 'Bonjour,\n\nVotre demande est bien reçue.',
  messageId: '<sl-ack-7@vendor.dz>',
  inReplyTo: '<a@acme.dz>',
  references: ['<a@acme.dz>'],
  automatic: true,
}
const EXAMPLES: { [T in EventType]: EventData[T][] } = {
  'voicemail.recorded': [
    { ...callback, recordingUrl: 'https://api.twilio.com/rec/RE1', durationSeconds: 42 },
    { ...callback, clientName: null, dueAt: null, recordingUrl: 'https://api.twilio.com/rec/RE1', durationSeconds: null },
  ],
  'callback.opened': [callback, emailRequest, { ...emailRequest, subject: null }],
  'callback.late': [callback, emailRequest, { ...emailRequest, subject: `Très ${'long '.repeat(100)}` }],
  'quota.threshold': [
    {
      contractId: 1,
      clientId: 'acme',
      clientName: 'ACME SARL',
      desk: 'intercom',
      month: '2026-11',
      percent: 80,
      quotaSeconds: 18_000,
      callSid: 'CA1',
    },
    {
      contractId: 1,
      clientId: 'acme',
      clientName: 'ACME SARL',
      desk: 'intercom',
      month: '2026-11',
      percent: 100,
      quotaSeconds: 18_000,
      callSid: 'CA2',
    },
  ],
  'overage.consented': [
    {
      callSid: 'CA1',
      contractId: 1,
      clientId: 'acme',
      clientName: 'ACME SARL',
      desk: 'intercom',
      month: '2026-11',
      from: '+213661000001',
      at: '2026-11-28T10:00:00Z',
    },
  ],
  'holiday.changed': [
    {
      desk: 'intercom',
      kind: 'holiday',
      holidayId: 'eid-al-fitr-2027',
      action: 'move',
      name: 'Aïd el-Fitr',
      start: '2027-03-10',
      days: 3,
      by: 'Nadia',
      nextOpening: '2027-03-13T08:30:00Z',
    },
    {
      desk: 'intercom',
      kind: 'holiday',
      holidayId: 'ashura-2027',
      action: 'confirm',
      name: null,
      start: '2027-06-15',
      days: 1,
      by: 'Nadia',
      nextOpening: null,
    },
    {
      desk: 'intercom',
      kind: 'holiday',
      holidayId: 'x',
      action: 'remove',
      name: 'Inventaire',
      start: null,
      days: null,
      by: 'Nadia',
      nextOpening: null,
    },
    {
      desk: 'intercom',
      kind: 'season',
      holidayId: 'ramadan-1448',
      action: 'move',
      name: 'Ramadan',
      start: '2027-02-09',
      days: 29,
      by: 'Nadia',
      nextOpening: '2027-02-09T08:00:00Z',
    },
    {
      desk: 'intercom',
      kind: 'season',
      holidayId: 'ramadan-1448',
      action: 'confirm',
      name: 'Ramadan',
      start: '2027-02-08',
      days: 29,
      by: 'Nadia',
      nextOpening: null,
    },
  ],
  'contract.notice_due': [
    {
      contractId: 1,
      clientId: 'acme',
      clientName: 'ACME SARL',
      desk: 'intercom',
      noticeDeadline: '2026-10-15',
      periodLastDay: '2027-01-14',
    },
    {
      contractId: 1,
      clientId: 'acme',
      clientName: 'ACME SARL',
      desk: 'intercom',
      noticeDeadline: '2026-10-15',
      periodLastDay: null,
    },
  ],
  'contract.revision': [
    {
      contractId: 1,
      clientId: 'acme',
      clientName: 'ACME SARL',
      desk: 'intercom',
      effectiveFrom: '2027-01-01',
      summary: '4 h a month',
    },
    {
      contractId: 1,
      clientId: 'acme',
      clientName: 'ACME SARL',
      desk: 'intercom',
      effectiveFrom: '2027-01-01',
      summary: '1 h a month',
      whatIf: {
        month: '2026-10',
        calls: 2,
        changedCalls: 0,
        newlyClosed: 0,
        secondsMovedBeyondQuota: 8400,
        minutesMovedBeyondQuota: 140,
      },
    },
    {
      contractId: null,
      clientId: 'acme',
      clientName: 'ACME SARL',
      desk: 'intercom',
      effectiveFrom: '2027-01-03',
      summary: 'dimanche 9 h – 12 h',
      whatIf: {
        month: '2026-10',
        calls: 1,
        changedCalls: 1,
        newlyClosed: 1,
        secondsMovedBeyondQuota: -60,
        minutesMovedBeyondQuota: -1,
      },
    },
  ],
  'desk.closed_now': [
    { desk: 'intercom', since: '2026-11-28T10:00:00Z', by: 'Nadia', reason: 'Coupure réseau' },
    { desk: 'intercom', since: '2026-11-28T10:00:00Z', by: 'Nadia', reason: null },
  ],
  'desk.reopened': [{ desk: 'intercom', at: '2026-11-28T11:00:00Z', by: 'Nadia', nextOpening: null }],
  'email.acknowledged': [mail],
  'email.refused': [mail],
  'email.answered': [{ ...mail, automatic: false }],
}

t.test('every event has words in French and English, dated in the desk zone', async (t) => {
  t.same(Object.keys(EXAMPLES).sort(), [...EVENT_TYPES].sort())
  for (const type of EVENT_TYPES) {
    for (const data of EXAMPLES[type]) {
      for (const language of ['fr-FR', 'en-US', 'ar']) {
        const context = { deskName: 'Assistance INTERcom', timezone: 'Africa/Algiers', language }
        const message = renderMessage(type, data as never, context)
        if (type.startsWith('email.')) t.equal(message.subject, 'Re: [SL-7] Problème de connexion', 'written with the fact')
        else t.match(message.subject, /^\[Assistance INTERcom\] /, `${type} ${language}`)
        t.ok(message.lines.length > 0)
        t.ok(renderSms(type, data as never, context).length <= 1600)
      }
    }
  }
  const fr = renderMessage('voicemail.recorded', EXAMPLES['voicemail.recorded'][0] as never, {
    deskName: 'Assistance INTERcom',
    timezone: 'Africa/Algiers',
    language: 'fr-FR',
  })
  t.match(fr.lines.join(' '), /dimanche 29 novembre 2026 à 10h30/, 'the due time in Algiers, in French')
  const [, , , moved, confirmed] = EXAMPLES['holiday.changed']
  const algiers = { deskName: 'Assistance INTERcom', timezone: 'Africa/Algiers' }
  const seasonFr = renderMessage('holiday.changed', moved as never, { ...algiers, language: 'fr-FR' })
  t.equal(seasonFr.subject, '[Assistance INTERcom] Dates déplacées : Ramadan', 'a season is not called a public holiday')
  t.match(seasonFr.lines[0], /les dates de la période « Ramadan » : mardi 9 février 2027, 29 jours ; ses horaires s’y appliquent/)
  const seasonEn = renderMessage('holiday.changed', confirmed as never, { ...algiers, language: 'en-GB' })
  t.equal(seasonEn.subject, '[Assistance INTERcom] Dates confirmed: Ramadan')
  t.match(seasonEn.lines, [/confirmed the dates of "Ramadan"/, /Support next opens not scheduled/])
  const late = renderMessage(
    'callback.late',
    { ...emailRequest, subject: `Très ${'long '.repeat(100)}` },
    { ...algiers, language: 'fr-FR' },
  )
  t.match(late.lines[0], /« Très (long )+long… »/, 'a long subject is cut')
  t.match(
    renderMessage('callback.opened', { ...emailRequest, subject: '  ' }, { ...algiers, language: 'en-GB' }).lines[0],
    /wrote: "no subject"/,
  )
  t.match(
    renderMessage('callback.opened', { ...emailRequest, subject: null }, { ...algiers, language: 'fr-FR' }).lines[0],
    /a écrit : « sans objet »/,
  )
  const en = renderMessage('callback.late', callback, { deskName: 'X', timezone: 'Europe/Paris', language: 'en-GB' })
  t.match(en.lines[0], /Sunday 29 November 2026 at 10:30/)
})

t.test('an e-mail has a text part and an escaped HTML part', async (t) => {
  const bodies = emailBodies({ subject: 's', lines: ['a < b & "c"', 'second'] }, 'en-US')
  t.equal(bodies.text, 'a < b & "c"\n\nsecond\n')
  t.equal(bodies.html, '<!doctype html><html lang="en"><body><p>a &lt; b &amp; &quot;c&quot;</p><p>second</p></body></html>')
  t.match(emailBodies({ subject: 's', lines: ["l'x"] }, 'fr-FR').html, /lang="fr".*l&#39;x/)
})

t.test("a revision's notice says the client's own what-if, in French and English", async (t) => {
  const context = { deskName: 'Assistance INTERcom', timezone: 'Africa/Algiers', language: 'fr-FR' }
  const [plain, quota, hours] = EXAMPLES['contract.revision']
  if (!plain || !quota || !hours) throw new Error('three examples')
  t.equal(renderMessage('contract.revision', plain, context).lines.length, 1, 'without figures, the revision alone')
  t.same(renderMessage('contract.revision', quota, context).lines, [
    'À compter du vendredi 1 janvier 2027 : 1 h a month',
    'Si elle s’était appliquée en octobre 2026 à vos appels : 2 appels rejoués, 0 aurait changé, 0 aurait trouvé l’assistance fermée, 140 minutes seraient passées au-delà du forfait.',
  ])
  t.equal(
    renderMessage('contract.revision', hours, context).lines[1],
    'Si elle s’était appliquée en octobre 2026 à vos appels : 1 appel rejoué, 1 aurait changé, 1 aurait trouvé l’assistance fermée, 1 minute serait revenue dans le forfait.',
  )
  t.equal(
    renderMessage('contract.revision', quota, { ...context, language: 'en-US' }).lines[1],
    'Had it applied in October 2026 to your calls: 2 calls replayed, 0 would have changed, 0 would have found support closed, 140 minutes would have moved beyond the quota.',
  )
  t.equal(
    renderMessage('contract.revision', hours, { ...context, language: 'en-US' }).lines[1],
    'Had it applied in October 2026 to your calls: 1 call replayed, 1 would have changed, 1 would have found support closed, 1 minute would have come back within the quota.',
  )
  t.match(renderSms('contract.revision', quota, context), /140 minutes seraient passées au-delà du forfait/, 'the SMS too')
})
