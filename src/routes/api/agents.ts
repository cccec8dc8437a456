// Agents: created, changed and deactivated by admins like the desk file's entries, and the on-duty
// switch, the one change agents' managers make every day.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { agentSchema } from '../../domain/desk-file.js'
import { notFound } from '../../errors.js'
import { setAgentDuty } from '../../store/agent-duty.js'
import { entityRoutes } from './config.js'
import { actorOf } from './principal.js'
import { MANAGE, authProblems, idParam } from './schemas.js'

const agentEntities = entityRoutes({ section: 'agents', path: '/api/agents', noun: 'agent', schema: agentSchema })

export const agentRoutes: FastifyPluginAsyncZod = async (app) => {
  await app.register(agentEntities)

  app.put(
    '/api/agents/:id/duty',
    {
      config: { roles: MANAGE },
      schema: {
        tags: ['configuration'],
        summary: 'Put an agent on or off duty: only agents on duty are rung (re-applying the desk file leaves it)',
        params: z.object({ id: idParam }),
        body: z.object({ onDuty: z.boolean() }).strict(),
        response: { 200: z.object({ id: z.string(), name: z.string(), onDuty: z.boolean() }), ...authProblems },
      },
    },
    async (request) => {
      const agent = await setAgentDuty(app.db, request.params.id, request.body.onDuty, actorOf(request, app.clock()))
      if (!agent) throw notFound(`agent ${request.params.id}`)
      return agent
    },
  )
}
