// Configuration through the API: the desk file exported and applied back as a no-op, entity edits
// that take effect on the next call, deactivation that keeps history, and every write audited in
// the token's name and bumping the configuration version.
import { and, eq } from 'drizzle-orm'
import t from 'tap'
import { agents, auditLog, clients } from '../../../db/schema.js'
import { type DeskFile, parseDeskFile } from '../../../src/domain/desk-file.js'
import { applyDeskFile } from '../../../src/store/configuration.js'
import { currentConfigVersion } from '../../../src/store/config-version.js'
import { playCall } from '../../../webhooks/simulator.js'
import { ACME_CALLER, DESK_NUMBER, type Method, apiApp } from '../../helpers/api.js'
import { eachDatabase } from '../../helpers/databases.js'

interface Write {
  why: string
  method: Method
  path: string
  body?: unknown
  /** who: the admin token unless said */
  as?: 'admin' | 'manager'
  status: number
  /** the audit entry it leaves */
  audit: { entity: string; entityId: string; action: RegExp }
}

const WRITES: Write[] = [
  {
    why: 'a new desk',
    method: 'POST',
    path: '/api/desks',
    body: {
      id: 'annexe',
      name: 'Annexe',
      numbers: ['+21321000077'],
      timezone: 'Europe/Paris',
      schedule: { weekly: { mon: ['09:00-18:00'] } },
    },
    status: 201,
    audit: { entity: 'desk', entityId: 'annexe', action: /^api\.create$/ },
  },
  {
    why: 'new hours for the desk',
    method: 'PUT',
    path: '/api/desks/annexe',
    body: {
      id: 'annexe',
      name: 'Annexe',
      numbers: ['+21321000077'],
      timezone: 'Europe/Paris',
      schedule: { weekly: { mon: ['09:00-12:00'] } },
    },
    status: 200,
    audit: { entity: 'desk', entityId: 'annexe', action: /^api\.update$/ },
  },
  {
    why: 'a new agent',
    method: 'POST',
    path: '/api/agents',
    body: { id: 'nadia', name: 'Nadia', number: '+213550000004', desks: ['intercom', 'annexe'], onDuty: false },
    status: 201,
    audit: { entity: 'agent', entityId: 'nadia', action: /^api\.create$/ },
  },
  {
    why: 'an agent put on duty by a manager',
    method: 'PUT',
    path: '/api/agents/nadia/duty',
    body: { onDuty: true },
    as: 'manager',
    status: 200,
    audit: { entity: 'agent', entityId: 'nadia', action: /^api\.duty$/ },
  },
  {
    why: 'an agent renamed',
    method: 'PUT',
    path: '/api/agents/nadia',
    body: { id: 'nadia', name: 'Nadia B.', number: '+213550000004', desks: ['intercom'] },
    status: 200,
    audit: { entity: 'agent', entityId: 'nadia', action: /^api\.update$/ },
  },
  {
    why: 'an agent deactivated',
    method: 'DELETE',
    path: '/api/agents/nadia',
    status: 204,
    audit: { entity: 'agent', entityId: 'nadia', action: /^api\.deactivate$/ },
  },
  {
    why: 'a new client',
    method: 'POST',
    path: '/api/clients',
    body: { id: 'sahara', name: 'Sahara Logistique', numbers: [{ number: '+213661000009', contact: 'Mme Kaci' }] },
    status: 201,
    audit: { entity: 'client', entityId: 'sahara', action: /^api\.create$/ },
  },
  {
    why: 'a number registered',
    method: 'POST',
    path: '/api/clients/sahara/numbers',
    body: { number: '+213661000010' },
    status: 201,
    audit: { entity: 'client-number', entityId: '+213661000010', action: /^api\.create$/ },
  },
  {
    why: 'a number unregistered',
    method: 'DELETE',
    path: '/api/clients/sahara/numbers/%2B213661000010',
    status: 204,
    audit: { entity: 'client-number', entityId: '+213661000010', action: /^api\.deactivate$/ },
  },
  {
    why: 'a contract signed',
    method: 'POST',
    path: '/api/clients/sahara/contracts',
    body: { desk: 'intercom', start: '2026-11-01', monthlyQuotaMinutes: 120 },
    status: 201,
    audit: { entity: 'contract', entityId: 'sahara/intercom/2026-11-01', action: /^api\.create$/ },
  },
  {
    why: 'a client suspended',
    method: 'PUT',
    path: '/api/clients/sahara/suspension',
    body: { suspended: true, reason: 'Factures impayées' },
    status: 200,
    audit: { entity: 'client', entityId: 'sahara', action: /^api\.update$/ },
  },
  {
    why: 'a client deactivated',
    method: 'DELETE',
    path: '/api/clients/sahara',
    status: 204,
    audit: { entity: 'client', entityId: 'sahara', action: /^api\.deactivate$/ },
  },
  {
    why: 'a desk deactivated',
    method: 'DELETE',
    path: '/api/desks/annexe',
    status: 204,
    audit: { entity: 'desk', entityId: 'annexe', action: /^api\.deactivate$/ },
  },
]

