// Every wrong request gets a problem naming each wrong field (400), the conflict (409) or the
// unknown id (404), and changes nothing.
import t from 'tap'
import { callbacks, contracts } from '../../../db/schema.js'
import { currentConfigVersion } from '../../../src/store/config-version.js'
import { playCall } from '../../../webhooks/simulator.js'
import { NOT_FOUND_CASES, type ProblemCase, VALIDATION_CASES } from '../../fixtures/api/validation-cases.js'
import { ACME_CALLER, DESK_NUMBER, apiApp } from '../../helpers/api.js'
import { eachDatabase } from '../../helpers/databases.js'

eachDatabase(t, async (t, database) => {
  const {
    send,
    twilio,
    database: { db },
  } = await apiApp(t, database)
  await playCall(twilio, { from: ACME_CALLER, to: DESK_NUMBER, answer: false })
  const [callback] = await db.select({ id: callbacks.id }).from(callbacks)
  const [contract] = await db.select({ id: contracts.id }).from(contracts)
  const fill = (path: string) => path.replace('{callback}', String(callback?.id)).replace('{contract}', String(contract?.id))

  const check = (cases: ProblemCase[]) => {
    for (const problem of cases) {
      t.test(`${problem.why}: ${problem.status}`, async (t) => {
        const versionBefore = await currentConfigVersion(db)
        const response = await send(problem.method, fill(problem.path), { body: problem.body })
        t.equal(
          response.statusCode,
          problem.status,
          `${problem.method} ${problem.path} answers ${problem.status} (${response.body.slice(0, 300)})`,
        )
        t.match(response.headers['content-type'], /^application\/problem\+json/, 'as a problem')
        const named = ((response.json().errors ?? []) as { field: string }[]).map((e) => e.field)
        const { detail } = response.json() as { detail: string }
        for (const field of problem.fields ?? []) {
          t.ok(named.includes(field), `the problem names ${field} (it names ${named.join(', ') || 'nothing'})`)
          t.match(detail, field, `and its detail says ${field}, as the field does`)
        }
        t.equal(await currentConfigVersion(db), versionBefore, 'and the configuration is as it was')
      })
    }
  }
  check(VALIDATION_CASES)
  check(NOT_FOUND_CASES)
})
