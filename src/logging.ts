// Structured logs (pino) with phone numbers masked: numbers are personal data under the contract's
// confidentiality clause, and logs travel further than the database. Errors too: a failed query's
// message carries its parameters (drizzle's "Failed query: … params: …"), and a token's hash is a
// credential's fingerprint, so token statements' parameters are never written.
import type { FastifyServerOptions } from 'fastify'
import type { ClientAddress } from './client-address.js'
import { maskNumber, maskNumbersIn } from './domain/phone.js'

const NUMBER_FIELDS = ['From', 'To', 'Caller', 'Called', 'from', 'to', 'number', 'fromNumber', 'toNumber']

/** The peer's address, unless told how to read the client's (TRUST_PROXY). */
const peerAddress: ClientAddress = (request) => request.ip

/** Statements on the tables that hold token and session hashes: their parameters are credentials. */
const SECRET_STATEMENT = /"(tokens|sessions)"/
/** Error properties that repeat a statement's parameters (drizzle's `params`, postgres.js' `parameters`). */
const PARAMETER_KEYS = new Set(['params', 'parameters', 'args'])

/** A failed query's message with its parameters masked, or left out for a token statement. */
export function cleanErrorMessage(message: string): string {
  const at = message.indexOf('\nparams: ')
  if (!message.startsWith('Failed query: ') || at < 0) return maskNumbersIn(message)
  const query = message.slice(0, at)
  const params = SECRET_STATEMENT.test(query) ? '[not logged: a credential statement]' : message.slice(at + '\nparams: '.length)
  return maskNumbersIn(`${query}\nparams: ${params}`)
}

/** Strings masked, anything nested walked (a validation error's issues), to a small depth. */
function cleanValue(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return maskNumbersIn(value)
  if (depth <= 0 || value === null || typeof value !== 'object') return value
  if (Array.isArray(value)) return value.map((item) => cleanValue(item, depth - 1))
  return Object.fromEntries(
    Object.entries(value).flatMap(([key, item]) => (PARAMETER_KEYS.has(key) ? [] : [[key, cleanValue(item, depth - 1)]])),
  )
}

/**
 * pino's error shape (type, message, stack, the error's own fields, its cause) with every message
 * and field cleaned: numbers masked, statement parameters dropped.
 */
export interface SerialisedError {
  [key: string]: unknown
  type: string
  message: string
  stack: string
}

export function serialiseError(error: Error, depth = 3): SerialisedError {
  const message = cleanErrorMessage(error.message)
  const stack = error.stack?.replace(error.message, message)
  const fields: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(error)) {
    if (key !== 'cause' && !PARAMETER_KEYS.has(key)) fields[key] = cleanValue(value, 3)
  }
  const { cause } = error
  return {
    ...fields,
    type: error.constructor.name,
    message,
    stack: maskNumbersIn(stack ?? ''),
    ...(cause === undefined || depth <= 0
      ? {}
      : { cause: cause instanceof Error ? serialiseError(cause, depth - 1) : cleanValue(cause, 3) }),
  }
}

export function loggerOptions(level: string, clientAddress: ClientAddress = peerAddress): FastifyServerOptions['logger'] {
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
      req: (request: { method: string; url: string; ip: string; headers?: Record<string, string | string[] | undefined> }) => ({
        method: request.method,
        url: maskNumbersIn(request.url),
        // The address the brake counts: a forwarded-for header from an untrusted peer is not logged as the client's.
        ip: clientAddress(request),
      }),
      err: serialiseError,
      error: serialiseError,
    },
  }
}
