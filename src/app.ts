// buildApp: the whole HTTP application, built the same way by the server and by every test.
import formbody from '@fastify/formbody'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify'
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod'
import type { Database, DatabaseHandle } from '../db/client.js'
import type { Config } from './config.js'
import { loggerOptions } from './logging.js'
import auth from './plugins/auth.js'
import errorHandler from './plugins/error-handler.js'
import { callRoutes } from './routes/api/calls.js'
import { usageRoutes } from './routes/api/usage.js'
import { deskRoutes } from './routes/api/desks.js'
import { healthRoutes } from './routes/health.js'
import { technicalDifficulty, twilioWebhooks } from './routes/twilio/webhooks.js'

/** Where "now" comes from: the wall clock in production, a fixed instant in tests. */
export type Clock = () => Date

export interface AppOptions {
  config: Config
  database: DatabaseHandle
  clock?: Clock
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

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { config, database } = options
  const app = Fastify({
    logger: options.logger ?? loggerOptions(config.logLevel),
    // Fly's proxy terminates TLS and appends the client's address: trust that one hop, no more
    // (a client's own X-Forwarded-For would otherwise choose the address rate limits see).
    trustProxy: (_address: string, hop: number) => hop === 0,
    // Twilio gives up on a webhook after 15 s; nothing here should take that long.
    requestTimeout: 15_000,
    connectionTimeout: 20_000,
    // Longer than the proxy's idle timeout, so the proxy closes idle connections, not us.
    keepAliveTimeout: 75_000,
    bodyLimit: 256 * 1024,
    return503OnClosing: true,
  }).withTypeProvider<ZodTypeProvider>()

  app.decorate('config', config)
  app.decorate('database', database)
  app.decorate('db', database.db)
  app.decorate('clock', options.clock ?? (() => new Date()))

  // Third-party plugins first, in the order they act on a request.
  app.setValidatorCompiler(validatorCompiler)
  app.setSerializerCompiler(serializerCompiler)
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
  await app.register(swaggerUi, { routePrefix: '/docs' })

  // Then the app's own plugins, then the routes.
  await app.register(errorHandler, { webhookFallback: technicalDifficulty })
  await app.register(auth, { adminToken: config.adminToken, adminFromLoopbackOnly: config.usingDevelopmentAdminToken })
  await app.register(healthRoutes)
  await app.register(twilioWebhooks)
  await app.register(callRoutes)
  await app.register(usageRoutes)
  await app.register(deskRoutes)

  return app
}
