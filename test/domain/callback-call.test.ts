// Calling a client back through the line, with plain values: who rings, which number, whether the
// contract lets the call start, the whisper, and what an attempt did to the request.
import t from 'tap'
import {
  attemptResult,
  callbackAgent,
  callbackContract,
  callbackDial,
  callbackNumber,
  callbackRefused,
  callbackWhisper,
} from '../../src/domain/callback-call.js'
import { acme, acmeContract } from '../fixtures/call-facts.js'

const amina = { name: 'Amina', role: 'agent' as const, clientId: null, agentId: 'amina', tokenId: 4 }
const leila = { name: 'Leila', role: 'manager' as const, clientId: null, tokenId: 2 }
const deskAgents = ['amina', 'karim']

t.test('an agent calls as itself; a manager names the agent, or the assignee rings', async (t) => {
  t.same(callbackAgent({ principal: amina, asked: 'karim', assignedTo: null, deskAgents }), { ok: true, agentId: 'amina' })
  t.same(callbackAgent({ principal: leila, asked: 'karim', assignedTo: 'amina', deskAgents }), { ok: true, agentId: 'karim' })
  t.same(callbackAgent({ principal: leila, asked: undefined, assignedTo: 'amina', deskAgents }), { ok: true, agentId: 'amina' })
  t.match(callbackAgent({ principal: leila, asked: undefined, assignedTo: null, deskAgents }), {
    ok: false,
    problem: { field: 'body.agentId', message: /unassigned/ },
  })
  t.match(callbackAgent({ principal: leila, asked: 'ghost', assignedTo: null, deskAgents }), {
    ok: false,
    problem: { field: 'body.agentId', message: /"ghost" is not an active agent of this desk/ },
  })
  t.match(
    callbackAgent({ principal: { ...amina, agentId: undefined }, asked: 'karim', assignedTo: 'karim', deskAgents }),
    { ok: false, problem: { field: 'body.agentId' } },
    'an agent principal without its agent calls as no one',
  )
  t.match(callbackAgent({ principal: amina, asked: undefined, assignedTo: null, deskAgents: ['karim'] }), {
    ok: false,
    problem: { message: /"amina" is not an active agent/ },
  })
})

t.test("the request's number, or another number registered to the client", async (t) => {
  const registered = ['+213661000001', '+213661000002']
  const requestNumber = '+213661000001'
  t.same(callbackNumber({ requestNumber, asked: undefined, registered }), { ok: true, number: requestNumber })
  t.same(callbackNumber({ requestNumber, asked: requestNumber, registered: [] }), { ok: true, number: requestNumber })
  t.same(callbackNumber({ requestNumber, asked: '+213661000002', registered }), { ok: true, number: '+213661000002' })
  t.same(callbackNumber({ requestNumber, asked: '+33100000000', registered }), {
    ok: false,
    problem: { field: 'body.number', message: "is not one of the client's registered numbers" },
  })
  t.same(callbackNumber({ requestNumber: null, asked: '+213661000002', registered }), { ok: true, number: '+213661000002' })
  t.match(callbackNumber({ requestNumber: null, asked: undefined, registered }), {
    ok: false,
    problem: { field: 'body.number', message: /an e-mail request has no number/ },
  })
})

t.test('a refuse contract with its quota used up starts no call back; bill and ask do', async (t) => {
  const refuse = { quotaSeconds: 3600, overage: 'refuse' as const }
  t.equal(callbackRefused(refuse, 3600), true)
  t.equal(callbackRefused(refuse, 3599), false, 'a second left: the call starts, the dial limit cuts it')
  t.equal(callbackRefused({ ...refuse, overage: 'ask' }, 7200), false)
  t.equal(callbackRefused({ ...refuse, overage: 'bill' }, 7200), false)
  t.equal(callbackRefused(null, 7200), false, 'no contract in force: nothing to count against')
})