eachDatabase(t, async (t, database) => {
  const {
    send,
    tokens,
    twilio,
    clock,
    database: { db },
  } = await apiApp(t, database)
  const admin = { token: tokens.admin }

  t.test('the exported desk file parses, and applying it back changes nothing', async (t) => {
    const exported = (await send('GET', '/api/config', admin)).json()
    const parsed = parseDeskFile(exported)
    t.ok(parsed.ok, 'GET /api/config is a valid desk file')
    const versionBefore = await currentConfigVersion(db)
    const applied = await send('PUT', '/api/config', { ...admin, body: exported })
    t.equal(applied.statusCode, 200)
    t.same(applied.json().changes, [], 'PUT /api/config with it reports no change')
    t.equal(await currentConfigVersion(db), versionBefore, 'and leaves the configuration version')
    if (parsed.ok)
      t.same((await applyDeskFile(db, parsed.file, { actor: 'test', now: new Date() })).changes, [], 'as does the CLI')
  })

  t.test(
    "a revision follows its contract's rule: refused with the rule and the earliest date, accepted once agreed",
    async (t) => {
      // INTERcom Art. 8: ACME's terms change only by written agreement of both parties.
      const exported = (await send('GET', '/api/config', admin)).json() as DeskFile
      const withChange = (change: object) => {
        const file = structuredClone(exported)
        const acme = file.clients.findIndex((client) => client.id === 'acme')
        file.clients[acme]?.contracts[0]?.changes.push(change as never)
        return { file, acme }
      }
      const { file: unsigned, acme } = withChange({ from: '2027-01-01', monthlyQuotaMinutes: 600 })
      const refused = await send('PUT', '/api/config', { ...admin, body: unsigned })
      t.equal(refused.statusCode, 400)
      t.match(refused.json(), {
        code: 'revision_refused',
        errors: [
          {
            field: `body.clients[${acme}].contracts[0].changes[0].from`,
            message: /written agreement of both parties \(revision by agreement\): give agreedOn/,
          },
        ],
      })
      const past = await send('PUT', '/api/config', {
        ...admin,
        body: withChange({ from: '2026-11-01', monthlyQuotaMinutes: 600, agreedOn: '2026-11-20' }).file,
      })
      t.match(past.json(), { code: 'revision_refused', detail: /the past is not rewritten/ }, 'nor, signed, into the past')
      const signed = await send('PUT', '/api/config', {
        ...admin,
        body: withChange({ from: '2027-01-01', monthlyQuotaMinutes: 600, agreedOn: '2026-11-20' }).file,
      })
      t.equal(signed.statusCode, 200, 'with the date of the signed amendment it is recorded')
      const [contract] = (await send('GET', '/api/contracts?client=acme', admin)).json().items
      t.match(
        (await send('GET', `/api/contracts/${contract.id}`, admin)).json().revisionsToCome,
        [{ from: '2027-01-01', monthlyQuotaMinutes: 600, agreedOn: '2026-11-20', recordedOn: '2026-11-28' }],
        'listed among the revisions to come, with the day it was recorded',
      )
      clock.set('2026-12-20T10:00:00+01:00')
      const again = (await send('GET', '/api/config', admin)).json()
      t.same(
        (await send('PUT', '/api/config', { ...admin, body: again })).json().changes,
        [],
        'weeks later, applied again, it stands',
      )
      clock.set('2026-11-28T10:00:00+01:00')
      // Back to the file as it was, for the tests that follow (removing a change to come is not refused).
      t.equal((await send('PUT', '/api/config', { ...admin, body: exported })).statusCode, 200)
    },
  )

  for (const write of WRITES) {
    t.test(`${write.why}: audited in the token's name, at the app's clock, and the configuration version moves`, async (t) => {
      clock.advance(60_000)
      const versionBefore = await currentConfigVersion(db)
      const response = await send(write.method, write.path, { token: tokens[write.as ?? 'admin'], body: write.body })
      t.equal(
        response.statusCode,
        write.status,
        `${write.method} ${write.path} answers ${write.status} (${response.body.slice(0, 200)})`,
      )
      t.ok((await currentConfigVersion(db)) > versionBefore, 'the configuration version moved')
      const entries = await db
        .select()
        .from(auditLog)
        .where(
          and(eq(auditLog.entity, write.audit.entity), eq(auditLog.entityId, write.audit.entityId), eq(auditLog.at, clock.now())),
        )
      const entry = entries.find((e) => write.audit.action.test(e.action))
      t.ok(
        entry,
        `an audit entry ${write.audit.action} for ${write.audit.entity} ${write.audit.entityId} (found ${entries.map((e) => e.action).join(', ') || 'none'})`,
      )
      t.equal(entry?.actor, write.as === 'manager' ? 'desk manager' : 'ops admin', "the actor is the token's name")
    })
  }

  t.test('a deactivated agent and client are kept, with their history, and can come back', async (t) => {
    const [nadia] = await db.select().from(agents).where(eq(agents.id, 'nadia'))
    t.match(nadia, { active: false, onDuty: false }, 'the agent is deactivated and off duty, not deleted')
    t.equal((await send('GET', '/api/agents/nadia', admin)).statusCode, 404, 'and no longer listed')
    const [sahara] = await db.select().from(clients).where(eq(clients.id, 'sahara'))
    t.equal(sahara?.active, false, 'the client row stays')
    const back = await send('POST', '/api/clients', { ...admin, body: { id: 'sahara', name: 'Sahara Logistique' } })
    t.equal(back.statusCode, 201, 'a deactivated client can be created again')
    t.equal((await send('DELETE', '/api/clients/sahara', admin)).statusCode, 204)
  })

  t.test('what the API changes, the next call hears', async (t) => {
    const suspend = await send('PUT', '/api/clients/acme/suspension', {
      ...admin,
      body: { suspended: true, reason: 'Contrat en litige' },
    })
    t.match(
      suspend.json(),
      { id: 'acme', suspended: true, suspendedReason: 'Contrat en litige' },
      'the client is suspended with its reason',
    )
    const suspended = await playCall(twilio, { from: ACME_CALLER, to: DESK_NUMBER })
    t.match(
      (await send('GET', `/api/calls/${suspended.callSid}`, admin)).json(),
      { outcome: 'suspended' },
      'a suspended client hears the suspension',
    )
    await send('PUT', '/api/clients/acme/suspension', { ...admin, body: { suspended: false } })

    await send('POST', '/api/clients/acme/numbers', { ...admin, body: { number: '+213 661 00 00 07', contact: 'Accueil' } })
    const fromNewNumber = await playCall(twilio, { from: '+213661000007', to: DESK_NUMBER, talkSeconds: 30 })
    t.match(
      (await send('GET', `/api/calls/${fromNewNumber.callSid}`, admin)).json(),
      { clientId: 'acme', outcome: 'answered' },
      'a number registered (spaces tolerated) identifies the client',
    )
    await send('DELETE', '/api/clients/acme/numbers/%2B213661000007', admin)
    const unknown = await playCall(twilio, { from: '+213661000007', to: DESK_NUMBER })
    t.match(
      (await send('GET', `/api/calls/${unknown.callSid}`, admin)).json(),
      { clientId: null, outcome: 'unknown_caller' },
      'an unregistered number identifies nobody',
    )

    for (const agent of ['amina', 'karim'])
      await send('PUT', `/api/agents/${agent}/duty`, { token: tokens.manager, body: { onDuty: false } })
    const nobody = await playCall(twilio, { from: ACME_CALLER, to: DESK_NUMBER })
    t.match(
      (await send('GET', `/api/calls/${nobody.callSid}`, admin)).json(),
      { outcome: 'no_answer' },
      'with every agent off duty, nobody is rung',
    )
    for (const agent of ['amina', 'karim'])
      await send('PUT', `/api/agents/${agent}/duty`, { token: tokens.manager, body: { onDuty: true } })
  })

  t.test("re-applying the desk file leaves the agents' duty as the switch set it", async (t) => {
    await send('PUT', '/api/agents/karim/duty', { token: tokens.manager, body: { onDuty: false } })
    const exported = (await send('GET', '/api/config', admin)).json() as DeskFile
    const karim = exported.agents.find((a) => a.id === 'karim')
    if (karim) karim.onDuty = true
    await send('PUT', '/api/config', { ...admin, body: exported })
    t.equal((await send('GET', '/api/agents/karim', admin)).json().onDuty, false, 'karim stays off duty')
  })

  t.test('contracts: new terms apply, a recorded notice stays, a deactivated contract keeps its usage', async (t) => {
    const [acme] = (await send('GET', '/api/contracts?client=acme', admin)).json().items
    await send('POST', `/api/contracts/${acme.id}/notice`, { ...admin, body: { givenOn: '2026-11-20' } })
    const changed = await send('PUT', `/api/contracts/${acme.id}`, {
      ...admin,
      body: { desk: 'intercom', start: '2026-01-15', monthlyQuotaMinutes: 600, overage: 'refuse' },
    })
    t.match(
      changed.json(),
      { id: acme.id, monthlyQuotaMinutes: 600, overage: 'refuse', noticeGivenOn: '2026-11-20' },
      'the terms change and the notice stays',
    )
    const call = await playCall(twilio, { from: ACME_CALLER, to: DESK_NUMBER, talkSeconds: 60 })
    t.match(
      (await send('GET', `/api/calls/${call.callSid}`, admin)).json(),
      { outcome: 'answered', contractId: acme.id },
      'calls are served under the same contract',
    )
    const [month] = (await send('GET', '/api/clients/acme/usage?month=2026-11', admin)).json().items
    t.match(month, { contractId: acme.id, quotaSeconds: 36_000 }, "and the month's quota follows")
    t.equal((await send('DELETE', `/api/contracts/${acme.id}`, admin)).statusCode, 204, 'the contract is deactivated')
    t.match((await send('GET', `/api/contracts/${acme.id}`, admin)).json(), { active: false }, 'and kept')
    t.match(
      (await send('GET', '/api/clients/acme/usage?month=2026-11', admin)).json().items,
      [{ contractId: acme.id, usedSeconds: month.usedSeconds }],
      'with the usage it had',
    )
    const refused = await playCall(twilio, { from: ACME_CALLER, to: DESK_NUMBER })
    t.match(
      (await send('GET', `/api/calls/${refused.callSid}`, admin)).json(),
      { outcome: 'no_contract' },
      'and the next call finds no contract',
    )
  })

  t.test('a desk file of a thousand clients is accepted and exported back', async (t) => {
    const exported = (await send('GET', '/api/config', admin)).json() as DeskFile
    for (let i = 0; i < 1000; i++) {
      const id = `client-${String(i).padStart(4, '0')}`
      exported.clients.push({
        id,
        name: `Client numéro ${i}, une raison sociale un peu longue SARL`,
        suspended: false,
        numbers: [
          { number: `+2136620${String(i).padStart(5, '0')}`, contact: 'Service informatique' },
          { number: `+2136630${String(i).padStart(5, '0')}`, contact: 'Direction' },
        ],
        contracts: [
          {
            desk: 'intercom',
            start: '2026-01-01',
            months: 12,
            monthlyQuotaMinutes: 300,
            noticeMonths: 3,
            renews: true,
            overage: 'bill',
            billingIncrementSeconds: 60,
            changes: [],
            revision: { by: 'notice' as const, days: 30 },
          },
        ],
      })
    }
    const body = JSON.stringify(exported)
    t.ok(body.length > 256 * 1024, `the file (${Math.round(body.length / 1024)} kB) is beyond the default body limit`)
    const applied = await send('PUT', '/api/config', { ...admin, body: exported })
    t.equal(applied.statusCode, 200, `PUT /api/config takes it (${applied.body.slice(0, 200)})`)
    t.equal(applied.json().created, 1000 * 4, 'each client, its two numbers and its contract are created')
    const back = (await send('GET', '/api/config', admin)).json() as DeskFile
    t.equal(back.clients.length, exported.clients.length, 'and GET /api/config gives them all back')
  })
})
