// Configuration edits through the API, one entity at a time, as edits of the whole desk file: the
// edited file is checked exactly as a file is (ids, numbers, references) and then applied like one.
import {
  type ClientConfig,
  type ContractConfig,
  type DeskConfig,
  type DeskFile,
  type FieldError,
  formatPath,
  parseDeskFile,
} from './desk-file.js'

export interface EditProblem {
  kind: 'not_found' | 'conflict' | 'invalid'
  message: string
  /** paths relative to the entity sent (the request body): "numbers[0].number" */
  errors: FieldError[]
}

export type EditResult = { ok: true; file: DeskFile } | { ok: false; problem: EditProblem }
export type Edit = (file: DeskFile) => EditResult

/** A contract is identified in the file by its client, desk and signature date. */
export interface ContractKey {
  clientId: string
  desk: string
  start: string
}

type Section = 'desks' | 'agents' | 'clients'
type EntityOf<S extends Section> = DeskFile[S][number]
const NOUN = { desks: 'desk', agents: 'agent', clients: 'client' } as const

const fail = (kind: EditProblem['kind'], message: string, errors: FieldError[] = []): EditResult => ({
  ok: false,
  problem: { kind, message, errors },
})

/** Creates (`create`) or replaces (`replace`) a desk, an agent or a client. */
export function putEntity<S extends Section>(
  file: DeskFile,
  section: S,
  entity: EntityOf<S>,
  mode: 'create' | 'replace',
): EditResult {
  const list = file[section] as EntityOf<S>[]
  const index = list.findIndex((item) => item.id === entity.id)
  const noun = NOUN[section]
  if (mode === 'create' && index >= 0)
    return fail('conflict', `${noun} "${entity.id}" already exists`, [
      { path: 'id', message: `${noun} "${entity.id}" already exists` },
    ])
  if (mode === 'replace' && index < 0) return fail('not_found', `${noun} ${entity.id} not found`)
  const taken = numberConflicts(file, section, entity)
  if (taken.length > 0) return fail('conflict', taken.map((e) => e.message).join('; '), taken)
  // A replaced entity keeps its place: agents' order in the file is their ringing order.
  const next = index >= 0 ? list.map((item, i) => (i === index ? entity : item)) : [...list, entity]
  return checked({ ...file, [section]: next }, [section, index >= 0 ? index : list.length])
}

/** Removes a desk, an agent or a client from the file: applying it deactivates them (history stays). */
export function removeEntity(file: DeskFile, section: Section, id: string): EditResult {
  const list: readonly { id: string }[] = file[section]
  if (!list.some((item) => item.id === id)) return fail('not_found', `${NOUN[section]} ${id} not found`)
  if (section === 'desks') {
    const users = deskUsers(file, id)
    if (users.length > 0) return fail('conflict', `desk ${id} is still used by ${users.join(', ')}; change or remove those first`)
  }
  return checked({ ...file, [section]: list.filter((item) => item.id !== id) }, null)
}

/** The agents and contracts that name a desk. */
function deskUsers(file: DeskFile, deskId: string): string[] {
  return [
    ...file.agents.filter((agent) => agent.desks.includes(deskId)).map((agent) => `agent ${agent.id}`),
    ...file.clients.flatMap((client) =>
      client.contracts.filter((c) => c.desk === deskId).map((c) => `contract ${client.id}/${c.desk}/${c.start}`),
    ),
  ]
}

/** Who holds each number: a number reaches one desk or identifies one client, never two. */
function numberOwners(file: DeskFile): Map<string, string> {
  const owners = new Map<string, string>()
  for (const desk of file.desks) for (const number of desk.numbers) owners.set(number, `desk ${desk.id}`)
  for (const client of file.clients) for (const { number } of client.numbers) owners.set(number, `client ${client.id}`)
  return owners
}

/** The entity's numbers already held by another desk or client, named by their path in the entity. */
function numberConflicts<S extends Section>(file: DeskFile, section: S, entity: EntityOf<S>): FieldError[] {
  const self = `${NOUN[section]} ${entity.id}`
  const owners = numberOwners(file)
  const numbers: [string, string][] =
    section === 'desks'
      ? (entity as DeskConfig).numbers.map((number, i) => [number, `numbers[${i}]`])
      : section === 'clients'
        ? (entity as ClientConfig).numbers.map(({ number }, i) => [number, `numbers[${i}].number`])
        : []
  return numbers.flatMap(([number, path]) => {
    const owner = owners.get(number)
    return owner && owner !== self ? [{ path, message: `${number} is already registered to ${owner}` }] : []
  })
}

