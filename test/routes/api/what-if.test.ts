// POST /api/what-if: calls the simulator really played, replayed under proposed desk files — a
// closure, shorter and longer days, a lower quota, a refused overage, the file in force — and the
// proof that nothing is written.
import { sql } from 'drizzle-orm'
import t from 'tap'
import type { DeskFile } from '../../../src/domain/desk-file.js'
import { playCall } from '../../../webhooks/simulator.js'
import { ACME_CALLER, ATLAS_CALLER, DESK_NUMBER, apiApp } from '../../helpers/api.js'
import { eachDatabase } from '../../helpers/databases.js'

const DJURDJURA_CALLER = '+213555000001'

eachDatabase(t, async (t, database) => {
  const { send, tokens, twilio, clock } = await apiApp(t, database)
  const call = async (at: string, from: string, script: { talkSeconds?: number; voicemailSeconds?: number } = {}) => {
    clock.set(at)
    return (await playCall(twilio, { from, to: DESK_NUMBER, ...script })).callSid
  }
  // November 2026 in Algiers: Saturday 21 (two long calls), Wednesday 25 afternoon, Thursday 26
  // (closed: a voicemail), Saturday 28 (Djurdjura, refused beyond its 2 h; Atlas).
  const saturday1 = await call('2026-11-21T10:00:00+01:00', ACME_CALLER, { talkSeconds: 720 })
  const saturday2 = await call('2026-11-21T10:30:00+01:00', ACME_CALLER, { talkSeconds: 600 })
  const wednesday = await call('2026-11-25T14:00:00+01:00', ACME_CALLER, { talkSeconds: 300 })
  const thursday = await call('2026-11-26T10:00:00+01:00', ACME_CALLER, { voicemailSeconds: 20 })
  await call('2026-11-28T09:40:00+01:00', DJURDJURA_CALLER, { talkSeconds: 600 })
  await call('2026-11-28T09:45:00+01:00', ATLAS_CALLER, { talkSeconds: 60 })
  clock.set('2026-11-28T12:00:00+01:00')

  const current = (await send('GET', '/api/config')).json() as DeskFile
  const proposed = (change: (file: DeskFile) => void): DeskFile => {
    const file = structuredClone(current)
    change(file)
    return file
  }
  const acmeContract = (file: DeskFile) => {
    const contract = file.clients.find((client) => client.id === 'acme')?.contracts[0]
    if (!contract) throw new Error('ACME has a contract')
    return contract
  }
  const whatIf = (deskFile: unknown, options: { from?: string; to?: string; token?: string | null } = {}) =>
    send('POST', '/api/what-if', {
      token: options.token === undefined ? tokens.manager : options.token,
      body: { deskFile, from: options.from ?? '2026-11-01', to: options.to ?? '2026-11-28' },
    })
  const acmeUsage = (body: { usage: { clientId: string; month: string }[] }) =>
    body.usage.find((row) => row.clientId === 'acme' && row.month === '2026-11')

  t.test('the file in force changes nothing: every outcome and every month as recorded', async (t) => {
    const response = await whatIf(current)
    t.equal(response.statusCode, 200, response.body.slice(0, 300))
    const body = response.json()
    t.equal(body.calls, 6, 'six calls replayed')
    t.same(body.changed, [], 'no call would change')
    t.same(body.callbacks, [], 'no callback would move')
    for (const row of body.usage) t.same(row.wouldBe, row.recorded, `${row.clientId} ${row.month}: usage as recorded`)
    t.match(acmeUsage(body), { desk: 'intercom', recorded: { includedSeconds: 1620, billableSeconds: 0 } })
    t.equal(body.summary.secondsMovedBeyondQuota, 0, 'nothing moves beyond the quota')
    t.same(
      body.summary.closedByClient,
      [{ clientId: 'acme', calls: 1, newlyClosed: 0 }],
      "ACME's Thursday call met a closed desk",
    )
  })

  t.test('a closure on a day of answered calls: they would not have been served, their talk said', async (t) => {
    const file = proposed((file) => {
      file.desks[0]?.schedule.holidays.closures.push({ start: '2026-11-21', name: 'Inventaire' })
    })
    const body = (await whatIf(file)).json()
    t.match(
      body.changed,
      [
        {
          callSid: saturday1,
          outcome: 'answered',
          wouldBe: 'closed_closure',
          talk: { seconds: 720, note: 'would not have been served: 12 min' },
        },
        {
          callSid: saturday2,
          outcome: 'answered',
          wouldBe: 'closed_closure',
          talk: { seconds: 600, note: 'would not have been served: 10 min' },
        },
      ],
      'both Saturday calls, with the talk they had',
    )
    t.equal(body.changed.length, 2, 'and nothing else')
    t.match(acmeUsage(body), { recorded: { includedSeconds: 1620 }, wouldBe: { includedSeconds: 300, billableSeconds: 0 } })
    t.same(
      body.summary.closedByClient,
      [{ clientId: 'acme', calls: 3, newlyClosed: 2 }],
      'three ACME calls would meet a closed desk',
    )
  })

  t.test('a shorter Wednesday and a Thursday morning: refused and routed, the callback due sooner', async (t) => {
    const file = proposed((file) => {
      const weekly = file.desks[0]?.schedule.weekly
      if (!weekly) throw new Error('a desk')
      weekly.wed = ['09:30-12:00']
      weekly.thu = ['09:30-12:00']
    })
    const body = (await whatIf(file)).json()
    t.match(
      body.changed,
      [
        {
          callSid: wednesday,
          outcome: 'answered',
          wouldBe: 'closed_hours',
          talk: { seconds: 300, note: 'would not have been served: 5 min' },
        },
        {
          callSid: thursday,
          outcome: 'closed_hours',
          wouldBe: 'routed',
          talk: { seconds: null, note: 'would have been routed, talk unknown' },
        },
      ],
      'the Wednesday afternoon call closed, the Thursday one routed with its talk unknown',
    )
    t.equal(body.callbacks.length, 1, "the Thursday voicemail's due time moves")
    const [moved] = body.callbacks
    t.ok(Date.parse(moved.wouldBeDueAt) < Date.parse(moved.dueAt), `due ${moved.wouldBeDueAt}, sooner than ${moved.dueAt}`)
  })

  t.test('a lower quota moves minutes beyond it, the calls still served (overage billed)', async (t) => {
    const file = proposed((file) => {
      acmeContract(file).monthlyQuotaMinutes = 15
    })
    const body = (await whatIf(file)).json()
    t.same(body.changed, [], 'every call still served')
    t.match(acmeUsage(body), {
      recorded: { includedSeconds: 1620, billableSeconds: 0 },
      wouldBe: { includedSeconds: 900, billableSeconds: 720 },
    })
    t.equal(body.summary.secondsMovedBeyondQuota, 720)
    t.equal(body.summary.minutesMovedBeyondQuota, 12, '12 minutes move beyond the quota')
  })

  t.test('a refused overage: the call past the lower quota would have been refused', async (t) => {
    const file = proposed((file) => {
      Object.assign(acmeContract(file), { monthlyQuotaMinutes: 15, overage: 'refuse' })
    })
    const body = (await whatIf(file)).json()
    t.match(body.changed, [
      { callSid: wednesday, outcome: 'answered', wouldBe: 'quota_refused', talk: { note: 'would not have been served: 5 min' } },
    ])
    t.equal(body.changed.length, 1, 'the second Saturday call still began under the quota')
    t.match(
      acmeUsage(body),
      { wouldBe: { includedSeconds: 900, billableSeconds: 0 } },
      "the 7 minutes the second Saturday call went beyond are refuse's grace: never billable",
    )
  })

  t.test('bad requests: the desk file as PUT /api/config names it, the period, the roles', async (t) => {
    const bad = proposed((file) => {
      ;(file.desks[0] as { timezone: string }).timezone = 'Mars/Olympus'
    })
    const invalid = await whatIf(bad)
    t.equal(invalid.statusCode, 400)
    t.match(invalid.json(), { code: 'validation_failed', errors: [{ field: 'body.deskFile.desks[0].timezone' }] })
    const put = await send('PUT', '/api/config', { body: bad })
    t.same(
      invalid
        .json()
        .errors.map((e: { field: string; message: string }) => ({ ...e, field: e.field.replace('body.deskFile.', 'body.') })),
      put.json().errors,
      'the same problems as PUT /api/config, under body.deskFile',
    )

    const long = await whatIf(current, { from: '2024-11-28', to: '2026-11-28' })
    t.equal(long.statusCode, 400, 'over 24 months by a day')
    t.match(long.json(), { errors: [{ field: 'body.to', message: /at most 24 months .*to 2026-11-27 at the latest/ }] })
    const longest = await whatIf(current, { from: '2024-11-29', to: '2026-11-28' })
    t.equal(longest.statusCode, 200, '24 months to the day are replayed')
    const future = await whatIf(current, { to: '2026-12-05' })
    t.match(future.json(), { status: 400, errors: [{ field: 'body.to', message: /after today/ }] })
    const backwards = await whatIf(current, { from: '2026-11-20', to: '2026-11-10' })
    t.match(backwards.json(), { status: 400, errors: [{ field: 'body.to' }] })
    const missing = await send('POST', '/api/what-if', { token: tokens.manager, body: { deskFile: current } })
    t.match(missing.json(), { status: 400, errors: [{ field: 'body.from' }, { field: 'body.to' }] })

    const huge = await send('POST', '/api/what-if', {
      token: tokens.manager,
      body: { deskFile: { ...current, padding: 'x'.repeat(8 * 1024 * 1024) }, from: '2026-11-01', to: '2026-11-28' },
    })
    t.equal(huge.statusCode, 413, 'a desk file over 8 MiB')
    t.match(huge.json(), { code: 'body_too_large', detail: 'the request body is over 8388608 bytes (8192 KiB)' })

    t.equal((await whatIf(current, { token: tokens.client })).statusCode, 403, 'a client may not')
    t.equal((await whatIf(current, { token: tokens.admin })).statusCode, 200, 'an admin may')
  })

  t.test('nothing is written: every row count and config_version unchanged', async (t) => {
    const db = database.db
    // PGlite answers { rows }, postgres.js an array of rows.
    const rowsOf = <T>(result: unknown) => (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[]
    const counts = async () => {
      const tables = await db.execute(
        sql`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`,
      )
      const names = rowsOf<{ table_name: string }>(tables).map((row) => row.table_name)
      const result: Record<string, unknown> = {}
      for (const name of names) {
        const rows = await db.execute(sql`select count(*)::int as n from ${sql.identifier(name)}`)
        result[name] = rowsOf<{ n: number }>(rows)[0]?.n
      }
      const version = await db.execute(sql`select version, changed_at from config_version`)
      result.config_version_row = JSON.stringify(rowsOf(version))
      return result
    }
    const before = await counts()
    t.ok(Object.keys(before).length > 10, `${Object.keys(before).length - 1} tables counted`)
    const file = proposed((file) => {
      file.desks[0]?.schedule.holidays.closures.push({ start: '2026-11-21', name: 'Inventaire' })
      Object.assign(acmeContract(file), { monthlyQuotaMinutes: 1, overage: 'refuse' })
      file.clients.push({ id: 'newco', name: 'NewCo', suspended: false, numbers: [], contracts: [] })
    })
    t.equal((await whatIf(file)).statusCode, 200)
    t.same(await counts(), before, 'the same rows in every table, the same configuration version')
  })
})
