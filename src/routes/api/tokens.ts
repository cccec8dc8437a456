// API tokens (admin): created with their secret shown once, listed without it, revoked.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { ROLES } from '../../domain/access.js'
import { text } from '../../domain/boundary.js'
import { invalidField, notFound } from '../../errors.js'
import { type TokenInfo, issueToken, listTokens, revokeToken } from '../../store/tokens.js'
import { actorOf } from './principal.js'
import { ADMIN, authProblems, idParam, rowId } from './schemas.js'

const tokenInfo = z.object({
  id: z.number(),
  name: z.string(),
  role: z.enum(ROLES),
  clientId: z.string().nullable(),
  agentId: z.string().nullable(),
  createdAt: z.string(),
  createdBy: z.string(),
  revokedAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
})

function serialise(info: TokenInfo): z.infer<typeof tokenInfo> {
  return {
    ...info,
    createdAt: info.createdAt.toISOString(),
    revokedAt: info.revokedAt?.toISOString() ?? null,
    lastUsedAt: info.lastUsedAt?.toISOString() ?? null,
  }
}

export const tokenRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/api/tokens',
    {
      config: { roles: ADMIN },
      schema: {
        tags: ['tokens'],
        summary: 'Create a token; its secret is in this answer only (it is stored hashed)',
        body: z
          .object({
            name: text(100).describe('who or what uses it; recorded as the actor of its changes'),
            role: z.enum(ROLES),
            clientId: idParam.optional().describe('the client a client token reads; only for role client'),
            agentId: idParam.optional().describe('the agent an agent token stands for; only for role agent'),
          })
          .strict(),
        response: { 201: tokenInfo.extend({ token: z.string().describe('the bearer secret, shown once') }), ...authProblems },
      },
    },
    async (request, reply) => {
      const { name, role, clientId, agentId } = request.body
      const actor = actorOf(request, app.clock())
      const issued = await app.db.transaction((tx) =>
        issueToken(tx, { name, role, clientId, agentId, actor: actor.name, now: actor.now }),
      )
      if (!issued.ok) throw invalidField(`body.${issued.field}`, issued.message)
      return reply.code(201).send({ ...serialise(issued.info), token: issued.token })
    },
  )

  app.get(
    '/api/tokens',
    {
      config: { roles: ADMIN },
      schema: {
        tags: ['tokens'],
        summary: 'Every token, revoked ones included, without their secrets',
        response: { 200: z.object({ items: z.array(tokenInfo) }), ...authProblems },
      },
    },
    async () => ({ items: (await listTokens(app.db)).map(serialise) }),
  )

  app.delete(
    '/api/tokens/:id',
    {
      config: { roles: ADMIN },
      schema: {
        tags: ['tokens'],
        summary: 'Revoke a token: it stops working at once',
        params: z.object({ id: rowId }),
        response: { 204: z.null(), ...authProblems },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request, app.clock())
      const revoked = await app.db.transaction((tx) => revokeToken(tx, request.params.id, actor.name, actor.now))
      if (!revoked) throw notFound(`Live token ${request.params.id}`)
      return reply.code(204).send(null)
    },
  )
}
