// The callback queue over HTTP: open requests first by due time, late ones flagged against the
// app's clock, assigned and closed with who and when, in pages that hold while requests arrive.
import t from 'tap'
import { playCall } from '../../../webhooks/simulator.js'
import { ACME_CALLER, ATLAS_CALLER, DESK_NUMBER, SATURDAY_10H, apiApp } from '../../helpers/api.js'
import { eachDatabase } from '../../helpers/databases.js'

interface Item {
  id: number
  callSid: string
  status: 'open' | 'done'
  dueAt: string | null
  late: boolean
  reason: string
}

eachDatabase(t, async (t, database) => {
  const { send, tokens, twilio, clock } = await apiApp(t, database)
  const manager = { token: tokens.manager }
  const missed = async (from: string, at: string) => {
    clock.set(at)
    return (await playCall(twilio, { from, to: DESK_NUMBER, answer: false })).callSid
  }
  // Three missed calls on Saturday and Sunday mornings, and a voicemail left on Thursday evening.
  const sunday = await missed(ACME_CALLER, '2026-11-29T10:00:00+01:00')
  const saturday = await missed(ATLAS_CALLER, SATURDAY_10H)
  const saturdayLater = await missed(ACME_CALLER, '2026-11-28T11:00:00+01:00')
  clock.set('2026-11-26T20:00:00+01:00')
  const thursday = (await playCall(twilio, { from: ACME_CALLER, to: DESK_NUMBER, press: ['2'], voicemailSeconds: 20 })).callSid
  clock.set(SATURDAY_10H)
  const list = async (query = '') =>
    (await send('GET', `/api/callbacks${query}`, manager)).json() as { items: Item[]; nextCursor: string | null }

  t.test('open requests by due time, none late yet', async (t) => {
    const { items } = await list()
    t.same(
      items.map((i) => i.callSid),
      [thursday, saturday, saturdayLater, sunday],
      'the earliest due first',
    )
    t.ok(
      items.every((i) => i.status === 'open' && i.dueAt && !i.late),
      'all open, due, and not late',
    )
    t.match(
      items[0],
      { reason: 'closed_hours', recordingUrl: /^https:/ },
      'the voicemail left while closed carries its recording',
    )
  })

  t.test('late once the due time has passed on the app clock', async (t) => {
    const { items } = await list()
    const due = items.map((i) => new Date(i.dueAt as string).getTime())
    clock.set(new Date(((due[1] as number) + (due[2] as number)) / 2))
    t.same(
      (await list()).items.map((i) => i.late),
      [true, true, false, false],
      'the first two are late, the others not yet',
    )
    clock.set(SATURDAY_10H)
  })

  t.test('assigned to an agent, then done with a note: who and when are recorded', async (t) => {
    const { items } = await list()
    const first = items[0] as Item
    clock.set('2026-11-28T10:05:00+01:00')
    const assigned = await send('POST', `/api/callbacks/${first.id}/assign`, { ...manager, body: { agentId: 'karim' } })
    t.match(assigned.json(), {
      assignedTo: 'karim',
      assignedBy: 'desk manager',
      assignedAt: '2026-11-28T09:05:00.000Z',
      status: 'open',
    })
    clock.set('2026-11-28T10:30:00+01:00')
    const done = await send('POST', `/api/callbacks/${first.id}/done`, {
      token: tokens.admin,
      body: { note: 'Rappelé : licence renouvelée' },
    })
    t.match(done.json(), {
      status: 'done',
      doneBy: 'ops admin',
      doneAt: '2026-11-28T09:30:00.000Z',
      note: 'Rappelé : licence renouvelée',
      late: false,
    })
    t.equal(
      (await send('POST', `/api/callbacks/${first.id}/done`, { ...manager, body: { note: 'again' } })).statusCode,
      409,
      'it cannot be done twice',
    )
    t.equal(
      (await send('POST', `/api/callbacks/${first.id}/assign`, { ...manager, body: { agentId: 'amina' } })).statusCode,
      409,
      'nor be assigned once done',
    )
    t.same(
      (await list()).items.map((i) => i.callSid),
      [saturday, saturdayLater, sunday, thursday],
      'done requests come after the open ones',
    )
    t.same(
      (await list('?status=done')).items.map((i) => i.callSid),
      [thursday],
      'and alone with status=done',
    )
    t.same((await list('?desk=model')).items, [], 'another desk has none')
  })

  t.test('pages hold while requests arrive', async (t) => {
    const seen: string[] = []
    let page = await list('?limit=2')
    const expected = [saturday, saturdayLater, sunday, thursday]
    let arrivals = 0
    for (;;) {
      seen.push(...page.items.map((i) => i.callSid))
      if (!page.nextCursor) break
      // A new request arrives between pages: due later than everything listed so far.
      await missed(ACME_CALLER, `2026-11-29T1${++arrivals}:00:00+01:00`)
      page = await list(`?limit=2&cursor=${page.nextCursor}`)
    }
    t.equal(new Set(seen).size, seen.length, 'no request is listed twice')
    const forged = Buffer.from(JSON.stringify({ done: false, dueAt: null, id: true })).toString('base64url')
    const refused = await send('GET', `/api/callbacks?cursor=${forged}`, manager)
    t.equal(refused.statusCode, 400, 'a cursor the API did not give out')
    t.match(refused.json(), { detail: 'query.cursor: is not a cursor this service gave out' })
    t.ok(
      expected.every((sid) => seen.includes(sid)),
      'every request there at the start is listed',
    )
    const positions = expected.map((sid) => seen.indexOf(sid))
    t.same(
      positions,
      [...positions].sort((a, b) => a - b),
      'in the order of the first listing',
    )
  })
})
