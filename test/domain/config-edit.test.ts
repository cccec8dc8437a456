// Configuration edits as edits of the desk file, with plain values: conflicts, references, the
// order of agents read back from the database, and contracts identified by desk and date.
import t from 'tap'
import {
  addClientNumber,
  addContract,
  agentsInFileOrder,
  putEntity,
  removeClientNumber,
  removeContract,
  removeEntity,
  replaceContract,
  setSuspension,
} from '../../src/domain/config-edit.js'
import type { DeskFile } from '../../src/domain/desk-file.js'
import { deskFile } from '../helpers/desk.js'

const file: DeskFile = deskFile('intercom')
const problemOf = (result: ReturnType<typeof putEntity>) => (result.ok ? null : result.problem)

t.test('entities are created, replaced in place, or refused', async (t) => {
  const amina = file.agents[0]
  if (!amina) throw new Error('amina')
  const replaced = putEntity(file, 'agents', { ...amina, name: 'Amina B.' }, 'replace')
  t.ok(replaced.ok && replaced.file.agents[0]?.name === 'Amina B.', 'a replaced agent keeps its place (its ringing order)')
  t.match(
    problemOf(putEntity(file, 'agents', amina, 'create')),
    { kind: 'conflict', errors: [{ path: 'id' }] },
    'creating an existing id is a conflict on id',
  )
  t.match(
    problemOf(putEntity(file, 'agents', { ...amina, id: 'ghost' }, 'replace')),
    { kind: 'not_found' },
    'replacing an unknown id: not found',
  )
  t.match(
    problemOf(putEntity(file, 'agents', { ...amina, id: 'nadia', desks: ['intercom', 'nowhere'] }, 'create')),
    { kind: 'invalid', errors: [{ path: 'desks[1]', message: /unknown desk/ }] },
    "a reference the file cannot resolve is named in the entity's terms",
  )
})

t.test('a number reaches one desk or identifies one client', async (t) => {
  const [desk] = file.desks
  const [acme] = file.clients
  if (!desk || !acme) throw new Error('intercom and acme')
  t.match(problemOf(putEntity(file, 'desks', { ...desk, id: 'annexe', numbers: ['+21321000009', '+213770000001'] }, 'create')), {
    kind: 'conflict',
    errors: [{ path: 'numbers[1]', message: '+213770000001 is already registered to client atlas' }],
  })
  t.match(problemOf(putEntity(file, 'clients', { ...acme, id: 'sahara', numbers: [{ number: '+21321000000' }] }, 'create')), {
    kind: 'conflict',
    errors: [{ path: 'numbers[0].number', message: /desk intercom/ }],
  })
  t.ok(putEntity(file, 'clients', acme, 'replace').ok, 'a client keeping its own numbers is no conflict')
  t.match(problemOf(addClientNumber(file, 'acme', { number: '+213661000002' })), {
    kind: 'conflict',
    errors: [{ path: 'number', message: /this client/ }],
  })
  t.match(problemOf(addClientNumber(file, 'ghost', { number: '+213661000099' })), { kind: 'not_found' })
  const added = addClientNumber(file, 'acme', { number: '+213661000099', contact: 'Standard' })
  t.ok(added.ok && added.file.clients[0]?.numbers.at(-1)?.number === '+213661000099', 'a free number is registered')
  t.match(
    problemOf(removeClientNumber(file, 'acme', '+213661000099')),
    { kind: 'not_found' },
    'removing a number the client never had: not found',
  )
})

t.test('a desk in use cannot go', async (t) => {
  t.match(problemOf(removeEntity(file, 'desks', 'intercom')), {
    kind: 'conflict',
    message: /agent amina.*contract acme\/intercom\/2026-01-15/,
  })
  const withoutAll = { ...file, agents: [], clients: [] }
  const removed = removeEntity(withoutAll, 'desks', 'intercom')
  t.ok(removed.ok && removed.file.desks.length === 0, 'once nobody uses it, it goes')
  t.match(problemOf(removeEntity(file, 'clients', 'ghost')), { kind: 'not_found' })
})

