// The one mapping from desk-file entries to records and facts carries a desk's seasons and
// languages and a number's own language (issue #17).
import { readFileSync } from 'node:fs'
import t from 'tap'
import { clientNumberRecords, deskFacts, deskRecord, NO_DECISIONS } from '../../src/domain/configured-facts.js'
import { type DeskFile, parseDeskFile } from '../../src/domain/desk-file.js'
import { hoursOn } from '../../src/domain/calendar/index.js'

function intercom(): DeskFile {
  const parsed = parseDeskFile(JSON.parse(readFileSync(new URL('../../db/desks/intercom.json', import.meta.url), 'utf8')))
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors))
  return parsed.file
}

t.test('a desk without seasons or languages: none stored, none in its facts', async (t) => {
  const desk = intercom().desks[0] as DeskFile['desks'][number]
  const record = deskRecord({ ...desk, schedule: { ...desk.schedule, seasons: [] } })
  t.same(record.seasons, [])
  t.equal(record.languages, null)
  const facts = deskFacts(record, NO_DECISIONS)
  t.notOk('languages' in facts, 'the desk speaks its own language only')
  t.same(facts.calendar.seasons, [])
})

t.test("a desk's seasons and languages reach its facts, and the hours follow the season", async (t) => {
  const desk = intercom().desks[0] as DeskFile['desks'][number]
  const hours = ['09:00-14:00']
  const seasons = [{ name: 'Ramadan', hijriMonth: 9, weekly: { sat: hours, sun: hours } }]
  const record = deskRecord({ ...desk, languages: ['fr-FR', 'ar'], schedule: { ...desk.schedule, seasons } })
  t.same(record.seasons, seasons)
  t.same(record.languages, ['fr-FR', 'ar'])
  const facts = deskFacts(record, NO_DECISIONS)
  t.same(facts.languages, ['fr-FR', 'ar'])
  t.same(hoursOn(facts.calendar, '2027-02-13').weekly.sat, hours, 'a Saturday of Ramadan 1448')
})

t.test("a registered number's record carries its own language, else null", async (t) => {
  const acme = intercom().clients.find((client) => client.id === 'acme')
  if (!acme) throw new Error('acme')
  const numbers = acme.numbers.map((n, index) => (index === 1 ? { ...n, language: 'ar' } : n))
  t.same(clientNumberRecords({ ...acme, numbers }), [
    ['+213661000001', { clientId: 'acme', contact: 'M. Benali', language: null }],
    ['+213661000002', { clientId: 'acme', contact: 'Mme Haddad', language: 'ar' }],
  ])
})

t.test("the managers' season decisions reach the desk's calendar", async (t) => {
  const desk = intercom().desks[0] as DeskFile['desks'][number]
  const seasons = [{ name: 'Ramadan', hijriMonth: 9, weekly: { sat: ['09:00-14:00'] } }]
  const record = deskRecord({ ...desk, schedule: { ...desk.schedule, seasons } })
  const decision = {
    seasonId: 'ramadan-1448',
    action: 'move' as const,
    start: '2027-02-09',
    by: 'Amina',
    at: '2027-02-08T20:00:00Z',
  }
  const facts = deskFacts(record, { ...NO_DECISIONS, seasonOverrides: [decision] })
  t.same(facts.calendar.seasonOverrides, [decision])
  t.notOk('seasonOverrides' in deskFacts(record, { ...NO_DECISIONS, seasonOverrides: [] }).calendar, 'none: nothing added')
})
