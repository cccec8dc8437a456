// The benchmark's data set: a desk file of 3 desks, 50 agents and 1,000 clients with 10,000
// registered numbers (applied with applyDeskFile, like any desk file), and years of call history
// generated inside Postgres with generate_series (never through HTTP).
import { sql } from 'drizzle-orm'
import type { Database } from '../db/client.js'
import type { DeskFileInput } from '../src/domain/desk-file.js'

export const CLIENTS = 1_000
export const NUMBERS_PER_CLIENT = 10
export const AGENTS = 50

/** Monday 30 November 2026, 10:00 in Algiers: all three desks are open (CLOCK_START of the runs). */
export const CLOCK_START = '2026-11-30T10:00:00+01:00'
/** The last whole month before CLOCK_START: the month the usage report and the CSV export read. */
export const REPORT_MONTH = '2026-10'
/** Generated history: about 83,000 calls a month, ending on the eve of CLOCK_START. */
export const HISTORY_END = '2026-11-30T00:00:00Z'
export const CALLS_PER_MONTH = 83_334

export const DESKS = [
  { id: 'intercom', number: '+21321000000', timezone: 'Africa/Algiers' },
  { id: 'model', number: '+33140000000', timezone: 'Europe/Paris' },
  { id: 'erp', number: '+21321000002', timezone: 'Africa/Algiers' },
] as const

/**
 * A fourth desk for the language menu's row (issue #17): three languages, so a caller of unknown
 * language first chooses one. Its clients' other calls and the history leave it out, so the
 * rows measured before it was added still measure the same calls.
 */
export const MENU_DESK = { id: 'menu', number: '+21321000003', timezone: 'Africa/Algiers' } as const
/** Every tenth client (5, 15, …) also has a contract with the menu desk. */
const hasMenuContract = (c: number) => c % 10 === 5
/** The overage policy of client c's contracts: 5 % ask, 5 % refuse, the rest bill. */
export const overageOf = (c: number) => (c % 20 === 7 ? 'ask' : c % 20 === 13 ? 'refuse' : 'bill')
/** Every desk's notifications go to a desk mailbox and the managers: kept in the outbox, not sent (no SMTP_URL). */
const NOTIFICATIONS = { email: ['support@bench.example'], managers: ['managers@bench.example'] }

const INTERCOM_HOURS = ['09:30-12:00', '13:15-16:00']
const OFFICE_HOURS = ['09:00-18:00']
const ERP_HOURS = ['08:00-12:00', '13:00-17:00']
const MENU_HOURS = ['08:00-18:00']

const pad = (n: number, width: number) => String(n).padStart(width, '0')

/** The i-th registered number (0 ≤ i < 10,000): +213661000000 … +213661009999. */
export const clientNumber = (i: number) => `+21366${pad(1_000_000 + i, 7)}`

/** Which desks client c has a contract with: one desk each, a second desk for every third client. */
export function clientDesks(c: number): string[] {
  const first = DESKS[c % 3]!.id
  return c % 3 === 0 ? [first, DESKS[(c + 1) % 3]!.id] : [first]
}

