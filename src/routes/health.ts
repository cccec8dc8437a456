// Liveness and readiness: /healthz says the process serves, /readyz that the database answers.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'

const READY_DEADLINE_MS = 2000

export const healthRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/healthz',
    { schema: { hide: true, response: { 200: z.object({ status: z.literal('ok') }) } } },
    async () => ({ status: 'ok' as const }),
  )

  app.get(
    '/readyz',
    {
      schema: {
        hide: true,
        response: {
          200: z.object({ status: z.literal('ready'), database: z.string() }),
          503: z.object({ status: z.literal('unavailable'), database: z.string(), detail: z.string() }),
        },
      },
    },
    async (_request, reply) => {
      try {
        await withDeadline(app.database.ping(), READY_DEADLINE_MS)
        return { status: 'ready' as const, database: app.database.kind }
      } catch (error) {
        const detail = error instanceof DeadlineError ? 'the database did not answer in time' : 'the database is unreachable'
        return reply.code(503).send({ status: 'unavailable' as const, database: app.database.kind, detail })
      }
    },
  )
}

class DeadlineError extends Error {}

function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineError(`no answer within ${ms} ms`)), ms)
  })
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer))
}
