// Bearer-token authentication for the manager API, role checks per route, and a brake on
// repeated failures from one client address (@fastify/rate-limit, counting failures only).
import { timingSafeEqual } from 'node:crypto'
import rateLimit, { normalizeIP } from '@fastify/rate-limit'
import type { FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import type { ClientAddress } from '../client-address.js'
import { type Principal, READER_ROLES, type Role, hashToken, roleAllowed } from '../domain/access.js'
import { markTokenUsed, principalForToken } from '../store/tokens.js'
import { sendProblem } from './error-handler.js'

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null
  }
  interface FastifyContextConfig {
    /** roles allowed on the route; absent = any authenticated principal but an agent (roleAllowed) */
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
    /** ADMIN_TOKEN is accepted from this request's peer (the development token: this machine only). */
    adminTokenAccepted: (request: FastifyRequest) => boolean
  }
}

export interface AuthOptions {
  adminToken: string | undefined
  /** accept the admin token from loopback connections only (the development token) */
  adminFromLoopbackOnly?: boolean
  /** the address failures are counted against (TRUST_PROXY decides whose word is taken) */
  clientAddress: ClientAddress
  /** failed attempts allowed per address per window before 429 */
  maxFailures?: number
  windowMs?: number
}

export type TokenCheck =
  | { ok: true; principal: Principal }
  | { ok: false; reason: 'blocked' | 'invalid'; retryAfterSeconds?: number }

async function auth(app: import('fastify').FastifyInstance, options: AuthOptions) {
  const adminHash = options.adminToken ? Buffer.from(hashToken(options.adminToken), 'hex') : null
  // Failures only: a peek before checking a token, one count per failure. In memory per instance
  // (see docs/DESIGN.md, Access, for several instances); IPv6 addresses count by /64, as a
  // client holds a whole prefix.
  await app.register(rateLimit, { global: false })
  const failures = app.createRateLimit({
    max: options.maxFailures ?? 20,
    timeWindow: options.windowMs ?? 60_000,
    keyGenerator: (request) => `auth-failure:${normalizeIP(options.clientAddress(request))}`,
  })

  async function checkToken(token: string | null, request: FastifyRequest): Promise<TokenCheck> {
    const standing = await failures(request, { increment: false })
    if (!standing.isAllowed && standing.remaining === 0)
      return { ok: false, reason: 'blocked', retryAfterSeconds: standing.ttlInSeconds }
    const principal = token ? await resolve(token, request) : null
    if (!principal) {
      await failures(request)
      return { ok: false, reason: 'invalid' }
    }
    return { ok: true, principal }
  }

  const adminTokenAccepted = (request: FastifyRequest) =>
    // The socket's peer, not the client's address: a forwarded-for header must not make a remote client local.
    !options.adminFromLoopbackOnly || isLoopback(request.socket.remoteAddress)

  app.decorateRequest('principal', null)
  app.decorate('checkToken', checkToken)
  app.decorate('adminTokenAccepted', adminTokenAccepted)
  app.decorate('authenticate', async (request: FastifyRequest, reply: FastifyReply) => {
    const token = bearerToken(request.headers.authorization)
    const checked = await checkToken(token, request)
    if (!checked.ok && checked.reason === 'blocked') {
      reply.header('retry-after', String(checked.retryAfterSeconds ?? 60))
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
    if (!roleAllowed(principal.role, roles)) {
      return sendProblem(reply, 403, 'forbidden', `This needs the ${(roles ?? READER_ROLES).join(' or ')} role`)
    }
  })

  async function resolve(token: string, request: FastifyRequest): Promise<Principal | null> {
    // ADMIN_TOKEN bootstraps the first admin; compared in constant time, never stored.
    if (adminHash && timingSafeEqual(Buffer.from(hashToken(token), 'hex'), adminHash)) {
      if (!adminTokenAccepted(request)) return null
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

export default fp(auth, { name: 'auth' })
