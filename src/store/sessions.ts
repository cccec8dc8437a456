// Dashboard sessions: opened at sign-in, read on every page (with the token they stand for, which
// must still be live), closed at sign-out; expired ones are swept as new ones open.
import { and, eq, gt, isNull, lte, or } from 'drizzle-orm'
import type { Queryable } from '../../db/client.js'
import { sessions, tokens } from '../../db/schema.js'
import type { Principal } from '../domain/access.js'

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
 * The live session with this id: not expired, and opened with a token that is still live (a
 * revoked token ends its sessions at once). ADMIN_TOKEN sessions come back with their fingerprint,
 * for the caller to compare with the configured token.
 */
export async function findLiveSession(db: Queryable, idHash: string, now: Date): Promise<LiveSession | null> {
  const [row] = await db
    .select({
      tokenId: sessions.tokenId,
      adminFingerprint: sessions.adminFingerprint,
      expiresAt: sessions.expiresAt,
      name: tokens.name,
      role: tokens.role,
      clientId: tokens.clientId,
    })
    .from(sessions)
    .leftJoin(tokens, eq(tokens.id, sessions.tokenId))
    .where(and(eq(sessions.idHash, idHash), gt(sessions.expiresAt, now), or(isNull(sessions.tokenId), isNull(tokens.revokedAt))))
  if (!row) return null
  if (row.tokenId === null) {
    return {
      principal: { name: 'ADMIN_TOKEN', role: 'admin', clientId: null, tokenId: null },
      adminFingerprint: row.adminFingerprint,
      expiresAt: row.expiresAt,
    }
  }
  if (!row.name || !row.role) return null
  return {
    principal: { name: row.name, role: row.role, clientId: row.clientId, tokenId: row.tokenId },
    adminFingerprint: null,
    expiresAt: row.expiresAt,
  }
}

export async function closeSession(db: Queryable, idHash: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.idHash, idHash))
}
