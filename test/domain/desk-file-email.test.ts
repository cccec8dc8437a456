// A client's e-mail domains in the desk file (issue #15): mail domains only, lower-cased, each
// claimed by one client; contracts say whether e-mail minutes count into the quota.
import t from 'tap'
import { type DeskFileInput, parseDeskFile } from '../../src/domain/desk-file.js'

const desk = {
  id: 'intercom',
  name: 'Assistance',
  timezone: 'Africa/Algiers',
  numbers: ['+21321000000'],
  schedule: { weekly: { mon: ['09:00-12:00'] } },
}
const client = (id: string, emailDomains: string[]) => ({
  id,
  name: id,
  emailDomains,
  contracts: [{ desk: 'intercom', start: '2026-01-01', monthlyQuotaMinutes: 300, emailMinutesCountIntoQuota: true }],
})
const parse = (clients: unknown[]) => parseDeskFile({ desks: [desk], clients } as unknown as DeskFileInput)

t.test('domains are kept lower-cased, and the e-mail minutes option', async (t) => {
  const parsed = parse([client('acme', ['ACME.dz', 'filiale.acme.dz'])])
  t.ok(parsed.ok, JSON.stringify(parsed.ok ? null : parsed.errors))
  if (!parsed.ok) return
  t.same(parsed.file.clients[0]?.emailDomains, ['acme.dz', 'filiale.acme.dz'])
  t.equal(parsed.file.clients[0]?.contracts[0]?.emailMinutesCountIntoQuota, true)
})

t.test('an address, a URL or a bare word is no domain', async (t) => {
  for (const wrong of ['k.benali@acme.dz', 'https://acme.dz', 'acme', '']) {
    const parsed = parse([client('acme', [wrong])])
    t.notOk(parsed.ok, `"${wrong}" refused`)
    if (!parsed.ok) t.match(parsed.errors[0], { path: 'clients[0].emailDomains[0]' })
  }
})

t.test('a domain identifies one client', async (t) => {
  const parsed = parse([client('acme', ['acme.dz']), client('atlas', ['Acme.dz'])])
  t.notOk(parsed.ok)
  if (!parsed.ok)
    t.match(parsed.errors, [
      { path: 'clients[1].emailDomains[0]', message: /e-mail domain "acme.dz" is already used at clients\[0\]/ },
    ])
})