t.test('suspension carries its reason, and lifting it drops the reason', async (t) => {
  const suspended = setSuspension(file, 'acme', { suspended: true, reason: 'Factures impayées' })
  t.match(suspended.ok && suspended.file.clients[0], { suspended: true, suspendedReason: 'Factures impayées' })
  if (!suspended.ok) return
  const lifted = setSuspension(suspended.file, 'acme', { suspended: false, reason: 'ignored' })
  t.match(lifted.ok && lifted.file.clients[0], { suspended: false, suspendedReason: undefined })
})

t.test('contracts are named by desk and signature date, which do not change', async (t) => {
  const key = { clientId: 'acme', desk: 'intercom', start: '2026-01-15' }
  const terms = {
    desk: 'intercom',
    start: '2026-01-15',
    months: 12,
    monthlyQuotaMinutes: 600,
    noticeMonths: 3,
    renews: true,
    overage: 'bill' as const,
    billingIncrementSeconds: 1,
    changes: [],
    revision: { by: 'notice' as const, days: 30 },
  }
  const noticed = replaceContract(file, key, { ...terms, noticeGivenOn: '2026-09-30' })
  if (!noticed.ok) throw new Error('the notice is recorded')
  const changed = replaceContract(noticed.file, key, terms)
  t.match(
    changed.ok && changed.file.clients[0]?.contracts[0],
    { monthlyQuotaMinutes: 600, noticeGivenOn: '2026-09-30' },
    'new terms keep a notice they do not state',
  )
  t.match(problemOf(replaceContract(file, key, { ...terms, start: '2026-02-01' })), {
    kind: 'invalid',
    errors: [{ path: 'start' }],
  })
  t.match(problemOf(addContract(file, 'acme', terms)), { kind: 'conflict', errors: [{ path: 'start' }] })
  t.match(problemOf(addContract(file, 'acme', { ...terms, desk: 'nowhere' })), { kind: 'invalid', errors: [{ path: 'desk' }] })
  const removed = removeContract(file, key)
  t.ok(removed.ok && removed.file.clients[0]?.contracts.length === 0, 'a contract is removed by its key')
  t.match(problemOf(removeContract(file, { ...key, start: '2020-01-01' })), { kind: 'not_found' })
})

const ORDERS: [why: string, agents: { id: string; positions: { deskId: string; position: number }[] }[], order: string[]][] = [
  [
    'one desk: its ringing order',
    [
      { id: 'b', positions: [{ deskId: 'x', position: 1 }] },
      { id: 'a', positions: [{ deskId: 'x', position: 2 }] },
      { id: 'c', positions: [{ deskId: 'x', position: 0 }] },
    ],
    ['c', 'b', 'a'],
  ],
  [
    'two desks sharing agents: an order that keeps both',
    [
      {
        id: 'amina',
        positions: [
          { deskId: 'x', position: 1 },
          { deskId: 'y', position: 0 },
        ],
      },
      { id: 'zoe', positions: [{ deskId: 'x', position: 0 }] },
      {
        id: 'karim',
        positions: [
          { deskId: 'y', position: 1 },
          { deskId: 'x', position: 2 },
        ],
      },
    ],
    ['zoe', 'amina', 'karim'],
  ],
  [
    'agents of no desk: by id',
    [
      { id: 'b', positions: [] },
      { id: 'a', positions: [] },
    ],
    ['a', 'b'],
  ],
  [
    'contradicting positions (a database edited by hand): everyone is still there',
    [
      {
        id: 'a',
        positions: [
          { deskId: 'x', position: 0 },
          { deskId: 'y', position: 1 },
        ],
      },
      {
        id: 'b',
        positions: [
          { deskId: 'x', position: 1 },
          { deskId: 'y', position: 0 },
        ],
      },
    ],
    ['a', 'b'],
  ],
]

for (const [why, agents, order] of ORDERS) {
  t.test(`agents in file order, ${why}`, async (t) => {
    t.same(agentsInFileOrder(agents), order)
  })
}

t.test('an entity is found by its id', async (t) => {
  const { findEntity } = await import('../../src/domain/config-edit.js')
  t.equal(findEntity(file, 'clients', 'acme')?.name, 'ACME SARL')
  t.equal(findEntity(file, 'agents', 'nobody'), undefined)
})

