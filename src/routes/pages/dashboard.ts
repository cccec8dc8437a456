// The manager dashboard under /dashboard: security headers and CSP, the session cookie and the
// language, form tokens, HTML error pages, the assets, then the pages themselves.
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import cookie from '@fastify/cookie'
import helmet from '@fastify/helmet'
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod'
import { adminFingerprint, csrfTokenOf, sameSecret, sessionIdOf } from '../../domain/sessions.js'
import { ROLES, roleAllowed } from '../../domain/access.js'
import { AppError } from '../../errors.js'
import { validationFields } from '../../plugins/error-handler.js'
import { chooseLanguage, messagesFor } from '../../pages/i18n.js'
import { HOME, href } from '../../pages/layout.js'
import { errorPage } from '../../pages/error-page.js'
import { securityHeaders } from '../../plugins/security-headers.js'
import { findLiveSession } from '../../store/sessions.js'
import { callbackPages } from './callbacks.js'
import { callPages } from './calls.js'
import { calendarPages } from './calendar.js'
import { pageContext, sendHtml } from './context.js'
import { contractPages } from './contracts.js'
import { notificationPages } from './notifications.js'
import { signInPages } from './sign-in.js'
import { todayPages } from './today.js'
import { usagePages } from './usage.js'
import { whatIfPages } from './what-if.js'

export const LANG_COOKIE = 'sl_lang'

/** The session cookie's name: `__Host-` when served over https (Secure, whole site, no Domain). */
export function sessionCookieName(secure: boolean): string {
  return secure ? '__Host-sl_session' : 'sl_session'
}

const SECRET_SHAPE = /^[A-Za-z0-9_-]{43}$/

function loadAsset(name: string): { body: string; version: string } {
  const body = readFileSync(new URL(`../../pages/assets/${name}`, import.meta.url), 'utf8')
  return { body, version: createHash('sha256').update(body).digest('hex').slice(0, 12) }
}

