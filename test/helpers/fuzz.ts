// Fuzzing the service's routes: requests generated from the OpenAPI document (or a page's own
// list of fields), each parameter and body field either a value the route would take or one it
// must refuse, sent as a role; the property is that nothing answers 5xx (or dies mid-answer).
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify'
import fc from 'fast-check'
import type { Test } from 'tap'
import { BAD_CURSORS, BAD_JSON, BAD_STRINGS, GOOD_BY_NAME, NASTY_STRINGS } from '../fixtures/fuzz/values.js'

/** The seed of this run: FUZZ_SEED replays a failure; printed either way. */
export function fuzzSeed(t: Test): number {
  const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : Math.floor(Math.random() * 2 ** 31)
  t.comment(`fuzz seed ${seed} (replay with FUZZ_SEED=${seed})`)
  return seed
}

export interface JsonSchema {
  type?: string
  properties?: Record<string, JsonSchema>
  additionalProperties?: JsonSchema | boolean
  items?: JsonSchema
  enum?: unknown[]
  anyOf?: JsonSchema[]
  oneOf?: JsonSchema[]
  $ref?: string
}

export interface Operation {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE'
  /** "/api/desks/{id}/closures/{entryId}" */
  path: string
  pathParams: string[]
  queryParams: string[]
  body: JsonSchema | null
}

interface OpenApiDocument {
  paths: Record<
    string,
    Record<
      string,
      {
        parameters?: { in: string; name: string }[]
        requestBody?: { content?: Record<string, { schema?: JsonSchema }> }
      }
    >
  >
}

/** Every operation of the OpenAPI document, with its parameters and its JSON body's schema. */
export async function openApiOperations(app: FastifyInstance): Promise<Operation[]> {
  const document = (await app.inject('/docs/json')).json() as OpenApiDocument
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => ['get', 'post', 'put', 'delete'].includes(method))
      .map(([method, operation]) => ({
        method: method.toUpperCase() as Operation['method'],
        path,
        pathParams: (operation.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name),
        queryParams: (operation.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name),
        body: operation.requestBody?.content?.['application/json']?.schema ?? null,
      })),
  )
}

