// Who may read and change what (model clause: exchanged information is confidential).
import { createHash, randomBytes } from 'node:crypto'

export const ROLES = ['admin', 'manager', 'client', 'agent'] as const
export type Role = (typeof ROLES)[number]

/** The authenticated caller of the API. */
export interface Principal {
  /** the token's name, recorded as the actor of every change */
  name: string
  role: Role
  /** the only client a client token can see */
  clientId: string | null
  /** the agent an agent token stands for (absent or null for the other roles) */
  agentId?: string | null
  tokenId: number | null
}

/** What the database holds of a stored token: enough to decide whether it still stands for someone. */
export interface TokenFacts {
  id: number
  name: string
  role: Role
  clientId: string | null
  /** the agent an agent token names (absent or null for the other roles) */
  agentId?: string | null
  revokedAt: Date | null
  /** whether the token's client is in the configuration (null: no client, or none found) */
  clientActive: boolean | null
  /** whether the token's agent is in the configuration (null: no agent, or none found) */
  agentActive?: boolean | null
}

/**
 * The principal a stored token stands for, or null: revoked, or a client token whose client left
 * the configuration (its history stays confidential to managers). The one rule for an API request
 * and for a dashboard session opened with the token: a session holds exactly while its token would.
 */
export function principalOfToken(token: TokenFacts): Principal | null {
  if (token.revokedAt !== null) return null
  if (token.role === 'client' && token.clientActive !== true) return null
  // An agent token stands for its agent only while the agent is in the configuration, as a client's.
  if (token.role === 'agent')
    return token.agentId && token.agentActive === true
      ? { name: token.name, role: 'agent', clientId: null, agentId: token.agentId, tokenId: token.id }
      : null
  return { name: token.name, role: token.role, clientId: token.clientId, tokenId: token.id }
}

/**
 * admin: configuration and tokens; manager: reads everything, manages callbacks, holidays and
 * duty; client: reads its own calls and usage only; agent: the Today page and the desk's queue
 * (callback requests: reads, closes and calls them back, as itself), no usage, contracts,
 * configuration or tokens. The roles each route allows are in its
 * config (`roles`); this says which client a principal is confined to.
 * The client whose data a principal is confined to, or null when it may see all clients. */
export function clientScope(principal: Principal): string | null {
  return principal.role === 'client' ? principal.clientId : null
}

/** A new bearer token: 256 random bits, prefixed so that it is recognisable in a leak scan. */
export function newToken(): string {
  return `sl_${randomBytes(32).toString('base64url')}`
}

/** Tokens are stored as SHA-256: enough for 256-bit random secrets, and fast on every request. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}

/** What a token's scope fails on: the field at fault and why. */
export interface ScopeProblem {
  field: 'clientId' | 'agentId'
  message: string
}

/**
 * A client token names the one client it reads, an agent token the agent it stands for; admin and
 * manager tokens name neither. Null when consistent.
 */
export function tokenScopeProblem(
  role: Role,
  clientId: string | null | undefined,
  agentId: string | null | undefined = null,
): ScopeProblem | null {
  if (role === 'client' && !clientId) return { field: 'clientId', message: 'a client token must name its client' }
  if (role !== 'client' && clientId)
    return { field: 'clientId', message: `only client tokens name a client (this one is ${role})` }
  if (role === 'agent' && !agentId) return { field: 'agentId', message: 'an agent token must name its agent' }
  if (role !== 'agent' && agentId) return { field: 'agentId', message: `only agent tokens name an agent (this one is ${role})` }
  return null
}

/**
 * Whether a role may use a route that allows `roles`. A route that names none is for every role but
 * the agent: an agent reaches only what names it (Today, the queue), so that a new route never
 * opens usage or contracts to agents by omission.
 */
export function roleAllowed(role: Role, roles: readonly Role[] | undefined): boolean {
  return roles ? roles.includes(role) : role !== 'agent'
}

/** Roles that work the desk's queue: callback requests are read, closed and called back by them. */
export const QUEUE_ROLES = ['admin', 'manager', 'agent'] as const
/** Roles that read calls and usage (a client its own): everyone but the agent. */
export const READER_ROLES = ['admin', 'manager', 'client'] as const
