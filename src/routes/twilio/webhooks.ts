// Twilio's voice webhooks: each handler reads what it needs (from the configuration in memory and,
// live, from the database within a deadline), asks the domain, hands what must be written to the
// writer (the database, or the journal when it is away), and answers TwiML. A caller never waits
// on the database longer than the deadlines here, whatever it does.
import { randomUUID } from 'node:crypto'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import type { z } from 'zod'
import { isUnavailable, withDeadline } from '../../deadline.js'
import {
  type CountInto,
  type DeskFacts,
  type DialStep,
  type Say,
  type CallFacts,
  afterQuotaCut,
  chosenLanguage,
  decide,
  dialStep,
  fallbackPlan,
  languageMenu,
  languageOf,
  overageQuestion,
  redialAfterConsent,
  routeAfterAcceptance,
  speaker,
  voicemailStep,
  whisperLines,
} from '../../domain/call.js'
import { localDate } from '../../domain/contract-overview.js'
import { callerLanguage, DEFAULT_LANGUAGE, deskLanguages, knownLanguage, sayVoiceFor } from '../../domain/language.js'
import { termsOn } from '../../domain/contract-terms.js'
import { type MessageKey, message } from '../../domain/messages.js'
import { answered } from '../../domain/outcome.js'
import { normaliseCaller } from '../../domain/phone.js'
import { cutByLimit } from '../../domain/quota.js'
import { twilioSignatureCheck } from '../../plugins/twilio-signature.js'
import { CallFactsLoader, incomingCallKey } from '../../store/call-facts.js'
import { calledClient, callbackCallFacts, findAttempt } from '../../store/callback-calls.js'
import { callbackContract, callbackDial, callbackWhisper } from '../../domain/callback-call.js'
import { type CallRow, findCall } from '../../store/call-records.js'
import { type CallerConfig, rememberedLanguage } from '../../store/clients.js'
import { agentsOnDuty } from '../../store/desks.js'
import { usedSeconds } from '../../store/talk-counting.js'
import type { WebhookWrite } from '../../store/webhook-writes.js'
import {
  FINAL_CALL_STATUSES,
  dialParams,
  dialQuery,
  gatherParams,
  languageParams,
  overageQuery,
  recordingParams,
  callbackCallQuery,
  statusParams,
  statusQuery,
  voiceParams,
  whisperParams,
  whisperQuery,
} from './params.js'
import {
  callbackConsentTwiml,
  callbackDialTwiml,
  callbackWhisperTwiml,
  dialTwiml,
  emptyTwiml,
  languageMenuTwiml,
  renderPlan,
  sayThenHangup,
  voicemail,
  whisperTwiml,
} from './twiml.js'

function twiml(reply: FastifyReply, xml: string) {
  return reply.type('text/xml; charset=utf-8').send(xml)
}

/**
 * TwiML whose words depend on the desk alone (the language menu, the unknown caller's refusal in
 * each of the desk's languages), written once and kept with the desk's object. The
 * configuration in memory holds one object per desk and configuration version (a change comes as
 * a new snapshot with new objects), so the string is written once per version, and a desk read
 * straight from the tables (a fresh object per call) is never served another's. Without a desk
 * there is nothing to keep it with: written for this call.
 */
const deskTwiml = new WeakMap<DeskFacts, Map<string, string>>()
function onceForDesk(desk: DeskFacts | null, key: string, render: () => string): string {
  if (!desk) return render()
  let rendered = deskTwiml.get(desk)
  if (!rendered) {
    rendered = new Map()
    deskTwiml.set(desk, rendered)
  }
  let xml = rendered.get(key)
  if (xml === undefined) {
    xml = render()
    rendered.set(key, xml)
  }
  return xml
}

/** How long the client's phone rings when the desk calls back. */
const CALLBACK_RING_SECONDS = 30

/** A default message, for when no desk is known to speak it with its templates. */
const saying = (key: MessageKey, language: string): Say => ({ text: message(key, language), ...sayVoiceFor({}, language) })
const apology = (): Say => saying('technical_difficulty', DEFAULT_LANGUAGE)

