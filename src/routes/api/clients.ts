// Clients: created, changed and deactivated by admins like the desk file's entries; their
// registered numbers (a number identifies one client only) and suspension for breach.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { text } from '../../domain/boundary.js'
import { addClientNumber, findEntity, removeClientNumber, setSuspension } from '../../domain/config-edit.js'
import { type DeskFile, clientSchema } from '../../domain/desk-file.js'
import { e164Schema } from '../../domain/phone.js'
import { notFound } from '../../errors.js'
import { applyEdit } from './config-edits.js'
import { entityRoutes } from './config.js'
import { ADMIN, conflictProblems, idParam, serialiseAsIs } from './schemas.js'

const clientEntities = entityRoutes({ section: 'clients', path: '/api/clients', noun: 'client', schema: clientSchema })

const numberEntry = clientSchema.shape.numbers.unwrap().element

const suspension = z
  .object({
    suspended: z.boolean(),
    reason: text(500).optional().describe('why (model clause: suspension for breach); required to suspend'),
  })
  .strict()
  .superRefine((body, ctx) => {
    if (body.suspended && !body.reason)
      ctx.addIssue({ code: 'custom', path: ['reason'], message: 'say why the client is suspended' })
  })

const tags = ['configuration']

export const clientRoutes: FastifyPluginAsyncZod = async (app) => {
  await app.register(clientEntities)
  const params = z.object({ id: idParam })
  const clientIn = (file: DeskFile, id: string) => {
    const client = findEntity(file, 'clients', id)
    if (!client) throw notFound(`client ${id}`)
    return client
  }

  app.put(
    '/api/clients/:id/suspension',
    {
      config: { roles: ADMIN },
      serializerCompiler: serialiseAsIs,
      schema: {
        tags,
        summary: 'Suspend a client for breach, with the reason (its callers hear the suspension message), or lift it',
        params,
        body: suspension,
        response: { 200: clientSchema, ...conflictProblems },
      },
    },
    async (request, reply) => {
      const { file } = await applyEdit(app, request, (current) => setSuspension(current, request.params.id, request.body))
      return reply.send(clientIn(file, request.params.id))
    },
  )

  app.post(
    '/api/clients/:id/numbers',
    {
      config: { roles: ADMIN },
      serializerCompiler: serialiseAsIs,
      schema: {
        tags,
        summary: "Register a technical contact's number (E.164; a number identifies one client only)",
        params,
        body: numberEntry,
        response: { 201: clientSchema, ...conflictProblems },
      },
    },
    async (request, reply) => {
      const { file } = await applyEdit(app, request, (current) => addClientNumber(current, request.params.id, request.body))
      return reply.code(201).send(clientIn(file, request.params.id))
    },
  )

  app.delete(
    '/api/clients/:id/numbers/:number',
    {
      config: { roles: ADMIN },
      schema: {
        tags,
        summary: 'Unregister a number: it stops identifying the client',
        params: params.extend({ number: e164Schema }),
        response: { 204: z.null(), ...conflictProblems },
      },
    },
    async (request, reply) => {
      await applyEdit(app, request, (current) => removeClientNumber(current, request.params.id, request.params.number))
      return reply.code(204).send(null)
    },
  )
}
