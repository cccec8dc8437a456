// One client's month: its usage, and its statement (JSON or CSV): every counted call and every
// answered e-mail request whose minutes counted, with its included and billable seconds, what the vendor invoices (INTERcom: beyond 5 hours, case by case).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { EmailLine, Statement, StatementLine } from '../../domain/statement.js'
import { notFound } from '../../errors.js'
import { findClient } from '../../store/clients.js'
import { loadStatement } from '../../store/statements.js'
import { currentUsageMonth, usageForMonth } from '../../store/usage-report.js'
import { prefersCsv, sendCsv } from '../shared/csv.js'
import { assertSeesClient } from './principal.js'
import { authProblems, idParam, month } from './schemas.js'
import { usageItem } from './usage.js'

const totals = z.object({
  usedSeconds: z.number().describe('talk counted into the quota: included and overage together'),
  includedSeconds: z.number(),
  overageSeconds: z.number().describe('beyond the quota: billable (the bill policy, or consented)'),
  graceSeconds: z.number().describe('beyond the quota, never billed (refuse grace, ask before consent)'),
  onCallSeconds: z.number().describe('out-of-hours on-call talk: billed apart'),
  calls: z.number(),
  emails: z.number().describe('answered e-mail requests whose minutes counted (emailMinutesCountIntoQuota)'),
})

const emailLine = z.object({
  requestId: z.number(),
  subject: z.string().nullable(),
  answeredAt: z.string().describe('the answer closed the request: its minutes count into that month'),
  countedSeconds: z.number().describe('the minutes recorded on the answer'),
  includedSeconds: z.number(),
  overageSeconds: z.number().describe('beyond the quota: billable (the bill policy)'),
  graceSeconds: z.number().describe('beyond the quota: never billed (ask, refuse)'),
})

const line = z.object({
  callSid: z.string(),
  dialCallSid: z.string(),
  startedAt: z.string(),
  from: z.string(),
  agentId: z.string().nullable(),
  talkSeconds: z.number(),
  countedSeconds: z.number().describe('after the billing increment'),
  includedSeconds: z.number(),
  overageSeconds: z.number().describe('beyond the quota: billable'),
  graceSeconds: z.number().describe('beyond the quota: never billed'),
  onCallSeconds: z.number().describe('billable apart'),
  consent: z
    .object({
      at: z.string(),
      digit: z.string(),
      words: z.string().nullable().describe('the question as the caller heard it'),
      question: z.enum(['start', 'cut']).describe('asked at the start of the call, or when the limit cut the leg'),
    })
    .nullable()
    .describe("the caller's yes to billing that covers this leg's overage"),
})

const statementSchema = z.object({
  clientId: z.string(),
  clientName: z.string(),
  month: z.string(),
  contracts: z.array(
    z.object({
      contractId: z.number(),
      desk: z.string(),
      quotaSeconds: z.number().describe('included in the month'),
      totals,
      calls: z.array(line).describe('answered in hours, counted into the quota'),
      onCallCalls: z.array(line).describe('answered by the out-of-hours on-call line, billed apart'),
      emails: z.array(emailLine).describe('answered e-mail requests whose minutes counted into the quota'),
    }),
  ),
  totals,
})

const clientParams = z.object({ id: idParam })

function serialiseLine({ contractId: _, onCall: __, ...rest }: StatementLine): z.infer<typeof line> {
  const consent = rest.consent && { ...rest.consent, at: rest.consent.at.toISOString() }
  return { ...rest, startedAt: rest.startedAt.toISOString(), consent }
}

function serialiseEmailLine({ contractId: _, ...rest }: EmailLine): z.infer<typeof emailLine> {
  return { ...rest, answeredAt: rest.answeredAt.toISOString() }
}