export function benchDeskFile(): DeskFileInput {
  return {
    desks: [
      {
        id: 'intercom',
        name: 'Assistance INTERcom',
        numbers: [DESKS[0].number],
        timezone: DESKS[0].timezone,
        schedule: {
          weekly: { sat: INTERCOM_HOURS, sun: INTERCOM_HOURS, mon: INTERCOM_HOURS, tue: INTERCOM_HOURS, wed: INTERCOM_HOURS },
          holidays: { country: 'DZ', closures: [{ start: '2026-12-31', name: 'Inventaire' }] },
        },
        options: { ring: 'simultaneous', onCall: { number: '+213550000099', name: 'astreinte' } },
        notifications: NOTIFICATIONS,
      },
      {
        id: 'model',
        name: 'Support technique',
        numbers: [DESKS[1].number],
        timezone: DESKS[1].timezone,
        schedule: {
          weekly: { mon: OFFICE_HOURS, tue: OFFICE_HOURS, wed: OFFICE_HOURS, thu: OFFICE_HOURS, fri: OFFICE_HOURS },
          holidays: { country: 'FR' },
        },
        notifications: NOTIFICATIONS,
      },
      {
        id: 'erp',
        name: 'Assistance ERP',
        numbers: [DESKS[2].number],
        timezone: DESKS[2].timezone,
        schedule: {
          weekly: { sun: ERP_HOURS, mon: ERP_HOURS, tue: ERP_HOURS, wed: ERP_HOURS, thu: ERP_HOURS },
          holidays: { country: 'DZ' },
        },
        options: { ring: 'sequential' },
        notifications: NOTIFICATIONS,
      },
      {
        id: MENU_DESK.id,
        name: 'Assistance multilingue',
        numbers: [MENU_DESK.number],
        timezone: MENU_DESK.timezone,
        languages: ['fr-FR', 'ar', 'en-US'],
        schedule: {
          weekly: { mon: MENU_HOURS, tue: MENU_HOURS, wed: MENU_HOURS, thu: MENU_HOURS, fri: MENU_HOURS },
          holidays: { country: 'DZ' },
        },
        notifications: NOTIFICATIONS,
      },
    ],
    agents: Array.from({ length: AGENTS }, (_, a) => ({
      id: `agent-${pad(a, 2)}`,
      name: `Agent ${a}`,
      number: `+2135500001${pad(a, 2)}`,
      // about 17 agents a desk, a few of them on two desks; one in ten off duty
      // (and one in five on the menu desk too)
      desks: [
        ...(a % 7 === 0 ? [DESKS[a % 3]!.id, DESKS[(a + 1) % 3]!.id] : [DESKS[a % 3]!.id]),
        ...(a % 5 === 0 ? [MENU_DESK.id] : []),
      ],
      onDuty: a % 10 !== 9,
    })),
    clients: Array.from({ length: CLIENTS }, (_, c) => ({
      id: `client-${pad(c, 4)}`,
      name: `Client ${c} SARL`,
      ...(c % 100 === 42 ? { suspended: true, suspendedReason: 'Factures impayées' } : {}),
      numbers: Array.from({ length: NUMBERS_PER_CLIENT }, (_, n) => ({
        number: clientNumber(c * NUMBERS_PER_CLIENT + n),
        contact: `Contact ${n}`,
      })),
      contracts: [...clientDesks(c), ...(hasMenuContract(c) ? [MENU_DESK.id] : [])].map((desk, k) => ({
        desk,
        // signed between 2016 and 2025, renewed every 12 months since: all in force today
        start: `${2016 + ((c + k) % 10)}-${pad(1 + (c % 12), 2)}-${pad(1 + (c % 28), 2)}`,
        months: 12,
        monthlyQuotaMinutes: 300,
        noticeMonths: 3,
        overage: overageOf(c),
      })),
    })),
  }
}

/** Callers for the webhook runs: (From, To) pairs of registered numbers with a contract on that desk. */
export function registeredCalls(): { from: string; to: string }[] {
  const pairs: { from: string; to: string }[] = []
  for (let c = 0; c < CLIENTS; c++) {
    const desks = clientDesks(c).map((id) => DESKS.find((d) => d.id === id)!.number)
    for (let n = 0; n < NUMBERS_PER_CLIENT; n++) {
      pairs.push({ from: clientNumber(c * NUMBERS_PER_CLIENT + n), to: desks[n % desks.length]! })
    }
  }
  return pairs
}

export interface BenchCaller {
  from: string
  to: string
  clientId: string
  deskId: string
}

const clientId = (c: number) => `client-${pad(c, 4)}`

/** One registered number per contract of the clients whose policy is one of `policies` (the quota line's rows). */
export function contractCallers(policies: readonly string[]): BenchCaller[] {
  const callers: BenchCaller[] = []
  for (let c = 0; c < CLIENTS; c++) {
    if (!policies.includes(overageOf(c)) || c % 100 === 42) continue
    clientDesks(c).forEach((deskId, k) => {
      const to = DESKS.find((d) => d.id === deskId)!.number
      callers.push({ from: clientNumber(c * NUMBERS_PER_CLIENT + k), to, clientId: clientId(c), deskId })
    })
  }
  return callers
}

