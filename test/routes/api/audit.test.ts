// The audit log over HTTP: every configuration change with who, when, before and after, newest
// first, filtered by entity, in pages that hold while changes keep coming.
import t from 'tap'
import { apiApp } from '../../helpers/api.js'
import { eachDatabase } from '../../helpers/databases.js'

interface Entry {
  id: number
  at: string
  actor: string
  action: string
  entity: string
  entityId: string
  before: unknown
  after: unknown
}

eachDatabase(t, async (t, database) => {
  const { send, tokens, clock } = await apiApp(t, database)
  const admin = { token: tokens.admin }
  const page = async (query: string) =>
    (await send('GET', `/api/audit${query}`, admin)).json() as { items: Entry[]; nextCursor: string | null }
  const rename = (name: string) =>
    send('PUT', '/api/agents/amina', { ...admin, body: { id: 'amina', name, number: '+213550000001', desks: ['intercom'] } })

  t.test('a change reads as who, when, what before and after', async (t) => {
    clock.set('2026-11-28T11:00:00+01:00')
    await rename('Amina B.')
    const [latest] = (await page('?limit=1')).items
    t.match(latest, {
      at: '2026-11-28T10:00:00.000Z',
      actor: 'ops admin',
      action: 'api.update',
      entity: 'agent',
      entityId: 'amina',
      before: { name: 'Amina' },
      after: { name: 'Amina B.' },
    })
  })

  t.test('filtered by entity', async (t) => {
    const { items } = await page('?entity=client&limit=500')
    t.ok(items.length >= 5, `the desk file's clients were created (${items.length} entries)`)
    t.ok(
      items.every((e) => e.entity === 'client'),
      'and only clients are listed',
    )
    const acme = (await page('?entity=client&entityId=acme')).items
    t.same(
      acme.map((e) => e.action),
      ['desk-file.create'],
      "ACME's one change: the desk file created it",
    )
  })

  t.test('pages hold while changes keep coming', async (t) => {
    const first = await page('?limit=3')
    const firstIds = first.items.map((e) => e.id)
    for (let i = 0; i < 3; i++) await rename(`Amina ${i}`) // newer entries arrive between pages
    const second = await page(`?limit=3&cursor=${first.nextCursor}`)
    const ids = [...firstIds, ...second.items.map((e) => e.id)]
    t.same(
      ids,
      [...ids].sort((a, b) => b - a),
      'newest first, no repeat',
    )
    t.equal(second.items[0]?.id, (firstIds.at(-1) as number) - 1, 'the second page starts right after the first')
  })

  t.test('a manager does not read the audit log', async (t) => {
    t.equal((await send('GET', '/api/audit', { token: tokens.manager })).statusCode, 403)
  })
})
