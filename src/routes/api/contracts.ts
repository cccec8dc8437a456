// Contracts: the period in force, its end and the notice deadline (INTERcom: 12 months, renewed
// unless notice 3 months before the end); the client's notice; and the contracts' terms (admin).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { addContract, removeContract, replaceContract } from '../../domain/config-edit.js'
import { type ContractOverview, contractOverview, localDate, noticeDueBy } from '../../domain/contract-overview.js'
import { contractSchema } from '../../domain/desk-file.js'
import { conflict, invalidField, notFound } from '../../errors.js'
import { type ContractRecord, contractIdOf, findContract, listContracts, recordNotice } from '../../store/contracts.js'
import { applyEdit } from './config-edits.js'
import { actorOf } from './principal.js'
import { ADMIN, MANAGE, authProblems, conflictProblems, idParam, isoDate, rowId } from './schemas.js'
import { revisionsToCome } from '../../domain/revision.js'

const period = z.object({
  index: z.number().describe('0 for the first period after signature'),
  start: z.string(),
  end: z.string().describe('exclusive: the first day of the next period'),
  lastDay: z.string(),
})

const contractView = z.object({
  id: z.number(),
  clientId: z.string(),
  clientName: z.string(),
  desk: z.string(),
  start: z.string().describe('signature date'),
  months: z.number(),
  noticeMonths: z.number(),
  renews: z.boolean(),
  monthlyQuotaMinutes: z.number(),
  overage: z.enum(['bill', 'ask', 'refuse']),
  billingIncrementSeconds: z.number(),
  noticeGivenOn: z.string().nullable(),
  noticeRecordedBy: z.string().nullable(),
  active: z.boolean(),
  today: z.string().describe('the desk-local date the standing below is computed for'),
  inForce: z.boolean(),
  period: period.nullable().describe('the period in force today'),
  endsOn: z.string().nullable().describe('the day it stops being in force, once notice (or no renewal) fixes it'),
  noticeDeadline: z.string().nullable().describe('the last day to give notice to end it with the current period'),
  revision: z
    .union([z.object({ by: z.literal('agreement') }), z.object({ by: z.literal('notice'), days: z.number() })])
    .describe('how its terms may be revised: by written agreement, or with so many days of written notice'),
  revisionsToCome: z
    .array(
      z.object({
        from: z.string(),
        monthlyQuotaMinutes: z.number().optional(),
        overage: z.enum(['bill', 'ask', 'refuse']).optional(),
        billingIncrementSeconds: z.number().optional(),
        agreedOn: z.string().optional().describe('the date of the signed amendment'),
        recordedOn: z.string().optional().describe('the day the service first saw the revision'),
      }),
    )
    .describe('the revisions of its terms that take effect after today, soonest first'),
})

function view(record: ContractRecord, overview: ContractOverview): z.infer<typeof contractView> {
  return {
    id: record.id,
    clientId: record.clientId,
    clientName: record.clientName,
    desk: record.deskId,
    start: record.start,
    months: record.months,
    noticeMonths: record.noticeMonths,
    renews: record.renews,
    monthlyQuotaMinutes: record.monthlyQuotaSeconds / 60,
    overage: record.overage,
    billingIncrementSeconds: record.billingIncrementSeconds,
    noticeGivenOn: record.noticeGivenOn,
    noticeRecordedBy: record.noticeRecordedBy,
    active: record.active,
    ...overview,
    revision: record.revision,
    revisionsToCome: revisionsToCome(record.changes, overview.today),
  }
}

const contractParams = z.object({ id: rowId })

