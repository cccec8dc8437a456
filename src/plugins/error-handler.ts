// One error handler for the whole app: problem+json (RFC 9457) for the API, safe TwiML for
// webhooks, and nothing internal in a 5xx.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod'
import { formatPath } from '../domain/desk-file.js'
import { AppError, type FieldProblem } from '../errors.js'

export interface Problem {
  type: string
  title: string
  status: number
  detail?: string
  code: string
  errors?: FieldProblem[]
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
}

export function sendProblem(reply: FastifyReply, status: number, code: string, detail?: string, errors?: FieldProblem[]) {
  const problem: Problem = {
    type: 'about:blank',
    title: TITLES[status] ?? 'Error',
    status,
    code,
    ...(detail ? { detail } : {}),
    ...(errors?.length ? { errors } : {}),
  }
  return reply.code(status).type('application/problem+json; charset=utf-8').send(problem)
}

/** Webhook routes answer errors with this so that a caller never hears Twilio's application error. */
export type WebhookFallback = (request: FastifyRequest, reply: FastifyReply, error: unknown) => unknown

/**
 * Fields named as the desk file names them (body.clients[0].numbers[1].number, query.month); a key
 * that has no business there is named itself (body.colour), not the object holding it.
 */
export function validationFields(error: FastifyError): FieldProblem[] {
  const where = error.validationContext === 'querystring' ? 'query' : (error.validationContext ?? 'request')
  return (error.validation ?? []).flatMap((issue) => {
    const path = issue.instancePath
      .split('/')
      .filter(Boolean)
      .map((key) => (/^\d+$/.test(key) ? Number(key) : key))
    const unknownKeys =
      issue.keyword === 'unrecognized_keys' && Array.isArray(issue.params.keys) ? issue.params.keys.map(String) : []
    if (unknownKeys.length > 0)
      return unknownKeys.map((key) => ({ field: formatPath([where, ...path, key]), message: 'is not a known key' }))
    return [{ field: formatPath([where, ...path]), message: issue.message ?? 'is invalid' }]
  })
}

async function errorHandler(app: FastifyInstance, options: { webhookFallback?: WebhookFallback }) {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof AppError) {
      return sendProblem(reply, error.status, error.code, error.message, error.fields)
    }
    // A signed webhook comes from Twilio with a caller on the line: whatever went wrong, they hear
    // an apology rather than Twilio's "application error".
    if (request.twilioSigned && options.webhookFallback) {
      request.log.warn({ err: error }, 'signed webhook could not be handled; answered with the fallback')
      return options.webhookFallback(request, reply, error)
    }
    if (hasZodFastifySchemaValidationErrors(error) || error.validation) {
      const fields = validationFields(error)
      const detail = fields.map((f) => `${f.field}: ${f.message}`).join('; ')
      return sendProblem(reply, 400, 'validation_failed', detail, fields)
    }
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      // The route's own limit, said: a what-if desk file may be far larger than other bodies.
      const limit = request.routeOptions.bodyLimit ?? app.initialConfig.bodyLimit ?? 0
      return sendProblem(
        reply,
        413,
        'body_too_large',
        `the request body is over ${limit} bytes (${Math.round(limit / 1024)} KiB)`,
      )
    }
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500
    if (status < 500) {
      return sendProblem(reply, status, (error.code ?? 'bad_request').toLowerCase(), error.message)
    }
    request.log.error({ err: error }, 'request failed')
    // Internals (SQL, stack, driver messages) stay in the log.
    return sendProblem(reply, 500, 'internal_error', 'Something went wrong on our side; it has been logged.')
  })

  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, 404, 'not_found', `No route for ${request.method} ${request.url.split('?')[0]}`),
  )
}

export default fp(errorHandler, { name: 'error-handler' })
