// Everything the incoming-call decision needs, in one round trip: the configuration (desks with
// their calendars, callers with their contracts) from an in-memory snapshot, checked against
// config_version by the same statement that reads what is never cached (the month's usage, the
// agents on duty).
import { and, asc, eq, sql } from 'drizzle-orm'
import type { Database, Queryable } from '../../db/client.js'
import { agentDesks, agents, callerLanguages, configVersion, usage } from '../../db/schema.js'
import { type AgentFacts, type CallFacts, type DeskFacts, fallbackAgents } from '../domain/call.js'
import { isUnavailable, withDeadline } from '../deadline.js'
import { normaliseCaller } from '../domain/phone.js'
import { monthOf } from '../domain/quota.js'
import { type CallerConfig, type ContractConfig, findCaller, loadAllCallers, rememberedLanguage } from './clients.js'
import { currentConfigVersion } from './config-version.js'
import { agentsOnDuty, findDeskByNumber, loadAllDesks } from './desks.js'

export interface IncomingCallKey {
  /** the number dialled (Twilio's To) */
  to: string
  /** the caller's number in E.164; null when withheld or unparsable */
  from: string | null
  /** From as Twilio gave it */
  rawFrom: string
  now: Date
}

/** The key of a call as a webhook's To and From give it, at `now`. */
export function incomingCallKey(params: { To: string; From: string }, now: Date): IncomingCallKey {
  return { to: params.To, from: normaliseCaller(params.From), rawFrom: params.From, now }
}

/** Straight from the tables, no snapshot: for the rarer callbacks, and the fallback of the loader. */
export async function loadCallFacts(db: Queryable, call: IncomingCallKey): Promise<CallFacts> {
  const desk = await findDeskByNumber(db, call.to)
  if (!desk) return { desk: null, caller: null, agents: [], from: call.rawFrom }
  const [found, onDuty, remembered] = await Promise.all([
    call.from ? findCaller(db, call.from, desk.id, monthOf(call.now, desk.timezone)) : null,
    agentsOnDuty(db, desk.id),
    call.from ? rememberedLanguage(db, call.from) : null,
  ])
  // As the live statement gives it: the registered number's own language, else the one it chose.
  const caller = found && { ...found, numberLanguage: found.numberLanguage ?? remembered }
  return { desk, caller, agents: onDuty, from: call.from ?? call.rawFrom }
}

/** The configuration as of one config_version, read in one repeatable-read transaction. */
export interface ConfigurationSnapshot {
  version: number
  desks: { byId: Map<string, DeskFacts>; byNumber: Map<string, DeskFacts> }
  callers: Map<string, CallerConfig>
  /** every active contract of an active client with its desk's time zone, for counting a dial's talk */
  contracts: Map<number, CountingContract>
}

/** What counting a leg's talk needs of its contract: the terms (with their changes) and the desk's zone. */
export interface CountingContract {
  contract: ContractConfig
  timezone: string
}

function contractsById(callers: Map<string, CallerConfig>, desksById: Map<string, DeskFacts>): Map<number, CountingContract> {
  const byId = new Map<number, CountingContract>()
  for (const caller of callers.values()) {
    for (const contract of caller.contracts) {
      const desk = desksById.get(contract.deskId)
      if (desk && !byId.has(contract.id)) byId.set(contract.id, { contract, timezone: desk.timezone })
    }
  }
  return byId
}

