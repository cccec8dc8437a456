// The on-duty switch: the one configuration change agents make every day (managers may too).
import { and, eq } from 'drizzle-orm'
import type { Database } from '../../db/client.js'
import { agents } from '../../db/schema.js'
import { writeAudit } from './audit.js'
import type { Actor } from './calendar.js'
import { touchConfiguration } from './config-version.js'

export interface AgentDuty {
  id: string
  name: string
  onDuty: boolean
}

/** Puts an active agent on or off duty; null when there is no such agent. Switching to the same duty writes nothing. */
export async function setAgentDuty(db: Database, agentId: string, onDuty: boolean, actor: Actor): Promise<AgentDuty | null> {
  return db.transaction(async (tx) => {
    const [agent] = await tx
      .select({ id: agents.id, name: agents.name, onDuty: agents.onDuty })
      .from(agents)
      .where(and(eq(agents.id, agentId), eq(agents.active, true)))
      .for('update')
    if (!agent) return null
    if (agent.onDuty === onDuty) return agent
    await tx.update(agents).set({ onDuty, updatedAt: actor.now }).where(eq(agents.id, agentId))
    await writeAudit(tx, {
      at: actor.now,
      actor: actor.name,
      action: 'api.duty',
      entity: 'agent',
      entityId: agentId,
      before: { onDuty: agent.onDuty },
      after: { onDuty },
    })
    // Who is on duty decides who rings: a cached configuration must see it at once.
    await touchConfiguration(tx, actor.now)
    return { ...agent, onDuty }
  })
}
