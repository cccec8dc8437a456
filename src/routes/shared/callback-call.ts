// Calling a client back through the line (issue #16), as the API and the dashboard's "Rappeler"
// both do it: the checks in the order the API documents, the attempt (a double click is the same
// one), then Twilio's REST API; a refusal leaves the request as it was.
import type { FastifyInstance } from 'fastify'
import { describeNextOpening, deskStatus } from '../../domain/calendar/index.js'
import type { Principal } from '../../domain/access.js'
import { callbackAgent, callbackContract, callbackDial, callbackNumber } from '../../domain/callback-call.js'
import { AppError, conflict, invalidField, notFound } from '../../errors.js'
import { TwilioRestError, createTwilioRest } from '../../outside/twilio-rest.js'
import {
  type CallbackAttempt,
  attemptPlaced,
  calledClient,
  callbackCallFacts,
  dropAttempt,
  openAttempt,
} from '../../store/callback-calls.js'

/**
 * A second click within this long, while the first call is still `initiated` (not ended), is the
 * same call: its attempt again, no second call.
 */
export const DOUBLE_CLICK_WINDOW_MS = 120_000

export interface CallBackAsked {
  agentId?: string | undefined
  number?: string | undefined
}

/** The app's way to call back: one REST client for the plugin that asks for it (none without TWILIO_ACCOUNT_SID). */
export function callbackCaller(app: FastifyInstance) {
  const rest = app.config.twilioRest
    ? createTwilioRest({
        accountSid: app.config.twilioRest.accountSid,
        authToken: app.config.twilioAuthToken,
        timeoutMs: app.config.notificationTimeoutMs,
        ...(app.config.twilioRest.apiUrl ? { apiUrl: app.config.twilioRest.apiUrl } : {}),
      })
    : null

  return async (
    principal: Principal | null,
    id: number,
    body: CallBackAsked,
  ): Promise<{ attempt: CallbackAttempt; fresh: boolean }> => {
    if (!rest)
      throw new AppError(
        503,
        'twilio_not_configured',
        "Calling back needs Twilio's REST API: set TWILIO_ACCOUNT_SID (with TWILIO_AUTH_TOKEN; TWILIO_API_URL=http://127.0.0.1:3999 for `npm run twilio-emulator`)",
      )
    const now = app.clock()
    const facts = await callbackCallFacts(app.db, id)
    if (!facts) throw notFound(`Callback ${id}`)
    if (facts.callback.status === 'done') throw conflict(`Callback ${id} is already done`)
    if (!principal) throw new AppError(401, 'unauthorized', 'nobody is signed in')
    const agent = callbackAgent({
      principal,
      asked: body.agentId,
      assignedTo: facts.callback.assignedTo,
      deskAgents: facts.agents.map((each) => each.id),
    })
    if (!agent.ok) throw invalidField(agent.problem.field, agent.problem.message)
    const number = callbackNumber({ requestNumber: facts.callback.fromNumber, asked: body.number, registered: facts.registered })
    if (!number.ok) throw invalidField(number.problem.field, number.problem.message)
    const { desk } = facts
    const status = deskStatus(desk.calendar, now)
    if (!status.open) {
      const opens = status.nextOpening
        ? `calling back is possible from ${status.nextOpening.toISOString()} (${describeNextOpening(now, status.nextOpening, desk.timezone, 'en')})`
        : "no opening is known in the desk's calendar"
      throw new AppError(409, 'desk_closed', `The desk ${desk.name} is closed now (${status.reason}): ${opens}`)
    }
    const contract = callbackContract(await calledClient(app.db, desk, number.number, now), desk, now)
    const dial = callbackDial(contract, desk.options.quotaGraceSeconds)
    if (!dial.ok)
      throw new AppError(
        409,
        'quota_refused',
        "The client's included time this month is used up, and the contract refuses more: no call back",
      )

    const opening = await openAttempt(app.db, {
      callbackId: id,
      agentId: agent.agentId,
      number: number.number,
      fromNumber: facts.deskNumber,
      actor: principal.name,
      now,
      windowMs: DOUBLE_CLICK_WINDOW_MS,
    })
    if (!opening.ok && opening.reason === 'not_found') throw notFound(`Callback ${id}`)
    if (!opening.ok) throw conflict(`Callback ${id} is already done`)
    if (!opening.fresh) return { attempt: opening.attempt, fresh: false }
    const { attempt } = opening
    const agentNumber = facts.agents.find((each) => each.id === agent.agentId)?.number ?? ''
    const base = app.config.publicUrl
    let placed: { sid: string }
    try {
      placed = await rest.createCall({
        from: facts.deskNumber,
        to: agentNumber,
        url: `${base}/webhooks/twilio/callback-call?attempt=${attempt.id}`,
        statusCallback: `${base}/webhooks/twilio/status?attempt=${attempt.id}`,
        timeout: desk.options.ringSeconds,
        idempotencyKey: `callback-attempt-${attempt.id}`,
      })
    } catch (error) {
      await dropAttempt(app.db, attempt.id)
      throw twilioProblem(error)
    }
    const recorded = await attemptPlaced(app.db, {
      attempt,
      callSid: placed.sid,
      deskId: desk.id,
      clientId: facts.callback.clientId,
      contractId: contract?.contractId ?? null,
      usageMonth: contract?.month ?? null,
      now,
    })
    return { attempt: recorded, fresh: true }
  }
}

/** What Twilio's refusal means to whoever clicked: 400 for a call Twilio will never place, 502 otherwise. */
function twilioProblem(error: unknown): unknown {
  if (!(error instanceof TwilioRestError)) return error
  const code = error.code ? ` (${error.code})` : ''
  if (error.status === 400)
    return new AppError(400, 'twilio_refused', `Twilio refused the call${code}: ${error.message}. The request is unchanged.`)
  return new AppError(
    502,
    'twilio_failed',
    `Twilio could not place the call${code}: ${error.message}. The request is unchanged; try again.`,
  )
}
