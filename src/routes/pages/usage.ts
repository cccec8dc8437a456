// The usage page: every contract's month (a client's session: its own), and for one client the
// last twelve months and the month's statement, from the same store functions as the API.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { monthOf } from '../../domain/quota.js'
import { invalidField, notFound } from '../../errors.js'
import type { MonthPoint } from '../../pages/charts.js'
import { monthsEnding } from '../../pages/format.js'
import { usagePage } from '../../pages/usage-page.js'
import { findClient } from '../../store/clients.js'
import { agentDirectory, clientDirectory, listActiveDesks } from '../../store/dashboard.js'
import { emailMonth } from '../../store/email-requests.js'
import { type UsageItem, usageForMonth } from '../../store/usage-report.js'
import { sendCsv } from '../shared/csv.js'
import { idParam, month as monthSchema } from '../api/schemas.js'
import { STATEMENT_CSV_COLUMNS, statementCsvRows, statementFileName } from '../api/statements.js'
import { loadStatement } from '../../store/statements.js'
import { optional, pageContext, scopeOf, sendHtml } from './context.js'

/** A client's contracts summed into one month of the chart. */
function pointOf(month: string, items: readonly UsageItem[]): MonthPoint {
  return items.reduce<MonthPoint>(
    (sum, item) => ({
      month,
      quotaSeconds: sum.quotaSeconds + item.quotaSeconds,
      usedSeconds: sum.usedSeconds + item.usedSeconds,
      overageSeconds: sum.overageSeconds + item.overageSeconds,
      graceSeconds: (sum.graceSeconds ?? 0) + item.graceSeconds,
    }),
    { month, quotaSeconds: 0, usedSeconds: 0, overageSeconds: 0, graceSeconds: 0 },
  )
}

export const usagePages: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/usage',
    { schema: { hide: true, querystring: z.object({ month: optional(monthSchema), client: optional(idParam) }) } },
    async (request, reply) => {
      const scope = scopeOf(request)
      const desks = await listActiveDesks(app.db)
      // Months are the desk's: the first desk's zone says which month "now" is in (as the API's
      // currentUsageMonth, without reading the desks twice).
      const zone = desks[0]?.timezone ?? 'UTC'
      const currentMonth = monthOf(app.clock(), zone)
      const month = request.query.month ?? currentMonth
      const clientId = scope ?? request.query.client ?? null
      const [items, agents, clients, email] = await Promise.all([
        usageForMonth(app.db, month, scope),
        agentDirectory(app.db),
        clientDirectory(app.db),
        emailMonth(app.db, month, scope, app.clock()),
      ])
      let selected = null
      if (clientId) {
        const client = clients.find((c) => c.id === clientId)
        if (!client) throw notFound(`Client ${clientId}`)
        const months = monthsEnding(month, 12)
        // The API's own monthly figures, month by month: twelve small reads, and no second definition of usage.
        const [history, statement] = await Promise.all([
          Promise.all(months.map(async (m) => pointOf(m, await usageForMonth(app.db, m, client.id)))),
          loadStatement(app.db, client.id, month),
        ])
        selected = { clientId: client.id, clientName: client.name, history, statement }
      }
      const view = {
        month,
        currentMonth,
        items,
        selected,
        zones: new Map(desks.map((d) => [d.id, d.timezone])),
        deskNames: new Map(desks.map((d) => [d.id, d.name])),
        defaultZone: zone,
        agents: new Map(agents.map((a) => [a.id, a.name])),
        email: new Map(email.map((e) => [`${e.clientId}/${e.desk}`, e])),
      }
      return sendHtml(reply, usagePage(pageContext(app, request), view, { linkToClients: scope === null }))
    },
  )
  // The statement the manager invoices from, as the API's CSV (a client's session: its own only).
  app.get(
    '/usage/statement.csv',
    { schema: { hide: true, querystring: z.object({ month: monthSchema, client: optional(idParam) }) } },
    async (request, reply) => {
      const clientId = scopeOf(request) ?? request.query.client
      if (!clientId) throw invalidField('query.client', "which client: a statement is one client's")
      const client = await findClient(app.db, clientId)
      if (!client) throw notFound(`Client ${clientId}`)
      const statement = await loadStatement(app.db, client.id, request.query.month)
      return sendCsv(reply, statementFileName(client.id, statement.month), STATEMENT_CSV_COLUMNS, statementCsvRows(statement))
    },
  )
}
