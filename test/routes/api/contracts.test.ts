// Contracts over HTTP: the period in force, its end and the notice deadline on the desk's calendar,
// contracts whose deadline is near, and a client's notice recorded with who and when.
import { and, eq } from 'drizzle-orm'
import t from 'tap'
import { auditLog } from '../../../db/schema.js'
import { currentConfigVersion } from '../../../src/store/config-version.js'
import { NOTICE_BEFORE, STANDINGS } from '../../fixtures/api/contract-cases.js'
import { apiApp } from '../../helpers/api.js'
import { eachDatabase } from '../../helpers/databases.js'

interface ContractItem {
  id: number
  clientId: string
  noticeDeadline: string | null
  today: string
}

eachDatabase(t, async (t, database) => {
  const {
    send,
    tokens,
    clock,
    database: { db },
  } = await apiApp(t, database)
  const manager = { token: tokens.manager }
  const list = async (query = '') => (await send('GET', `/api/contracts${query}`, manager)).json().items as ContractItem[]

  for (const { client, ...standing } of STANDINGS) {
    t.test(
      `${client}: ${standing.inForce ? `in force until ${standing.period?.lastDay}, notice by ${standing.noticeDeadline}` : `ended on ${standing.endsOn}`}`,
      async (t) => {
        const [contract] = await list(`?client=${client}`)
        t.match(contract, { clientId: client, today: '2026-11-28', ...standing })
      },
    )
  }

  for (const [noticeBefore, clients] of NOTICE_BEFORE) {
    t.test(`notice due by ${noticeBefore}: ${clients.join(', ') || 'none'}`, async (t) => {
      t.same(
        (await list(`?noticeBefore=${noticeBefore}`)).map((c) => c.clientId),
        clients,
      )
    })
  }

  t.test("a deadline is near or past on the desk's own calendar day", async (t) => {
    clock.set('2026-11-27T23:30:00Z') // 28 November, 00:30 in Algiers
    t.same(
      (await list('?noticeBefore=2026-11-28')).map((c) => c.clientId),
      ['djurdjura'],
      'the deadline day itself still counts',
    )
    clock.set('2026-11-28T23:30:00Z') // 29 November in Algiers, still 28 November in UTC
    t.same(
      (await list('?noticeBefore=2026-12-31')).map((c) => c.clientId),
      [],
      'the day after, it is past',
    )
    clock.set('2026-11-28T10:00:00+01:00')
  })

  t.test('notice given in time ends the contract with the current period, and is audited', async (t) => {
    const [djurdjura] = await list('?client=djurdjura')
    const versionBefore = await currentConfigVersion(db)
    const response = await send('POST', `/api/contracts/${djurdjura?.id}/notice`, { ...manager, body: { givenOn: '2026-11-28' } })
    t.equal(response.statusCode, 200)
    t.match(
      response.json(),
      {
        noticeGivenOn: '2026-11-28',
        noticeRecordedBy: 'desk manager',
        inForce: true,
        endsOn: '2027-03-01',
        noticeDeadline: null,
      },
      'it ends on 1 March 2027',
    )
    t.ok(
      (await currentConfigVersion(db)) > versionBefore,
      'the configuration version moved (notice decides which calls are served)',
    )
    const [entry] = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'api.notice'), eq(auditLog.entityId, 'djurdjura/intercom/2026-03-01')))
    t.match(
      entry,
      { actor: 'desk manager', before: { noticeGivenOn: null }, after: { noticeGivenOn: '2026-11-28' } },
      'who recorded it, what before and after',
    )
    t.same(
      (await list('?noticeBefore=2026-12-31')).map((c) => c.clientId),
      [],
      'and no notice is due any more',
    )
  })

  t.test('notice given late ends the contract with the next period', async (t) => {
    const [acme] = await list('?client=acme')
    const response = await send('POST', `/api/contracts/${acme?.id}/notice`, {
      token: tokens.admin,
      body: { givenOn: '2026-11-20' },
    })
    t.match(
      response.json(),
      { noticeGivenOn: '2026-11-20', endsOn: '2028-01-15' },
      'past the 15 October deadline: the period to January 2028 runs',
    )
  })

  t.test('a deactivated contract takes no notice', async (t) => {
    const [atlas] = await list('?client=atlas')
    await send('DELETE', `/api/contracts/${atlas?.id}`, { token: tokens.admin })
    const response = await send('POST', `/api/contracts/${atlas?.id}/notice`, { ...manager, body: { givenOn: '2026-11-20' } })
    t.equal(response.statusCode, 409, 'a conflict')
    t.match(
      (await send('GET', `/api/contracts/${atlas?.id}`, manager)).json(),
      { active: false, noticeGivenOn: null },
      'and nothing recorded',
    )
  })
})
