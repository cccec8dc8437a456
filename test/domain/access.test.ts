// Who may hold which token, with plain values.
import t from 'tap'
import { tokenScopeProblem } from '../../src/domain/access.js'

t.test('a client token names its client, and only a client token does', async (t) => {
  t.equal(tokenScopeProblem('client', 'acme'), null)
  t.equal(tokenScopeProblem('manager', null), null)
  t.match(tokenScopeProblem('client', null), /must name its client/)
  t.match(tokenScopeProblem('admin', 'acme'), /only client tokens/)
})