/** The callers of the menu desk: every number of the clients with a contract there (none has a language). */
export function menuCallers(): BenchCaller[] {
  const callers: BenchCaller[] = []
  for (let c = 0; c < CLIENTS; c++) {
    if (!hasMenuContract(c)) continue
    for (let n = 0; n < NUMBERS_PER_CLIENT; n++)
      callers.push({
        from: clientNumber(c * NUMBERS_PER_CLIENT + n),
        to: MENU_DESK.number,
        clientId: clientId(c),
        deskId: MENU_DESK.id,
      })
  }
  return callers
}

/**
 * Generates `months` of history (CALLS_PER_MONTH calls a month) straight into calls, talk_legs,
 * usage and usage_thresholds. Secondary indexes are dropped during the load and rebuilt from
 * their own definitions afterwards (a sorted build is far faster than 10 million random inserts).
 * call_events is left empty for generated calls: no measured query reads it.
 */
export async function generateHistory(db: Database, months: number, log: (line: string) => void): Promise<void> {
  const total = months * CALLS_PER_MONTH
  const run = async (label: string, query: ReturnType<typeof sql>) => {
    const started = performance.now()
    await db.execute(query)
    log(`  ${label} (${((performance.now() - started) / 1000).toFixed(1)} s)`)
  }
  await db.execute(sql`set maintenance_work_mem = '512MB'`)
  await db.execute(sql`set synchronous_commit = off`)
  await db.execute(sql`set work_mem = '256MB'`)
  // openDatabase gives every connection a 10 s statement timeout (the service's): a million calls
  // inserted in one statement take longer than that on a loaded machine.
  await db.execute(sql`set statement_timeout = 0`)

  // Every (registered number, contract) pair a call can come from, numbered 0..n-1.
  await run(
    'callers',
    sql`
    create temp table bench_callers as
    select (row_number() over (order by cn.number, c.id) - 1)::int as k, cn.number as from_number,
           c.id as contract_id, c.client_id, c.desk_id, d.timezone,
           (select min(dn.number) from desk_numbers dn where dn.desk_id = d.id) as to_number
    from client_numbers cn
    join contracts c on c.client_id = cn.client_id
    join desks d on d.id = c.desk_id
    where d.id <> ${MENU_DESK.id}`,
  )
  await run(
    'agents',
    sql`
    create temp table bench_agents as
    select ad.desk_id, array_agg(ad.agent_id order by ad.agent_id) as ids from agent_desks ad group by ad.desk_id`,
  )

  const saved = await savedIndexes(db, ['calls', 'talk_legs'])
  for (const index of saved) await db.execute(sql.raw(index.drop))

  // Calls in time order, one every (span / total); the outcome mix of a busy desk.
  await run(
    `calls: ${total.toLocaleString('en')} rows`,
    sql`
    insert into calls (call_sid, desk_id, from_number, to_number, client_id, contract_id, started_at,
                       usage_month, decision, outcome, agent_id, dial_call_sid, dial_status, dial_attempts,
                       talk_seconds, call_status, duration_seconds, ended_at)
    select sid, p.desk_id, p.from_number, p.to_number, p.client_id, p.contract_id, t,
           to_char(t at time zone p.timezone, 'YYYY-MM'),
           case when o < 90 then 'dial' when o < 95 then 'closed' else 'hangup' end,
           case when o < 72 then 'answered' when o < 82 then 'no_answer' when o < 88 then 'voicemail'
                when o < 90 then 'abandoned' when o < 95 then 'closed_hours' when o < 98 then 'unknown_caller'
                else 'quota_refused' end,
           case when o < 72 then a.ids[1 + (g % array_length(a.ids, 1))] end,
           case when o < 90 then 'CA' || md5('dial' || g) end,
           case when o < 72 then 'completed' when o < 90 then 'no-answer' end,
           case when o < 90 then 1 else 0 end,
           case when o < 72 then talk else 0 end,
           'completed', talk + 20, t + make_interval(secs => talk + 20)
    from (
      select g, 'CA' || md5('call' || g) as sid,
             ${HISTORY_END}::timestamptz - make_interval(secs => (${total}::bigint - g) * (${months} * 30.44 * 86400 / ${total})) as t,
             (g * 7919) % 100 as o,
             30 + ((g * 104729) % 570) as talk,
             (g * 15485863::bigint) % (select count(*) from bench_callers) as k
      from generate_series(1, ${total}::bigint) g
    ) s
    join bench_callers p on p.k = s.k
    join bench_agents a on a.desk_id = p.desk_id`,
  )

  // Answered talk, split at each contract's monthly quota line as countTalk would have split it.
  await run(
    'talk_legs',
    sql`
    insert into talk_legs (call_sid, dial_call_sid, contract_id, month, talk_seconds, counted_seconds,
                           included_seconds, overage_seconds, counted_at)
    select call_sid, dial_call_sid, contract_id, usage_month, talk_seconds, talk_seconds,
           greatest(0, least(talk_seconds, quota - (running - talk_seconds))),
           talk_seconds - greatest(0, least(talk_seconds, quota - (running - talk_seconds))),
           ended_at
    from (
      select c.call_sid, c.dial_call_sid, c.contract_id, c.usage_month, c.talk_seconds, c.ended_at,
             k.monthly_quota_seconds as quota,
             sum(c.talk_seconds) over (partition by c.contract_id, c.usage_month order by c.started_at, c.call_sid) as running
      from calls c join contracts k on k.id = c.contract_id
      where c.outcome = 'answered'
    ) s`,
  )

  for (const index of saved) await run(`index ${index.name}`, sql.raw(index.create))

  await run(
    'usage',
    sql`
    insert into usage (contract_id, month, quota_seconds, used_seconds, included_seconds, overage_seconds, calls, updated_at)
    select l.contract_id, l.month, k.monthly_quota_seconds, sum(l.counted_seconds), sum(l.included_seconds),
           sum(l.overage_seconds), count(*), max(l.counted_at)
    from talk_legs l join contracts k on k.id = l.contract_id
    group by l.contract_id, l.month, k.monthly_quota_seconds`,
  )
  await run(
    'usage_thresholds',
    sql`
    insert into usage_thresholds (contract_id, month, percent, call_sid, crossed_at)
    select contract_id, month, p, 'generated', updated_at from usage, (values (80), (100)) v(p)
    where used_seconds * 100 >= quota_seconds * p`,
  )
  await run('analyze', sql`analyze`)
}

