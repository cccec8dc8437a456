// Which failures mean "try again later", and which mean the database itself is out of reach.
import t from 'tap'
import { DeadlineError, isDatabaseAway, isUnavailable } from '../src/deadline.js'

const failure = (code: string) => Object.assign(new Error(code), { code })

const cases: [what: string, error: unknown, unavailable: boolean, away: boolean][] = [
  ['a refused connection', failure('ECONNREFUSED'), true, true],
  ['a connection lost', failure('CONNECTION_CLOSED'), true, true],
  ['a connection exception (class 08)', failure('08006'), true, true],
  ['a server shutting down', failure('57P01'), true, true],
  ['a missed deadline: slow, not away', new DeadlineError('writing voice took longer than 900 ms'), true, false],
  ['a serialization failure: a lost race', failure('40001'), true, false],
  ['a deadlock', failure('40P01'), true, false],
  ['a unique violation: a bug', failure('23505'), false, false],
  ['a bad query', new Error('syntax error'), false, false],
  ['a refusal wrapped by drizzle', Object.assign(new Error('Failed query'), { cause: failure('ECONNRESET') }), true, true],
]

for (const [what, error, unavailable, away] of cases) {
  t.equal(isUnavailable(error), unavailable, `${what}: ${unavailable ? 'try again later' : 'not worth trying again'}`)
  t.equal(isDatabaseAway(error), away, `${what}: ${away ? 'the database is away' : 'the database is there'}`)
}
