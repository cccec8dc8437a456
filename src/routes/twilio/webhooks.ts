// Twilio's voice webhooks: each handler loads what it needs, asks the domain, records what
// happened in one transaction, and answers TwiML.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { addWorkingTime } from '../../domain/calendar/index.js'
import {
  type DeskFacts,
  type Say,
  decide,
  dialStep,
  routeAfterAcceptance,
  speaker,
  voicemailStep,
  whisperText,
} from '../../domain/call.js'
import { message } from '../../domain/messages.js'
import { normaliseCaller } from '../../domain/phone.js'
import { twilioSignatureCheck } from '../../plugins/twilio-signature.js'
import { loadCallFacts } from '../../store/call-facts.js'
import { type CallbackRequest, requestCallback } from '../../store/callbacks.js'
import { type CallRow, appendEvent, findCall, mergeCallFacts, recordIncomingCall } from '../../store/calls.js'
import { contractsOf, findClient } from '../../store/clients.js'
import { agentsOnDuty, findDesk } from '../../store/desks.js'
import { countTalk } from '../../store/usage.js'
import {
  FINAL_CALL_STATUSES,
  dialParams,
  dialQuery,
  gatherParams,
  recordingParams,
  statusParams,
  voiceParams,
  whisperParams,
} from './params.js'
import { dialTwiml, emptyTwiml, renderPlan, sayThenHangup, voicemail, whisperTwiml } from './twiml.js'

const ANSWERED = new Set(['completed', 'answered'])

function twiml(reply: FastifyReply, xml: string) {
  return reply.type('text/xml; charset=utf-8').send(xml)
}

/** A safe answer for any failure on a signed webhook: the caller hears an apology, never an error. */
export function technicalDifficulty(_request: FastifyRequest, reply: FastifyReply) {
  return twiml(reply, sayThenHangup([{ text: message('technical_difficulty', 'fr-FR'), language: 'fr-FR' }]))
}

