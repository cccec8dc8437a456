// Liveness and readiness: /healthz says the process serves, /readyz that the database answers
// (and how many webhook writes wait in the local journal for it), and how the support mailbox is
// read. A mailbox away does not make the service unready: the phone line must not go out of
// service for it, and its messages wait in the mailbox (issue #15); `mailbox.connected` says so.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { DeadlineError, withDeadline } from '../deadline.js'

const READY_DEADLINE_MS = 2000

const mailbox = z
  .object({
    connected: z.boolean(),
    idle: z.boolean(),
    lastError: z.string().nullable(),
    lastErrorAt: z.string().nullable(),
    lastSyncAt: z.string().nullable(),
    ingested: z.number(),
    failed: z.number(),
  })
  .nullable()
  .describe('the support mailbox (IMAP_URL); null when none is read')

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
          200: z.object({ status: z.literal('ready'), database: z.string(), journaled: z.number(), mailbox }),
          503: z.object({
            status: z.literal('unavailable'),
            database: z.string(),
            detail: z.string(),
            journaled: z.number(),
            mailbox,
          }),
        },
      },
    },
    async (_request, reply) => {
      // Writes still in the journal are not in the database yet: not ready until they are.
      const journaled = app.writer.journal.pending
      const status = app.mailIntake.mailboxStatus()
      const mailbox = status && {
        connected: status.connected,
        idle: status.idle,
        lastError: status.lastError,
        lastErrorAt: status.lastErrorAt?.toISOString() ?? null,
        lastSyncAt: status.lastSyncAt?.toISOString() ?? null,
        ingested: status.ingested,
        failed: status.failed,
      }
      try {
        await withDeadline(app.database.ping(), READY_DEADLINE_MS)
        if (journaled === 0) return { status: 'ready' as const, database: app.database.kind, journaled, mailbox }
        return reply.code(503).send({
          status: 'unavailable' as const,
          database: app.database.kind,
          detail: 'replaying the journal',
          journaled,
          mailbox,
        })
      } catch (error) {
        const detail = error instanceof DeadlineError ? 'the database did not answer in time' : 'the database is unreachable'
        return reply.code(503).send({ status: 'unavailable' as const, database: app.database.kind, detail, journaled, mailbox })
      }
    },
  )
}
