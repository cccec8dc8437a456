// What routes ask of the authenticated principal: who acts (for the audit log), and whether a client token may see a client.
import type { FastifyRequest } from 'fastify'
import { clientScope } from '../../domain/access.js'
import { notFound } from '../../errors.js'
import type { Actor } from '../../store/calendar.js'

/** Who makes a change, and when (the app's clock): recorded with it. */
export function actorOf(request: FastifyRequest, now: Date): Actor {
  return { name: request.principal?.name ?? 'unknown', now }
}

/**
 * A client token sees its own client only; another client's path answers 404, as for an unknown
 * client, so the token learns nothing, not even that the client exists.
 */
export function assertSeesClient(request: FastifyRequest, clientId: string): void {
  const scope = request.principal && clientScope(request.principal)
  if (scope && scope !== clientId) throw notFound(`Client ${clientId}`)
}
