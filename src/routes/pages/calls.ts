// The call log page (filters, pages of 50), one call's page, and the CSV export of the filtered log
// (the API's own columns, streamed page by page).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { notFound } from '../../errors.js'
import { OUTCOMES } from '../../domain/outcome.js'
import { callPage, callsPage } from '../../pages/calls-page.js'
import { type CallFilter, eachCall, getCall, listCalls } from '../../store/call-log.js'
import { clientDirectory, listActiveDesks } from '../../store/dashboard.js'
import { CSV_COLUMNS, callSidParam, cursorSchema, encodeCursor, serialiseEach } from '../shared/calls.js'
import { sendCsv } from '../shared/csv.js'
import { idParam, isoDate } from '../api/schemas.js'
import { loadDirectory, optional, pageContext, scopeOf, sendHtml } from './context.js'

const PAGE_SIZE = 50

const filtersQuery = z.object({
  client: optional(idParam),
  desk: optional(idParam),
  outcome: optional(z.enum(OUTCOMES)),
  from: optional(isoDate),
  to: optional(isoDate),
})

export const callPages: FastifyPluginAsyncZod = async (app) => {
  /** The store's filter: a client's session is confined to its client, whatever the query says. */
  function filterOf(query: z.infer<typeof filtersQuery>, scope: string | null): CallFilter {
    return {
      clientId: scope ?? query.client,
      deskId: query.desk,
      outcomes: query.outcome ? [query.outcome] : undefined,
      fromDate: query.from,
      toDate: query.to,
    }
  }

  app.get(
    '/calls',
    { schema: { hide: true, querystring: filtersQuery.extend({ cursor: optional(cursorSchema) }) } },
    async (request, reply) => {
      const scope = scopeOf(request)
      const { cursor, ...filters } = request.query
      const desks = await listActiveDesks(app.db)
      const [page, directory, clients] = await Promise.all([
        listCalls(app.db, filterOf(filters, scope), { limit: PAGE_SIZE, cursor }),
        loadDirectory(app, desks, scope),
        scope ? null : clientDirectory(app.db),
      ])
      const view = {
        filters: scope ? { ...filters, client: undefined } : filters,
        calls: page.items,
        next: page.next ? encodeCursor(page.next) : null,
        firstPage: !cursor,
        clients,
        desks,
        directory,
      }
      return sendHtml(reply, callsPage(pageContext(app, request), view))
    },
  )

  app.get('/calls.csv', { schema: { hide: true, querystring: filtersQuery } }, async (request, reply) => {
    const filter = filterOf(request.query, scopeOf(request))
    return sendCsv(reply, 'appels.csv', CSV_COLUMNS, serialiseEach(eachCall(app.db, filter)))
  })

  app.get('/calls/:callSid', { schema: { hide: true, params: z.object({ callSid: callSidParam }) } }, async (request, reply) => {
    const scope = scopeOf(request)
    // Another client's call is "not found" for a client's session, as in the API.
    const call = await getCall(app.db, request.params.callSid, scope)
    if (!call) throw notFound(`Call ${request.params.callSid}`)
    const directory = await loadDirectory(app, await listActiveDesks(app.db), scope)
    return sendHtml(reply, callPage(pageContext(app, request), call, directory))
  })
}