export const dashboardPages: FastifyPluginAsyncZod = async (app) => {
  const secure = app.config.publicUrl.startsWith('https://')
  const cookieName = sessionCookieName(secure)
  const publicOrigin = new URL(app.config.publicUrl).origin
  const css = loadAsset('style.css')
  const js = loadAsset('app.js')
  app.decorate('dashboardAssets', {
    css: `${HOME}/assets/style.css?v=${css.version}`,
    js: `${HOME}/assets/app.js?v=${js.version}`,
  })

  // Security headers on every page. No inline script or style anywhere (the charts use SVG
  // attributes, not style=), so the policy needs no hash and no 'unsafe-inline'.
  await app.register(helmet, securityHeaders({ secure, scriptSrc: ["'self'"], styleSrc: ["'self'"] }))
  // Cookies read and written by @fastify/cookie (the `cookie` package's parser and serialiser,
  // which refuses names and values that could smuggle attributes).
  await app.register(cookie)

  app.decorateRequest('dashboard', null)
  app.decorateRequest('lang', 'fr')

  app.addHook('onRequest', async (request, reply) => {
    const { cookies } = request
    const asked = (request.query as Record<string, unknown> | undefined)?.lang
    request.lang = chooseLanguage({
      query: asked,
      cookie: cookies[LANG_COOKIE],
      acceptLanguage: request.headers['accept-language'],
    })
    if (asked === request.lang && cookies[LANG_COOKIE] !== request.lang) {
      reply.setCookie(LANG_COOKIE, request.lang, { path: '/', maxAge: 365 * 86_400, sameSite: 'lax', httpOnly: true, secure })
    }
    // Pages hold call data: never kept by a browser's or a proxy's cache.
    reply.header('cache-control', 'no-store')

    if (request.method === 'POST' && !sameOrigin(request)) {
      throw new AppError(403, 'csrf', 'cross-site form post refused')
    }
    request.dashboard = await sessionFrom(request, cookies[cookieName])
    if (request.routeOptions.config.dashboardPublic) return
    if (!request.dashboard) {
      const ended = cookies[cookieName] !== undefined
      if (ended) reply.setCookie(cookieName, '', { path: '/', maxAge: 0, sameSite: 'strict', httpOnly: true, secure })
      const next = request.method === 'GET' ? request.url : undefined
      return reply.redirect(href(`${HOME}/sign-in`, { next, ended: ended ? 1 : null }), 303)
    }
    const roles = request.routeOptions.config.roles
    if (!roleAllowed(request.dashboard.principal.role, roles)) throw new AppError(403, 'forbidden', 'role')
  })

  // Every form that changes something carries the session's token (SameSite=Strict is the first
  // guard; the token is the second, for browsers or proxies that do not honour it).
  app.addHook('preValidation', async (request) => {
    if (request.method !== 'POST' || !request.dashboard || request.routeOptions.config.dashboardPublic) return
    const body = request.body as Record<string, unknown> | null | undefined
    const given = typeof body?._csrf === 'string' ? body._csrf : ''
    if (!sameSecret(given, request.dashboard.csrf)) throw new AppError(403, 'csrf', 'missing or wrong form token')
  })

  /** A browser's form post comes from our own pages: Sec-Fetch-Site and Origin say so when present. */
  function sameOrigin(request: FastifyRequest): boolean {
    const site = request.headers['sec-fetch-site']
    if (site !== undefined && site !== 'same-origin' && site !== 'none') return false
    const origin = request.headers.origin
    if (origin === undefined) return true
    return origin === publicOrigin || origin === `${request.protocol}://${request.host}`
  }

  async function sessionFrom(request: FastifyRequest, secret: string | undefined) {
    if (!secret || !SECRET_SHAPE.test(secret)) return null
    const idHash = sessionIdOf(secret)
    const live = await findLiveSession(app.db, idHash, app.clock())
    if (!live) return null
    if (live.adminFingerprint !== null && !adminSessionHolds(live.adminFingerprint, request)) return null
    return { principal: live.principal, csrf: csrfTokenOf(secret), idHash }
  }

  /**
   * An ADMIN_TOKEN session lasts while that token is configured and accepted from this peer, by the
   * auth plugin's own rule (the development one: from this machine only), as the API decides.
   */
  function adminSessionHolds(fingerprint: string, request: FastifyRequest): boolean {
    const token = app.config.adminToken
    if (!token || !sameSecret(adminFingerprint(token), fingerprint)) return false
    return app.adminTokenAccepted(request)
  }

  app.setErrorHandler((error: FastifyError, request, reply) => renderError(app, request, reply, error))
  app.setNotFoundHandler((request, reply) => renderError(app, request, reply, new AppError(404, 'not_found', 'no such page')))

  for (const [name, asset, type] of [
    ['style.css', css, 'text/css; charset=utf-8'],
    ['app.js', js, 'text/javascript; charset=utf-8'],
  ] as const) {
    app.get(`/assets/${name}`, { config: { dashboardPublic: true }, schema: { hide: true } }, async (_request, reply) =>
      // Versioned by content in the pages' links: cached for good, replaced by a new version.
      reply.header('cache-control', 'public, max-age=31536000, immutable').type(type).send(asset.body),
    )
  }

  await app.register(signInPages, { cookieName, secure })
  await app.register(todayPages)
  await app.register(callPages)
  await app.register(callbackPages)
  await app.register(usagePages)
  await app.register(calendarPages)
  await app.register(contractPages)
  await app.register(notificationPages)
  await app.register(whatIfPages)
}

/** "/" is the dashboard's: a browser landing on the service's root finds it. */
export const rootRedirect: FastifyPluginAsyncZod = async (app) => {
  app.get('/', { config: { roles: ROLES }, schema: { hide: true } }, async (_request, reply) => reply.redirect(HOME, 302))
}

function renderError(app: FastifyInstance, request: FastifyRequest, reply: FastifyReply, error: FastifyError | AppError) {
  const ctx = pageContext(app, request)
  const t = messagesFor(request.lang).errors
  if (error instanceof AppError) {
    const message =
      error.code === 'csrf'
        ? t.csrf
        : error.code === 'no_desk'
          ? t.noDesk
          : error.code === 'callback_done'
            ? t.callbackDone
            : error.code === 'calendar_gone'
              ? t.calendarGone
              : error.status === 404
                ? t.notFound
                : error.status === 403
                  ? t.forbidden
                  : error.message
    return sendHtml(
      reply,
      errorPage(ctx, { status: error.status, code: error.code, message, fields: error.fields }),
      error.status,
    )
  }
  if (hasZodFastifySchemaValidationErrors(error) || error.validation) {
    return sendHtml(reply, errorPage(ctx, { status: 400, message: t[400], fields: validationFields(error) }), 400)
  }
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    const limit = request.routeOptions.bodyLimit ?? app.initialConfig.bodyLimit ?? 0
    return sendHtml(reply, errorPage(ctx, { status: 413, message: t.tooLarge(Math.round(limit / 1024)) }), 413)
  }
  const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500
  if (status >= 500) request.log.error({ err: error }, 'dashboard page failed')
  return sendHtml(reply, errorPage(ctx, { status, message: status >= 500 ? t.server : error.message }), status)
}
