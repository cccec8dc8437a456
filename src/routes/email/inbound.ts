// POST /webhooks/email/inbound (issue #15): a provider that forwards the raw message posts it here
// (Content-Type: message/rfc822, Authorization: Bearer INBOUND_EMAIL_SECRET); 202 once stored,
// through the same ingestion as the mailbox, so a message posted and polled is one request.
import { createHash, timingSafeEqual } from 'node:crypto'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { AppError } from '../../errors.js'
import { sendProblem } from '../../plugins/error-handler.js'

/** The largest message the webhook takes; the mailbox reads up to parseEmail's 40 MB. */
export const INBOUND_LIMIT_BYTES = 30 * 1024 * 1024

const digest = (value: string) => createHash('sha256').update(value).digest()

/** A header block's first line: `Name: value` (a message, not some other body). */
const HEADER_LINE = /^[\x21-\x39\x3b-\x7e]+[ \t]*:/

export const emailInboundRoutes: FastifyPluginAsyncZod = async (app) => {
  const secret = app.config.inboundEmailSecret
  const wanted = secret ? digest(secret) : null

  app.addContentTypeParser('message/rfc822', { parseAs: 'buffer', bodyLimit: INBOUND_LIMIT_BYTES }, (_request, body, done) =>
    done(null, body),
  )

  /** Unset secret: no such endpoint (404). Wrong or missing bearer: 401, before a byte of the body is read. */
  async function bearer(request: FastifyRequest, reply: FastifyReply) {
    if (!wanted) return sendProblem(reply, 404, 'not_found', 'e-mail intake by webhook is not configured (INBOUND_EMAIL_SECRET)')
    const given = /^Bearer\s+(.+)$/i.exec(request.headers.authorization ?? '')?.[1]?.trim()
    if (!given || !timingSafeEqual(digest(given), wanted)) {
      reply.header('www-authenticate', 'Bearer realm="supportline-email"')
      return sendProblem(reply, 401, 'unauthorized', 'a valid Authorization: Bearer <INBOUND_EMAIL_SECRET> is required')
    }
  }

  app.post(
    '/webhooks/email/inbound',
    {
      bodyLimit: INBOUND_LIMIT_BYTES,
      onRequest: bearer,
      schema: {
        hide: true,
        response: {
          202: z.object({
            status: z.literal('accepted'),
            outcome: z.enum(['duplicate', 'automatic', 'unidentified', 'refused', 'opened', 'joined']),
            messageId: z.string(),
            requestId: z.number().nullable(),
          }),
        },
      },
    },
    async (request, reply) => {
      const raw = request.body
      if (!Buffer.isBuffer(raw) || raw.length === 0)
        throw new AppError(400, 'malformed_message', 'the body must be the raw RFC 822 message (Content-Type: message/rfc822)')
      if (!HEADER_LINE.test(raw.subarray(0, 1000).toString('latin1')))
        throw new AppError(
          400,
          'malformed_message',
          'the body is not an RFC 822 message: it must start with a header line such as "From: …"',
        )
      const ingested = await app.mailIntake.ingest(raw, 'webhook')
      return reply.code(202).send({
        status: 'accepted' as const,
        outcome: ingested.outcome,
        messageId: ingested.messageId,
        requestId: ingested.requestId,
      })
    },
  )
}
