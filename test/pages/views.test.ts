// The pages rendered from plain data (no database, no Fastify): what each role sees, escaping,
// no inline script or style, holidays read as occurrences, notice deadlines ahead.
import t, { type Test } from 'tap'
import type { Role } from '../../src/domain/access.js'
import type { Holiday } from '../../src/domain/calendar/index.js'
import type { ContractOverview } from '../../src/domain/contract-overview.js'
import { calendarPage, occurrencesOf } from '../../src/pages/calendar-page.js'
import { type CallbacksView, callbacksPage } from '../../src/pages/callbacks-page.js'
import { callPage, callsPage } from '../../src/pages/calls-page.js'
import { type ContractRow, contractsPage, upcomingDeadlines } from '../../src/pages/contracts-page.js'
import { type Lang, messagesFor } from '../../src/pages/i18n.js'
import { type PageContext, href, layout } from '../../src/pages/layout.js'
import { errorPage } from '../../src/pages/error-page.js'
import { notificationsPage } from '../../src/pages/notifications-page.js'
import { type TodayView, todayPage } from '../../src/pages/today-page.js'
import { type UsageView, usagePage } from '../../src/pages/usage-page.js'
import { html } from '../../src/pages/html.js'
import type { CallLogItem } from '../../src/store/call-log.js'
import type { CallbackItem } from '../../src/store/callback-queue.js'
import type { ContractRecord } from '../../src/store/contracts.js'
import type { UsageItem } from '../../src/store/usage-report.js'

const NOW = new Date('2026-11-28T09:00:00Z')
const DESK = { id: 'intercom', name: 'Assistance INTERcom', timezone: 'Africa/Algiers', language: 'fr-FR' }
const EVIL = '<img src=x onerror=alert(1)>'

function context(role: Role | null, lang: Lang = 'fr'): PageContext {
  return {
    lang,
    t: messagesFor(lang),
    principal: role ? { name: `Leila ${EVIL}`, role, clientId: role === 'client' ? 'acme' : null, tokenId: 1 } : null,
    csrf: 'form-token',
    path: '/dashboard',
    query: { desk: 'intercom' },
    flash: null,
    assets: { css: '/dashboard/assets/style.css?v=1', js: '/dashboard/assets/app.js?v=1' },
    now: NOW,
  }
}

function call(overrides: Partial<CallLogItem>): CallLogItem {
  return {
    callSid: 'CA1',
    desk: 'intercom',
    from: '+213661000001',
    to: '+21321000000',
    clientId: 'acme',
    contractId: 1,
    outcome: 'answered',
    decision: 'dial',
    direction: 'inbound',
    callbackId: null,
    startedAt: new Date('2026-11-28T08:35:00Z'),
    endedAt: null,
    talkSeconds: 750,
    durationSeconds: null,
    agentId: 'amina',
    onCall: false,
    overageAccepted: false,
    overageSeconds: 0,
    graceSeconds: 0,
    recordingUrl: null,
    ...overrides,
  }
}

function today(role: Role): TodayView {
  const manager = role !== 'client'
  return {
    desks: [DESK],
    desk: DESK,
    today: '2026-11-28',
    status: { open: true, reason: 'open', nextOpening: null, closesAt: new Date('2026-11-28T11:00:00Z') },
    hours: 'Le service est ouvert du samedi au mercredi.',
    closedNow: null,
    holidaysToConfirm: manager
      ? [{ id: 'mawlid-1448', name: 'Mawlid Ennabaoui', status: 'estimated', first: '2026-12-24', last: '2026-12-24' }]
      : null,
    agents: manager
      ? [
          { id: 'amina', name: 'Amina', number: '+213550000001', onDuty: true },
          { id: 'karim', name: 'Karim', number: '+213550000002', onDuty: false },
        ]
      : null,
    calls: [call({}), call({ callSid: 'CA2', outcome: null, talkSeconds: 0, agentId: null })],
    callbacks: manager ? { open: [], counts: { open: 0, late: 0 } } : null,
    directory: {
      clients: new Map([['acme', EVIL]]),
      agents: new Map([['amina', 'Amina']]),
      zones: new Map([['intercom', 'Africa/Algiers']]),
      defaultZone: 'UTC',
    },
  }
}