t.test('the whisper names the client and the day of the request, in the desk’s language', async (t) => {
  const requestedAt = new Date('2026-11-22T09:30:00Z')
  const whisper = (clientName: string | null, language: string) =>
    callbackWhisper({ clientName, requestedAt, timezone: 'Africa/Algiers', language })
  t.equal(whisper('ACME SARL', 'fr'), 'rappel de ACME SARL, demande du 22 novembre : appuyez sur 1')
  t.equal(whisper(null, 'fr'), "rappel d'un appelant inconnu, demande du 22 novembre : appuyez sur 1")
  t.equal(whisper('ACME SARL', 'en'), 'call back to ACME SARL, request of 22 November: press 1')
  t.equal(whisper(null, 'en-GB'), 'call back to an unknown caller, request of 22 November: press 1')
  t.equal(
    callbackWhisper({
      clientName: 'ACME SARL',
      requestedAt: new Date('2026-11-22T23:30:00Z'),
      timezone: 'Africa/Algiers',
      language: 'fr',
    }),
    'rappel de ACME SARL, demande du 23 novembre : appuyez sur 1',
    "the desk's day, not UTC's",
  )
})

t.test('an attempt closes the request once the client was reached long enough', async (t) => {
  t.same(attemptResult({ dialStatus: 'completed', talkSeconds: 45 }), { result: 'answered', closes: true })
  t.same(attemptResult({ dialStatus: 'answered', talkSeconds: 30 }), { result: 'answered', closes: true }, '30 s by default')
  t.same(attemptResult({ dialStatus: 'completed', talkSeconds: 12 }), { result: 'answered', closes: false }, 'too short')
  t.same(attemptResult({ dialStatus: 'completed', talkSeconds: 12, reachedSeconds: 10 }), { result: 'answered', closes: true })
  t.same(attemptResult({ dialStatus: 'completed', talkSeconds: 0 }), { result: 'no_answer', closes: false })
  t.same(attemptResult({ dialStatus: 'no-answer', talkSeconds: 0 }), { result: 'no_answer', closes: false })
  t.same(attemptResult({ dialStatus: 'busy', talkSeconds: 0 }), { result: 'busy', closes: false })
  t.same(attemptResult({ dialStatus: 'failed', talkSeconds: 0 }), { result: 'failed', closes: false })
  t.same(attemptResult({ dialStatus: 'canceled', talkSeconds: 0 }), { result: 'failed', closes: false })
  t.same(attemptResult({ dialStatus: null, talkSeconds: 0 }), { result: 'agent_unavailable', closes: false })
})

t.test("the contract a call back counts into, and how the client's leg is dialled", async (t) => {
  const desk = { timezone: 'Africa/Algiers' }
  const now = new Date('2026-11-30T23:30:00Z')
  t.equal(callbackContract(null, desk, now), null, 'a number of no client: nothing counted')
  t.equal(callbackContract(acme({}, []), desk, now), null, 'no contract in force')
  const used = (overage: 'bill' | 'ask' | 'refuse', usedSeconds: number) =>
    callbackContract(acme({}, [acmeContract({ overage, usedSeconds, quotaSeconds: 3600 })]), desk, now)
  t.same(
    used('bill', 600),
    { contractId: 1, month: '2026-12', quotaSeconds: 3600, overage: 'bill', usedSeconds: 600 },
    "the desk's month (already December in Algiers)",
  )
  t.same(callbackDial(null, 60), { ok: true, countInto: null, limit: null, askConsent: false })
  t.same(callbackDial(used('bill', 7200), 60), {
    ok: true,
    countInto: { contractId: 1, month: '2026-12' },
    limit: null,
    askConsent: false,
  })
  t.same(callbackDial(used('refuse', 3000), 60), {
    ok: true,
    countInto: { contractId: 1, month: '2026-12' },
    limit: { seconds: 660, after: 'refuse' },
    askConsent: false,
  })
  t.same(callbackDial(used('refuse', 3600), 60), { ok: false, reason: 'refused' })
  t.same(callbackDial(used('ask', 3000), 60), {
    ok: true,
    countInto: { contractId: 1, month: '2026-12' },
    limit: { seconds: 600, after: 'ask' },
    askConsent: false,
  })
  t.same(
    callbackDial(used('ask', 3600), 60),
    { ok: true, countInto: { contractId: 1, month: '2026-12' }, limit: null, askConsent: true },
    'used up under ask: the client is asked, no limit after a yes',
  )
})
