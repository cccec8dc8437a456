// Everything the incoming-call decision needs, in as few round trips as the data allows.
import type { Queryable } from '../../db/client.js'
import type { CallFacts } from '../domain/call.js'
import { monthOf } from '../domain/quota.js'
import { findCaller } from './clients.js'
import { agentsOnDuty, findDeskByNumber } from './desks.js'

export async function loadCallFacts(
  db: Queryable,
  call: { to: string; from: string | null; rawFrom: string; now: Date },
): Promise<CallFacts> {
  const desk = await findDeskByNumber(db, call.to)
  if (!desk) return { desk: null, caller: null, agents: [], from: call.rawFrom }
  const [caller, agents] = await Promise.all([
    call.from ? findCaller(db, call.from, desk.id, monthOf(call.now, desk.timezone)) : null,
    agentsOnDuty(db, desk.id),
  ])
  return { desk, caller, agents, from: call.from ?? call.rawFrom }
}