/** A safe answer for any failure on a signed webhook: the caller hears an apology, never an error. */
export function technicalDifficulty(_request: FastifyRequest, reply: FastifyReply) {
  return twiml(reply, sayThenHangup([apology()]))
}

/** The parameters as Twilio sent them, for the call's event log. */
function strings(params: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(params).map(([key, value]) => [key, String(value)]))
}

/** What every write of a webhook delivery shares. */
function delivery(callSid: string, event: string, params: Record<string, unknown>, at: Date) {
  return { id: randomUUID(), callSid, at: at.toISOString(), event, params: strings(params) }
}

interface CallContext {
  /** the call's record; null when unknown, or the database is away */
  call: CallRow | null
  desk: DeskFacts | null
  caller: CallerConfig | null
  /** the language the caller hears */
  language: string
}

/** How long the start waits for the configuration (the database may be slow to answer at first). */
const STARTUP_LOAD_MS = 10_000

export const twilioWebhooks: FastifyPluginAsyncZod<{ readDeadlineMs: number }> = async (app, { readDeadlineMs }) => {
  app.addHook('preValidation', twilioSignatureCheck(app.config.twilioAuthToken, app.config.publicUrl))

  // This instance's copy of the configuration, checked against config_version on every call.
  const callFacts = new CallFactsLoader(app.db)
  // The configuration in memory goes with each write: a dial counts its talk with the contract's
  // terms from it (checked against config_version by the write's first statement).
  const record = (write: WebhookWrite) => app.writer.record(write, callFacts.current)
  // Loaded before the port opens: the first calls of a fresh instance would otherwise all wait for
  // it at once and, on a busy machine, past the read deadline (answered as if the database were away).
  app.addHook('onReady', async () => {
    if (!(await callFacts.configuration(STARTUP_LOAD_MS)))
      app.log.warn('the configuration could not be loaded before the first call: the first call will load it')
  })

  /** A database read within the deadline; null when the database is away (or known to be). */
  async function read<T>(work: () => Promise<T>, what: string): Promise<T | null> {
    if (app.writer.databaseIsAway) return null
    try {
      return await withDeadline(work(), readDeadlineMs, what)
    } catch (error) {
      if (!isUnavailable(error)) throw error
      app.log.warn({ err: error }, `${what}: the database is away; answering without it`)
      return null
    }
  }

  /** The facts with the calling number's language (chosen at the menu, or remembered). */
  const speaking = (facts: CallFacts, language: string): CallFacts =>
    facts.caller ? { ...facts, caller: { ...facts.caller, numberLanguage: language } } : facts

  /** A call's record with its desk and client, for the callbacks that follow the voice webhook. */
  async function callContext(callSid: string, params: { To?: string; From?: string }): Promise<CallContext> {
    const [config, call] = await Promise.all([
      callFacts.configuration(readDeadlineMs),
      read(() => findCall(app.db, callSid), 'reading the call'),
    ])
    const desk = (call?.deskId ? config?.desks.byId.get(call.deskId) : config?.desks.byNumber.get(params.To ?? '')) ?? null
    const callerNumber = normaliseCaller(call?.fromNumber ?? params.From)
    const caller = (callerNumber && config?.callers.get(callerNumber)) || null
    // the language chosen at the menu, for a registered caller of unknown language on a desk with several
    const unknown = knownLanguage({ number: caller?.numberLanguage, client: caller?.client.language }) === null
    const remembered =
      caller && desk && callerNumber && unknown && deskLanguages(desk).length > 1
        ? await read(() => rememberedLanguage(app.db, callerNumber), 'reading the language chosen')
        : null
    const number = caller?.numberLanguage ?? remembered
    return { call, desk, caller, language: callerLanguage({ number, client: caller?.client.language, desk }) }
  }

  // The caller hears silence until this answers: one statement to load the facts, one to record.
  app.post('/webhooks/twilio/voice', { schema: { hide: true, body: voiceParams } }, async (request, reply) => {
    const params = request.body
    const now = app.clock()
    const key = incomingCallKey(params, now)
    const live = await read(() => callFacts.load(key), 'loading the call facts')
    const facts = live ?? callFacts.degradedFacts(key, app.config.fallbackNumbers)
    // A registered caller of unknown language on a desk with several, who never chose one (the
    // facts' statement reads the choice remembered for the number): the menu (issue #17).
    const menu = live ? languageMenu(facts) : null
    if (menu)
      return twiml(
        reply,
        onceForDesk(facts.desk, 'menu', () => languageMenuTwiml(menu.say)),
      )
    return answerCall(request, reply, facts, live !== null, params, now)
  })

  // The language menu's answer: remembered for the calling number, then the call goes on in it.
  app.post('/webhooks/twilio/language', { schema: { hide: true, body: languageParams } }, async (request, reply) => {
    const params = request.body
    const now = app.clock()
    const key = incomingCallKey(params, now)
    const live = await read(() => callFacts.load(key), 'loading the call facts')
    let facts = live ?? callFacts.degradedFacts(key, app.config.fallbackNumbers)
    const menu = languageMenu(facts)
    // nothing pressed, or a key that chooses nothing: the desk's default, for this call only
    const pressed = menu?.choices.some((choice) => choice.digit === params.Digits) ?? false
    const language = menu ? chosenLanguage(menu, params.Digits) : null
    if (language) facts = speaking(facts, language)
    if (language && pressed && key.from) {
      await record({
        ...delivery(params.CallSid, 'language', params, now),
        kind: 'language',
        number: key.from,
        language,
      })
    }
    return answerCall(request, reply, facts, live !== null, params, now)
  })

  async function answerCall(
    request: FastifyRequest,
    reply: FastifyReply,
    facts: CallFacts,
    isLive: boolean,
    params: z.output<typeof voiceParams>,
    now: Date,
  ) {
    const live = isLive ? facts : null
    const decision = decide(facts, now)
    // With neither the database nor a configuration in memory, the FALLBACK_NUMBERS ring.
    const plan = (!live && !facts.desk && fallbackPlan(app.config.fallbackNumbers, params.From)) || decision.plan
    if (live && !facts.desk) {
      request.log.warn(
        { to: params.To },
        'a call to a number no active desk has: the caller hears an apology (see the desk file)',
      )
    }
    await record({
      ...delivery(params.CallSid, 'voice', params, now),
      kind: 'voice',
      from: params.From,
      to: params.To,
      deskId: decision.deskId,
      clientId: decision.clientId,
      contractId: decision.contractId,
      usageMonth: decision.usageMonth,
      decision: plan.kind,
      outcome: 'outcome' in plan ? plan.outcome : null,
      callback: plan.kind === 'voicemail' ? 'no_agent' : null,
    })
    // An unknown caller's refusal is the desk's, whoever calls (decide: in each of its languages).
    if (plan.kind === 'hangup' && plan.outcome === 'unknown_caller')
      return twiml(
        reply,
        onceForDesk(facts.desk, 'unknown_caller', () => renderPlan(plan)),
      )
    return twiml(reply, renderPlan(plan))
  }

  app.post(
    '/webhooks/twilio/dial',
    { schema: { hide: true, body: dialParams, querystring: dialQuery } },
    async (request, reply) => {
      const params = request.body
      const { leg, attempt, after, callback: callbackAttempt } = request.query
      const countInto: CountInto | null =
        request.query.contract && request.query.month ? { contractId: request.query.contract, month: request.query.month } : null
      const limit = request.query.limit !== undefined && after ? { seconds: request.query.limit, after } : null
      const consented = request.query.consent === '1'
      const now = app.clock()
      const talkSeconds = params.DialCallDuration ?? 0
      const legAnswered = answered({ dialStatus: params.DialCallStatus, talkSeconds })
      const write = {
        ...delivery(params.CallSid, `dial:${leg}`, params, now),
        kind: 'dial' as const,
        leg,
        // Twilio gives every dial leg its own SID; without one, the attempt number keys the leg.
        dialCallSid: params.DialCallSid ?? `${leg}-${attempt}`,
        dialStatus: params.DialCallStatus,
        attempt,
        talkSeconds: legAnswered ? talkSeconds : 0,
        contractId: countInto?.contractId ?? null,
        usageMonth: countInto?.month ?? null,
        callback: null,
        consented,
        ...(callbackAttempt !== undefined ? { callbackAttempt } : {}),
      }
      // A call back's client leg (issue #16): the attempt settles with it; the agent's call ends
      // (at a limit too: the agent is the one left on the line, and nobody else is owed a call back).
      if (callbackAttempt !== undefined) {
        // Whether the client said yes on answering is the call's record's (the consent write came
        // first), as for a line journaled before `consented` existed: so the write leaves it out.
        const { consented: _fromTheRecord, ...settling } = write
        await record(settling)
        return twiml(reply, sayThenHangup([]))
      }
      if (legAnswered) {
        await record(write)
        // The limit cut the leg at the quota line, the caller still on the line: what follows it.
        const cut = cutByLimit({
          limitSeconds: limit?.seconds ?? null,
          callerOnLine: params.CallStatus === 'in-progress',
          talkSeconds,
        })
        if (!cut || !limit) return twiml(reply, sayThenHangup([]))
        // The caller's facts as the voice and overage webhooks read them: the same language, so
        // the words kept with a consent are the words played.
        const key = incomingCallKey(params, now)
        const [live, call] = await Promise.all([
          read(() => callFacts.load(key), 'loading the call facts'),
          read(() => findCall(app.db, params.CallSid), 'reading the call'),
        ])
        const facts = live ?? callFacts.degradedFacts(key, app.config.fallbackNumbers)
        if (!facts.desk) return twiml(reply, sayThenHangup([]))
        const language = languageOf(facts.desk, facts.caller)
        const agentId = call?.agentId ?? null
        const plan = afterQuotaCut({ desk: facts.desk, language, after: limit.after, agentId, attempt, countInto })
        return twiml(reply, renderPlan(plan))
      }

      const { desk, call, language } = await callContext(params.CallSid, params)
      // Sequential ringing: the next agent on duty, in order (not after a re-dial at the quota line).
      if (desk && leg === 'agents' && desk.options.ring === 'sequential' && !request.query.redial) {
        const agents = await read(() => agentsOnDuty(app.db, desk.id), 'reading the agents on duty')
        if (agents && attempt < agents.length) {
          await record(write)
          const step = dialStep(desk, agents, call?.fromNumber ?? params.From, attempt + 1, countInto, { limit, consented })
          return twiml(reply, dialTwiml([], step))
        }
      }
      // Nobody answered: the desk owes a call back, and the caller may leave a message.
      await record({ ...write, callback: desk ? 'no_answer' : null })
      if (!desk) return twiml(reply, sayThenHangup([apology()]))
      const speak = speaker(desk, language)
      return twiml(reply, voicemail([speak('no_answer')], voicemailStep(desk, speak)))
    },
  )

  app.post(
    '/webhooks/twilio/whisper',
    { schema: { hide: true, body: whisperParams, querystring: whisperQuery } },
    async (request, reply) => {
      const params = request.body
      const now = app.clock()
      // The agent's leg: From is the caller, To the agent, ParentCallSid the caller's call.
      const context = await callContext(params.ParentCallSid, { From: params.From })
      const { call, caller } = context
      const desk =
        context.desk ??
        (request.query.desk
          ? ((await callFacts.configuration(readDeadlineMs))?.desks.byId.get(request.query.desk) ?? null)
          : null)
      await record({ ...delivery(params.ParentCallSid, 'whisper', params, now), kind: 'event' })
      const onCall = request.query.leg === 'on-call'
      // The quota left, for the agents' line: the month's usage is read (the on-call line bills apart).
      const contract = onCall ? undefined : caller?.contracts.find((c) => c.id === call?.contractId)
      const redial = request.query.consented === '1'
      const used =
        desk && contract && call?.usageMonth && !redial
          ? await read(() => usedSeconds(app.db, contract.id, call.usageMonth as string), 'reading the usage')
          : null
      const terms = desk && contract ? termsOn(contract, contract.changes, localDate(now, desk.timezone)) : null
      const quota =
        terms && used !== null
          ? {
              quotaSeconds: terms.quotaSeconds,
              usedSeconds: used,
              policy: terms.overage,
              accepted: call?.overageAccepted ?? false,
            }
          : null
      const { line, declined } = whisperLines({ desk, clientName: caller?.client.name ?? null, onCall, redial, quota })
      return twiml(reply, whisperTwiml(line, declined))
    },
  )

  app.post('/webhooks/twilio/whisper/accept', { schema: { hide: true, body: whisperParams } }, async (request, reply) => {
    const params = request.body
    const accepted = params.Digits === '1'
    const base = delivery(params.ParentCallSid, accepted ? 'whisper:accepted' : 'whisper:declined', params, app.clock())
    await record(
      accepted ? { ...base, kind: 'whisper-accepted', agentNumber: normaliseCaller(params.To) } : { ...base, kind: 'event' },
    )
    // An empty response bridges the agent; hanging up leaves the caller to the other agents.
    return twiml(reply, accepted ? emptyTwiml() : sayThenHangup([]))
  })

  app.post(
    '/webhooks/twilio/overage',
    { schema: { hide: true, body: gatherParams, querystring: overageQuery } },
    async (request, reply) => {
      const params = request.body
      const query = request.query
      const now = app.clock()
      const accepted = params.Digits === '1'
      const key = incomingCallKey(params, now)
      // The live facts carry the language the number chose at a menu (one statement).
      const facts =
        (await read(() => callFacts.load(key), 'loading the call facts')) ??
        callFacts.degradedFacts(key, app.config.fallbackNumbers)
      const atCut = query.question === 'cut'
      const countInto = query.contract && query.month ? { contractId: query.contract, month: query.month } : null
      // On a yes at the start, the agents ring, billed; at the cut, the agent who answered is dialled again.
      const plan = !accepted
        ? null
        : atCut
          ? redialAfterConsent(facts, { agentId: query.agent ?? null, attempt: query.attempt, countInto })
          : routeAfterAcceptance(facts, now)
      await record({
        ...delivery(params.CallSid, accepted ? 'overage:accepted' : 'overage:declined', params, now),
        kind: 'overage',
        accepted,
        callback: plan?.kind === 'voicemail' ? 'no_agent' : null,
        question: query.question,
        words: accepted ? overageQuestion(facts, atCut) : null,
      })
      if (plan) return twiml(reply, renderPlan(plan))
      const line = facts.desk
        ? speaker(facts.desk, languageOf(facts.desk, facts.caller))('declined')
        : saying('declined', DEFAULT_LANGUAGE)
      return twiml(reply, sayThenHangup([line]))
    },
  )

  app.post('/webhooks/twilio/on-call', { schema: { hide: true, body: gatherParams } }, async (request, reply) => {
    const params = request.body
    const now = app.clock()
    const { call, desk, language } = await callContext(params.CallSid, params)
    const onCall = desk?.options.onCall
    const accepted = params.Digits === '1' && Boolean(onCall)
    await record({
      ...delivery(params.CallSid, accepted ? 'on-call:accepted' : 'on-call:declined', params, now),
      kind: 'on-call',
      accepted,
    })
    if (!desk) return twiml(reply, sayThenHangup([apology()]))
    const speak = speaker(desk, language)
    if (accepted && onCall) {
      const countInto = call?.contractId && call.usageMonth ? { contractId: call.contractId, month: call.usageMonth } : null
      const step = {
        targets: [{ id: 'on-call', name: onCall.name, number: onCall.number }],
        ringSeconds: desk.options.ringSeconds,
        whisper: desk.options.whisper,
        callerId: call?.fromNumber ?? params.From,
        attempt: 1,
        countInto,
        deskId: desk.id,
        // The on-call line is billed apart, outside the quota: no limit at the quota line.
        limit: null,
        consented: false,
        redial: false,
      }
      return twiml(reply, dialTwiml([speak('on_call_connecting')], step, 'on-call'))
    }
    if (desk.options.voicemail.whenClosed) return twiml(reply, voicemail([], voicemailStep(desk, speak)))
    return twiml(reply, sayThenHangup([speak('goodbye')]))
  })

  app.post('/webhooks/twilio/recording', { schema: { hide: true, body: recordingParams } }, async (request, reply) => {
    const params = request.body
    const base = delivery(params.CallSid, 'recording', params, app.clock())
    await record(
      params.RecordingUrl
        ? { ...base, kind: 'recording', recordingUrl: params.RecordingUrl, recordingSeconds: params.RecordingDuration ?? null }
        : { ...base, kind: 'event' },
    )
    const { desk, language } = await callContext(params.CallSid, params)
    return twiml(reply, sayThenHangup(desk ? [speaker(desk, language)('voicemail_thanks')] : []))
  })

  app.post(
    '/webhooks/twilio/status',
    { schema: { hide: true, body: statusParams, querystring: statusQuery } },
    async (request, reply) => {
      const params = request.body
      const callbackAttempt = request.query.attempt
      await record({
        ...delivery(params.CallSid, `status:${params.CallStatus}`, params, app.clock()),
        kind: 'status',
        callStatus: params.CallStatus,
        durationSeconds: params.CallDuration ?? null,
        final: FINAL_CALL_STATUSES.has(params.CallStatus),
        ...(callbackAttempt !== undefined ? { callbackAttempt } : {}),
      })
      return twiml(reply, emptyTwiml())
    },
  )

  // ——— Calling a client back through the line (issue #16) ———

  /** A call back's attempt with its request, desk and client, as the route read them. */
  async function callbackAttemptFacts(attemptId: number) {
    return read(async () => {
      const attempt = await findAttempt(app.db, attemptId)
      const facts = attempt && (await callbackCallFacts(app.db, attempt.callbackId))
      return attempt && facts ? { attempt, ...facts } : null
    }, 'reading the call back')
  }

  // The agent answered the desk's call: whose request, from when, and 1 to dial the client.
  app.post(
    '/webhooks/twilio/callback-call',
    { schema: { hide: true, body: gatherParams, querystring: callbackCallQuery } },
    async (request, reply) => {
      const params = request.body
      const attemptId = request.query.attempt
      const facts = await callbackAttemptFacts(attemptId)
      await record({ ...delivery(params.CallSid, 'callback-call', params, app.clock()), kind: 'event' })
      if (!facts) return twiml(reply, sayThenHangup([apology()]))
      const { desk, callback } = facts
      const line: Say = {
        text: callbackWhisper({
          clientName: facts.clientName,
          requestedAt: callback.createdAt,
          timezone: desk.timezone,
          language: desk.language,
        }),
        ...sayVoiceFor(desk.options, desk.language),
      }
      return twiml(reply, callbackWhisperTwiml(line, attemptId))
    },
  )

  // The agent's key: 1 dials the client from the desk's number, with the limit and counting of an
  // incoming call's dial; anything else (or nothing) ends the call, the client never dialled.
  app.post(
    '/webhooks/twilio/callback-call/accept',
    { schema: { hide: true, body: gatherParams, querystring: callbackCallQuery } },
    async (request, reply) => {
      const params = request.body
      const now = app.clock()
      const attemptId = request.query.attempt
      const accepted = params.Digits === '1'
      const base = delivery(params.CallSid, accepted ? 'callback-call:accepted' : 'callback-call:declined', params, now)
      if (!accepted) {
        await record({ ...base, kind: 'event' })
        return twiml(reply, sayThenHangup([]))
      }
      const facts = await callbackAttemptFacts(attemptId)
      const caller =
        facts && (await read(() => calledClient(app.db, facts.desk, facts.attempt.number, now), 'reading the client'))
      // The agent who pressed 1 is the call's agent, as for an incoming call.
      await record({ ...base, kind: 'whisper-accepted', agentNumber: normaliseCaller(params.To) })
      if (!facts) return twiml(reply, sayThenHangup([apology()]))
      const { desk, attempt } = facts
      const dial = callbackDial(callbackContract(caller, desk, now), desk.options.quotaGraceSeconds)
      if (!dial.ok) {
        const speak = speaker(desk, desk.language)
        return twiml(reply, sayThenHangup([speak('quota_refused', { client: facts.clientName ?? '' })]))
      }
      const step: DialStep = {
        targets: [{ id: 'client', name: facts.clientName ?? attempt.number, number: attempt.number }],
        ringSeconds: CALLBACK_RING_SECONDS,
        whisper: false,
        callerId: attempt.fromNumber,
        attempt: 1,
        countInto: dial.countInto,
        deskId: desk.id,
        limit: dial.limit,
        consented: false,
        redial: false,
      }
      return twiml(reply, callbackDialTwiml(step, attemptId, dial.askConsent))
    },
  )

  // The client answered a call back whose month is used up under `ask`: the question an incoming
  // caller hears at the start, asked on the client's leg (ParentCallSid is the call back's call).
  app.post(
    '/webhooks/twilio/callback-call/client',
    { schema: { hide: true, body: whisperParams, querystring: callbackCallQuery } },
    async (request, reply) => {
      const params = request.body
      const now = app.clock()
      await record({ ...delivery(params.ParentCallSid, 'callback-call:client', params, now), kind: 'event' })
      const question = await consentQuestion(request.query.attempt, now)
      if (!question) return twiml(reply, sayThenHangup([apology()]))
      return twiml(reply, callbackConsentTwiml(question.line, request.query.attempt))
    },
  )

  // The client's answer: on 1, the consent kept as evidence (the overage write of an incoming
  // call's question) and the client bridged to the agent, the talk consented overage; otherwise the
  // client's leg ends before the bridge, nothing counted.
  app.post(
    '/webhooks/twilio/callback-call/consent',
    { schema: { hide: true, body: whisperParams, querystring: callbackCallQuery } },
    async (request, reply) => {
      const params = request.body
      const now = app.clock()
      const accepted = params.Digits === '1'
      const question = await consentQuestion(request.query.attempt, now)
      await record({
        ...delivery(params.ParentCallSid, accepted ? 'overage:accepted' : 'overage:declined', params, now),
        kind: 'overage',
        accepted,
        callback: null,
        question: 'start',
        words: accepted ? (question?.line.text ?? null) : null,
      })
      if (accepted) return twiml(reply, emptyTwiml())
      return twiml(reply, sayThenHangup(question ? [question.declined] : []))
    },
  )

  /** The question put to the client of a call back, in the client's language (null: unknown). */
  async function consentQuestion(attemptId: number, now: Date) {
    const facts = await callbackAttemptFacts(attemptId)
    const caller = facts && (await read(() => calledClient(app.db, facts.desk, facts.attempt.number, now), 'reading the client'))
    if (!facts) return null
    const speak = speaker(facts.desk, languageOf(facts.desk, caller))
    return { line: speak('quota_ask', { client: facts.clientName ?? '' }), declined: speak('declined') }
  }

  // Twilio's Fallback URL: called when the voice URL failed. It touches no database and records
  // nothing (the status callback that follows makes the call's record). With the configuration in
  // memory it decides as the voice webhook does with the database away: the contract rules hold,
  // the desk's fallback numbers ring. Without it, FALLBACK_NUMBERS ring, or the caller hears an apology.
  app.post('/webhooks/twilio/fallback', { schema: { hide: true, body: voiceParams } }, async (request, reply) => {
    const params = request.body
    const now = app.clock()
    request.log.warn({ errorCode: params.ErrorCode }, 'Twilio called the fallback URL')
    const key = incomingCallKey(params, now)
    const facts = callFacts.degradedFacts(key, app.config.fallbackNumbers)
    const plan = (facts.desk ? decide(facts, now).plan : null) ?? fallbackPlan(app.config.fallbackNumbers, params.From)
    return twiml(reply, plan ? renderPlan(plan) : sayThenHangup([apology()]))
  })
}
