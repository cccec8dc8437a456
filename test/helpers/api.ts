// The manager API under test: the INTERcom desk, a token for each role (and a revoked one), and a
// request helper that speaks JSON or CSV with any of them.
import type { LightMyRequestResponse } from 'fastify'
import type { Test } from 'tap'
import type { DatabaseHandle } from '../../db/client.js'
import type { Role } from '../../src/domain/access.js'
import type { DeskFile } from '../../src/domain/desk-file.js'
import { createToken, revokeToken } from '../../src/store/tokens.js'
import { TEST_ADMIN_TOKEN } from './app.js'
import { type DeskApp, deskApp } from './desk.js'
import { DESK, SATURDAY_10H } from '../fixtures/intercom.js'

export { SATURDAY_10H }
export const DESK_NUMBER = DESK
export const ACME_CALLER = '+213661000001'
export const ATLAS_CALLER = '+213770000001'

/** Who asks: a role's token, a client's own token, another client's, or a token that fails. */
export type Asker = 'none' | 'wrong' | 'revoked' | 'admin' | 'manager' | 'client' | 'agent'

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE'

export interface RequestOptions {
  /** a token, or null for none; the bootstrap admin token by default */
  token?: string | null
  body?: unknown
  accept?: string
  /** the caller's address: failed authentications are rate limited per address */
  ip?: string
}

export type Send = (method: Method, url: string, options?: RequestOptions) => Promise<LightMyRequestResponse>

export interface ApiApp extends DeskApp {
  send: Send
  /** tokens by asker; "client" is ACME's token (atlas is the other client), "agent" Amina's */
  tokens: Record<Asker, string | null>
  /** Atlas Pharma's own token */
  atlasToken: string
}

export function sender(app: DeskApp['app']): Send {
  return (method, url, options = {}) => {
    const token = options.token === undefined ? TEST_ADMIN_TOKEN : options.token
    return app.inject({
      method,
      url,
      remoteAddress: options.ip ?? '127.0.0.1',
      headers: { accept: options.accept ?? 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      ...(options.body === undefined ? {} : { payload: options.body as object }),
    })
  }
}

export async function apiApp(t: Test, database: DatabaseHandle, options: { file?: DeskFile; at?: string } = {}): Promise<ApiApp> {
  const desk = await deskApp(t, database, { at: options.at ?? SATURDAY_10H, ...(options.file ? { file: options.file } : {}) })
  const now = new Date()
  const issue = async (name: string, role: Role, clientId: string | null = null, agentId: string | null = null) =>
    createToken(database.db, { name, role, clientId, agentId, actor: 'test', now })
  const admin = await issue('ops admin', 'admin')
  const manager = await issue('desk manager', 'manager')
  const acme = await issue('acme portal', 'client', 'acme')
  const atlas = await issue('atlas portal', 'client', 'atlas')
  const agent = await issue('Amina', 'agent', null, 'amina')
  const revoked = await issue('former manager', 'manager')
  await revokeToken(database.db, revoked.info.id, 'test', now)
  return {
    ...desk,
    send: sender(desk.app),
    tokens: {
      none: null,
      wrong: 'sl_not-a-token-at-all',
      revoked: revoked.token,
      admin: admin.token,
      manager: manager.token,
      client: acme.token,
      agent: agent.token,
    },
    atlasToken: atlas.token,
  }
}

/** The keys of a problem+json answer: an error never carries data. */
export const PROBLEM_KEYS = new Set(['type', 'title', 'status', 'code', 'detail', 'errors'])
