// GET /api/usage?month=: every contract's month (a client token sees its own).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { clientScope } from '../../domain/access.js'
import { currentUsageMonth, usageForMonth } from '../../store/usage-report.js'
import { authProblems, month } from './schemas.js'

export const usageItem = z.object({
  contractId: z.number(),
  clientId: z.string(),
  clientName: z.string(),
  desk: z.string(),
  month: z.string(),
  quotaSeconds: z.number(),
  usedSeconds: z.number().describe('all talk counted in the month, included and overage together'),
  includedSeconds: z.number(),
  overageSeconds: z
    .number()
    .describe('the part of usedSeconds beyond quotaSeconds that is billable: the bill policy, or the caller consented'),
  graceSeconds: z
    .number()
    .describe('the part of usedSeconds beyond quotaSeconds that is never billed: refuse grace, ask before consent'),
  onCallSeconds: z.number().describe('out-of-hours on-call talk, billed apart'),
  calls: z.number(),
  thresholds: z.array(z.number()).describe('percentages of the quota crossed this month'),
})

export const usageRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/usage',
    {
      schema: {
        tags: ['usage'],
        summary: "Support time used per contract in a month (the desk's local month)",
        querystring: z.object({ month: month.optional().describe('YYYY-MM; the current month when absent') }),
        response: { 200: z.object({ items: z.array(usageItem) }), ...authProblems },
      },
    },
    async (request) => {
      const scope = request.principal && clientScope(request.principal)
      const items = await usageForMonth(app.db, request.query.month ?? (await currentUsageMonth(app.db, app.clock())), scope)
      return { items }
    },
  )
}