/**
 * Checks the edited file as a desk file. Problems inside the edited entity are named by their path
 * in it (what the request sent); a problem elsewhere means the edit breaks another entity: a conflict.
 */
function checked(file: DeskFile, entityPath: (string | number)[] | null): EditResult {
  const parsed = parseDeskFile(file)
  if (parsed.ok) return { ok: true, file: parsed.file }
  const prefix = entityPath ? formatPath(entityPath) : null
  const inside = parsed.errors.filter(
    (e) => prefix !== null && (e.path === prefix || e.path.startsWith(`${prefix}.`) || e.path.startsWith(`${prefix}[`)),
  )
  if (inside.length === parsed.errors.length && prefix !== null) {
    const errors = inside.map((e) => ({ path: e.path.slice(prefix.length).replace(/^\./, '') || '(root)', message: e.message }))
    return fail('invalid', errors.map((e) => `${e.path}: ${e.message}`).join('; '), errors)
  }
  return fail('conflict', parsed.errors.map((e) => `${e.path}: ${e.message}`).join('; '))
}

/** The client's index and entry, or a not-found problem. */
function findClient(
  file: DeskFile,
  clientId: string,
): { index: number; client: ClientConfig } | { ok: false; problem: EditProblem } {
  const index = file.clients.findIndex((client) => client.id === clientId)
  const client = file.clients[index]
  return client
    ? { index, client }
    : { ok: false, problem: { kind: 'not_found', message: `client ${clientId} not found`, errors: [] } }
}

/** The file with one client replaced, checked with `within` (a path in the client) as the entity sent. */
function withClient(file: DeskFile, index: number, client: ClientConfig, within: (string | number)[] = []): EditResult {
  const clients = file.clients.map((c, i) => (i === index ? client : c))
  return checked({ ...file, clients }, ['clients', index, ...within])
}

/** Registers a number for a client (model clause: the client names its technical contacts). */
export function addClientNumber(file: DeskFile, clientId: string, entry: ClientConfig['numbers'][number]): EditResult {
  const found = findClient(file, clientId)
  if ('ok' in found) return found
  const owner = numberOwners(file).get(entry.number)
  if (owner) {
    const message = `${entry.number} is already registered to ${owner === `client ${clientId}` ? 'this client' : owner}`
    return fail('conflict', message, [{ path: 'number', message }])
  }
  const { index, client } = found
  return withClient(file, index, { ...client, numbers: [...client.numbers, entry] }, ['numbers', client.numbers.length])
}

export function removeClientNumber(file: DeskFile, clientId: string, number: string): EditResult {
  const found = findClient(file, clientId)
  if ('ok' in found) return found
  const { index, client } = found
  if (!client.numbers.some((n) => n.number === number))
    return fail('not_found', `number ${number} of client ${clientId} not found`)
  return withClient(file, index, { ...client, numbers: client.numbers.filter((n) => n.number !== number) })
}

/** Suspends a client for breach (model clause), with the reason, or lifts the suspension. */
export function setSuspension(
  file: DeskFile,
  clientId: string,
  suspension: { suspended: boolean; reason?: string | undefined },
): EditResult {
  const found = findClient(file, clientId)
  if ('ok' in found) return found
  const { suspendedReason: _, ...client } = found.client
  const reason = suspension.suspended && suspension.reason ? { suspendedReason: suspension.reason } : {}
  return withClient(file, found.index, { ...client, suspended: suspension.suspended, ...reason })
}

const sameContract = (key: Pick<ContractKey, 'desk' | 'start'>) => (contract: ContractConfig) =>
  contract.desk === key.desk && contract.start === key.start

export function addContract(file: DeskFile, clientId: string, contract: ContractConfig): EditResult {
  const found = findClient(file, clientId)
  if ('ok' in found) return found
  const { index, client } = found
  if (client.contracts.some(sameContract(contract))) {
    const message = `client ${clientId} already has a contract with desk "${contract.desk}" signed ${contract.start}`
    return fail('conflict', message, [{ path: 'start', message }])
  }
  return withClient(file, index, { ...client, contracts: [...client.contracts, contract] }, [
    'contracts',
    client.contracts.length,
  ])
}

