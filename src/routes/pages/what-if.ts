// The "Simuler" page (admin, manager): a proposed desk file and a period, replayed as POST
// /api/what-if replays them (the same validation, the same read-only snapshot, the same replay).
import { DateTime } from 'luxon'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { dateSchema } from '../../domain/boundary.js'
import { localDate } from '../../domain/contract-overview.js'
import { parseDeskFile } from '../../domain/desk-file.js'
import { periodProblem } from '../../domain/what-if.js'
import type { FieldProblem } from '../../errors.js'
import { type WhatIfView, whatIfPage } from '../../pages/what-if-page.js'
import { exportDeskFile } from '../../store/admin-config.js'
import { listActiveDesks } from '../../store/dashboard.js'
import { replayRecordedCalls } from '../../store/what-if.js'
import { DESK_FILE_LIMIT } from '../api/what-if.js'
import { MANAGE } from '../api/schemas.js'
import { loadDirectory, pageContext, sendHtml } from './context.js'

/** A form sends the file URL-encoded: up to three bytes for one, plus the dates and the token. */
const WHAT_IF_FORM_LIMIT = 3 * DESK_FILE_LIMIT + 4096

export const whatIfPages: FastifyPluginAsyncZod = async (app) => {
  const zones = async () => {
    const directory = await loadDirectory(app, await listActiveDesks(app.db), null)
    return { zones: directory.zones, defaultZone: directory.defaultZone, clients: directory.clients }
  }

  app.get('/what-if', { config: { roles: MANAGE }, schema: { hide: true } }, async (request, reply) => {
    const [file, place] = await Promise.all([exportDeskFile(app.db), zones()])
    const today = localDate(app.clock(), place.defaultZone)
    // By default the last whole month and this one so far.
    const from = DateTime.fromISO(today).minus({ months: 1 }).startOf('month').toISODate() as string
    const view: WhatIfView = {
      form: { deskFile: JSON.stringify(file, null, 2), from, to: today },
      today,
      problems: [],
      result: null,
      ...place,
    }
    return sendHtml(reply, whatIfPage(pageContext(app, request), view))
  })

  app.post(
    '/what-if',
    {
      config: { roles: MANAGE },
      bodyLimit: WHAT_IF_FORM_LIMIT,
      schema: {
        hide: true,
        body: z.object({ _csrf: z.string().optional(), deskFile: z.string(), from: z.string(), to: z.string() }),
      },
    },
    async (request, reply) => {
      const { deskFile, from, to } = request.body
      const place = await zones()
      const today = localDate(app.clock(), place.defaultZone)
      const render = (problems: FieldProblem[], result: WhatIfView['result']) =>
        sendHtml(
          reply,
          whatIfPage(pageContext(app, request), { form: { deskFile, from, to }, today, problems, result, ...place }),
          problems.length ? 400 : 200,
        )
      // The API's checks, its field names: the file's JSON paths, then the period.
      const problems: FieldProblem[] = []
      let json: unknown
      try {
        json = JSON.parse(deskFile)
      } catch (error) {
        problems.push({ field: 'deskFile', message: `is not valid JSON: ${(error as Error).message}` })
      }
      const parsed = problems.length ? null : parseDeskFile(json)
      if (parsed && !parsed.ok)
        problems.push(
          ...parsed.errors.map((e) => ({ field: e.path === '(root)' ? 'deskFile' : `deskFile.${e.path}`, message: e.message })),
        )
      for (const [field, value] of [
        ['from', from],
        ['to', to],
      ] as const) {
        const checked = dateSchema.safeParse(value)
        if (!checked.success) problems.push({ field, message: checked.error.issues[0]?.message ?? 'is not a date' })
      }
      if (!problems.some((p) => p.field === 'from' || p.field === 'to')) {
        const problem = periodProblem({ from, to }, app.clock())
        if (problem) problems.push(problem)
      }
      if (problems.length || !parsed?.ok) return render(problems, null)
      return render([], await replayRecordedCalls(app.db, parsed.file, { from, to }))
    },
  )
}
