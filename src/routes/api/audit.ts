// GET /api/audit (admin): every configuration change, newest first, with who, when, before and after.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { text } from '../../domain/boundary.js'
import { listAudit } from '../../store/audit.js'
import { ADMIN, authProblems, limitParam, rowId } from './schemas.js'

const auditItem = z.object({
  id: z.number(),
  at: z.string(),
  actor: z.string().describe("the token's name, DESK_FILE or cli"),
  action: z.string().describe('how and what: api.update, desk-file.create, api.notice, token.revoke…'),
  entity: z.string().describe('desk, agent, client, client-number, contract, token, holiday…'),
  entityId: z.string(),
  before: z.unknown(),
  after: z.unknown(),
})

export const auditRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/audit',
    {
      config: { roles: ADMIN },
      schema: {
        tags: ['audit'],
        summary: 'The audit log of configuration changes, newest first, in pages',
        querystring: z.object({
          entity: text(40).optional().describe('only changes to this kind of thing (client, contract…)'),
          entityId: text(200).optional(),
          limit: limitParam,
          cursor: rowId.optional().describe('nextCursor of the previous page'),
        }),
        response: { 200: z.object({ items: z.array(auditItem), nextCursor: z.string().nullable() }), ...authProblems },
      },
    },
    async (request) => {
      const { entity, entityId, limit, cursor } = request.query
      const page = await listAudit(app.db, { entity, entityId }, { limit, beforeId: cursor })
      return {
        items: page.items.map((item) => ({ ...item, at: item.at.toISOString() })),
        nextCursor: page.next === null ? null : String(page.next),
      }
    },
  )
}
