// Structured logs (pino) with phone numbers masked: numbers are personal data under the contract's
// confidentiality clause, and logs travel further than the database.
import type { FastifyServerOptions } from 'fastify'
import { maskNumber, maskNumbersIn } from './domain/phone.js'

const NUMBER_FIELDS = ['From', 'To', 'Caller', 'Called', 'from', 'to', 'number', 'fromNumber', 'toNumber']

export function loggerOptions(level: string): FastifyServerOptions['logger'] {
  return {
    level,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'req.headers["x-twilio-signature"]',
        ...NUMBER_FIELDS.flatMap((field) => [field, `*.${field}`]),
      ],
      censor: (value: unknown, path: string[]) =>
        typeof value === 'string' && NUMBER_FIELDS.includes(path[path.length - 1] ?? '') ? maskNumber(value) : '[redacted]',
    },
    serializers: {
      req: (request: { method: string; url: string; ip?: string }) => ({
        method: request.method,
        url: maskNumbersIn(request.url),
        ip: request.ip,
      }),
    },
  }
}
