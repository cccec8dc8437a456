// What the dashboard's route handlers share: the request's session and language, the page context
// views are rendered with, answers as HTML or redirects after a form, and form field schemas.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import type { Principal } from '../../domain/access.js'
import { clientScope } from '../../domain/access.js'
import { AppError, notFound } from '../../errors.js'
import type { Html } from '../../pages/html.js'
import { type FlashKey, type Lang, isFlashKey, messagesFor } from '../../pages/i18n.js'
import { type Assets, type PageContext, href } from '../../pages/layout.js'
import type { Directory } from '../../pages/parts.js'
import type { Actor } from '../../store/calendar.js'
import { type DeskSummary, agentDirectory, clientDirectory, listActiveDesks } from '../../store/dashboard.js'

/** A signed-in browser: who it stands for, and its form token. */
export interface DashboardSession {
  principal: Principal
  csrf: string
  idHash: string
}

declare module 'fastify' {
  interface FastifyRequest {
    dashboard: DashboardSession | null
    lang: Lang
  }
  interface FastifyContextConfig {
    /** a dashboard route open without a session (sign-in, assets) */
    dashboardPublic?: boolean
  }
  interface FastifyInstance {
    dashboardAssets: Assets
  }
}

/** The query keys a page keeps when it links to itself in the other language (not the one-off ones). */
const TRANSIENT = new Set(['lang', 'done', 'cursor'])

export function pageContext(app: FastifyInstance, request: FastifyRequest): PageContext {
  const url = new URL(request.url, 'http://dashboard.invalid')
  const query: Record<string, string> = {}
  for (const [key, value] of url.searchParams) if (!TRANSIENT.has(key)) query[key] = value
  const done = url.searchParams.get('done')
  return {
    lang: request.lang,
    t: messagesFor(request.lang),
    principal: request.dashboard?.principal ?? null,
    csrf: request.dashboard?.csrf ?? null,
    path: url.pathname,
    query,
    flash: isFlashKey(done) ? done : null,
    assets: app.dashboardAssets,
    now: app.clock(),
  }
}

export function sendHtml(reply: FastifyReply, page: Html, status = 200) {
  return reply.code(status).type('text/html; charset=utf-8').send(page.value)
}

/** After a form: back to a page with what was done (POST → 303 → GET, so a reload repeats nothing). */
export function redirectDone(
  reply: FastifyReply,
  path: string,
  query: Record<string, string | number | null | undefined>,
  done: FlashKey,
) {
  return reply.redirect(href(path, { ...query, done }), 303)
}

/** The session of a route that requires one (the dashboard's hook has checked it). */
export function sessionOf(request: FastifyRequest): DashboardSession {
  if (!request.dashboard) throw new Error('dashboard route reached without a session')
  return request.dashboard
}

/** The client a session is confined to, or null when it sees every client. */
export function scopeOf(request: FastifyRequest): string | null {
  return clientScope(sessionOf(request).principal)
}

export function actorOf(app: FastifyInstance, request: FastifyRequest): Actor {
  return { name: sessionOf(request).principal.name, now: app.clock() }
}

/** The desk a page is about: the one asked for, else the first active one. */
export async function chooseDesk(
  app: FastifyInstance,
  asked: string | undefined,
): Promise<{ desks: DeskSummary[]; desk: DeskSummary }> {
  const desks = await listActiveDesks(app.db)
  // No desk at all: a fresh database before its first desk file, said as such rather than "not found".
  if (desks.length === 0) throw new AppError(404, 'no_desk', 'no active desk')
  const desk = asked ? desks.find((d) => d.id === asked) : desks[0]
  if (!desk) throw notFound(`Desk ${asked}`)
  return { desks, desk }
}

/** Names for ids, and each desk's zone; a client's session gets its own client's name only. */
export async function loadDirectory(
  app: FastifyInstance,
  desks: readonly DeskSummary[],
  scope: string | null,
): Promise<Directory> {
  const [clients, agents] = await Promise.all([clientDirectory(app.db), agentDirectory(app.db)])
  return {
    clients: new Map(clients.filter((c) => !scope || c.id === scope).map((c) => [c.id, c.name])),
    agents: new Map(agents.map((a) => [a.id, a.name])),
    zones: new Map(desks.map((d) => [d.id, d.timezone])),
    defaultZone: desks[0]?.timezone ?? 'UTC',
  }
}

/** An HTML form sends empty fields as "": read them as absent. */
export function optional<T extends z.ZodType>(schema: T) {
  return z.preprocess((value) => (value === '' ? undefined : value), schema.optional())
}