export async function loadConfigurationSnapshot(db: Database): Promise<ConfigurationSnapshot> {
  // One snapshot of the database for every read: the version read first describes all the rest.
  return db.transaction(
    async (tx) => {
      const version = await currentConfigVersion(tx)
      const [desks, callers] = await Promise.all([loadAllDesks(tx), loadAllCallers(tx)])
      return { version, desks, callers, contracts: contractsById(callers, desks.byId) }
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  )
}

// A configuration that keeps changing while we reload it: after this many tries, read the tables.
const MAX_RELOADS = 2

/**
 * Call facts against an in-memory configuration, one loader per app instance. Each call runs one
 * statement that reads config_version along with the usage and the agents on duty; a version other
 * than the snapshot's (a change by this instance or any other) reloads the snapshot before
 * deciding, so a decision never uses configuration older than that statement.
 */
export class CallFactsLoader {
  private snapshot: ConfigurationSnapshot | null = null
  private loading: Promise<ConfigurationSnapshot> | null = null
  private readonly live: ReturnType<typeof liveFactsQuery>

  constructor(private readonly db: Database) {
    this.live = liveFactsQuery(db)
  }

  async load(call: IncomingCallKey): Promise<CallFacts> {
    let snapshot = this.snapshot ?? (await this.reload())
    for (let reloads = 0; ; reloads++) {
      const { version, facts } = await liveFacts(this.live, snapshot, call)
      if (version === snapshot.version) return facts
      if (reloads === MAX_RELOADS) return loadCallFacts(this.db, call)
      snapshot = await this.reload()
    }
  }

  /** The configuration this instance holds now, without loading it (null before the first load). */
  get current(): ConfigurationSnapshot | null {
    return this.snapshot
  }

  /**
   * The configuration this instance holds (loading it if it has none), for the callbacks that
   * follow a call; null when it has none and the database cannot give it now.
   */
  async configuration(deadlineMs: number): Promise<ConfigurationSnapshot | null> {
    if (this.snapshot) return this.snapshot
    try {
      return await withDeadline(this.reload(), deadlineMs, 'loading the configuration')
    } catch (error) {
      if (isUnavailable(error)) return null
      throw error
    }
  }

  /**
   * The facts of a call with the database away, from the configuration in memory: the contract
   * rules still apply (hours, holidays, suspension, contract in force) but the month's usage is
   * unknown (the quota is not enforced; the talk is counted once the journal is replayed) and the
   * desk's fallback numbers (with FALLBACK_NUMBERS) ring instead of the agents on duty.
   */
  degradedFacts(call: IncomingCallKey, fallbackNumbers: readonly string[]): CallFacts {
    const desk = this.snapshot?.desks.byNumber.get(call.to) ?? null
    const from = call.from ?? call.rawFrom
    if (!desk) return { desk: null, caller: null, agents: [], from }
    const caller = call.from ? (this.snapshot?.callers.get(call.from) ?? null) : null
    const numbers = [...new Set([...desk.options.fallbackNumbers, ...fallbackNumbers])]
    return {
      desk,
      caller: caller && callerOnDesk(caller, desk.id, () => 0, null),
      agents: fallbackAgents(numbers),
      from,
    }
  }

  /** Loads the configuration once for every call waiting on it. */
  private reload(): Promise<ConfigurationSnapshot> {
    this.loading ??= loadConfigurationSnapshot(this.db)
      .then((loaded) => {
        // Versions only grow: never replace a snapshot with an older one.
        if (!this.snapshot || loaded.version >= this.snapshot.version) this.snapshot = loaded
        return loaded
      })
      .finally(() => {
        this.loading = null
      })
    return this.loading
  }
}

const parseJson = <T>(value: unknown): T => (typeof value === 'string' ? JSON.parse(value) : value) as T

/**
 * The one statement of each call: config_version, the month's usage of the caller's contracts
 * with this desk, the desk's agents on duty. Built once per database (drizzle's query building
 * costs more than the round trip).
 */
function liveFactsQuery(db: Database) {
  return db
    .select({
      version: sql<number>`coalesce((select ${configVersion.version} from ${configVersion} where ${configVersion.id} = 1), 0)`,
      // Usage changes with every answered call on any instance: always read, never cached.
      used: sql`(select coalesce(json_agg(json_build_array(${usage.contractId}, ${usage.usedSeconds})), '[]')
        from ${usage} where ${usage.month} = ${sql.placeholder('month')} and ${usage.contractId} = any(${sql.placeholder('contractIds')}::int[]))`.mapWith(
        (value) => parseJson<[number, number][]>(value),
      ),
      // Agents switch duty all day: read live too, in ringing order.
      agents:
        sql`(select coalesce(json_agg(json_build_object('id', ${agents.id}, 'name', ${agents.name}, 'number', ${agents.number})
          order by ${asc(agentDesks.position)}, ${asc(agents.id)}), '[]')
        from ${agentDesks} inner join ${agents} on ${eq(agents.id, agentDesks.agentId)}
        where ${agentDesks.deskId} = ${sql.placeholder('deskId')} and ${and(eq(agents.onDuty, true), eq(agents.active, true))})`.mapWith(
          (value) => parseJson<AgentFacts[]>(value),
        ),
      // The language the calling number chose at a desk's menu (issue #17): a primary-key read in
      // the same statement, so the voice webhook needs no second round trip to know it.
      remembered: sql<
        string | null
      >`(select ${callerLanguages.language} from ${callerLanguages} where ${callerLanguages.number} = ${sql.placeholder('from')})`,
    })
    .from(sql`(select 1) as one`)
    .prepare('call_facts_live')
}

const contractsOnDesk = (caller: CallerConfig, deskId: string) =>
  caller.contracts.filter((contract) => contract.deskId === deskId)

/** A caller as a call on this desk sees it: its client, and its contracts with the desk with their month's usage. */
function callerOnDesk(
  caller: CallerConfig,
  deskId: string,
  usedSeconds: (contractId: number) => number,
  remembered: string | null,
): CallFacts['caller'] {
  return {
    client: caller.client,
    // the registered number's own language, else the one it chose at a menu
    numberLanguage: caller.numberLanguage ?? remembered,
    contracts: contractsOnDesk(caller, deskId).map(({ deskId: _, ...contract }) => ({
      ...contract,
      usedSeconds: usedSeconds(contract.id),
    })),
  }
}

/** The snapshot's facts for this call, with the live ones, and the configuration version they were read at. */
async function liveFacts(
  query: ReturnType<typeof liveFactsQuery>,
  snapshot: ConfigurationSnapshot,
  call: IncomingCallKey,
): Promise<{ version: number; facts: CallFacts }> {
  const desk = snapshot.desks.byNumber.get(call.to) ?? null
  const caller = desk && call.from ? (snapshot.callers.get(call.from) ?? null) : null
  const contracts = desk && caller ? contractsOnDesk(caller, desk.id) : []
  const [row] = await query.execute({
    month: desk ? monthOf(call.now, desk.timezone) : '',
    contractIds: contracts.map((contract) => contract.id),
    deskId: desk?.id ?? '',
    from: call.from ?? '',
  })
  if (!row) throw new Error('the call facts statement returned no row')
  const version = Number(row.version)
  if (!desk) return { version, facts: { desk: null, caller: null, agents: [], from: call.rawFrom } }
  const used = new Map(row.used)
  return {
    version,
    facts: {
      desk,
      caller: caller && callerOnDesk(caller, desk.id, (contractId) => used.get(contractId) ?? 0, row.remembered),
      agents: row.agents,
      from: call.from ?? call.rawFrom,
    },
  }
}
