// POST /api/what-if: the period's recorded calls decided again under a proposed desk file, before
// it takes effect. Reads only (one read-only snapshot); the replay itself is pure (domain/what-if).
import type { FastifyBaseLogger } from 'fastify'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { deskFileSchema } from '../../domain/desk-file.js'
import { OUTCOMES } from '../../domain/outcome.js'
import type { ReplayProgress } from '../../domain/what-if-progress.js'
import { periodProblem } from '../../domain/what-if.js'
import { invalidField } from '../../errors.js'
import { replayRecordedCalls } from '../../store/what-if.js'
import { MANAGE, authProblems, isoDate } from './schemas.js'

/** A replay that has run this long logs its progress, a line a month from then on; a shorter one logs none. */
export const PROGRESS_LOG_AFTER_MS = 3000

/**
 * The replay's progress for the request log (info): each month replayed, with the calls so far
 * and the time taken, once the replay has run PROGRESS_LOG_AFTER_MS (`now`: a monotonic clock, ms).
 */
export function progressLog(
  log: Pick<FastifyBaseLogger, 'info'>,
  now: () => number = () => performance.now(),
  afterMs = PROGRESS_LOG_AFTER_MS,
): (progress: ReplayProgress) => void {
  const started = now()
  return (progress) => {
    const elapsedMs = Math.round(now() - started)
    if (elapsedMs >= afterMs) log.info({ whatIf: { ...progress, elapsedMs } }, `what-if: ${progress.month} replayed`)
  }
}

/** The same room as PUT /api/config: the proposed file is a whole desk file. */
export const DESK_FILE_LIMIT = 8 * 1024 * 1024

const path = z.enum(['routed', 'asked_overage', 'unknown_desk', ...OUTCOMES])
const split = z.object({
  includedSeconds: z.number(),
  billableSeconds: z.number().describe('beyond the quota'),
  graceSeconds: z.number().describe('beyond the quota, never billed (refuse, or ask without the caller’s yes)'),
  onCallSeconds: z.number().describe('answered by the on-call line outside hours, billed apart'),
})

const whatIfAnswer = z.object({
  period: z.object({ from: z.string(), to: z.string() }),
  calls: z.number().describe('calls of the period decided again'),
  undecided: z.number().describe('calls whose decision never reached the database: nothing to compare'),
  changed: z.array(
    z.object({
      callSid: z.string(),
      startedAt: z.string(),
      clientId: z.string().nullable(),
      desk: z.string().nullable(),
      outcome: z.enum(OUTCOMES).nullable().describe('as recorded'),
      wouldBe: path.describe(
        "routed: to the agents (or their voicemail); asked_overage: the caller asked to accept billing; unknown_desk: the number dialled is no desk's in the proposed file",
      ),
      talk: z.object({
        seconds: z.number().nullable().describe('null: the past cannot know it'),
        note: z.string().describe('e.g. "would have been routed, talk unknown", "would not have been served: 12 min"'),
      }),
    }),
  ),
  usage: z.array(z.object({ clientId: z.string(), desk: z.string(), month: z.string(), recorded: split, wouldBe: split })),
  callbacks: z.array(
    z.object({
      callbackId: z.number(),
      callSid: z.string(),
      createdAt: z.string(),
      dueAt: z.string().nullable(),
      wouldBeDueAt: z.string().nullable(),
    }),
  ),
  emailRequests: z
    .array(
      z.object({
        requestId: z.number(),
        desk: z.string(),
        createdAt: z.string(),
        dueAt: z.string().nullable(),
        wouldBeDueAt: z.string().nullable().describe('null: the desk is not in the proposed file'),
      }),
    )
    .describe("the e-mail requests of the period whose due time (the desk's emailWithinWorkingHours) would move"),
  mostAffected: z
    .array(
      z.object({
        clientId: z.string(),
        changedCalls: z.number(),
        newlyClosed: z.number().describe('calls that would meet a closed desk and did not'),
        secondsMovedBeyondQuota: z.number().describe('billable seconds as it would be minus as recorded'),
        minutesMovedBeyondQuota: z.number(),
      }),
    )
    .describe('clients affected, by calls newly closed plus minutes moved across the quota line, most first'),
  summary: z.object({
    closedByClient: z.array(z.object({ clientId: z.string(), calls: z.number(), newlyClosed: z.number() })),
    secondsMovedBeyondQuota: z.number(),
    minutesMovedBeyondQuota: z.number(),
    unknownDeskCalls: z.number().describe("calls to a number that reached a desk and is no desk's in the proposed file"),
    callsByClient: z
      .array(z.object({ clientId: z.string(), calls: z.number() }))
      .describe('calls replayed by client (registered callers), by id'),
  }),
})

export const whatIfRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/api/what-if',
    {
      config: { roles: MANAGE },
      bodyLimit: DESK_FILE_LIMIT,
      schema: {
        tags: ['configuration'],
        summary: "Replay the period's recorded calls under a proposed desk file: what would change (nothing is written)",
        body: z
          .object({
            deskFile: deskFileSchema.describe('a whole desk file, validated as PUT /api/config validates it'),
            from: isoDate.describe('first local date replayed'),
            to: isoDate.describe(
              'last local date replayed: at most 24 months from `from` (the day before the same day of the month 24 months later) and not in the future',
            ),
          })
          .strict(),
        response: { 200: whatIfAnswer, ...authProblems },
      },
    },
    async (request) => {
      const { deskFile, from, to } = request.body
      const problem = periodProblem({ from, to }, app.clock())
      if (problem) throw invalidField(`body.${problem.field}`, problem.message)
      return replayRecordedCalls(app.db, deskFile, { from, to }, { onProgress: progressLog(request.log) })
    },
  )
}
