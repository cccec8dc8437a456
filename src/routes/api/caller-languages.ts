// The language remembered for a calling number (chosen at the language menu, issue #17): read it,
// change it or forget it (the caller then hears the menu again). A registered number's own
// `language` in the desk file comes before it.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { isSpoken, languageTagSchema } from '../../domain/language.js'
import { e164Schema } from '../../domain/phone.js'
import { rememberedChoice, setRememberedLanguage } from '../../store/clients.js'
import { actorOf } from './principal.js'
import { MANAGE, authProblems } from './schemas.js'

const params = z.object({ number: e164Schema })
const spoken = languageTagSchema.refine(isSpoken, 'must be a language supportline speaks: fr, en or ar')

const choiceSchema = z.object({
  number: z.string(),
  language: z.string().nullable().describe('null: none remembered (a caller of unknown language hears the menu)'),
  chosenBy: z.string().optional().describe("'caller' when pressed at the menu, else the manager who set it"),
  chosenAt: z.string().optional(),
})

export const callerLanguageRoutes: FastifyPluginAsyncZod = async (app) => {
  const read = async (number: string) => {
    const row = await rememberedChoice(app.db, number)
    return row
      ? { number, language: row.language, chosenBy: row.chosenBy, chosenAt: row.chosenAt.toISOString() }
      : { number, language: null }
  }

  app.get(
    '/api/numbers/:number/language',
    {
      config: { roles: MANAGE },
      schema: {
        tags: ['configuration'],
        summary: 'The language remembered for a calling number (chosen at the language menu)',
        params,
        response: { 200: choiceSchema, ...authProblems },
      },
    },
    async (request) => read(request.params.number),
  )

  app.put(
    '/api/numbers/:number/language',
    {
      config: { roles: MANAGE },
      schema: {
        tags: ['configuration'],
        summary: 'Change the language remembered for a calling number, or forget it (null)',
        params,
        body: z.object({ language: spoken.nullable() }).strict(),
        response: { 200: choiceSchema, ...authProblems },
      },
    },
    async (request) => {
      await setRememberedLanguage(app.db, request.params.number, request.body.language, actorOf(request, app.clock()))
      return read(request.params.number)
    },
  )
}
