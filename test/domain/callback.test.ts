// When a callback request is late, with plain values.
import t from 'tap'
import { isLate, voicemailReason } from '../../src/domain/callback.js'

const LATE: [why: string, callback: Parameters<typeof isLate>[0], late: boolean][] = [
  ['open before its due time', { status: 'open', dueAt: new Date('2026-12-02T10:00:00Z'), doneAt: null }, false],
  ['open after its due time', { status: 'open', dueAt: new Date('2026-11-28T08:00:00Z'), doneAt: null }, true],
  [
    'done in time, now past due',
    { status: 'done', dueAt: new Date('2026-11-28T08:00:00Z'), doneAt: new Date('2026-11-28T07:00:00Z') },
    false,
  ],
  [
    'done after its due time',
    { status: 'done', dueAt: new Date('2026-11-28T08:00:00Z'), doneAt: new Date('2026-11-28T08:30:00Z') },
    true,
  ],
  ['without a due time', { status: 'open', dueAt: null, doneAt: null }, false],
]

for (const [why, callback, late] of LATE) {
  t.test(`a callback ${why} is ${late ? '' : 'not '}late`, async (t) => {
    t.equal(isLate(callback, new Date('2026-11-28T09:00:00Z')), late)
  })
}

t.test('a callback is due after the desk callback delay counted in its working hours', async (t) => {
  const { callbackDue } = await import('../../src/domain/callback.js')
  const { intercomDesk } = await import('../fixtures/call-facts.js')
  // Thursday evening: Saturday to Tuesday give 21 h of INTERcom hours, Wednesday's 3 h end at 13:45.
  t.equal(callbackDue(intercomDesk(), new Date('2026-11-26T20:00:00+01:00'))?.toISOString(), '2026-12-02T12:45:00.000Z')
  t.equal(
    callbackDue(intercomDesk({ callbackWithinWorkingHours: 1 }), new Date('2026-11-28T10:00:00+01:00'))?.toISOString(),
    '2026-11-28T10:00:00.000Z',
    'one working hour after 10:00 is 11:00 Algiers',
  )
})

t.test('why a voicemail was left, from what the voice webhook decided', async (t) => {
  t.equal(voicemailReason({ decision: 'closed', outcome: 'closed_holiday' }), 'closed_holiday')
  t.equal(voicemailReason({ decision: 'closed', outcome: 'closed_hours' }), 'closed_hours')
  t.equal(voicemailReason({ decision: 'closed', outcome: null }), 'closed_hours', 'closed, the record not settled yet')
  t.equal(voicemailReason({ decision: 'voicemail', outcome: null }), 'no_agent', 'nobody on duty')
  t.equal(voicemailReason({ decision: 'dial', outcome: null }), 'no_answer', 'rung, nobody answered')
  t.equal(voicemailReason({ decision: 'pending', outcome: null }), 'no_answer', 'its voice webhook still in a journal')
})

t.test('the reason of a request opened before its call was decided, once it is', async (t) => {
  const { reasonOnceDecided } = await import('../../src/domain/callback.js')
  const closed = { decision: 'closed', outcome: 'closed_holiday', dialStatus: null }
  t.equal(reasonOnceDecided('no_answer', closed), 'closed_holiday', 'a recording on a holiday: closed for it')
  t.equal(reasonOnceDecided('no_answer', { ...closed, dialStatus: 'no-answer' }), 'no_answer', 'the on-call line rang unanswered')
  t.equal(
    reasonOnceDecided('no_agent', { decision: 'ask_overage', outcome: null, dialStatus: null }),
    'no_agent',
    'owed, it stands',
  )
})