/** What the CSP forbids: inline script, inline style, event handlers written by us. */
function assertCspClean(t: Test, page: string) {
  t.notMatch(page, /<script(?![^>]*\bsrc=)[^>]*>/, 'no inline script')
  t.notMatch(page, /\sstyle=/, 'no style attribute')
  t.notMatch(page, /<style/, 'no style element')
  t.notMatch(page, /<[^>]*\son[a-z]+=/, 'no event handler attribute')
}

t.test('Today for a manager: status, agents with the switch, calls, callbacks; all escaped', async (t) => {
  const page = todayPage(context('manager'), today('manager')).value
  t.match(page, /data-status="open">Ouvert/)
  t.match(page, /Ferme à 12\u00a0h \(dans 2\u00a0h\)/, 'closes at noon, Algiers time')
  t.match(
    page,
    /action="\/dashboard\/agents\/karim\/duty"[\s\S]*?name="onDuty" value="true"/,
    'an off-duty agent can be put on duty',
  )
  t.match(page, /name="_csrf" value="form-token"/, 'forms carry the form token')
  t.match(page, /Appels en cours <span class="count">1<\/span>/)
  t.match(page, /12\u00a0min 30\u00a0s/)
  t.notMatch(page, /<img src=x/, 'a client name cannot inject markup')
  t.match(page, /&lt;img src=x onerror=alert\(1\)&gt;/)
  t.match(page, /data-refresh="30"/, 'refreshes itself')
  assertCspClean(t, page)
})

