// Desk options: how calls are routed, voicemail, the out-of-hours on-call line, fallback numbers, voices.
import { z } from 'zod'
import { languageTagSchema } from './language.js'
import { spokenText, text } from './boundary.js'
import { e164Schema } from './phone.js'
import { DEFAULT_QUOTA_GRACE_SECONDS } from './quota.js'
import { DEFAULT_REACHED_SECONDS } from './callback-call.js'

export const deskOptionsSchema = z
  .object({
    /** simultaneous: every agent on duty rings at once; sequential: one after another, in order */
    ring: z.enum(['simultaneous', 'sequential']).default('simultaneous'),
    /** how long an agent's phone rings before Twilio gives up on it */
    ringSeconds: z.number().int().min(5).max(120).default(20),
    /** the agent who picks up hears who calls and presses 1 to take the call */
    whisper: z.boolean().default(true),
    voicemail: z
      .object({
        maxSeconds: z.number().int().min(10).max(600).default(120),
        /** offer a voicemail when the desk is closed (outside hours, holidays, closures) */
        whenClosed: z.boolean().default(true),
      })
      .strict()
      .prefault({}),
    /** model clause: requests are answered within 24 working hours */
    callbackWithinWorkingHours: z.number().positive().max(1000).default(24),
    /** model clause §2b: e-mails are answered within 24 working hours (issue #15) */
    emailWithinWorkingHours: z.number().positive().max(1000).default(24),
    /** an e-mail opening a request is acknowledged with the latest time of the answer (issue #15) */
    emailAcknowledgements: z.boolean().default(true),
    /**
     * A call back through the line (issue #16) closes its request once the client was reached for
     * at least this many seconds; a shorter talk is an attempt, the request stays open.
     */
    callbackReachedSeconds: z.number().int().min(1).max(3600).default(DEFAULT_REACHED_SECONDS),
    /**
     * INTERcom: assistance outside the hours is billed extra. When set, a caller outside hours may
     * press 1 to accept the charge and be put through to this number.
     */
    onCall: z
      .object({ number: e164Schema, name: spokenText().default('astreinte') })
      .strict()
      .nullable()
      .default(null),
    /**
     * Under the `refuse` policy, the seconds an agent may go on past the quota line to close the
     * conversation (the agents' <Dial timeLimit> is the quota left plus these); never billed.
     */
    quotaGraceSeconds: z.number().int().min(0).max(3600).default(DEFAULT_QUOTA_GRACE_SECONDS),
    /** rung when the database cannot be reached (see RELIABILITY) */
    fallbackNumbers: z.array(e164Schema).default([]),
    /** Twilio <Say> voice, e.g. "Polly.Lea"; the default voice when absent (see `voices` for Arabic) */
    voice: text(100).optional(),
    /**
     * <Say> language and voice per language (an exact tag like "ar-DZ", or a family like "ar"), e.g.
     * { "ar": { "language": "ar-AE", "voice": "Polly.Hala-Neural" } }. Arabic defaults to
     * language "arb" with "Polly.Zeina"; other languages to their tag with `voice`.
     */
    voices: z
      .record(languageTagSchema, z.object({ language: text(20).optional(), voice: text(100).optional() }).strict())
      .optional(),
  })
  .strict()

export type DeskOptions = z.output<typeof deskOptionsSchema>

/** Per-desk message templates: language → message key → text with {placeholders}. */
export type Templates = Record<string, Record<string, string>>
