// Dashboard sessions: opened at sign-in, read on every page (with the token they stand for, which
// must still be live), closed at sign-out; expired ones are swept as new ones open.
import { and, eq, gt, lte } from 'drizzle-orm'
import type { Queryable } from '../../db/client.js'
import { agents, clients, sessions, tokens } from '../../db/schema.js'
import { type Principal, principalOfToken } from '../domain/access.js'
import { tokenFactsColumns } from './tokens.js'

export interface NewSession {
  idHash: string
  /** the token signed in with, or null for the bootstrap ADMIN_TOKEN */
  tokenId: number | null
  adminFingerprint: string | null
  now: Date
  expiresAt: Date
}

export async function openSession(db: Queryable, session: NewSession): Promise<void> {
  // Sweeping here keeps the table small without a timer: sign-ins are rare, pages are not.
  await db.delete(sessions).where(lte(sessions.expiresAt, session.now))
  await db.insert(sessions).values({
    idHash: session.idHash,
    tokenId: session.tokenId,
    adminFingerprint: session.adminFingerprint,
    createdAt: session.now,
    expiresAt: session.expiresAt,
  })
}

export interface LiveSession {
  principal: Principal
  /** set for sessions opened with the bootstrap ADMIN_TOKEN */
  adminFingerprint: string | null
  expiresAt: Date
}

/**
 * The live session with this id: not expired, and opened with a token that principalOfToken still
 * accepts, the very rule of the API (revoking the token, or deactivating its client, ends the
 * session at once). ADMIN_TOKEN sessions come back with their fingerprint, for the caller to
 * compare with the configured token.
 */
export async function findLiveSession(db: Queryable, idHash: string, now: Date): Promise<LiveSession | null> {
  const [row] = await db
    .select({
      tokenId: sessions.tokenId,
      adminFingerprint: sessions.adminFingerprint,
      expiresAt: sessions.expiresAt,
      token: tokenFactsColumns,
    })
    .from(sessions)
    .leftJoin(tokens, eq(tokens.id, sessions.tokenId))
    .leftJoin(clients, eq(clients.id, tokens.clientId))
    .leftJoin(agents, eq(agents.id, tokens.agentId))
    .where(and(eq(sessions.idHash, idHash), gt(sessions.expiresAt, now)))
  if (!row) return null
  if (row.tokenId === null) {
    return {
      principal: { name: 'ADMIN_TOKEN', role: 'admin', clientId: null, tokenId: null },
      adminFingerprint: row.adminFingerprint,
      expiresAt: row.expiresAt,
    }
  }
  // Left-joined: a token row gone (it never is: tokens are revoked, not deleted) leaves nulls.
  const { id, name, role } = row.token
  const principal = id !== null && name !== null && role !== null ? principalOfToken({ ...row.token, id, name, role }) : null
  return principal ? { principal, adminFingerprint: null, expiresAt: row.expiresAt } : null
}

export async function closeSession(db: Queryable, idHash: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.idHash, idHash))
}
