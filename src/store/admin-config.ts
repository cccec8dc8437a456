// The configuration as a desk file (GET /api/config), and the API's edits: read the file, edit it,
// apply it, in one transaction that holds the configuration lock.
import { asc, eq } from 'drizzle-orm'
import type { Database, Queryable } from '../../db/client.js'
import { agentDesks, agents, clientNumbers, clients, contracts, deskNumbers, desks } from '../../db/schema.js'
import type { Country } from '../domain/calendar/index.js'
import { type Edit, type EditProblem, agentsInFileOrder } from '../domain/config-edit.js'
import { type DeskFile, type DeskFileInput, parseDeskFile } from '../domain/desk-file.js'
import { type ApplyContext, type ApplySummary, lockConfiguration, syncConfiguration } from './configuration.js'

/** Omits null fields: the desk file leaves out what is not set. */
const present = <T extends Record<string, unknown>>(value: T) =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null)) as { [K in keyof T]: Exclude<T[K], null> }

/**
 * The active configuration as a desk file: re-applying it changes nothing. Agents come in an order
 * that gives every desk its ringing order back; the managers' own calendar decisions (closures,
 * holidays, closed-now) and agents' duty switches live apart and are not part of it.
 */
export async function exportDeskFile(db: Queryable): Promise<DeskFile> {
  const [deskRows, numbers, agentRows, memberships, clientRows, registered, contractRows] = await Promise.all([
    db.select().from(desks).where(eq(desks.active, true)).orderBy(asc(desks.id)),
    db.select().from(deskNumbers).orderBy(asc(deskNumbers.number)),
    db.select().from(agents).where(eq(agents.active, true)),
    db.select().from(agentDesks).orderBy(asc(agentDesks.deskId), asc(agentDesks.position)),
    db.select().from(clients).where(eq(clients.active, true)).orderBy(asc(clients.id)),
    db.select().from(clientNumbers).orderBy(asc(clientNumbers.number)),
    db.select().from(contracts).where(eq(contracts.active, true)).orderBy(asc(contracts.deskId), asc(contracts.start)),
  ])
  const order = agentsInFileOrder(
    agentRows.map((agent) => ({ id: agent.id, positions: memberships.filter((m) => m.agentId === agent.id) })),
  )
  const agentById = new Map(agentRows.map((agent) => [agent.id, agent]))
  const file: DeskFileInput = {
    desks: deskRows.map((desk) => ({
      id: desk.id,
      name: desk.name,
      numbers: numbers.filter((n) => n.deskId === desk.id).map((n) => n.number),
      timezone: desk.timezone,
      language: desk.language,
      ...(desk.languages !== null ? { languages: desk.languages } : {}),
      schedule: {
        weekly: desk.weekly,
        changes: desk.weeklyChanges,
        seasons: desk.seasons,
        // stored as text; the parse below refuses anything but a known country
        holidays: { country: desk.country as Country | null, closures: desk.closures, openings: desk.openings },
      },
      options: desk.options,
      templates: desk.templates,
      ...(desk.notifications ? { notifications: desk.notifications } : {}),
    })),
    agents: order.flatMap((id) => {
      const agent = agentById.get(id)
      if (!agent) return []
      const own = memberships.filter((m) => m.agentId === id).map((m) => m.deskId)
      return [{ id, name: agent.name, number: agent.number, desks: own, onDuty: agent.onDuty }]
    }),
    clients: clientRows.map((client) => ({
      ...present({
        id: client.id,
        name: client.name,
        language: client.language,
        suspended: client.suspended,
        suspendedReason: client.suspendedReason,
        contact: client.contact,
        emailDomains: client.emailDomains.length > 0 ? client.emailDomains : undefined,
      }),
      numbers: registered
        .filter((n) => n.clientId === client.id)
        .map((n) => present({ number: n.number, contact: n.contact, language: n.language })),
      contracts: contractRows
        .filter((c) => c.clientId === client.id)
        .map((c) =>
          present({
            desk: c.deskId,
            start: c.start,
            months: c.months,
            monthlyQuotaMinutes: c.monthlyQuotaSeconds / 60,
            noticeMonths: c.noticeMonths,
            renews: c.renews,
            overage: c.overage,
            billingIncrementSeconds: c.billingIncrementSeconds,
            changes: c.changes,
            revision: c.revision,
            noticeGivenOn: c.noticeGivenOn,
            emailMinutesCountIntoQuota: c.emailMinutesCountIntoQuota || undefined,
          }),
        ),
    })),
  }
  const parsed = parseDeskFile(file)
  // Only a database changed by hand could fail here: say where, rather than export a wrong file.
  if (!parsed.ok)
    throw new Error(
      `the configuration is not a valid desk file: ${parsed.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`,
    )
  return parsed.file
}

export type ChangeResult = { ok: true; file: DeskFile; summary: ApplySummary } | { ok: false; problem: EditProblem }

/**
 * Applies one edit of the configuration: under the configuration lock, the current file is read,
 * edited (pure code that may refuse), and applied like a desk file (audited as "api.*", version
 * bumped if anything changed). A refused edit writes nothing.
 */
export async function changeConfiguration(db: Database, context: Omit<ApplyContext, 'via'>, edit: Edit): Promise<ChangeResult> {
  return db.transaction(async (tx) => {
    await lockConfiguration(tx)
    const edited = edit(await exportDeskFile(tx))
    if (!edited.ok) return edited
    const summary = await syncConfiguration(tx, edited.file, { ...context, via: 'api' })
    return { ok: true, file: edited.file, summary }
  })
}