export const STATEMENT_CSV_COLUMNS = [
  'kind',
  'contractId',
  'desk',
  'callSid',
  'startedAt',
  'from',
  'agentId',
  'talkSeconds',
  'countedSeconds',
  'includedSeconds',
  'overageSeconds',
  'graceSeconds',
  'onCallSeconds',
  'quotaSeconds',
  'consentAt',
  'consentDigit',
  'consentWords',
  'requestId',
  'subject',
  'answeredAt',
] as const
type CsvRow = Partial<Record<(typeof STATEMENT_CSV_COLUMNS)[number], string | number | null>>

/**
 * A row per call (kind call or on_call), a row per answered e-mail request whose minutes counted
 * (kind email), then each contract's total (kind total, with its quota).
 */
export function* statementCsvRows(statement: Statement): Generator<CsvRow> {
  for (const contract of statement.contracts) {
    const base = { contractId: contract.contractId, desk: contract.desk }
    for (const [kind, lines] of [
      ['call', contract.calls],
      ['on_call', contract.onCallCalls],
    ] as const) {
      for (const item of lines) {
        const { consent, ...row } = serialiseLine(item)
        yield {
          kind,
          ...base,
          ...row,
          ...(consent ? { consentAt: consent.at, consentDigit: consent.digit, consentWords: consent.words } : {}),
        }
      }
    }
    for (const item of contract.emails) {
      const { answeredAt, ...row } = serialiseEmailLine(item)
      yield { kind: 'email', ...base, ...row, answeredAt }
    }
    const { totals } = contract
    yield {
      kind: 'total',
      ...base,
      countedSeconds: totals.usedSeconds,
      includedSeconds: totals.includedSeconds,
      overageSeconds: totals.overageSeconds,
      graceSeconds: totals.graceSeconds,
      onCallSeconds: totals.onCallSeconds,
      quotaSeconds: contract.quotaSeconds,
    }
  }
}

export const statementFileName = (clientId: string, month: string) => `statement-${clientId}-${month}.csv`

export const statementRoutes: FastifyPluginAsyncZod = async (app) => {
  async function clientOr404(id: string) {
    const client = await findClient(app.db, id)
    if (!client) throw notFound(`Client ${id}`)
    return client
  }

  app.get(
    '/api/clients/:id/usage',
    {
      schema: {
        tags: ['usage'],
        summary: "One client's support time in a month, per contract (a client token: its own only)",
        params: clientParams,
        querystring: z.object({ month: month.optional().describe('YYYY-MM; the current month when absent') }),
        response: { 200: z.object({ items: z.array(usageItem) }), ...authProblems },
      },
    },
    async (request) => {
      assertSeesClient(request, request.params.id)
      const client = await clientOr404(request.params.id)
      return {
        items: await usageForMonth(app.db, request.query.month ?? (await currentUsageMonth(app.db, app.clock())), client.id),
      }
    },
  )

  app.get(
    '/api/clients/:id/statements/:month',
    {
      schema: {
        tags: ['usage'],
        summary:
          "A client's monthly statement: each counted call and counted e-mail answer, the included time, the billable overage and on-call (Accept: text/csv for CSV)",
        params: clientParams.extend({ month }),
        response: { 200: statementSchema, ...authProblems },
      },
    },
    async (request, reply) => {
      assertSeesClient(request, request.params.id)
      const client = await clientOr404(request.params.id)
      const statement = await loadStatement(app.db, client.id, request.params.month)
      if (prefersCsv(request.headers.accept)) {
        return sendCsv(reply, statementFileName(client.id, statement.month), STATEMENT_CSV_COLUMNS, statementCsvRows(statement))
      }
      return {
        clientId: client.id,
        clientName: client.name,
        month: statement.month,
        contracts: statement.contracts.map((contract) => ({
          ...contract,
          calls: contract.calls.map(serialiseLine),
          onCallCalls: contract.onCallCalls.map(serialiseLine),
          emails: contract.emails.map(serialiseEmailLine),
        })),
        totals: statement.totals,
      }
    },
  )
}
