// When a callback request is late, with plain values.
import t from 'tap'
import { isLate } from '../../src/domain/callback.js'

const LATE: [why: string, callback: Parameters<typeof isLate>[0], late: boolean][] = [
  ['open before its due time', { status: 'open', dueAt: new Date('2026-12-02T10:00:00Z'), doneAt: null }, false],
  ['open after its due time', { status: 'open', dueAt: new Date('2026-11-28T08:00:00Z'), doneAt: null }, true],
  ['done in time, now past due', { status: 'done', dueAt: new Date('2026-11-28T08:00:00Z'), doneAt: new Date('2026-11-28T07:00:00Z') }, false],
  ['done after its due time', { status: 'done', dueAt: new Date('2026-11-28T08:00:00Z'), doneAt: new Date('2026-11-28T08:30:00Z') }, true],
  ['without a due time', { status: 'open', dueAt: null, doneAt: null }, false],
]

for (const [why, callback, late] of LATE) {
  t.test(`a callback ${why} is ${late ? '' : 'not '}late`, async (t) => {
    t.equal(isLate(callback, new Date('2026-11-28T09:00:00Z')), late)
  })
}