export const contractRoutes: FastifyPluginAsyncZod = async (app) => {
  /** Standing on the desk-local date of the app's clock: a contract runs on its desk's days. */
  const overviewOf = (record: ContractRecord) => contractOverview(record, localDate(app.clock(), record.timezone))

  async function contractOr404(id: number): Promise<ContractRecord> {
    const record = await findContract(app.db, id)
    if (!record) throw notFound(`Contract ${id}`)
    return record
  }

  app.get(
    '/api/contracts',
    {
      config: { roles: MANAGE },
      schema: {
        tags: ['contracts'],
        summary: 'Active contracts with the period in force, its end and the notice deadline',
        querystring: z.object({
          client: idParam.optional(),
          noticeBefore: isoDate
            .optional()
            .describe('only contracts whose notice deadline is between today and this date (inclusive), soonest first'),
        }),
        response: { 200: z.object({ items: z.array(contractView) }), ...authProblems },
      },
    },
    async (request) => {
      const { client, noticeBefore } = request.query
      const items = (await listContracts(app.db, { clientId: client })).map((record) => ({
        record,
        overview: overviewOf(record),
      }))
      if (!noticeBefore) return { items: items.map(({ record, overview }) => view(record, overview)) }
      const due = items.filter(({ overview }) => noticeDueBy(overview, noticeBefore))
      due.sort((a, b) => (a.overview.noticeDeadline as string).localeCompare(b.overview.noticeDeadline as string))
      return { items: due.map(({ record, overview }) => view(record, overview)) }
    },
  )

  app.get(
    '/api/contracts/:id',
    {
      config: { roles: MANAGE },
      schema: {
        tags: ['contracts'],
        summary: 'One contract (active or not) and its standing today',
        params: contractParams,
        response: { 200: contractView, ...authProblems },
      },
    },
    async (request) => {
      const record = await contractOr404(request.params.id)
      return view(record, overviewOf(record))
    },
  )

  app.post(
    '/api/contracts/:id/notice',
    {
      config: { roles: MANAGE },
      schema: {
        tags: ['contracts'],
        summary: "Record the client's notice of non-renewal (it ends the contract with the period whose deadline it meets)",
        params: contractParams,
        body: z.object({ givenOn: isoDate.describe('the day the client gave notice') }).strict(),
        response: { 200: contractView, ...conflictProblems },
      },
    },
    async (request) => {
      const record = await contractOr404(request.params.id)
      if (!record.active) throw conflict(`Contract ${record.id} is no longer active`)
      const { givenOn } = request.body
      const today = localDate(app.clock(), record.timezone)
      if (givenOn > today)
        throw invalidField(
          'body.givenOn',
          `${givenOn} is after today (${today} on the desk's calendar): record a notice once it is given`,
        )
      const updated = await recordNotice(app.db, record.id, givenOn, actorOf(request, app.clock()))
      if (!updated) throw notFound(`Contract ${record.id}`)
      return view(updated, overviewOf(updated))
    },
  )

  app.post(
    '/api/clients/:id/contracts',
    {
      config: { roles: ADMIN },
      schema: {
        tags: ['contracts'],
        summary: 'Sign a new contract for a client (the terms as in the desk file)',
        params: z.object({ id: idParam }),
        body: contractSchema,
        response: { 201: contractView, ...conflictProblems },
      },
    },
    async (request, reply) => {
      const clientId = request.params.id
      await applyEdit(app, request, (file) => addContract(file, clientId, request.body))
      const id = await contractIdOf(app.db, { clientId, ...request.body })
      if (id === null) throw new Error(`contract ${clientId}/${request.body.desk}/${request.body.start} was not created`)
      const record = await contractOr404(id)
      return reply.code(201).send(view(record, overviewOf(record)))
    },
  )

  app.put(
    '/api/contracts/:id',
    {
      config: { roles: ADMIN },
      schema: {
        tags: ['contracts'],
        summary: "Change a contract's terms (its desk and signature date identify it and stay)",
        params: contractParams,
        body: contractSchema,
        response: { 200: contractView, ...conflictProblems },
      },
    },
    async (request) => {
      const record = await activeContractOr404(request.params.id)
      const key = { clientId: record.clientId, desk: record.deskId, start: record.start }
      await applyEdit(app, request, (file) => replaceContract(file, key, request.body))
      const updated = await contractOr404(record.id)
      return view(updated, overviewOf(updated))
    },
  )

  app.delete(
    '/api/contracts/:id',
    {
      config: { roles: ADMIN },
      schema: {
        tags: ['contracts'],
        summary: 'Deactivate a contract (its calls and usage stay in the history)',
        params: contractParams,
        response: { 204: z.null(), ...conflictProblems },
      },
    },
    async (request, reply) => {
      const record = await activeContractOr404(request.params.id)
      const key = { clientId: record.clientId, desk: record.deskId, start: record.start }
      await applyEdit(app, request, (file) => removeContract(file, key))
      return reply.code(204).send(null)
    },
  )

  /** Terms are edited on active contracts only: a deactivated one is history (404, as in the file). */
  async function activeContractOr404(id: number): Promise<ContractRecord> {
    const record = await contractOr404(id)
    if (!record.active) throw notFound(`Contract ${id}`)
    return record
  }
}