export const twilioWebhooks: FastifyPluginAsyncZod = async (app) => {
  app.addHook('preValidation', twilioSignatureCheck(app.config.twilioAuthToken, app.config.publicUrl))

  app.post('/webhooks/twilio/voice', { schema: { hide: true, body: voiceParams } }, async (request, reply) => {
    const params = request.body
    const now = app.clock()
    const facts = await loadCallFacts(app.db, {
      to: params.To,
      from: normaliseCaller(params.From),
      rawFrom: params.From,
      now,
    })
    const decision = decide(facts, now)
    await app.db.transaction(async (tx) => {
      const first = await recordIncomingCall(tx, { callSid: params.CallSid, from: params.From, to: params.To, decision, startedAt: now })
      await appendEvent(tx, { callSid: params.CallSid, kind: 'voice', at: now, params: strings(params) })
      if (first && decision.plan.kind === 'voicemail' && facts.desk) {
        await requestCallback(tx, callbackFor(facts.desk, params.CallSid, params.From, decision.clientId, 'no_agent', now))
      }
    })
    return twiml(reply, renderPlan(decision.plan))
  })

  app.post(
    '/webhooks/twilio/dial',
    { schema: { hide: true, body: dialParams, querystring: dialQuery } },
    async (request, reply) => {
      const params = request.body
      const { leg, attempt } = request.query
      const now = app.clock()
      const context = await callContext(app, params.CallSid)
      const talkSeconds = params.DialCallDuration ?? 0
      const answered = ANSWERED.has(params.DialCallStatus) && talkSeconds > 0

      await app.db.transaction(async (tx) => {
        await appendEvent(tx, { callSid: params.CallSid, kind: `dial:${leg}`, at: now, params: strings(params) })
        const call = context?.call
        const contract = context?.contract
        if (answered && call?.contractId && call.usageMonth && contract) {
          await countTalk(tx, {
            callSid: params.CallSid,
            // Twilio gives every dial leg its own SID; without one, the attempt number keys the leg.
            dialCallSid: params.DialCallSid ?? `${leg}-${attempt}`,
            contractId: call.contractId,
            month: call.usageMonth,
            talkSeconds,
            onCall: leg === 'on-call',
            quotaSeconds: contract.quotaSeconds,
            billingIncrementSeconds: contract.billingIncrementSeconds,
            now,
          })
        }
        await mergeCallFacts(tx, params.CallSid, {
          dialStatus: params.DialCallStatus,
          dialCallSid: params.DialCallSid,
          dialAttempts: attempt,
          ...(answered ? { talkSeconds } : {}),
        })
      })

      if (!context?.desk) return twiml(reply, sayThenHangup([]))
      const { desk, call } = context
      const speak = speaker(desk, context.language)
      if (answered) return twiml(reply, sayThenHangup([]))

      // Sequential ringing: the next agent on duty, in order.
      if (leg === 'agents' && desk.options.ring === 'sequential') {
        const agents = await agentsOnDuty(app.db, desk.id)
        if (attempt < agents.length) {
          return twiml(reply, dialTwiml([], dialStep(desk, agents, call.fromNumber, attempt + 1)))
        }
      }
      // Nobody answered: the desk owes a call back, and the caller may leave a message.
      await requestCallback(app.db, callbackFor(desk, call.callSid, call.fromNumber, call.clientId, 'no_answer', now))
      return twiml(reply, voicemail([speak('no_answer')], voicemailStep(desk, speak)))
    },
  )

  app.post('/webhooks/twilio/whisper', { schema: { hide: true, body: whisperParams } }, async (request, reply) => {
    const params = request.body
    const context = await callContext(app, params.ParentCallSid)
    await appendEvent(app.db, { callSid: params.ParentCallSid, kind: 'whisper', at: app.clock(), params: strings(params) })
    if (!context?.desk || !context.client) return twiml(reply, emptyTwiml())
    // The agent hears the desk's language, not the caller's.
    const language = context.desk.language
    const speak = speaker(context.desk, language)
    const line: Say = {
      text: whisperText({
        clientName: context.client.name,
        quotaSeconds: context.contract?.quotaSeconds ?? 0,
        usedSeconds: context.contract?.usedSeconds ?? 0,
        language,
        templates: context.desk.templates,
      }),
      language,
      voice: context.desk.options.voice,
    }
    return twiml(reply, whisperTwiml(line, speak('whisper_declined')))
  })

  app.post('/webhooks/twilio/whisper/accept', { schema: { hide: true, body: whisperParams } }, async (request, reply) => {
    const params = request.body
    const now = app.clock()
    const accepted = params.Digits === '1'
    await app.db.transaction(async (tx) => {
      await appendEvent(tx, { callSid: params.ParentCallSid, kind: accepted ? 'whisper:accepted' : 'whisper:declined', at: now, params: strings(params) })
      if (!accepted) return
      const call = await findCall(tx, params.ParentCallSid)
      const agents = call?.deskId ? await agentsOnDuty(tx, call.deskId) : []
      const agent = agents.find((a) => a.number === normaliseCaller(params.To))
      await mergeCallFacts(tx, params.ParentCallSid, { agentId: agent?.id ?? null })
    })
    // An empty response bridges the agent; hanging up leaves the caller to the other agents.
    return twiml(reply, accepted ? emptyTwiml() : sayThenHangup([]))
  })

  app.post('/webhooks/twilio/overage', { schema: { hide: true, body: gatherParams } }, async (request, reply) => {
    const params = request.body
    const now = app.clock()
    const accepted = params.Digits === '1'
    const call = await findCall(app.db, params.CallSid)
    const facts = call ? await loadCallFacts(app.db, { to: call.toNumber, from: normaliseCaller(call.fromNumber), rawFrom: call.fromNumber, now }) : null
    const plan = accepted && facts ? routeAfterAcceptance(facts) : null
    await app.db.transaction(async (tx) => {
      await appendEvent(tx, { callSid: params.CallSid, kind: accepted ? 'overage:accepted' : 'overage:declined', at: now, params: strings(params) })
      await mergeCallFacts(tx, params.CallSid, accepted ? { overageAccepted: true } : { outcome: 'quota_refused' })
      if (plan?.kind === 'voicemail' && call && facts?.desk) {
        await requestCallback(tx, callbackFor(facts.desk, call.callSid, call.fromNumber, call.clientId, 'no_agent', now))
      }
    })
    if (plan) return twiml(reply, renderPlan(plan))
    const desk = facts?.desk
    const language = facts?.caller?.client.language ?? desk?.language ?? 'fr-FR'
    const line = desk ? speaker(desk, language)('declined') : { text: message('declined', language), language }
    return twiml(reply, sayThenHangup([line]))
  })

  app.post('/webhooks/twilio/on-call', { schema: { hide: true, body: gatherParams } }, async (request, reply) => {
    const params = request.body
    const now = app.clock()
    const context = await callContext(app, params.CallSid)
    const onCall = context?.desk?.options.onCall
    const accepted = params.Digits === '1' && Boolean(onCall)
    await app.db.transaction(async (tx) => {
      await appendEvent(tx, { callSid: params.CallSid, kind: accepted ? 'on-call:accepted' : 'on-call:declined', at: now, params: strings(params) })
      if (accepted) await mergeCallFacts(tx, params.CallSid, { onCall: true, overageAccepted: true })
    })
    if (!context?.desk) return twiml(reply, sayThenHangup([]))
    const speak = speaker(context.desk, context.language)
    if (accepted && onCall) {
      const step = { targets: [{ id: 'on-call', name: onCall.name, number: onCall.number }], ringSeconds: context.desk.options.ringSeconds, whisper: context.desk.options.whisper, callerId: context.call.fromNumber, attempt: 1 }
      return twiml(reply, dialTwiml([speak('on_call_connecting')], step, 'on-call'))
    }
    if (context.desk.options.voicemail.whenClosed) return twiml(reply, voicemail([], voicemailStep(context.desk, speak)))
    return twiml(reply, sayThenHangup([speak('goodbye')]))
  })

  app.post('/webhooks/twilio/recording', { schema: { hide: true, body: recordingParams } }, async (request, reply) => {
    const params = request.body
    const now = app.clock()
    const context = await callContext(app, params.CallSid)
    await app.db.transaction(async (tx) => {
      await appendEvent(tx, { callSid: params.CallSid, kind: 'recording', at: now, params: strings(params) })
      if (!context?.desk || !params.RecordingUrl) return
      const { call, desk } = context
      await mergeCallFacts(tx, call.callSid, { recordingUrl: params.RecordingUrl })
      const reason = call.decision === 'closed' ? (call.outcome === 'closed_holiday' ? 'closed_holiday' : 'closed_hours')
        : call.decision === 'voicemail' ? 'no_agent' : 'no_answer'
      await requestCallback(tx, {
        ...callbackFor(desk, call.callSid, call.fromNumber, call.clientId, reason, now),
        recordingUrl: params.RecordingUrl,
        recordingSeconds: params.RecordingDuration,
      })
    })
    const line = context?.desk ? speaker(context.desk, context.language)('voicemail_thanks') : null
    return twiml(reply, sayThenHangup(line ? [line] : []))
  })

  app.post('/webhooks/twilio/status', { schema: { hide: true, body: statusParams } }, async (request, reply) => {
    const params = request.body
    const now = app.clock()
    await app.db.transaction(async (tx) => {
      await appendEvent(tx, { callSid: params.CallSid, kind: `status:${params.CallStatus}`, at: now, params: strings(params) })
      if (!FINAL_CALL_STATUSES.has(params.CallStatus)) return
      const merged = await mergeCallFacts(tx, params.CallSid, {
        callStatus: params.CallStatus,
        durationSeconds: params.CallDuration ?? null,
        endedAt: now,
      })
      if (!merged) request.log.warn({ callSid: params.CallSid }, 'status callback for a call never recorded')
    })
    return twiml(reply, emptyTwiml())
  })
}

