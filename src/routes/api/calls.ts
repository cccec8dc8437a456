// GET /api/calls (JSON pages or a streamed CSV) and GET /api/calls/{callSid} with its events.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { clientScope } from '../../domain/access.js'
import { OUTCOMES } from '../../domain/outcome.js'
import { e164Schema } from '../../domain/phone.js'
import { AppError, notFound } from '../../errors.js'
import { eachCall, getCall, listCalls } from '../../store/call-log.js'
import { prefersCsv, sendCsv } from '../shared/csv.js'
import { CSV_COLUMNS, callItem, callSidParam, cursorSchema, encodeCursor, serialise, serialiseEach } from '../shared/calls.js'
import { authProblems, idParam, isoDate, limitParam } from './schemas.js'

const callsQuery = z.object({
  client: idParam.optional(),
  desk: idParam.optional(),
  agent: idParam.optional(),
  outcome: z
    .string()
    .transform((text) => text.split(','))
    .pipe(z.array(z.enum(OUTCOMES)))
    .optional()
    .describe('one outcome or several, comma-separated'),
  caller: e164Schema.optional().describe("the caller's number"),
  from: isoDate.optional().describe("first day, in the desk's time zone"),
  to: isoDate.optional().describe("last day (inclusive), in the desk's time zone"),
  limit: limitParam,
  cursor: cursorSchema.optional().describe('nextCursor of the previous page'),
})

export const callRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/calls',
    {
      schema: {
        tags: ['calls'],
        summary: 'The call log, newest first (Accept: text/csv streams every matching call as CSV)',
        querystring: callsQuery,
        response: { 200: z.object({ items: z.array(callItem), nextCursor: z.string().nullable() }), ...authProblems },
      },
    },
    async (request, reply) => {
      const { limit, cursor, ...query } = request.query
      const scope = request.principal && clientScope(request.principal)
      if (scope && query.client && query.client !== scope) {
        throw new AppError(403, 'forbidden', 'A client token can only read its own calls')
      }
      const filter = {
        clientId: scope ?? query.client,
        deskId: query.desk,
        agentId: query.agent,
        outcomes: query.outcome,
        caller: query.caller,
        fromDate: query.from,
        toDate: query.to,
      }
      if (prefersCsv(request.headers.accept)) {
        // Streamed page by page: a year of calls never sits in memory.
        return sendCsv(reply, 'calls.csv', CSV_COLUMNS, serialiseEach(eachCall(app.db, filter)))
      }
      const page = await listCalls(app.db, filter, { limit, cursor })
      return { items: page.items.map(serialise), nextCursor: page.next ? encodeCursor(page.next) : null }
    },
  )

  app.get(
    '/api/calls/:callSid',
    {
      schema: {
        tags: ['calls'],
        summary: 'One call, with every webhook it received and its counted talk',
        params: z.object({ callSid: callSidParam }),
        response: {
          200: callItem.extend({
            events: z.array(z.object({ kind: z.string(), at: z.string(), params: z.record(z.string(), z.string()) })),
            legs: z.array(
              z.object({
                dialCallSid: z.string(),
                month: z.string(),
                talkSeconds: z.number(),
                countedSeconds: z.number(),
                includedSeconds: z.number(),
                overageSeconds: z.number(),
                graceSeconds: z.number(),
                consented: z.boolean().describe("after the caller's yes to billing"),
                onCall: z.boolean(),
              }),
            ),
          }),
          ...authProblems,
        },
      },
    },
    async (request) => {
      const scope = request.principal && clientScope(request.principal)
      const call = await getCall(app.db, request.params.callSid, scope)
      // A client asking for another client's call learns nothing, not even that it exists.
      if (!call) throw notFound(`Call ${request.params.callSid}`)
      return {
        ...serialise(call),
        events: call.events.map((event) => ({ ...event, at: event.at.toISOString() })),
        legs: call.legs,
      }
    },
  )
}