/**
 * Replaces a contract's terms. Its desk and signature date identify it, so they cannot change (a
 * new contract is created instead); a notice recorded earlier stays unless the new terms state one.
 */
export function replaceContract(file: DeskFile, key: ContractKey, contract: ContractConfig): EditResult {
  const fixed = (['desk', 'start'] as const).filter((field) => contract[field] !== key[field])
  if (fixed.length > 0) {
    const errors = fixed.map((field) => ({
      path: field,
      message: `is ${key[field]} for this contract and cannot change (create another contract instead)`,
    }))
    return fail('invalid', errors.map((e) => `${e.path} ${e.message}`).join('; '), errors)
  }
  const found = findClient(file, key.clientId)
  if ('ok' in found) return found
  const { index, client } = found
  const position = client.contracts.findIndex(sameContract(key))
  const current = client.contracts[position]
  if (!current) return fail('not_found', `contract ${key.clientId}/${key.desk}/${key.start} not found`)
  const noticeGivenOn = contract.noticeGivenOn ?? current.noticeGivenOn
  const next = { ...contract, ...(noticeGivenOn ? { noticeGivenOn } : {}) }
  const contracts = client.contracts.map((c, i) => (i === position ? next : c))
  return withClient(file, index, { ...client, contracts }, ['contracts', position])
}

export function removeContract(file: DeskFile, key: ContractKey): EditResult {
  const found = findClient(file, key.clientId)
  if ('ok' in found) return found
  const { index, client } = found
  if (!client.contracts.some(sameContract(key)))
    return fail('not_found', `contract ${key.clientId}/${key.desk}/${key.start} not found`)
  return withClient(file, index, { ...client, contracts: client.contracts.filter((c) => !sameContract(key)(c)) })
}

/** One entity of a file, by id. */
export function findEntity<S extends Section>(file: DeskFile, section: S, id: string): EntityOf<S> | undefined {
  return (file[section] as EntityOf<S>[]).find((item) => item.id === id)
}

export interface AgentPositions {
  id: string
  /** the agent's place in each desk's ringing order */
  positions: { deskId: string; position: number }[]
}

/**
 * The agents in an order of the file that gives every desk its ringing order back (the file keeps
 * one list of agents; each desk rings its own agents in that list's order): a topological order of
 * the desks' orders, ties by id.
 */
export function agentsInFileOrder(agents: readonly AgentPositions[]): string[] {
  const after = new Map<string, Set<string>>(agents.map((agent) => [agent.id, new Set()]))
  const before = new Map<string, number>(agents.map((agent) => [agent.id, 0]))
  const byDesk = new Map<string, { id: string; position: number }[]>()
  for (const agent of agents) {
    for (const { deskId, position } of agent.positions)
      byDesk.set(deskId, [...(byDesk.get(deskId) ?? []), { id: agent.id, position }])
  }
  for (const ring of byDesk.values()) {
    ring.sort((a, b) => a.position - b.position || a.id.localeCompare(b.id))
    for (const [i, { id: later }] of ring.entries()) {
      const earlier = ring[i - 1]?.id
      if (earlier === undefined) continue
      if (after.get(earlier)?.has(later)) continue
      after.get(earlier)?.add(later)
      before.set(later, (before.get(later) ?? 0) + 1)
    }
  }
  const order: string[] = []
  const ready = agents.map((a) => a.id).filter((id) => before.get(id) === 0)
  while (ready.length > 0) {
    ready.sort((a, b) => a.localeCompare(b))
    const id = ready.shift() as string
    order.push(id)
    for (const next of after.get(id) ?? []) {
      const left = (before.get(next) ?? 0) - 1
      before.set(next, left)
      if (left === 0) ready.push(next)
    }
  }
  // Positions that contradict each other (a hand-edited database) cannot all hold: the rest by id.
  const rest = agents
    .map((a) => a.id)
    .filter((id) => !order.includes(id))
    .sort((a, b) => a.localeCompare(b))
  return [...order, ...rest]
}
