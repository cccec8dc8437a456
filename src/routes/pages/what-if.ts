// The "Simuler" page (admin, manager): a proposed desk file and a period, replayed as POST
// /api/what-if replays them (the same validation, the same read-only snapshot, the same replay);
// and the forms of the Contracts and Calendar pages, which propose one change to the file in force.
import { DateTime } from 'luxon'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { dateSchema } from '../../domain/boundary.js'
import { localDate } from '../../domain/contract-overview.js'
import { WEEKDAYS } from '../../domain/calendar/index.js'
import type { EditResult } from '../../domain/config-edit.js'
import { type DeskFile, parseDeskFile } from '../../domain/desk-file.js'
import {
  type ProposedTerms,
  effectiveProblem,
  periodStart,
  withProposedCalendar,
  withRevisedContract,
} from '../../domain/what-if-proposals.js'
import { periodProblem } from '../../domain/what-if.js'
import { type FieldProblem, notFound } from '../../errors.js'
import { formatDuration } from '../../pages/format.js'
import { type WhatIfView, whatIfPage } from '../../pages/what-if-page.js'
import { exportDeskFile } from '../../store/admin-config.js'
import { findContract } from '../../store/contracts.js'
import { listActiveDesks } from '../../store/dashboard.js'
import { replayRecordedCalls } from '../../store/what-if.js'
import { DESK_FILE_LIMIT, progressLog } from '../api/what-if.js'
import { MANAGE, rowId } from '../api/schemas.js'
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
      proposal: null,
      ...place,
    }
    return sendHtml(reply, whatIfPage(pageContext(app, request), view))
  })

  /**
   * Checks a proposed file (as text, as the form sends it) and a period as POST /api/what-if
   * does, replays it, and shows the answer under the form, the file filled in to refine.
   */
  const replayPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    form: { deskFile: string; from: string; to: string },
    proposal: string | null = null,
    earlier: FieldProblem[] = [],
  ) => {
    const { deskFile, from, to } = form
    const place = await zones()
    const today = localDate(app.clock(), place.defaultZone)
    const render = (problems: FieldProblem[], result: WhatIfView['result']) =>
      sendHtml(
        reply,
        whatIfPage(pageContext(app, request), { form, today, problems, result, proposal, ...place }),
        problems.length ? 400 : 200,
      )
    // The API's checks, its field names: the file's JSON paths, then the period.
    const problems: FieldProblem[] = [...earlier]
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
    return render([], await replayRecordedCalls(app.db, parsed.file, { from, to }, { onProgress: progressLog(request.log) }))
  }

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
      return replayPage(request, reply, { deskFile, from, to })
    },
  )

  /**
   * The file in force with one proposed edit, replayed; the edit's own problems listed under its
   * field, the form's (`earlier`: an effective date that is not one) under theirs, the edit then not made.
   */
  const replayEdit = async (
    request: FastifyRequest,
    reply: FastifyReply,
    period: { from: string; to: string },
    field: string,
    edit: (file: DeskFile) => EditResult,
    proposal: string,
    earlier: FieldProblem[] = [],
  ) => {
    const current = await exportDeskFile(app.db)
    const edited: EditResult = earlier.length ? { ok: true, file: current } : edit(current)
    const file = edited.ok ? edited.file : current
    const problems = edited.ok ? earlier : [{ field, message: edited.problem.message }]
    return replayPage(request, reply, { deskFile: JSON.stringify(file, null, 2), ...period }, proposal, problems)
  }

  /**
   * A proposal's effective date ("à partir du"): given, a date inside the period or before it;
   * blank, the first day of the period's first month, so the change covers every call replayed.
   */
  const effectiveDate = (
    ctx: ReturnType<typeof pageContext>,
    given: string | undefined,
    period: { from: string; to: string },
  ): { since: string; said: string; problems: FieldProblem[] } => {
    if (!given)
      return { since: dateSchema.safeParse(period.from).success ? periodStart(period) : period.from, said: '', problems: [] }
    const checked = dateSchema.safeParse(given)
    if (!checked.success)
      return {
        since: given,
        said: '',
        problems: [{ field: 'effective', message: checked.error.issues[0]?.message ?? 'is not a date' }],
      }
    const problem = dateSchema.safeParse(period.to).success ? effectiveProblem(given, period) : null
    return {
      since: given,
      said: ctx.t.whatIf.effectiveSaid(given),
      problems: problem ? [{ field: 'effective', message: problem }] : [],
    }
  }

  // Contracts page: a contract's revised terms, as if in force over the whole period replayed.
  app.post(
    '/what-if/contract',
    {
      config: { roles: MANAGE },
      schema: {
        hide: true,
        body: z.object({
          _csrf: z.string().optional(),
          contract: rowId,
          quota: optionalNumber,
          overage: z.enum(['bill', 'ask', 'refuse', '']).optional(),
          increment: optionalNumber,
          effective: z.string().optional(),
          from: z.string(),
          to: z.string(),
        }),
      },
    },
    async (request, reply) => {
      const { contract: id, quota, overage, increment, effective, from, to } = request.body
      const record = await findContract(app.db, id)
      if (!record) throw notFound(`Contract ${id}`)
      const terms = {
        monthlyQuotaMinutes: quota,
        overage: overage || undefined,
        billingIncrementSeconds: increment,
      }
      const key = { clientId: record.clientId, desk: record.deskId, start: record.start }
      const ctx = pageContext(app, request)
      // From the date given; by default the first day of from's month, where the replay starts.
      const since = effectiveDate(ctx, effective, { from, to })
      const said = describeTerms(ctx, terms)
      return replayEdit(
        request,
        reply,
        { from, to },
        'revision',
        (file) =>
          said === ''
            ? { ok: false, problem: { kind: 'invalid', message: 'give at least one term to revise', errors: [] } }
            : withRevisedContract(file, key, terms, since.since),
        `${record.clientName} (${record.deskId}) — ${said}${since.said}`,
        since.problems,
      )
    },
  )

  // Calendar page: a desk's hours on one weekday, and a closure, as if in force over the period.
  app.post(
    '/what-if/calendar',
    {
      config: { roles: MANAGE },
      schema: {
        hide: true,
        body: z.object({
          _csrf: z.string().optional(),
          desk: z.string(),
          weekday: z.enum([...WEEKDAYS, '']).optional(),
          hours: z.string().optional(),
          closureStart: z.string().optional(),
          closureEnd: z.string().optional(),
          closureName: z.string().optional(),
          effective: z.string().optional(),
          from: z.string(),
          to: z.string(),
        }),
      },
    },
    async (request, reply) => {
      const { desk, weekday, hours, closureStart, closureEnd, closureName, effective, from, to } = request.body
      const ctx = pageContext(app, request)
      const ranges = (hours ?? '').split(/[\s,;]+/).filter(Boolean)
      const proposal = {
        ...(weekday ? { hours: { weekday, ranges } } : {}),
        ...(closureStart
          ? {
              closure: {
                start: closureStart,
                ...(closureEnd ? { end: closureEnd } : {}),
                name: closureName || ctx.t.calendar.simulatedClosure,
              },
            }
          : {}),
      }
      // The hours from the date given (a change of the weekly hours); a closure has its own dates.
      const since = effectiveDate(ctx, effective, { from, to })
      const said = [
        weekday ? ctx.t.calendar.simulateHoursSaid(ctx.t.calendar.weekdays[weekday], ranges.join(', ')) + since.said : '',
        closureStart ? ctx.t.calendar.simulateClosureSaid(closureStart, closureEnd || closureStart) : '',
      ]
        .filter(Boolean)
        .join(' ; ')
      return replayEdit(
        request,
        reply,
        { from, to },
        'calendar',
        (file) =>
          said === ''
            ? { ok: false, problem: { kind: 'invalid', message: 'give hours for a weekday or a closure', errors: [] } }
            : withProposedCalendar(file, desk, proposal, since.since),
        `${desk} — ${said}`,
        since.problems,
      )
    },
  )
}

/** A form's number field: empty is absent. */
const optionalNumber = z.preprocess((value) => (value === '' ? undefined : value), z.coerce.number().int().min(0).optional())

/** Revised terms as the page says them ("" when none is given). */
function describeTerms(ctx: ReturnType<typeof pageContext>, terms: ProposedTerms): string {
  const t = ctx.t.contracts
  return [
    terms.monthlyQuotaMinutes === undefined ? null : t.revisionTerms.quota(formatDuration(terms.monthlyQuotaMinutes * 60)),
    terms.overage === undefined ? null : t.revisionTerms.overage(t.overagePolicy[terms.overage]),
    terms.billingIncrementSeconds === undefined ? null : t.revisionTerms.increment(terms.billingIncrementSeconds),
  ]
    .filter(Boolean)
    .join(', ')
}
