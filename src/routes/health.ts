// Liveness and readiness: /healthz says the process serves, /readyz that the database answers
// (and how many webhook writes wait in the local journal for it).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { DeadlineError, withDeadline } from '../deadline.js'

const READY_DEADLINE_MS = 2000

export const healthRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/healthz', { schema: { hide: true, response: { 200: z.object({ status: z.literal('ok') }) } } }, async () => ({
    status: 'ok' as const,
  }))

  app.get(
    '/readyz',
    {
      schema: {
        hide: true,
        response: {
          200: z.object({ status: z.literal('ready'), database: z.string(), journaled: z.number() }),
          503: z.object({ status: z.literal('unavailable'), database: z.string(), detail: z.string(), journaled: z.number() }),
        },
      },
    },
    async (_request, reply) => {
      // Writes still in the journal are not in the database yet: not ready until they are.
      const journaled = app.writer.journal.pending
      try {
        await withDeadline(app.database.ping(), READY_DEADLINE_MS)
        if (journaled === 0) return { status: 'ready' as const, database: app.database.kind, journaled }
        return reply
          .code(503)
          .send({ status: 'unavailable' as const, database: app.database.kind, detail: 'replaying the journal', journaled })
      } catch (error) {
        const detail = error instanceof DeadlineError ? 'the database did not answer in time' : 'the database is unreachable'
        return reply.code(503).send({ status: 'unavailable' as const, database: app.database.kind, detail, journaled })
      }
    },
  )
}
