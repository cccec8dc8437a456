// buildApp: the whole HTTP application, built the same way by the server and by every test.
import formbody from '@fastify/formbody'
import helmet from '@fastify/helmet'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify'
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod'
import type { Database, DatabaseHandle } from '../db/client.js'
import { clientAddressOf, fastifyTrustProxy } from './client-address.js'
import type { Config } from './config.js'
import { loggerOptions } from './logging.js'
import auth from './plugins/auth.js'
import errorHandler from './plugins/error-handler.js'
import { securityHeaders } from './plugins/security-headers.js'
import mailIntake from './plugins/mail-intake.js'
import notificationSender, { type SenderOptions } from './plugins/notification-sender.js'
import webhookWriter from './plugins/webhook-writer.js'
import { callRoutes } from './routes/api/calls.js'
import { usageRoutes } from './routes/api/usage.js'
import { deskCalendarRoutes } from './routes/api/desk-calendar.js'
import { agentRoutes } from './routes/api/agents.js'
import { auditRoutes } from './routes/api/audit.js'
import { callbackRoutes } from './routes/api/callbacks.js'
import { clientRoutes } from './routes/api/clients.js'
import { configRoutes, deskConfigRoutes } from './routes/api/config.js'
import { contractRoutes } from './routes/api/contracts.js'
import { notificationRoutes } from './routes/api/notifications.js'
import { statementRoutes } from './routes/api/statements.js'
import { tokenRoutes } from './routes/api/tokens.js'
import { whatIfRoutes } from './routes/api/what-if.js'
import { callerLanguageRoutes } from './routes/api/caller-languages.js'
import { emailRoutes } from './routes/api/email.js'
import { emailInboundRoutes } from './routes/email/inbound.js'
import { healthRoutes } from './routes/health.js'
import { dashboardPages, rootRedirect } from './routes/pages/dashboard.js'
import { technicalDifficulty, twilioWebhooks } from './routes/twilio/webhooks.js'

/** Where "now" comes from: the wall clock in production, a fixed instant in tests. */
export type Clock = () => Date

/**
 * How long the webhook path waits on the database before answering without it (reads) or
 * journaling (writes). Well under Twilio's 15 s and the caller's patience; tests that are not about
 * outages use longer ones, so that a loaded test machine never looks like a database outage.
 */
export interface WebhookDeadlines {
  readMs: number
  writeMs: number
}

export const WEBHOOK_DEADLINES: WebhookDeadlines = { readMs: 600, writeMs: 900 }

export interface AppOptions {
  config: Config
  database: DatabaseHandle
  deadlines?: WebhookDeadlines
  clock?: Clock
  /** the notification sender's pace and retry schedule (the server starts it; tests call runOnce) */
  sender?: SenderOptions
  /** pino options; false for silence (tests) */
  logger?: FastifyServerOptions['logger']
}

declare module 'fastify' {
  interface FastifyInstance {
    config: Config
    database: DatabaseHandle
    db: Database
    clock: Clock
  }
}

// Fastify types the factories for Ajv's compilers; at run time any schema compiler fits.
const ZOD_COMPILERS = {
  buildValidator: () => validatorCompiler,
  buildSerializer: () => serializerCompiler,
} as unknown as NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { config, database } = options
  const clientAddress = clientAddressOf(config.trustProxy)
  const app = Fastify({
    logger: options.logger ?? loggerOptions(config.logLevel, clientAddress),
    // Only the proxies TRUST_PROXY names are believed about the client's address (and scheme and
    // host); unset, the peer's address counts, so a client's own X-Forwarded-For chooses nothing.
    trustProxy: fastifyTrustProxy(config.trustProxy),
    // Twilio gives up on a webhook after 15 s; nothing here should take that long.
    requestTimeout: 15_000,
    connectionTimeout: 20_000,
    // Longer than the proxy's idle timeout, so the proxy closes idle connections, not us.
    keepAliveTimeout: 75_000,
    bodyLimit: 256 * 1024,
    return503OnClosing: true,
    // Every schema is zod's: with zod's compilers from the start Fastify never loads Ajv and
    // fast-json-stringify, its defaults (Ajv alone takes 0.2 s to load; docs/BENCHMARKS.md,
    // "The start, bundled").
    schemaController: { compilersFactory: ZOD_COMPILERS },
  }).withTypeProvider<ZodTypeProvider>()

  app.decorate('config', config)
  app.decorate('database', database)
  app.decorate('db', database.db)
  app.decorate('clock', options.clock ?? (() => new Date()))

  // Third-party plugins first, in the order they act on a request.
  await app.register(formbody)
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'supportline',
        description: 'Manager API of the supportline support desk. Authenticate with `Authorization: Bearer <token>`.',
        version: '1.0.0',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  })
  // The API's browsable documentation is a page like the dashboard's: the same headers, in a scope
  // of its own. Swagger UI sets inline styles on its elements, so styles (only) allow them.
  await app.register(async (docs) => {
    await docs.register(
      helmet,
      securityHeaders({
        secure: config.publicUrl.startsWith('https://'),
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
      }),
    )
    await docs.register(swaggerUi, { routePrefix: '/docs' })
  })

  // Then the app's own plugins, then the routes.
  await app.register(errorHandler, { webhookFallback: technicalDifficulty })
  await app.register(auth, {
    adminToken: config.adminToken,
    adminFromLoopbackOnly: config.usingDevelopmentAdminToken,
    clientAddress,
  })
  await app.register(healthRoutes)
  const deadlines = options.deadlines ?? WEBHOOK_DEADLINES
  await app.register(webhookWriter, { journalDir: `${config.dataDir}/journal`, deadlineMs: deadlines.writeMs, retryMs: 1_000 })
  await app.register(twilioWebhooks, { readDeadlineMs: deadlines.readMs })
  await app.register(notificationSender, options.sender ?? {})
  // E-mail assistance (issue #15): one ingestion for the mailbox and the inbound webhook.
  await app.register(mailIntake)
  await app.register(emailInboundRoutes)
  // The manager API: every route under /api needs a token (or a dashboard session), checked once
  // here for the whole scope; each route states which roles it serves (`config.roles`).
  await app.register(async (api) => {
    api.addHook('onRequest', api.authenticate)
    for (const routes of [
      callRoutes,
      usageRoutes,
      deskCalendarRoutes,
      statementRoutes,
      contractRoutes,
      callbackRoutes,
      notificationRoutes,
      configRoutes,
      deskConfigRoutes,
      agentRoutes,
      clientRoutes,
      tokenRoutes,
      auditRoutes,
      whatIfRoutes,
      callerLanguageRoutes,
      emailRoutes,
    ])
      await api.register(routes)
  })
  // The manager dashboard: server-rendered pages with their own session cookie, headers and errors.
  await app.register(dashboardPages, { prefix: '/dashboard' })
  await app.register(rootRedirect)

  return app
}