/** A string no field should take; the nastiest half the time. */
export const badString = fc.oneof(
  { weight: 11, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
  { weight: 6, arbitrary: fc.constantFrom(...BAD_STRINGS) },
  { weight: 1, arbitrary: fc.constantFrom(...BAD_CURSORS) },
  { weight: 2, arbitrary: fc.string({ maxLength: 30 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  { weight: 1, arbitrary: fc.integer().map(String) },
)
export const badJson = fc.oneof({ weight: 4, arbitrary: badString }, { weight: 1, arbitrary: fc.constantFrom(...BAD_JSON) })

/** A value for a named field that a route would take, when the name is known. */
function goodFor(name: string): fc.Arbitrary<unknown> | null {
  const known = GOOD_BY_NAME[name]
  return known && known.length > 0 ? fc.constantFrom(...known) : null
}

/** The first value a route takes for a field of this name, as text (for a URL or a form). */
export function goodText(name: string): string | undefined {
  const value = GOOD_BY_NAME[name]?.[0]
  return value === undefined ? undefined : typeof value === 'string' ? value : JSON.stringify(value)
}

/** A value for a parameter in a URL: a good one for its name, or any bad string. */
export function paramValue(name: string): fc.Arbitrary<string> {
  const good = goodFor(name)
  const cursors = name === 'cursor' ? [{ weight: 2, arbitrary: fc.constantFrom(...BAD_CURSORS) }] : []
  return fc.oneof(
    { weight: 3, arbitrary: badString },
    ...cursors,
    ...(good ? [{ weight: 2, arbitrary: good.map((value) => (typeof value === 'string' ? value : JSON.stringify(value))) }] : []),
  )
}

function resolve(schema: JsonSchema, root: Record<string, JsonSchema>): JsonSchema {
  return schema.$ref ? (root[schema.$ref.split('/').pop() ?? ''] ?? {}) : schema
}

/** A plausible value for a schema, each field of it a good value or a bad one. */
export function bodyValue(
  name: string,
  schema: JsonSchema,
  depth = 4,
  root: Record<string, JsonSchema> = {},
): fc.Arbitrary<unknown> {
  const resolved = resolve(schema, root)
  const field = (key: string, inner: JsonSchema): fc.Arbitrary<unknown> =>
    fc.oneof({ weight: 3, arbitrary: plausible(key, inner) }, { weight: 1, arbitrary: badJson })
  const plausible = (key: string, inner: JsonSchema): fc.Arbitrary<unknown> => {
    const s = resolve(inner, root)
    const good = goodFor(key)
    const alternatives = [...(s.anyOf ?? []), ...(s.oneOf ?? [])]
    if (alternatives.length > 0) return fc.oneof(...alternatives.map((a) => plausible(key, a)))
    if (s.enum) return fc.constantFrom(...s.enum)
    if (s.type === 'object' && depth > 0) {
      const properties = Object.entries(s.properties ?? {})
      const record = fc.record(Object.fromEntries(properties.map(([k, v]) => [k, field(k, v)])), { requiredKeys: [] })
      const extra = fc.option(fc.tuple(fc.constantFrom('colour', '__proto__', 'constructor', ''), badJson), { nil: undefined })
      return fc.tuple(record, extra).map(([value, more]) => (more ? { ...value, [more[0]]: more[1] } : value))
    }
    if (s.type === 'array' && depth > 0) return fc.array(bodyValue(key, s.items ?? {}, depth - 1, root), { maxLength: 3 })
    if (good) return good
    if (s.type === 'string') return fc.constantFrom('x', 'Inventaire', '09:00-12:00', '2026-12-24')
    if (s.type === 'integer' || s.type === 'number') return fc.integer({ min: -5, max: 5000 })
    if (s.type === 'boolean') return fc.boolean()
    return badJson
  }
  return fc.oneof({ weight: 5, arbitrary: plausible(name, resolved) }, { weight: 1, arbitrary: badJson })
}

/** A URL component as a browser or client would send it; lone surrogates as the bytes UTF-8 cannot be. */
export function encodeParam(value: string): string {
  return value
    .split(/([\uD800-\uDFFF])/)
    .map((part) => {
      if (part.length === 1 && /[\uD800-\uDFFF]/.test(part)) {
        const code = part.charCodeAt(0)
        return [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)]
          .map((byte) => `%${byte.toString(16).toUpperCase()}`)
          .join('')
      }
      try {
        return encodeURIComponent(part)
      } catch {
        return encodeURIComponent(part.replace(/[\uD800-\uDFFF]/g, '?'))
      }
    })
    .join('')
}

/** A query string of the parameters given (a key repeated sometimes, as a form or a client may). */
export function queryString(params: [string, string][]): string {
  return params.map(([key, value]) => `${encodeParam(key)}=${encodeParam(value)}`).join('&')
}

/** Fills a path template: {id} and the like, each value URL-encoded (or sent raw, percent signs and all). */
export function fillPath(template: string, values: Record<string, string>, raw: boolean): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = values[name] ?? ''
    return raw ? value.replace(/[/?#]/g, encodeURIComponent) : encodeParam(value)
  })
}

/** Where a JSON body holds something: every leaf and every object or array in it. */
export function bodyPaths(
  value: unknown,
  path: (string | number)[] = [],
  out: (string | number)[][] = [],
): (string | number)[][] {
  if (path.length > 0) out.push(path)
  if (Array.isArray(value)) for (const [index, item] of value.entries()) bodyPaths(item, [...path, index], out)
  else if (value !== null && typeof value === 'object')
    for (const [key, item] of Object.entries(value)) bodyPaths(item, [...path, key], out)
  return out
}

/** A copy of `body` with what is at `path` replaced (or removed, when `value` is the REMOVE mark). */
export const REMOVE = Symbol('remove')
export function spoil(body: unknown, path: (string | number)[], value: unknown): unknown {
  const copy = structuredClone(body)
  let node = copy as Record<string | number, unknown>
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>
  const last = path[path.length - 1] as string | number
  if (value === REMOVE) {
    if (Array.isArray(node)) node.splice(Number(last), 1)
    else delete node[last]
  } else node[last] = value
  return copy
}

/**
 * The 5xx answers the API gives on purpose, each documented: calling back needs Twilio's REST API,
 * which the fuzzed app has none of (503), or which may fail (502). Any other 5xx is a defect.
 */
const DELIBERATE_5XX = new Set(['twilio_not_configured', 'twilio_failed'])

function deliberate(response: LightMyRequestResponse): boolean {
  if (response.statusCode !== 502 && response.statusCode !== 503) return false
  // the API's JSON problem, or the dashboard's error page, which carries the same code
  const page = /<section class="card" data-code="([a-z_]+)">/.exec(response.body)?.[1]
  if (page !== undefined) return DELIBERATE_5XX.has(page)
  try {
    return DELIBERATE_5XX.has((JSON.parse(response.body) as { code?: string }).code ?? '')
  } catch {
    return false
  }
}

/** Sends one request; a 5xx (but a deliberate one), or an answer cut mid-way, fails the property with what was sent. */
export async function expectNo5xx(app: FastifyInstance, request: InjectOptions): Promise<LightMyRequestResponse> {
  const response = await app.inject(request).catch((error: Error) => {
    throw new Error(`${request.method} ${request.url} died mid-answer: ${error.message}`)
  })
  if (response.statusCode >= 500 && !deliberate(response)) {
    const body =
      typeof request.payload === 'string' ? request.payload.slice(0, 300) : JSON.stringify(request.payload)?.slice(0, 300)
    throw new Error(
      `${request.method} ${request.url} answered ${response.statusCode}: ${response.body.slice(0, 300)} (body ${body})`,
    )
  }
  return response
}

/** Another address each time, so that the brake on failed tokens never stands between the fuzz and a route. */
export const anyAddress = fc
  .tuple(fc.integer({ min: 1, max: 254 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 1, max: 254 }))
  .map(([a, b, c]) => `10.${a}.${b}.${c}`)
