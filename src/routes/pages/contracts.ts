// The contracts page (admins and managers, as in the API) and the client's notice, recorded from it.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { contractOverview, localDate } from '../../domain/contract-overview.js'
import { conflict, invalidField, notFound } from '../../errors.js'
import { contractsPage } from '../../pages/contracts-page.js'
import { HOME } from '../../pages/layout.js'
import { listClientLanguages } from '../../store/clients.js'
import { findContract, listContracts, recordNotice } from '../../store/contracts.js'
import { listActiveDesks } from '../../store/dashboard.js'
import { MANAGE, isoDate, rowId } from '../api/schemas.js'
import { actorOf, pageContext, redirectDone, sendHtml } from './context.js'

/** Deadlines this close are listed at the top: a quarter and a margin, as INTERcom's notice is 3 months. */
const HORIZON_DAYS = 120

export const contractPages: FastifyPluginAsyncZod = async (app) => {
  app.get('/contracts', { config: { roles: MANAGE }, schema: { hide: true } }, async (request, reply) => {
    const now = app.clock()
    const [records, desks] = await Promise.all([listContracts(app.db, {}), listActiveDesks(app.db)])
    // Each contract is read on its own desk's date, as the API does.
    const contracts = records.map((record) => ({ record, overview: contractOverview(record, localDate(now, record.timezone)) }))
    const clientLanguages = await listClientLanguages(app.db, [...new Set(records.map((record) => record.clientId))])
    return sendHtml(
      reply,
      contractsPage(pageContext(app, request), {
        contracts,
        clientLanguages,
        deskNames: new Map(desks.map((desk) => [desk.id, desk.name])),
        horizonDays: HORIZON_DAYS,
      }),
    )
  })

  app.post(
    '/contracts/:id/notice',
    {
      config: { roles: MANAGE },
      schema: { hide: true, params: z.object({ id: rowId }), body: z.object({ givenOn: isoDate }) },
    },
    async (request, reply) => {
      const record = await findContract(app.db, request.params.id)
      if (!record) throw notFound(`Contract ${request.params.id}`)
      if (!record.active) throw conflict(`Contract ${record.id} is no longer active`)
      const today = localDate(app.clock(), record.timezone)
      if (request.body.givenOn > today) throw invalidField('body.givenOn', `${request.body.givenOn} is after today (${today})`)
      await recordNotice(app.db, record.id, request.body.givenOn, actorOf(app, request))
      return redirectDone(reply, `${HOME}/contracts`, {}, 'notice-recorded')
    },
  )
}
