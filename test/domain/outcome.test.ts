// resolveOutcome(): the same facts give the same outcome, in whatever order they arrived.
import t from 'tap'
import { type CallState, type Outcome, answered, outcomeOnceDecided, resolveOutcome } from '../../src/domain/outcome.js'

const state = (overrides: Partial<CallState>): CallState => ({
  decision: 'dial',
  outcome: null,
  dialStatus: null,
  talkSeconds: 0,
  recordingUrl: null,
  callStatus: null,
  ...overrides,
})

const cases: [what: string, facts: Partial<CallState>, outcome: string | null][] = [
  ['a call still ringing the agents', {}, null],
  ['an answered leg with talk', { talkSeconds: 42, dialStatus: 'completed' }, 'answered'],
  ['answered, then the status callback', { talkSeconds: 42, dialStatus: 'completed', callStatus: 'completed' }, 'answered'],
  ['nobody answered, the caller left a message', { dialStatus: 'no-answer', recordingUrl: 'https://r' }, 'voicemail'],
  ['nobody answered, the caller hung up', { dialStatus: 'no-answer', callStatus: 'completed' }, 'no_answer'],
  ['busy agents, the caller hung up', { dialStatus: 'busy', callStatus: 'completed' }, 'no_answer'],
  ['the caller hung up while it rang', { callStatus: 'completed' }, 'abandoned'],
  ['the dial was canceled', { dialStatus: 'canceled', callStatus: 'completed' }, 'abandoned'],
  ['the call failed', { callStatus: 'failed' }, 'failed'],
  ['no agent, the caller hung up without a message', { decision: 'voicemail', callStatus: 'completed' }, 'no_answer'],
  ['no agent, a message', { decision: 'voicemail', recordingUrl: 'https://r', callStatus: 'completed' }, 'voicemail'],
  ['hung up during the overage question', { decision: 'ask_overage', callStatus: 'completed' }, 'abandoned'],
  ['a call whose voice webhook never reached the database, over', { decision: 'pending', callStatus: 'completed' }, 'abandoned'],
  [
    'billing accepted, nobody answered',
    { decision: 'ask_overage', dialStatus: 'no-answer', callStatus: 'completed' },
    'no_answer',
  ],
  [
    'billing accepted, the caller hung up while it rang',
    { decision: 'ask_overage', dialStatus: 'canceled', callStatus: 'completed' },
    'abandoned',
  ],
  [
    'billing accepted, answered',
    { decision: 'ask_overage', dialStatus: 'completed', talkSeconds: 90, callStatus: 'completed' },
    'answered',
  ],
  [
    'closed: stays closed, even with a message',
    { decision: 'closed', outcome: 'closed_hours', recordingUrl: 'https://r', callStatus: 'completed' },
    'closed_hours',
  ],
  ['closed, as decided', { decision: 'closed' }, 'closed_hours'],
  ['closed on a holiday', { decision: 'closed', outcome: 'closed_holiday', callStatus: 'completed' }, 'closed_holiday'],
  [
    'closed, the on-call line answered',
    { decision: 'closed', outcome: 'closed_hours', talkSeconds: 300, dialStatus: 'completed' },
    'answered',
  ],
  ['an unknown caller stays one', { decision: 'hangup', outcome: 'unknown_caller', callStatus: 'completed' }, 'unknown_caller'],
  [
    'a declined overage stays refused',
    { decision: 'ask_overage', outcome: 'quota_refused', callStatus: 'completed' },
    'quota_refused',
  ],
]

for (const [what, facts, outcome] of cases) {
  t.equal(resolveOutcome(state(facts)), outcome, `${what}: ${outcome ?? 'in progress'}`)
}

t.test('a decision reaching a placeholder keeps what a callback told, and nothing the placeholder derived', async (t) => {
  const placeholder = (facts: Partial<CallState>) => state({ decision: 'pending', ...facts })
  const cases: [what: string, facts: Partial<CallState>, decided: Outcome | null, outcome: Outcome | null][] = [
    ['nothing known yet, a dial decision', {}, null, null],
    [
      'hung up (abandoned so far), then the decision: closed',
      { outcome: 'abandoned', callStatus: 'completed' },
      'closed_hours',
      'closed_hours',
    ],
    ['answered so far, then a dial decision', { outcome: 'answered', talkSeconds: 30 }, null, null],
    [
      'the caller refused the overage, then the decision to ask',
      { outcome: 'quota_refused', callStatus: 'completed' },
      null,
      'quota_refused',
    ],
    [
      'failed so far (its status said so), then an unknown caller',
      { outcome: 'failed', callStatus: 'failed' },
      'unknown_caller',
      'unknown_caller',
    ],
  ]
  for (const [what, facts, decided, outcome] of cases)
    t.equal(outcomeOnceDecided(placeholder(facts), decided), outcome, `${what}: ${outcome ?? 'derived again'}`)
})

t.test('answered: talk on a leg Twilio says was answered', async (t) => {
  t.ok(answered({ dialStatus: 'completed', talkSeconds: 12 }))
  t.ok(answered({ dialStatus: 'answered', talkSeconds: 1 }))
  t.ok(answered({ dialStatus: null, talkSeconds: 30 }), 'a record whose talk came before its status')
  t.notOk(answered({ dialStatus: 'completed', talkSeconds: 0 }), 'no talk: not answered')
  t.notOk(answered({ dialStatus: 'no-answer', talkSeconds: 10 }), 'a status that says nobody answered')
})
