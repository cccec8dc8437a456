// API tokens: created (the secret is shown once), listed, revoked; looked up by their hash.
import { and, asc, eq, isNull, lt, or } from 'drizzle-orm'
import type { Queryable } from '../../db/client.js'
import { agents, clients, tokens } from '../../db/schema.js'
import { type Principal, type Role, hashToken, newToken, principalOfToken, tokenScopeProblem } from '../domain/access.js'
import { writeAudit } from './audit.js'

export interface TokenInfo {
  id: number
  name: string
  role: Role
  clientId: string | null
  agentId: string | null
  createdAt: Date
  createdBy: string
  revokedAt: Date | null
  lastUsedAt: Date | null
}

const info = {
  id: tokens.id,
  name: tokens.name,
  role: tokens.role,
  clientId: tokens.clientId,
  agentId: tokens.agentId,
  createdAt: tokens.createdAt,
  createdBy: tokens.createdBy,
  revokedAt: tokens.revokedAt,
  lastUsedAt: tokens.lastUsedAt,
}

export async function createToken(
  db: Queryable,
  input: { name: string; role: Role; clientId: string | null; agentId?: string | null; actor: string; now: Date },
): Promise<{ token: string; info: TokenInfo }> {
  const token = newToken()
  const [row] = await db
    .insert(tokens)
    .values({
      name: input.name,
      role: input.role,
      clientId: input.clientId,
      agentId: input.agentId ?? null,
      tokenHash: hashToken(token),
      createdAt: input.now,
      createdBy: input.actor,
    })
    .returning(info)
  if (!row) throw new Error('token insert returned nothing')
  await writeAudit(db, {
    at: input.now,
    actor: input.actor,
    action: 'token.create',
    entity: 'token',
    entityId: String(row.id),
    before: null,
    after: { name: row.name, role: row.role, clientId: row.clientId, agentId: row.agentId },
  })
  return { token, info: row }
}

export type IssueResult =
  | { ok: true; token: string; info: TokenInfo }
  /** the input field at fault ("clientId", "agentId") and why */
  | { ok: false; field: 'clientId' | 'agentId'; message: string }

/**
 * Creates a token after checking its scope: a client token must name an active client, an agent
 * token an active agent. The one path used by the API and the CLI.
 */
export async function issueToken(
  db: Queryable,
  input: {
    name: string
    role: Role
    clientId?: string | null | undefined
    agentId?: string | null | undefined
    actor: string
    now: Date
  },
): Promise<IssueResult> {
  const clientId = input.clientId ?? null
  const agentId = input.agentId ?? null
  const problem = tokenScopeProblem(input.role, clientId, agentId)
  if (problem) return { ok: false, ...problem }
  if (agentId) {
    const [agent] = await db
      .select({ id: agents.id })
      .from(agents)
      .where(and(eq(agents.id, agentId), eq(agents.active, true)))
    if (!agent) return { ok: false, field: 'agentId', message: `there is no active agent "${agentId}"` }
  }
  if (clientId) {
    const [client] = await db
      .select({ id: clients.id })
      .from(clients)
      .where(and(eq(clients.id, clientId), eq(clients.active, true)))
    if (!client) return { ok: false, field: 'clientId', message: `there is no active client "${clientId}"` }
  }
  return { ok: true, ...(await createToken(db, { ...input, clientId, agentId })) }
}

export async function listTokens(db: Queryable): Promise<TokenInfo[]> {
  return db.select(info).from(tokens).orderBy(asc(tokens.id))
}

/** Revokes a token; false when there is no such live token. */
export async function revokeToken(db: Queryable, id: number, actor: string, now: Date): Promise<boolean> {
  const revoked = await db
    .update(tokens)
    .set({ revokedAt: now })
    .where(and(eq(tokens.id, id), isNull(tokens.revokedAt)))
    .returning({ id: tokens.id })
  if (revoked.length === 0) return false
  await writeAudit(db, {
    at: now,
    actor,
    action: 'token.revoke',
    entity: 'token',
    entityId: String(id),
    before: { revokedAt: null },
    after: { revokedAt: now },
  })
  return true
}

/**
 * The columns principalOfToken decides on, read from `tokens` left-joined with `clients` and `agents` on the
 * token's client and agent: the API's lookup and the dashboard's session read select them alike.
 */
export const tokenFactsColumns = {
  id: tokens.id,
  name: tokens.name,
  role: tokens.role,
  clientId: tokens.clientId,
  agentId: tokens.agentId,
  revokedAt: tokens.revokedAt,
  clientActive: clients.active,
  agentActive: agents.active,
}

/** The principal a live token stands for, or null: unknown, or refused by principalOfToken. */
export async function principalForToken(db: Queryable, token: string): Promise<Principal | null> {
  const [row] = await db
    .select(tokenFactsColumns)
    .from(tokens)
    .leftJoin(clients, eq(clients.id, tokens.clientId))
    .leftJoin(agents, eq(agents.id, tokens.agentId))
    .where(eq(tokens.tokenHash, hashToken(token)))
  return row ? principalOfToken(row) : null
}

/** Records that a token was used, at most once a minute (so reading it costs no write per request). */
export async function markTokenUsed(db: Queryable, id: number, now: Date): Promise<void> {
  await db
    .update(tokens)
    .set({ lastUsedAt: now })
    .where(and(eq(tokens.id, id), or(isNull(tokens.lastUsedAt), lt(tokens.lastUsedAt, new Date(now.getTime() - 60_000)))))
}
