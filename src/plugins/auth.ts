// Bearer-token authentication for the manager API, role checks per route, and a brake on
// repeated failures from one address.
import { timingSafeEqual } from 'node:crypto'
import type { FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { type Principal, type Role, hashToken } from '../domain/access.js'
import { markTokenUsed, principalForToken } from '../store/tokens.js'
import { sendProblem } from './error-handler.js'

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null
  }
  interface FastifyContextConfig {
    /** roles allowed on the route; absent = any authenticated principal */
    roles?: readonly Role[]
  }
  interface FastifyInstance {
    /**
     * 401 without a valid token, 403 without an allowed role. Use it as the route's onRequest hook:
     * before the body is read and validated, so a stranger learns nothing of what a valid request
     * looks like and cannot make us parse a large body.
     */
    authenticate: (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>
    /**
     * The principal a token stands for (ADMIN_TOKEN included), with the same brake on failures
     * as the API: the dashboard's sign-in checks tokens through it.
     */
    checkToken: (token: string | null, request: FastifyRequest) => Promise<TokenCheck>
  }
}

export type TokenCheck = { ok: true; principal: Principal } | { ok: false; reason: 'blocked' | 'invalid' }

export interface AuthOptions {
  adminToken: string | undefined
  /** accept the admin token from loopback connections only (the development token) */
  adminFromLoopbackOnly?: boolean
  /** failed attempts allowed per address per window before 429 */
  maxFailures?: number
  windowMs?: number
}

async function auth(app: import('fastify').FastifyInstance, options: AuthOptions) {
  const adminHash = options.adminToken ? Buffer.from(hashToken(options.adminToken), 'hex') : null
  const failures = new FailureCounter(options.maxFailures ?? 20, options.windowMs ?? 60_000)

  async function checkToken(token: string | null, request: FastifyRequest): Promise<TokenCheck> {
    const now = app.clock().getTime()
    if (failures.blocked(request.ip, now)) return { ok: false, reason: 'blocked' }
    const principal = token ? await resolve(token, request) : null
    if (!principal) {
      failures.add(request.ip, now)
      return { ok: false, reason: 'invalid' }
    }
    return { ok: true, principal }
  }

  app.decorateRequest('principal', null)
  app.decorate('checkToken', checkToken)
  app.decorate('authenticate', async (request: FastifyRequest, reply: FastifyReply) => {
    const token = bearerToken(request.headers.authorization)
    const checked = await checkToken(token, request)
    if (!checked.ok && checked.reason === 'blocked') {
      reply.header('retry-after', String(Math.ceil(failures.windowMs / 1000)))
      return sendProblem(reply, 429, 'too_many_failures', 'Too many failed authentications from this address; try again later')
    }
    if (!checked.ok) {
      reply.header('www-authenticate', 'Bearer realm="supportline"')
      return sendProblem(
        reply,
        401,
        'unauthorized',
        token ? 'The token is not valid (unknown or revoked)' : 'Authorization: Bearer <token> is required',
      )
    }
    const { principal } = checked
    request.principal = principal
    const roles = request.routeOptions.config.roles
    if (roles && !roles.includes(principal.role)) {
      return sendProblem(reply, 403, 'forbidden', `This needs the ${roles.join(' or ')} role`)
    }
  })

  async function resolve(token: string, request: FastifyRequest): Promise<Principal | null> {
    // ADMIN_TOKEN bootstraps the first admin; compared in constant time, never stored.
    if (adminHash && timingSafeEqual(Buffer.from(hashToken(token), 'hex'), adminHash)) {
      // The socket's peer, not request.ip: a forwarded-for header must not make a remote client local.
      if (options.adminFromLoopbackOnly && !isLoopback(request.socket.remoteAddress)) return null
      return { name: 'ADMIN_TOKEN', role: 'admin', clientId: null, tokenId: null }
    }
    const principal = await principalForToken(app.db, token)
    if (principal?.tokenId) {
      // Bookkeeping, not worth failing (or slowing) the request for.
      markTokenUsed(app.db, principal.tokenId, app.clock()).catch((err: unknown) =>
        request.log.warn({ err }, 'could not record the token use'),
      )
    }
    return principal
  }
}

/** The socket's peer is this machine (the development admin token is accepted from it only). */
export function isLoopback(address: string | undefined): boolean {
  return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1'
}

function bearerToken(header: string | undefined): string | null {
  const match = header ? /^Bearer\s+(\S{1,512})\s*$/i.exec(header) : null
  return match?.[1] ?? null
}

/** Failed authentications per address in a sliding window, in memory (per instance). */
class FailureCounter {
  private readonly seen = new Map<string, number[]>()
  constructor(
    private readonly max: number,
    readonly windowMs: number,
  ) {}

  private recent(ip: string, now: number): number[] {
    const times = (this.seen.get(ip) ?? []).filter((at) => now - at < this.windowMs)
    if (times.length === 0) this.seen.delete(ip)
    else this.seen.set(ip, times)
    return times
  }

  blocked(ip: string, now: number): boolean {
    return this.recent(ip, now).length >= this.max
  }

  add(ip: string, now: number): void {
    this.seen.set(ip, [...this.recent(ip, now), now])
    // Bound memory under a spray of addresses.
    if (this.seen.size > 10_000) this.seen.delete(this.seen.keys().next().value as string)
  }
}

export default fp(auth, { name: 'auth' })