t.test("every edit of an unknown client's entries is not found", async (t) => {
  const contract = file.clients[0]!.contracts[0]!
  const key = { clientId: 'nobody', desk: 'intercom', start: '2026-01-15' }
  const edits: [string, ReturnType<typeof putEntity>][] = [
    ['a number added', addClientNumber(file, 'nobody', { number: '+213661999999' })],
    ['a number removed', removeClientNumber(file, 'nobody', '+213661000001')],
    ['a suspension', setSuspension(file, 'nobody', { suspended: true, reason: 'x' })],
    ['a contract added', addContract(file, 'nobody', contract)],
    ['a contract replaced', replaceContract(file, key, contract)],
    ['a contract removed', removeContract(file, key)],
    [
      'an unknown contract of a known client replaced',
      replaceContract(file, { ...key, clientId: 'acme', start: '2020-01-01' }, { ...contract, start: '2020-01-01' }),
    ],
  ]
  for (const [what, result] of edits) t.match(problemOf(result), { kind: 'not_found' }, `${what}: not found`)
})

t.test('a new contract keeps a notice only when one is given', async (t) => {
  const key = { clientId: 'acme', desk: 'intercom', start: '2026-01-15' }
  const terms = { ...file.clients[0]!.contracts[0]!, noticeGivenOn: undefined }
  const replaced = replaceContract(file, key, terms)
  t.equal(
    replaced.ok ? replaced.file.clients[0]!.contracts[0]?.noticeGivenOn : 'refused',
    undefined,
    'no notice given, none recorded',
  )
  t.ok(addClientNumber(file, 'acme', { number: '+213661000005' }).ok, 'a new number for a known client')
})

t.test('agents whose positions tie, or contradict each other, still come out in one order', async (t) => {
  t.same(
    agentsInFileOrder([
      { id: 'b', positions: [{ deskId: 'd', position: 0 }] },
      { id: 'a', positions: [{ deskId: 'd', position: 0 }] },
    ]),
    ['a', 'b'],
    'a tie goes by id',
  )
  t.same(
    agentsInFileOrder([
      {
        id: 'a',
        positions: [
          { deskId: 'd1', position: 0 },
          { deskId: 'd2', position: 1 },
        ],
      },
      {
        id: 'b',
        positions: [
          { deskId: 'd1', position: 1 },
          { deskId: 'd2', position: 0 },
        ],
      },
    ]),
    ['a', 'b'],
    'a contradiction falls back to ids',
  )
  t.same(
    agentsInFileOrder([
      {
        id: 'a',
        positions: [
          { deskId: 'd1', position: 0 },
          { deskId: 'd2', position: 0 },
        ],
      },
      {
        id: 'b',
        positions: [
          { deskId: 'd1', position: 1 },
          { deskId: 'd2', position: 1 },
        ],
      },
    ]),
    ['a', 'b'],
    'the same order on two desks is counted once',
  )
})

t.test('numbers: already registered (here or elsewhere), unknown, removed', async (t) => {
  t.match(problemOf(addClientNumber(file, 'acme', { number: '+213661000001' })), {
    kind: 'conflict',
    message: /already registered to this client/,
  })
  t.match(problemOf(addClientNumber(file, 'acme', { number: '+213770000001' })), {
    kind: 'conflict',
    message: /already registered to client atlas/,
  })
  t.match(problemOf(removeClientNumber(file, 'acme', '+213661999999')), { kind: 'not_found' })
  const removed = removeClientNumber(file, 'acme', '+213661000002')
  t.same(removed.ok && removed.file.clients[0]?.numbers.map((n) => n.number), ['+213661000001'])
})

t.test('a contract replaced with a notice keeps the one it states', async (t) => {
  const key = { clientId: 'acme', desk: 'intercom', start: '2026-01-15' }
  const replaced = replaceContract(file, key, { ...file.clients[0]!.contracts[0]!, noticeGivenOn: '2026-10-01' })
  t.equal(replaced.ok && replaced.file.clients[0]?.contracts[0]?.noticeGivenOn, '2026-10-01')
})
