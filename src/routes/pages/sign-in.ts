// Sign-in with a token (the API's own: checked, and rate limited, by the auth plugin), the session
// cookie it opens, and sign-out, which deletes the session row.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { ROLES } from '../../domain/access.js'
import { text } from '../../domain/boundary.js'
import {
  adminFingerprint,
  newSessionSecret,
  safeNextPath,
  sessionExpiry,
  sessionIdOf,
  SESSION_HOURS,
} from '../../domain/sessions.js'
import { HOME, href } from '../../pages/layout.js'
import { signInPage } from '../../pages/sign-in-page.js'
import { isLoopback } from '../../plugins/auth.js'
import { closeSession, openSession } from '../../store/sessions.js'
import { pageContext, sendHtml } from './context.js'

export interface SignInOptions {
  cookieName: string
  /** PUBLIC_URL is https: the cookie is Secure */
  secure: boolean
}

export const signInPages: FastifyPluginAsyncZod<SignInOptions> = async (app, options) => {
  const sessionCookie = { path: '/', httpOnly: true, secure: options.secure, sameSite: 'strict' } as const

  /** The development admin token is accepted from this machine: tell whoever sits at it. */
  const devHint = (remote: string | undefined) => app.config.usingDevelopmentAdminToken && isLoopback(remote)

  app.get(
    '/sign-in',
    {
      config: { dashboardPublic: true },
      schema: {
        hide: true,
        querystring: z.object({
          next: text(2000, { min: 0 }).optional(),
          ended: text(10, { min: 0 }).optional(),
          out: text(10, { min: 0 }).optional(),
          lang: text(10, { min: 0 }).optional(),
        }),
      },
    },
    async (request, reply) => {
      if (request.dashboard) return reply.redirect(safeNextPath(request.query.next, HOME), 303)
      const notice = request.query.out ? 'signedOut' : request.query.ended ? 'expired' : null
      const page = signInPage(pageContext(app, request), {
        error: null,
        notice,
        next: safeNextPath(request.query.next, HOME),
        devHint: devHint(request.socket.remoteAddress),
      })
      return sendHtml(reply, page)
    },
  )

  app.post(
    '/sign-in',
    {
      config: { dashboardPublic: true },
      schema: { hide: true, body: z.object({ token: text(512, { min: 0 }), next: text(2000, { min: 0 }).optional() }) },
    },
    async (request, reply) => {
      const next = safeNextPath(request.body.next, HOME)
      const checked = await app.checkToken(request.body.token || null, request)
      if (!checked.ok) {
        const page = signInPage(pageContext(app, request), {
          error: checked.reason,
          notice: null,
          next,
          devHint: devHint(request.socket.remoteAddress),
        })
        return sendHtml(reply, page, checked.reason === 'blocked' ? 429 : 401)
      }
      const { principal } = checked
      const secret = newSessionSecret()
      const now = app.clock()
      const adminToken = app.config.adminToken
      await openSession(app.db, {
        idHash: sessionIdOf(secret),
        tokenId: principal.tokenId,
        adminFingerprint: principal.tokenId === null && adminToken ? adminFingerprint(adminToken) : null,
        now,
        expiresAt: sessionExpiry(now),
      })
      // A sign-in replaces whatever session this browser had: the old one is closed, not orphaned.
      if (request.dashboard) await closeSession(app.db, request.dashboard.idHash)
      request.log.info({ actor: principal.name, role: principal.role }, 'dashboard sign-in')
      return reply.setCookie(options.cookieName, secret, { ...sessionCookie, maxAge: SESSION_HOURS * 3600 }).redirect(next, 303)
    },
  )

  app.post('/sign-out', { config: { roles: ROLES }, schema: { hide: true } }, async (request, reply) => {
    if (request.dashboard) await closeSession(app.db, request.dashboard.idHash)
    return reply
      .setCookie(options.cookieName, '', { ...sessionCookie, maxAge: 0 })
      .redirect(href(`${HOME}/sign-in`, { out: 1 }), 303)
  })
}
