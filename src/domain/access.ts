// Who may read and change what (model clause: exchanged information is confidential).
import { createHash, randomBytes } from 'node:crypto'

export const ROLES = ['admin', 'manager', 'client'] as const
export type Role = (typeof ROLES)[number]

/** The authenticated caller of the API. */
export interface Principal {
  /** the token's name, recorded as the actor of every change */
  name: string
  role: Role
  /** the only client a client token can see */
  clientId: string | null
  tokenId: number | null
}

/** What the database holds of a stored token: enough to decide whether it still stands for someone. */
export interface TokenFacts {
  id: number
  name: string
  role: Role
  clientId: string | null
  revokedAt: Date | null
  /** whether the token's client is in the configuration (null: no client, or none found) */
  clientActive: boolean | null
}

/**
 * The principal a stored token stands for, or null: revoked, or a client token whose client left
 * the configuration (its history stays confidential to managers). The one rule for an API request
 * and for a dashboard session opened with the token: a session holds exactly while its token would.
 */
export function principalOfToken(token: TokenFacts): Principal | null {
  if (token.revokedAt !== null) return null
  if (token.role === 'client' && token.clientActive !== true) return null
  return { name: token.name, role: token.role, clientId: token.clientId, tokenId: token.id }
}

/**
 * admin: configuration and tokens; manager: reads everything, manages callbacks, holidays and
 * duty; client: reads its own calls and usage only. The roles each route allows are in its
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

/** A client token names the one client it reads; admin and manager tokens name none. Null when consistent. */
export function tokenScopeProblem(role: Role, clientId: string | null | undefined): string | null {
  if (role === 'client' && !clientId) return 'a client token must name its client'
  if (role !== 'client' && clientId) return `only client tokens name a client (this one is ${role})`
  return null
}