interface CallContext {
  call: CallRow
  desk: DeskFacts | null
  client: { name: string } | null
  contract: { quotaSeconds: number; usedSeconds: number; billingIncrementSeconds: number } | null
  language: string
}

/** A recorded call with its desk, client and contract, for the callbacks that follow the voice webhook. */
async function callContext(app: FastifyInstance, callSid: string): Promise<CallContext | null> {
  const call = await findCall(app.db, callSid)
  if (!call) return null
  const desk = call.deskId ? await findDesk(app.db, call.deskId) : null
  const contracts = call.clientId && desk && call.usageMonth ? await contractsOf(app.db, call.clientId, desk.id, call.usageMonth) : []
  const contract = contracts.find((c) => c.id === call.contractId) ?? null
  const client = call.clientId ? await findClient(app.db, call.clientId) : null
  return {
    call,
    desk,
    client: client ? { name: client.name } : null,
    contract: contract ? { quotaSeconds: contract.quotaSeconds, usedSeconds: contract.usedSeconds, billingIncrementSeconds: contract.billingIncrementSeconds } : null,
    language: client?.language ?? desk?.language ?? 'fr-FR',
  }
}

function callbackFor(
  desk: DeskFacts,
  callSid: string,
  fromNumber: string,
  clientId: string | null,
  reason: CallbackRequest['reason'],
  now: Date,
): CallbackRequest {
  // Model clause: requests are answered within 24 working hours, counted in the desk's calendar.
  const dueAt = addWorkingTime(desk.calendar, now, desk.options.callbackWithinWorkingHours * 3_600_000)
  return { callSid, deskId: desk.id, clientId, fromNumber, reason, createdAt: now, dueAt }
}

/** The parameters as Twilio sent them, for the call's event log. */
function strings(params: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(params).map(([key, value]) => [key, String(value)]))
}
