// What the dashboard reads that the API has no query for: the desks to choose from, a desk's agents
// with their duty, and names to show for ids.
import { and, asc, eq } from 'drizzle-orm'
import type { Queryable } from '../../db/client.js'
import { agentDesks, agents, clients, desks } from '../../db/schema.js'

export interface DeskSummary {
  id: string
  name: string
  timezone: string
  language: string
}

/** Active desks, by id. */
export async function listActiveDesks(db: Queryable): Promise<DeskSummary[]> {
  return db
    .select({ id: desks.id, name: desks.name, timezone: desks.timezone, language: desks.language })
    .from(desks)
    .where(eq(desks.active, true))
    .orderBy(asc(desks.id))
}

export interface DeskAgent {
  id: string
  name: string
  number: string
  onDuty: boolean
}

/** A desk's active agents in ringing order, on duty or not. */
export async function deskAgents(db: Queryable, deskId: string): Promise<DeskAgent[]> {
  return db
    .select({ id: agents.id, name: agents.name, number: agents.number, onDuty: agents.onDuty })
    .from(agentDesks)
    .innerJoin(agents, eq(agents.id, agentDesks.agentId))
    .where(and(eq(agentDesks.deskId, deskId), eq(agents.active, true)))
    .orderBy(asc(agentDesks.position), asc(agents.id))
}

export interface NamedEntry {
  id: string
  name: string
  active: boolean
}

/** Every client, active or not (the call log keeps former clients' calls). */
export async function clientDirectory(db: Queryable): Promise<NamedEntry[]> {
  return db.select({ id: clients.id, name: clients.name, active: clients.active }).from(clients).orderBy(asc(clients.name))
}

/** Every agent, active or not. */
export async function agentDirectory(db: Queryable): Promise<NamedEntry[]> {
  return db.select({ id: agents.id, name: agents.name, active: agents.active }).from(agents).orderBy(asc(agents.name))
}