t.test('Today for a client: no agents, no callbacks, no closing the desk; no Contracts in the menu', async (t) => {
  const page = todayPage(context('client'), today('client')).value
  t.notMatch(page, /\/agents\//)
  t.notMatch(page, /closed-now/)
  t.notMatch(page, /Rappels en retard/)
  t.notMatch(page, /href="\/dashboard\/contracts"/)
  t.notMatch(page, /href="\/dashboard\/callbacks"/, 'nor Callbacks')
  t.match(page, /href="\/dashboard\/usage"/)
})

function callback(overrides: Partial<CallbackItem>): CallbackItem {
  return {
    id: 7,
    callSid: 'CA7',
    deskId: 'intercom',
    clientId: 'acme',
    clientName: EVIL,
    fromNumber: '+213661000001',
    reason: 'no_answer',
    recordingUrl: null,
    recordingSeconds: null,
    createdAt: new Date('2026-11-20T09:00:00Z'),
    dueAt: new Date('2026-11-25T09:00:00Z'),
    status: 'open',
    assignedTo: null,
    assignedBy: null,
    assignedAt: null,
    doneAt: null,
    doneBy: null,
    note: null,
    channel: 'phone',
    fromAddress: null,
    subject: null,
    replyMinutes: null,
    ...overrides,
  }
}

function callbacksView(overrides: Partial<CallbacksView> = {}): CallbacksView {
  const attempt = {
    id: 1,
    callbackId: 8,
    agentId: 'amina',
    number: '+213661000001',
    fromNumber: '+21321000000',
    callSid: 'CA9',
    status: 'answered' as const,
    talkSeconds: 12,
    createdAt: new Date('2026-11-28T09:00:00Z'),
    createdBy: 'Leila',
    endedAt: new Date('2026-11-28T09:01:00Z'),
  }
  return {
    callable: { now: true },
    attempts: new Map([[8, [attempt]]]),
    desks: [DESK],
    desk: DESK,
    open: [
      callback({}),
      callback({
        id: 8,
        callSid: 'CA8',
        reason: 'closed_hours',
        dueAt: new Date('2026-12-01T09:00:00Z'),
        recordingSeconds: 40,
        assignedTo: 'amina',
        assignedBy: 'Leila',
        assignedAt: new Date('2026-11-28T08:00:00Z'),
      }),
    ],
    counts: { open: 2, late: 1 },
    next: null,
    firstPage: true,
    agents: [
      { id: 'amina', name: 'Amina', number: '+213550000001', onDuty: true },
      { id: 'karim', name: 'Karim', number: '+213550000002', onDuty: false },
    ],
    done: [
      callback({
        id: 3,
        callSid: 'CA3',
        status: 'done',
        doneAt: new Date('2026-11-27T10:00:00Z'),
        doneBy: 'Leila',
        note: `Rappelé ${EVIL}`,
      }),
    ],
    directory: today('manager').directory,
    ...overrides,
  }
}

t.test('the callbacks page: late first and flagged, who has each, the forms; all escaped', async (t) => {
  const page = callbacksPage(context('manager'), callbacksView()).value
  t.match(page, /<tr data-callback="7" class="is-late">[\s\S]*?en retard de 3\u00a0j/, 'late by three days')
  t.match(page, /<tr data-callback="8">[\s\S]*?01\/12\/2026 10\u00a0h/, 'due in the desk zone')
  t.match(page, /message de 40\u00a0s/)
  t.match(page, /<strong>Amina<\/strong><br><small>par Leila, 28\/11\/2026 9\u00a0h<\/small>/)
  t.match(page, /action="\/dashboard\/callbacks\/7\/assign"[\s\S]*?<option value="">Choisir un agent<\/option>/)
  t.match(page, /action="\/dashboard\/callbacks\/7\/done"[\s\S]*?name="from" value="callbacks"[\s\S]*?name="note" required/)
  t.match(page, /href="\/dashboard\/calls\/CA7"/, "the call's page")
  t.match(
    page,
    /action="\/dashboard\/callbacks\/7\/call"[\s\S]*?name="_csrf"[\s\S]*?<select id="caller-7" name="caller">[\s\S]*?>Rappeler<\/button>/,
    '"Rappeler", a manager choosing who calls',
  )
  t.match(
    page,
    /<tr data-callback="8">[\s\S]*?Tentatives \(1\)[\s\S]*?Amina → \+213661000001 : <strong>joint<\/strong>, 12\u00a0s de conversation/,
    "the request's attempts",
  )
  t.match(page, /traité avec 2\u00a0j 1\u00a0h de retard[\s\S]*data-label="Par">Leila<\/td>/)
  t.notMatch(page, /<img src=x/, 'neither a client name nor a note can inject markup')
  t.notMatch(page, /rel="next"/)
  assertCspClean(t, page)
  const second = callbacksPage(
    context('manager', 'en'),
    callbacksView({ next: '123-9', firstPage: false, agents: [], done: [] }),
  ).value
  t.match(second, /href="\/dashboard\/callbacks\?cursor=123-9" rel="next">Next requests/)
  t.match(second, /href="\/dashboard\/callbacks">← Back to the first/)
  t.match(second, /No active agent answers for this desk\./, 'no agent: no assign form')
  t.notMatch(second, /\/assign"/)
  t.match(second, /No callback has been done yet\./)
  const empty = callbacksPage(context('manager'), callbacksView({ open: [], counts: { open: 0, late: 0 } })).value
  t.match(empty, /la file est vide/)
  const onTime = callbacksPage(context('manager'), callbacksView({ counts: { open: 2, late: 0 } })).value
  t.match(onTime, /2 demandes ouvertes, aucune en retard\./)
  const closed = callbacksPage(
    context('manager'),
    callbacksView({ callable: { now: false, from: new Date('2026-12-05T08:30:00Z') } }),
  ).value
  t.notMatch(closed, /\/call"/, 'the desk closed: no Rappeler form')
  t.match(
    closed,
    /data-call-back-later="8">Rappel par la ligne possible à partir du samedi 5 décembre 2026 à 9\u00a0h\u00a030 \(service fermé\)\./,
  )
  const never = callbacksPage(context('manager', 'en'), callbacksView({ callable: { now: false, from: null } })).value
  t.match(never, /Calling back through the line is not possible: no opening of the desk is planned\./)
})

t.test('Today links its late callbacks to the whole queue; its form comes back to Today', async (t) => {
  const view = today('manager')
  const page = todayPage(context('manager'), { ...view, callbacks: { open: [callback({})], counts: { open: 1, late: 1 } } }).value
  t.match(page, /<a href="\/dashboard\/callbacks">Toute la file des rappels<\/a>/)
  const busy = todayPage(context('manager'), {
    ...view,
    callbacks: { open: [callback({})], counts: { open: 250, late: 230 } },
  }).value
  t.match(busy, /class="count count-bad">230</, 'the badge counts every late request, not the ones listed')
  t.match(busy, /250 demandes de rappel ouvertes/, 'and the whole queue')
  t.match(page, /action="\/dashboard\/callbacks\/7\/done"[\s\S]*?name="from" value="today"/)
  t.match(page, /<a href="\/dashboard\/callbacks">Rappels<\/a>/, 'in the menu for managers')
})

t.test('the frame: language switch keeps the page, sign-out is a form with the token', async (t) => {
  const page = layout(context('admin', 'en'), { title: 'T', active: 'calls', body: html`<p>x</p>` }).value
  t.match(page, /<html lang="en-GB">/)
  t.match(page, /href="\/dashboard\?desk=intercom&amp;lang=fr"[^>]*>Français/)
  t.match(
    page,
    /<form class="sign-out" method="post" action="\/dashboard\/sign-out">\s*<input type="hidden" name="_csrf" value="form-token">/,
  )
  t.match(page, /<a href="\/dashboard\/calls" aria-current="page">Calls<\/a>/)
  t.equal(href('/dashboard/calls', { client: 'acme', outcome: '', cursor: null }), '/dashboard/calls?client=acme')
})

t.test('the call log: filters kept in the CSV link and the next page', async (t) => {
  const ctx = context('manager')
  const page = callsPage(ctx, {
    filters: { client: 'acme', outcome: 'answered', from: '2026-11-01' },
    calls: [call({})],
    next: 'cursor123',
    firstPage: true,
    clients: [{ id: 'acme', name: 'ACME SARL', active: true }],
    desks: [DESK],
    directory: today('manager').directory,
  }).value
  t.match(page, /href="\/dashboard\/calls\.csv\?client=acme&amp;outcome=answered&amp;from=2026-11-01"/)
  t.match(page, /href="\/dashboard\/calls\?client=acme&amp;outcome=answered&amp;from=2026-11-01&amp;cursor=cursor123"/)
  t.match(page, /<option value="answered" selected>Répondu<\/option>/)
  assertCspClean(t, page)
})

const holiday = (id: string, date: string, status: Holiday['status'], extra: Partial<Holiday> = {}): Holiday => ({
  id,
  key: id.replace(/-\d+$/, ''),
  date,
  name: id,
  status,
  ...extra,
})

t.test('an estimate that is over and nobody confirmed: said so, and no longer offered for confirmation', async (t) => {
  const items = [
    holiday('eid-al-fitr-1447', '2026-03-20', 'estimated', { day: 1, of: 3 }),
    holiday('eid-al-fitr-1447', '2026-03-21', 'estimated', { day: 2, of: 3 }),
    holiday('eid-al-fitr-1447', '2026-03-22', 'estimated', { day: 3, of: 3 }),
    holiday('mawlid-1448', '2026-12-24', 'estimated'),
  ]
  const view = {
    desks: [DESK],
    desk: DESK,
    year: 2026,
    today: '2026-11-28',
    holidays: items,
    removedHolidays: [],
    seasons: [],
    closures: [],
    openings: [],
    usualHours: '09:30-12:00',
    canManage: true,
  }
  const page = calendarPage(context('manager'), view).value
  t.match(page, /data-holiday="eid-al-fitr-1447"[\s\S]*?data-status="past-unconfirmed">Passé, non confirmé/)
  t.notMatch(page, /eid-al-fitr-1447\/confirm/, 'the past Eid has no confirm button')
  t.match(page, /eid-al-fitr-1447\/move/, 'it can still be moved to the dates observed')
  t.match(page, /mawlid-1448\/confirm/, 'the Mawlid to come can be confirmed')
})

t.test('Today lists the holidays to confirm for a manager, not for a client', async (t) => {
  const manager = todayPage(context('manager'), today('manager')).value
  t.match(manager, /Fêtes à confirmer <span class="count">1<\/span>/)
  t.match(manager, /data-holiday="mawlid-1448"><strong>Mawlid Ennabaoui<\/strong>/)
  t.notMatch(todayPage(context('client'), today('client')).value, /Fêtes à confirmer/)
})

t.test('holidays read as occurrences: an Eid is one row of three days', async (t) => {
  const items = [
    holiday('eid-al-fitr-1447', '2026-03-21', 'estimated', { day: 2, of: 3 }),
    holiday('eid-al-fitr-1447', '2026-03-20', 'estimated', { day: 1, of: 3 }),
    holiday('eid-al-fitr-1447', '2026-03-22', 'estimated', { day: 3, of: 3 }),
    holiday('yennayer-2026', '2026-01-12', 'confirmed'),
  ]
  t.match(occurrencesOf(items), [
    { id: 'yennayer-2026', first: '2026-01-12', last: '2026-01-12', days: 1 },
    { id: 'eid-al-fitr-1447', first: '2026-03-20', last: '2026-03-22', days: 3, status: 'estimated' },
  ])
  const SEASONS = [
    {
      id: 'ramadan-1447',
      key: 'ramadan',
      name: 'Ramadan',
      start: '2026-02-18',
      end: '2026-03-19',
      status: 'estimated' as const,
      weekly: { sat: ['09:00-14:00'] },
      hijriMonth: 9,
      hijriYear: 1447,
    },
    {
      id: 'ete-2026',
      key: 'ete',
      name: 'Été',
      start: '2026-07-01',
      end: '2026-08-31',
      status: 'manual' as const,
      weekly: { mon: ['08:00-13:00'] },
      from: '07-01',
      to: '08-31',
    },
  ]
  const page = calendarPage(context('manager'), {
    desks: [DESK],
    desk: DESK,
    year: 2026,
    today: '2026-03-01',
    holidays: items,
    removedHolidays: [],
    seasons: SEASONS,
    closures: [],
    openings: [],
    usualHours: '09:30-12:00, 13:15-16:00',
    canManage: true,
  }).value
  t.match(page, /action="\/dashboard\/calendar\/holidays\/eid-al-fitr-1447\/confirm"/, 'an estimate can be confirmed')
  t.notMatch(page, /holidays\/yennayer-2026\/confirm/, 'a confirmed one is not confirmed again')
  t.match(page, /name="days" value="3"/, 'moving an Eid keeps its three days')
  t.match(page, /action="\/dashboard\/calendar\/seasons\/ramadan-1447\/confirm"/, 'an estimated Ramadan can be confirmed')
  t.match(page, /action="\/dashboard\/calendar\/seasons\/ramadan-1447\/move"/, 'and moved')
  t.notMatch(page, /seasons\/ete-2026\//, "a Gregorian season's dates are the desk's own: no decision")
  t.match(page, /data-season="ete-2026"/, 'but it is listed')
  t.match(page, /name="hours" value="09:30-12:00, 13:15-16:00"/, "an opening's form starts with the usual hours")
  t.match(
    page,
    /eid-al-fitr-1447 \([^)]*\) : ces 3 jours deviennent travaillés/,
    'working on an Eid: its three days, in the plural',
  )
  t.match(page, /yennayer-2026 \([^)]*\) devient un jour travaillé/, 'a one-day holiday, in the singular')
  const readOnly = calendarPage(context('client'), {
    desks: [DESK],
    desk: DESK,
    year: 2026,
    today: '2026-11-28',
    holidays: items,
    removedHolidays: [],
    seasons: SEASONS,
    closures: [],
    openings: [],
    usualHours: '09:30-12:00, 13:15-16:00',
    canManage: false,
  }).value
  t.notMatch(readOnly, /<form(?! class="sign-out")/, 'a client reads the calendar only: no form but signing out')
  t.match(
    readOnly,
    /data-holiday="eid-al-fitr-1447"[\s\S]*data-holiday="yennayer-2026"|data-holiday="yennayer-2026"[\s\S]*data-holiday="eid-al-fitr-1447"/,
    'and reads both holidays',
  )
  t.match(readOnly, /data-season="ramadan-1447"[\s\S]*?data-status="past-unconfirmed"/, 'a past Ramadan nobody confirmed says so')
  assertCspClean(t, page)
})

function contract(id: number, clientName: string, overview: Partial<ContractOverview>): ContractRow {
  const record = {
    id,
    clientId: clientName.toLowerCase(),
    clientName,
    deskId: 'intercom',
    timezone: 'Africa/Algiers',
    start: '2026-03-01',
    months: 12,
    noticeMonths: 3,
    renews: true,
    monthlyQuotaSeconds: 7200,
    overage: 'refuse',
    billingIncrementSeconds: 1,
    noticeGivenOn: null,
    noticeRecordedBy: null,
    emailMinutesCountIntoQuota: false,
    active: true,
    updatedAt: NOW,
    changes: [],
    revision: { by: 'notice', days: 30 },
    clientContact:
      id === 2 ? { name: 'M. Benali', email: 'benali@soon.example', phone: '+213661000001', fax: '+21321000099' } : null,
  } satisfies ContractRecord
  return {
    record,
    overview: { today: '2026-11-28', inForce: true, period: null, endsOn: null, noticeDeadline: null, ...overview },
  }
}

t.test('notice deadlines ahead: within the horizon, soonest first, none already past', async (t) => {
  const rows = [
    contract(1, 'Later', { noticeDeadline: '2027-03-01' }),
    contract(2, 'Soon', {
      noticeDeadline: '2026-12-01',
      period: { index: 0, start: '2026-03-01', end: '2027-03-01', lastDay: '2027-02-28' },
    }),
    contract(3, 'Past', { noticeDeadline: '2026-10-15' }),
    contract(4, 'Far', { noticeDeadline: '2027-06-01' }),
    contract(5, 'Today', { noticeDeadline: '2026-11-28' }),
  ]
  t.same(
    upcomingDeadlines(rows, 120).map((row) => row.record.clientName),
    ['Today', 'Soon', 'Later'],
  )
  const page = contractsPage(context('manager'), {
    contracts: rows,
    clientLanguages: [],
    deskNames: new Map([['intercom', 'INTERcom']]),
    horizonDays: 120,
  }).value
  t.match(page, /01\/12\/2026<\/strong> \(dans 3 jours\)[\s\S]*pour ne pas reconduire Soon après le 28\/02\/2027/)
  t.match(page, /action="\/dashboard\/contracts\/2\/notice"/)
  t.match(
    page,
    /data-contact>Contact technique : M\. Benali · <a href="mailto:benali@soon\.example">benali@soon\.example<\/a> · tél\. <span class="num">\+213661000001<\/span> · fax <span class="num">\+21321000099<\/span>/,
    "the client's designated technical contact",
  )
  assertCspClean(t, page)
})

t.test('contracts: each number with the language it hears and why', async (t) => {
  const desk = { language: 'fr-FR', languages: ['fr-FR', 'ar'], timezone: 'Africa/Algiers' }
  const view = (lang: 'fr' | 'en') =>
    contractsPage(context('manager', lang), {
      contracts: [contract(1, 'ACME SARL', {})],
      clientLanguages: [
        {
          clientId: 'acme',
          name: 'ACME SARL',
          language: null,
          desk,
          numbers: [
            { number: '+213661000001', contact: 'M. Benali', own: 'en-US', chosen: null },
            {
              number: '+213661000002',
              contact: null,
              own: null,
              chosen: { language: 'ar', by: 'caller', at: new Date('2026-11-28T09:15:00Z') },
            },
            { number: '+213661000003', contact: null, own: null, chosen: null },
          ],
        },
        { clientId: 'atlas', name: 'Atlas', language: 'ar', desk, numbers: [] },
      ],
      deskNames: new Map(),
      horizonDays: 120,
    }).value
  const fr = view('fr')
  t.match(fr, /<h2 id="languages-title">Numéros et langues<\/h2>/)
  t.match(
    fr,
    /\+213661000001<\/span> <small class="muted">M\. Benali<\/small> : <span lang="en-US" title="en-US">anglais américain<\/span> <small class="muted">\(du numéro\)/,
  )
  t.match(
    fr,
    /\+213661000002<\/span> : <span lang="ar" title="ar">arabe<\/span> <small class="muted">\(choisie au menu le 28\/11\/2026 10\u00a0h\u00a015\)/,
    'the choice, dated in Algiers',
  )
  t.match(
    fr,
    /\+213661000003<\/span> : <span lang="fr-FR" title="fr-FR">français \(France\)<\/span> <small class="muted">\(du service\)/,
  )
  t.match(
    fr,
    /Atlas<\/th>\s*<td data-label="Langue du client"><span lang="ar" title="ar">arabe<\/span>[\s\S]*aucun numéro enregistré/,
  )
  const en = view('en')
  t.match(en, /Numbers and languages[\s\S]*Arabic<\/span> <small class="muted">\(chosen at the menu on /)
  assertCspClean(t, fr)
})

t.test('contracts: how the terms are revised, and the revisions to come', async (t) => {
  const base = contract(1, 'Revised', {})
  const revised = {
    ...base,
    record: {
      ...base.record,
      revision: { by: 'agreement' as const },
      changes: [
        { from: '2026-10-01', overage: 'ask' as const, recordedOn: '2026-09-01' },
        {
          from: '2027-01-01',
          monthlyQuotaMinutes: 600,
          overage: 'refuse' as const,
          agreedOn: '2026-11-20',
          recordedOn: '2026-11-28',
        },
      ],
    },
  }
  const page = contractsPage(context('manager'), {
    contracts: [revised],
    clientLanguages: [],
    deskNames: new Map(),
    horizonDays: 120,
  }).value
  t.match(page, /révisable par avenant signé/)
  t.match(
    page,
    /data-from="2027-01-01">à partir du 01\/01\/2027 : forfait 10\u00a0h, au-delà refusé \(avenant du 20\/11\/2026\)/,
    'the revision to come, with its amendment',
  )
  t.notMatch(page, /data-from="2026-10-01"/, 'one already in force is not "to come"')
})

t.test('contracts: the last day in force, never the day after; a desk named only for a client on several', async (t) => {
  const ended = contract(1, 'Ended', { inForce: true, endsOn: '2027-03-01', noticeDeadline: null })
  const twoDesks = [
    contract(2, 'Both', {}),
    { ...contract(3, 'Both', {}), record: { ...contract(3, 'Both', {}).record, deskId: 'model' } },
  ]
  const page = contractsPage(context('manager'), {
    contracts: [ended, ...twoDesks],
    clientLanguages: [],
    deskNames: new Map([
      ['intercom', 'Assistance INTERcom'],
      ['model', 'Modèle'],
    ]),
    horizonDays: 120,
  }).value
  t.match(
    page,
    /<tr data-contract="1">[\s\S]*?data-label="Dernier jour">28\/02\/2027<\/td>/,
    'endsOn 1 March: the last day is 28 February',
  )
  t.notMatch(page, /01\/03\/2027/, 'the exclusive end is shown nowhere')
  t.match(page, /<tr data-contract="1">\s*<td class="lead"><strong>Ended<\/strong><\/td>/, 'one desk: no desk name')
  t.match(page, /<strong>Both<\/strong> <small class="muted">Modèle<\/small>/, 'several desks: each named')
  t.match(page, /Préavis au plus tard le/)
})

t.test("a call's detail in people's words, its parameters folded", async (t) => {
  const detail = {
    ...call({ callSid: 'CA0123456789abcdef0123456789abcdef', decision: 'dial' }),
    events: [{ kind: 'status:completed', at: NOW, params: { CallStatus: 'completed', CallDuration: '760' } }],
    legs: [
      {
        dialCallSid: 'CA9',
        month: '2026-11',
        talkSeconds: 750,
        countedSeconds: 750,
        includedSeconds: 750,
        overageSeconds: 0,
        graceSeconds: 0,
        onCall: false,
      },
    ],
  }
  const directory = today('manager').directory
  const page = callPage(context('manager'), detail, directory).value
  t.match(page, /<dt>Décision<\/dt><dd>Transmis aux agents<\/dd>/, '"dial" in words')
  t.match(page, /<td class="lead">novembre 2026<\/td>/, 'the month in words')
  t.match(
    page,
    /<code class="token">CA0123456789abcdef0123456789abcdef<\/code>/,
    'the CallSid may wrap rather than widen its card',
  )
  t.match(
    page,
    /<code class="token">status:completed<\/code>[\s\S]*<details class="params"><summary>Paramètres techniques<\/summary>[\s\S]*<dt>CallStatus<\/dt><dd>completed<\/dd>/,
  )
  t.match(callPage(context('manager', 'en'), detail, directory).value, /<dd>Put through to the agents<\/dd>[\s\S]*November 2026/)
  t.match(
    callPage(context('manager'), { ...detail, decision: 'something-new' }, directory).value,
    /<dd><code>something-new<\/code><\/dd>/,
    'an unknown decision keeps its code',
  )
  t.notMatch(page, /rappel sortant/, 'an incoming call says no direction')
  t.match(
    callPage(context('manager'), { ...detail, direction: 'outbound', callbackId: 12 }, directory).value,
    /<dt>Sens<\/dt><dd>rappel sortant, demande n° 12<\/dd>/,
    'a call back says so, and its request',
  )
  assertCspClean(t, page)
})

t.test("usage: the chart's legend; a desk named after a client only when it has contracts on several", async (t) => {
  const item = (clientId: string, desk: string, contractId: number): UsageItem => ({
    contractId,
    clientId,
    clientName: clientId.toUpperCase(),
    desk,
    month: '2026-11',
    quotaSeconds: 18_000,
    usedSeconds: 3600,
    includedSeconds: 3600,
    overageSeconds: 0,
    graceSeconds: 0,
    onCallSeconds: 0,
    calls: 2,
    thresholds: [],
  })
  const totals = { usedSeconds: 0, includedSeconds: 0, overageSeconds: 0, graceSeconds: 0, onCallSeconds: 0, calls: 0, emails: 0 }
  const view: UsageView = {
    month: '2026-11',
    currentMonth: '2026-11',
    items: [item('acme', 'intercom', 1), item('atlas', 'intercom', 2), item('atlas', 'model', 3)],
    selected: {
      clientId: 'acme',
      clientName: 'ACME',
      history: [{ month: '2026-11', quotaSeconds: 18_000, usedSeconds: 3600, overageSeconds: 0 }],
      statement: { month: '2026-11', contracts: [], totals },
    },
    zones: new Map([['intercom', 'Africa/Algiers']]),
    deskNames: new Map([
      ['intercom', 'Assistance INTERcom'],
      ['model', 'Modèle'],
    ]),
    defaultZone: 'Africa/Algiers',
    agents: new Map(),
  }
  const page = usagePage(context('manager'), view, { linkToClients: true }).value
  t.match(page, /<h2>ACME<\/h2>/, 'one desk: the client alone')
  t.match(page, /<h2>ATLAS <small class="muted">Modèle<\/small><\/h2>/, 'several desks: by name, not slug')
  t.match(
    page,
    /<ul class="legend">[\s\S]*swatch-included[\s\S]*Inclus dans le forfait[\s\S]*swatch-overage[\s\S]*Au-delà du forfait[\s\S]*swatch-quota[\s\S]*trait pointillé/,
  )
  assertCspClean(t, page)
})

t.test('date fields say the format they expect, in the page language', async (t) => {
  const page = callsPage(context('manager'), {
    filters: {},
    calls: [],
    next: null,
    firstPage: true,
    clients: [],
    desks: [DESK],
    directory: today('manager').directory,
  }).value
  t.match(page, /Du <small class="format">jj\/mm\/aaaa<\/small><input type="date" name="from"/)
  t.match(
    layout(context('manager', 'en'), { title: 'T', active: null, body: html`` }).value,
    /<html lang="en-GB">/,
    'English pages are British: day first',
  )
})

t.test('the error page names the wrong fields', async (t) => {
  const page = errorPage(context('manager'), {
    status: 400,
    message: 'Demande invalide',
    fields: [{ field: 'body.end', message: 'end is before start' }],
  }).value
  t.match(page, /<title>Demande invalide/)
  t.match(page, /<code>body\.end<\/code> : end is before start/)
})

t.test('notifications: status, attempts, the error, the resend form for managers only, what is kept', async (t) => {
  const item = (status: 'pending' | 'sent' | 'failed', id: string) => ({
    id,
    eventKey: 'voicemail.recorded:CA1',
    type: 'voicemail.recorded' as const,
    deskId: 'intercom',
    clientId: 'acme',
    forClient: false,
    channel: 'webhook' as const,
    recipient: 'https://tickets.example.com/hook',
    language: 'fr-FR',
    status,
    attempts: status === 'failed' ? 25 : 1,
    nextAttemptAt: new Date('2026-11-28T09:05:00Z'),
    leaseUntil: null,
    windowStart: NOW,
    lastError: status === 'sent' ? null : 'answered 503 <html>',
    sentAt: status === 'sent' ? NOW : null,
    createdAt: NOW,
    resentBy: null,
    event: {
      key: 'voicemail.recorded:CA1',
      type: 'voicemail.recorded' as const,
      deskId: 'intercom',
      clientId: 'acme',
      data: {},
      context: { deskName: 'Assistance INTERcom', timezone: 'Africa/Algiers', smsFrom: null, clientName: 'ACME SARL' },
      occurredAt: NOW,
    },
  })
  const view = {
    items: [
      item('pending', `msg_${'1'.repeat(32)}`),
      item('sent', `msg_${'2'.repeat(32)}`),
      item('failed', `msg_${'3'.repeat(32)}`),
    ],
    filter: { status: null, type: null },
    next: 'abc',
    firstPage: true,
    channels: ['webhook'],
    zones: new Map([['intercom', 'Africa/Algiers']]),
    defaultZone: 'UTC',
  }
  const page = notificationsPage(context('manager'), view).value
  t.match(page, /data-kept>Non configuré sur ce serveur : E-mail, SMS/)
  t.match(page, /prochain essai/)
  t.match(page, /answered 503 &lt;html&gt;/, 'errors are escaped')
  t.equal([...page.matchAll(/\/resend"/g)].length, 1, 'a form for the failed one')
  t.match(page, /rel="next"/)
  assertCspClean(t, page)
  const client = notificationsPage(context('client', 'en'), {
    ...view,
    channels: ['webhook', 'email', 'sms'],
    firstPage: false,
    next: null,
  }).value
  t.notMatch(client, /\/resend"/)
  t.notMatch(client, /data-kept/)
  t.match(client, /Failed/)
  t.match(notificationsPage(context('manager'), { ...view, items: [] }).value, /Aucune notification/)
})
