// The configuration over HTTP: the whole desk file (export, apply) and, one entity at a time, desks,
// agents and clients, validated by the desk file's own schemas and applied by the same code.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { findEntity, putEntity, removeEntity } from '../../domain/config-edit.js'
import { type DeskFile, deskFileSchema, deskSchema, productionProblems } from '../../domain/desk-file.js'
import { AppError, RevisionRefused, invalidField, notFound } from '../../errors.js'
import { exportDeskFile } from '../../store/admin-config.js'
import { applyDeskFile } from '../../store/configuration.js'
import { applyEdit } from './config-edits.js'
import { actorOf } from './principal.js'
import { ADMIN, MANAGE, authProblems, conflictProblems, idParam, serialiseAsIs } from './schemas.js'
import { DESK_FILE_LIMIT } from './what-if.js'

/** ~1,000 clients with numbers and contracts make about 1 MB of desk file: room to spare. */

const applySummary = z.object({
  digest: z.string(),
  created: z.number(),
  updated: z.number(),
  deactivated: z.number(),
  changes: z.array(z.string()).describe('one line per change, e.g. "client acme: updated"; empty when nothing differed'),
})

type Section = 'desks' | 'agents' | 'clients'
type EntityOf<S extends Section> = DeskFile[S][number]

export interface EntitySpec<S extends Section> {
  section: S
  /** '/api/desks' */
  path: string
  noun: string
  /** the desk file's schema of one entry: the API and the file validate alike */
  schema: z.ZodType<EntityOf<S>, unknown>
}

/**
 * GET (list, one), POST, PUT and DELETE for one section of the desk file. Managers read, admins
 * write; deleting deactivates, as leaving an entry out of the file does (its history stays).
 */
export function entityRoutes<S extends Section>(spec: EntitySpec<S>): FastifyPluginAsyncZod {
  const { section, path, noun } = spec
  // Widened for the type provider, which cannot resolve a schema's output through the type
  // parameter S: bodies validated by it are EntityOf<S> (entitySent), answers are sent as they are.
  const schema: z.ZodType = spec.schema
  const params = z.object({ id: idParam })
  const tags = ['configuration']
  const aNoun = `${/^[aeiou]/.test(noun) ? 'an' : 'a'} ${noun}`

  return async (app) => {
    const entityIn = (file: DeskFile, id: string) => {
      const entity = findEntity(file, section, id)
      if (!entity) throw notFound(`${noun} ${id}`)
      return entity
    }
    const entitySent = (body: unknown) => body as EntityOf<S>

    app.get(
      path,
      {
        config: { roles: MANAGE },
        serializerCompiler: serialiseAsIs,
        schema: {
          tags,
          summary: `Every active ${noun}, as in the desk file`,
          response: { 200: z.object({ items: z.array(schema) }), ...authProblems },
        },
      },
      async (_request, reply) => reply.send({ items: (await exportDeskFile(app.db))[section] }),
    )

    app.get(
      `${path}/:id`,
      {
        config: { roles: MANAGE },
        serializerCompiler: serialiseAsIs,
        schema: { tags, summary: `One active ${noun}, as in the desk file`, params, response: { 200: schema, ...authProblems } },
      },
      async (request, reply) => reply.send(entityIn(await exportDeskFile(app.db), request.params.id)),
    )

    app.post(
      path,
      {
        config: { roles: ADMIN },
        serializerCompiler: serialiseAsIs,
        schema: {
          tags,
          summary: `Create ${aNoun} (or bring back a deactivated one)`,
          body: schema,
          response: { 201: schema, ...conflictProblems },
        },
      },
      async (request, reply) => {
        const entity = entitySent(request.body)
        const { file } = await applyEdit(app, request, (current) => putEntity(current, section, entity, 'create'))
        return reply.code(201).send(entityIn(file, entity.id))
      },
    )

    app.put(
      `${path}/:id`,
      {
        config: { roles: ADMIN },
        serializerCompiler: serialiseAsIs,
        schema: {
          tags,
          summary: `Replace ${aNoun} with the entry sent (its id stays)`,
          params,
          body: schema,
          response: { 200: schema, ...conflictProblems },
        },
      },
      async (request, reply) => {
        const { id } = request.params
        const entity = entitySent(request.body)
        if (entity.id !== id) throw invalidField('body.id', `must be "${id}", the id in the path: ids do not change`)
        const { file } = await applyEdit(app, request, (current) => putEntity(current, section, entity, 'replace'))
        return reply.send(entityIn(file, id))
      },
    )

    app.delete(
      `${path}/:id`,
      {
        config: { roles: ADMIN },
        schema: {
          tags,
          summary: `Deactivate ${aNoun} (its history stays)`,
          params,
          response: { 204: z.null(), ...conflictProblems },
        },
      },
      async (request, reply) => {
        await applyEdit(app, request, (current) => removeEntity(current, section, request.params.id))
        return reply.code(204).send(null)
      },
    )
  }
}

export const deskConfigRoutes = entityRoutes({ section: 'desks', path: '/api/desks', noun: 'desk', schema: deskSchema })

export const configRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/config',
    {
      config: { roles: MANAGE },
      serializerCompiler: serialiseAsIs,
      schema: {
        tags: ['configuration'],
        summary: 'The whole configuration as a desk file (applying it back changes nothing)',
        response: { 200: deskFileSchema, ...authProblems },
      },
    },
    async (_request, reply) => {
      const file = await exportDeskFile(app.db)
      return reply.header('content-disposition', 'inline; filename="desk.json"').send(file)
    },
  )

  app.put(
    '/api/config',
    {
      config: { roles: ADMIN },
      bodyLimit: DESK_FILE_LIMIT,
      schema: {
        tags: ['configuration'],
        summary: 'Apply a whole desk file: what it leaves out is deactivated; every wrong field is reported',
        body: deskFileSchema,
        response: { 200: applySummary, ...authProblems },
      },
    },
    async (request) => {
      const actor = actorOf(request, app.clock())
      if (app.config.env === 'production') {
        const fields = productionProblems(request.body).map((e) => ({ field: `body.${e.path}`, message: e.message }))
        if (fields.length > 0)
          throw new AppError(400, 'validation_failed', fields.map((f) => `${f.field}: ${f.message}`).join('; '), fields)
      }

      try {
        return await applyDeskFile(app.db, request.body, { actor: actor.name, now: actor.now, via: 'api', log: request.log })
      } catch (error) {
        // Named as the request sent them, like the schema's own problems.
        if (error instanceof RevisionRefused)
          throw new RevisionRefused(error.fields.map((f) => ({ ...f, field: `body.${f.field}` })))
        throw error
      }
    },
  )
}