interface SavedIndex {
  name: string
  drop: string
  create: string
}

/** The definitions of the tables' indexes (primary keys included), to rebuild them after a bulk load. */
async function savedIndexes(db: Database, tables: string[]): Promise<SavedIndex[]> {
  const rows = await db.execute(sql`
    select i.relname as name, t.relname as table, pg_get_indexdef(i.oid) as def, con.conname as constraint_name,
           pg_get_constraintdef(con.oid) as constraint_def
    from pg_index x
    join pg_class i on i.oid = x.indexrelid
    join pg_class t on t.oid = x.indrelid
    left join pg_constraint con on con.conindid = i.oid
    where t.relname in (${sql.join(
      tables.map((table) => sql`${table}`),
      sql`, `,
    )}) and t.relnamespace = 'public'::regnamespace`)
  return rowsOf(rows).map((row) => {
    const table = String(row.table)
    if (row.constraint_name) {
      return {
        name: String(row.name),
        drop: `alter table "${table}" drop constraint "${row.constraint_name}"`,
        create: `alter table "${table}" add constraint "${row.constraint_name}" ${row.constraint_def}`,
      }
    }
    return { name: String(row.name), drop: `drop index "${row.name}"`, create: String(row.def) }
  })
}

/** Rows of db.execute: postgres.js gives an array, PGlite an object holding one. */
export function rowsOf(result: unknown): Record<string, unknown>[] {
  if (Array.isArray(result)) return result as Record<string, unknown>[]
  return (result as { rows: Record<string, unknown>[] }).rows
}
