// What the call-path rows need the database to be before (and during) their calls, set by the
// bench over a connection of its own (application_name 'bench-setup': its CPU is not counted as
// the service's database CPU): agents off duty, a month's usage just under the quota, a number's
// remembered language forgotten.
import postgres from 'postgres'
import type { BenchCaller } from './dataset.js'

/** The month the runs' calls count into (CLOCK_START's). */
export const RUN_MONTH = '2026-11'

/** What was written between two outbox counts: "callback.opened 2,345". */
export function outboxWritten(before: Map<string, number>, after: Map<string, number>): string {
  const written = [...after].map(([type, n]) => [type, n - (before.get(type) ?? 0)] as const).filter(([, n]) => n > 0)
  return written.map(([type, n]) => `${type} ${n.toLocaleString('en')}`).join(', ') || 'nothing'
}

export function benchSetup(url: string) {
  const sql = postgres(url, { max: 4, onnotice: () => {}, connection: { application_name: 'bench-setup' } })
  return {
    /** Every agent of a desk off duty (read live by each call: no configuration change); gives back a way to restore them. */
    async offDuty(deskId: string): Promise<() => Promise<void>> {
      const rows = await sql<{ id: string }[]>`
        update agents set on_duty = false
        where on_duty and id in (select agent_id from agent_desks where desk_id = ${deskId})
        returning id`
      const ids = rows.map((row) => row.id)
      return async () => {
        await sql`update agents set on_duty = true where id = any(${ids})`
      }
    },
    /** The caller's contract with its desk: the month's usage set `left` seconds under the quota. */
    async usageLeft(caller: BenchCaller, left: number): Promise<void> {
      await sql`
        insert into usage (contract_id, month, quota_seconds, used_seconds, included_seconds, overage_seconds, calls)
        select id, ${RUN_MONTH}, monthly_quota_seconds, monthly_quota_seconds - ${left}, monthly_quota_seconds - ${left}, 0, 1
        from contracts where client_id = ${caller.clientId} and desk_id = ${caller.deskId} and active
        on conflict (contract_id, month) do update set used_seconds = excluded.used_seconds,
          included_seconds = excluded.included_seconds, overage_seconds = 0, consented_seconds = 0, grace_seconds = 0`
    },
    /** The language the number chose at a menu, forgotten: its next call hears the menu again. */
    async forgetLanguage(caller: BenchCaller): Promise<void> {
      await sql`delete from caller_languages where number = ${caller.from}`
    },
    /** The outbox's notifications by event type (diff two of them for what a row wrote). */
    async outbox(): Promise<Map<string, number>> {
      const rows = await sql<{ type: string; n: string }[]>`select type, count(*) as n from notifications group by type`
      return new Map(rows.map((row) => [row.type, Number(row.n)]))
    },
    end: () => sql.end(),
  }
}
