// holidaysForYear: the DZ and FR rules, the lunar estimate, the shipped observed dates, and managers' overrides.
import t from 'tap'
import {
  holidayOccurrence,
  holidayOverrideSchema,
  holidaysForYear,
  holidaysToConfirm,
  isPastUnconfirmed,
  manualHolidayId,
  observedHolidays,
  type HolidayOverride,
} from '../../../src/domain/calendar/index.js'
import { dzHolidays, dzHolidaysByLaw, easterSundays, frHolidays } from '../../fixtures/calendar/holiday-cases.js'

const by = 'amina'
const override = (o: Omit<HolidayOverride, 'by'> & { by?: string }): HolidayOverride => ({ by, ...o })
const dayAfter = (date: string): string => new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10)

t.test('Algeria with the shipped observed dates', async (t) => {
  for (const [year, expected] of Object.entries(dzHolidays)) {
    const items = holidaysForYear('DZ', Number(year), observedHolidays.DZ)
    t.same(
      items.map(({ date, id, name, status, movedFrom }) =>
        movedFrom === undefined ? { date, id, name, status } : { date, id, name, status, movedFrom },
      ),
      expected,
      `the DZ holidays of ${year} are ${year === '2026' ? 'estimated for the lunar ones' : 'the observed dates'}`,
    )
  }
  const observed = holidaysForYear('DZ', 2025, observedHolidays.DZ).filter((item) => item.id === 'eid-al-fitr-1446')
  t.match(
    observed,
    [
      { date: '2025-03-31', day: 1, of: 3, by: 'supportline (observed dates)', at: '2025-03-31T00:00:00+01:00' },
      { date: '2025-04-01', day: 2, of: 3 },
      { date: '2025-04-02', day: 3, of: 3 },
    ],
    'Eid al-Fitr 2025 is three days, recorded as moved by the shipped data',
  )
  t.notOk('day' in (holidaysForYear('DZ', 2025, [])[0] ?? {}), 'a one-day holiday has no day numbering')
  for (const o of observedHolidays.DZ) {
    t.ok(holidayOverrideSchema.safeParse(o).success, `the shipped override ${o.holidayId} is a valid override`)
    t.equal(o.by, 'supportline (observed dates)', `the shipped override ${o.holidayId} says who decided`)
  }
  t.same(observedHolidays.FR, [], 'France ships no override: its rules are exact')
})

t.test('the lunar estimate', async (t) => {
  const estimate2025 = holidaysForYear('DZ', 2025, [])
    .filter((item) => item.status === 'estimated')
    .map((item) => `${item.date} ${item.id}`)
  t.same(
    estimate2025,
    [
      '2025-03-30 eid-al-fitr-1446',
      '2025-03-31 eid-al-fitr-1446',
      '2025-04-01 eid-al-fitr-1446',
      '2025-06-06 eid-al-adha-1446',
      '2025-06-07 eid-al-adha-1446',
      '2025-06-08 eid-al-adha-1446',
      '2025-06-26 awal-muharram-1447',
      '2025-07-05 ashura-1447',
      '2025-09-04 mawlid-1447',
    ],
    'the 2025 estimate is Umm al-Qura’s, a day early except for Eid al-Adha, as DESIGN.md says',
  )
  const in2006 = holidaysForYear('DZ', 2006, [])
    .filter((item) => item.key === 'eid-al-adha')
    .map((item) => item.date)
  const in2007 = holidaysForYear('DZ', 2007, [])
    .filter((item) => item.id === 'eid-al-adha-1427')
    .map((item) => `${item.date} day ${item.day}`)
  t.same(in2006.slice(-1), ['2006-12-31'], 'Eid al-Adha 1427 starts on 31 December 2006')
  t.same(in2007, ['2007-01-01 day 2'], 'its second (and last: an Eid had two days then) falls in 2007')
  const fitr2033 = [
    ...new Set(
      holidaysForYear('DZ', 2033, [])
        .filter((item) => item.key === 'eid-al-fitr')
        .map((item) => item.id),
    ),
  ]
  t.same(fitr2033, ['eid-al-fitr-1454', 'eid-al-fitr-1455'], 'Eid al-Fitr falls twice in 2033, as two occurrences')
  t.same(holidaysForYear(null, 2026, []), [], 'a desk without a country has no holiday')
})

t.test('France', async (t) => {
  for (const [year, expected] of Object.entries(frHolidays)) {
    const items = holidaysForYear('FR', Number(year), [])
    t.same(
      items.map((item) => [item.date, item.id, item.name]),
      expected,
      `the French holidays of ${year} are the eleven of the Code du travail`,
    )
    t.ok(
      items.every((item) => item.status === 'confirmed'),
      `the French holidays of ${year} are all confirmed`,
    )
  }
  for (const [year, easter] of Object.entries(easterSundays)) {
    const monday = holidaysForYear('FR', Number(year), []).find((item) => item.key === 'easter-monday')
    t.equal(monday?.date, dayAfter(easter), `Easter Monday ${year} is the day after Easter Sunday ${easter}`)
  }
})

t.test('overrides', async (t) => {
  const est = holidaysForYear('DZ', 2026, [])
  t.equal(est.find((item) => item.id === 'mawlid-1448')?.status, 'estimated', 'Mawlid 2026 starts as an estimate')

  const confirmed = holidaysForYear('DZ', 2026, [
    override({ holidayId: 'mawlid-1448', action: 'confirm', at: '2026-08-20T10:00:00Z' }),
  ])
  t.match(
    confirmed.find((item) => item.id === 'mawlid-1448'),
    { date: '2026-08-25', status: 'confirmed', by, at: '2026-08-20T10:00:00Z' },
    'a confirmed estimate keeps its date and records who confirmed it',
  )
  t.notOk('movedFrom' in (confirmed.find((item) => item.id === 'mawlid-1448') ?? {}), 'a confirmed holiday was not moved')

  const moved = holidaysForYear('DZ', 2026, [
    override({ holidayId: 'eid-al-fitr-1447', action: 'move', start: '2026-03-21', at: '2026-03-19T20:00:00Z' }),
  ])
  t.same(
    moved.filter((item) => item.id === 'eid-al-fitr-1447').map((item) => [item.date, item.status, item.movedFrom]),
    [
      ['2026-03-21', 'confirmed', '2026-03-20'],
      ['2026-03-22', 'confirmed', '2026-03-20'],
      ['2026-03-23', 'confirmed', '2026-03-20'],
    ],
    'a moved Eid keeps its three days and says where it was moved from',
  )

  const renamedShort = holidaysForYear('DZ', 2026, [
    override({
      holidayId: 'yennayer-2026',
      action: 'move',
      start: '2026-01-12',
      days: 2,
      name: 'Yennayer 2976',
      at: '2026-01-01T00:00:00Z',
    }),
  ])
  t.same(
    renamedShort.filter((item) => item.id === 'yennayer-2026').map((item) => [item.date, item.name, item.movedFrom]),
    [
      ['2026-01-12', 'Yennayer 2976', undefined],
      ['2026-01-13', 'Yennayer 2976', undefined],
    ],
    'a move to the same start with a length and a name changes only those',
  )

  const removed = holidaysForYear('DZ', 2026, [
    override({ holidayId: 'ashura-1448', action: 'remove', at: '2026-06-01T00:00:00Z' }),
  ])
  t.notOk(
    removed.some((item) => item.id === 'ashura-1448'),
    'a removed holiday is gone',
  )

  const added = holidaysForYear('DZ', 2026, [
    override({
      holidayId: 'election-2026',
      action: 'add',
      start: '2026-06-11',
      name: 'Élections législatives',
      at: '2026-05-01T00:00:00Z',
    }),
  ])
  t.match(
    added.find((item) => item.id === 'election-2026'),
    { date: '2026-06-11', name: 'Élections législatives', status: 'manual', by },
    'an added holiday is manual',
  )
  t.same(
    holidaysForYear(null, 2026, [
      override({ holidayId: 'bridge', action: 'add', start: '2026-05-15', days: 2, name: 'Pont', at: '2026-05-01T00:00:00Z' }),
    ]).map((item) => item.date),
    ['2026-05-15', '2026-05-16'],
    'a desk without a country still has its added holidays',
  )
  t.same(
    holidaysForYear(null, 2027, [
      override({ holidayId: 'bridge', action: 'add', start: '2026-05-15', name: 'Pont', at: '2026-05-01T00:00:00Z' }),
    ]),
    [],
    'an added holiday shows only in its own year',
  )
  const replaced = holidaysForYear('DZ', 2026, [
    override({ holidayId: 'mawlid-1448', action: 'add', start: '2026-08-26', name: 'Mawlid', at: '2026-08-20T00:00:00Z' }),
  ])
  t.same(
    replaced.filter((item) => item.id === 'mawlid-1448').map((item) => [item.date, item.status]),
    [['2026-08-26', 'manual']],
    'an add on a known id replaces that occurrence',
  )

  const straddle = holidaysForYear('DZ', 2007, [
    override({ holidayId: 'eid-al-adha-1427', action: 'move', start: '2007-01-01', at: '2006-12-30T00:00:00Z' }),
  ])
  t.same(
    straddle.filter((item) => item.id === 'eid-al-adha-1427').map((item) => item.date),
    ['2007-01-01', '2007-01-02'],
    'an Eid moved from 31 December into January shows in the new year, with its two days',
  )
  t.notOk(
    holidaysForYear('DZ', 2006, [
      override({ holidayId: 'eid-al-adha-1427', action: 'move', start: '2007-01-01', at: '2006-12-30T00:00:00Z' }),
    ]).some((item) => item.id === 'eid-al-adha-1427'),
    'and no longer in the old year',
  )

  t.same(holidaysForYear('FR', 2026, observedHolidays.DZ).length, 11, 'overrides of another country’s holidays change nothing')
})

t.test('the latest override wins', async (t) => {
  const first = override({ holidayId: 'mawlid-1448', action: 'move', start: '2026-08-26', at: '2026-08-24T10:00:00Z' })
  const second = override({ holidayId: 'mawlid-1448', action: 'confirm', by: 'karim', at: '2026-08-24T12:00:00+01:00' })
  const dateWith = (list: HolidayOverride[]): string | undefined =>
    holidaysForYear('DZ', 2026, list).find((item) => item.id === 'mawlid-1448')?.date
  t.equal(dateWith([first, second]), '2026-08-25', 'a confirm recorded an hour later undoes the move')
  t.equal(dateWith([second, first]), '2026-08-25', 'the order of the list does not matter, the instant does')
  const sameInstant = override({ holidayId: 'mawlid-1448', action: 'remove', at: '2026-08-24T10:00:00Z' })
  t.equal(dateWith([first, sameInstant]), undefined, 'on the same instant the later in the list wins')
  t.match(
    holidaysForYear('DZ', 2025, [
      ...observedHolidays.DZ,
      override({ holidayId: 'mawlid-1447', action: 'move', start: '2025-09-06', at: '2025-09-10T00:00:00Z' }),
    ]).find((item) => item.id === 'mawlid-1447'),
    { date: '2025-09-06', by },
    'a manager’s later decision wins over the shipped data',
  )
})

t.test('the years each holiday exists: Yennayer from 2018, the third day of the Eids from mid-2023', async (t) => {
  const yennayer = (year: number) => holidaysForYear('DZ', year, []).some((item) => item.key === 'yennayer')
  for (const year of dzHolidaysByLaw.yennayer.absent) t.notOk(yennayer(year), `no Yennayer in ${year}`)
  for (const year of dzHolidaysByLaw.yennayer.present) t.ok(yennayer(year), `Yennayer in ${year}`)
  for (const { id, year, days } of dzHolidaysByLaw.eidDays) {
    const items = holidaysForYear('DZ', year, []).filter((item) => item.id === id)
    t.equal(items.length, days, `${id}: ${days} days`)
  }
})

t.test("a manager's decision wins over the shipped data, whenever it was made", async (t) => {
  // The evening before the shipped first day of Eid al-Fitr 1446, a manager confirmed the estimate (30 March).
  const evening = override({
    holidayId: 'eid-al-fitr-1446',
    action: 'confirm',
    start: '2025-03-30',
    at: '2025-03-30T19:00:00+01:00',
  })
  t.match(
    holidayOccurrence('DZ', [...observedHolidays.DZ, evening], 'eid-al-fitr-1446', 2025),
    { first: '2025-03-30', status: 'confirmed' },
    'the shipped move, timestamped later, does not undo it',
  )
  t.match(
    holidayOccurrence('DZ', [evening, ...observedHolidays.DZ], 'eid-al-fitr-1446', 2025),
    { first: '2025-03-30' },
    'nor does its place in the list',
  )
})

t.test('a confirmation pins the date it confirmed', async (t) => {
  // The runtime's estimate of Mawlid 1448 is 25 August 2026; a confirmation recorded with the 26th
  // (the estimate when it was made, by older calendar data) keeps the 26th.
  const pinned = override({ holidayId: 'mawlid-1448', action: 'confirm', start: '2026-08-26', at: '2026-08-20T10:00:00Z' })
  t.match(holidayOccurrence('DZ', [pinned], 'mawlid-1448', 2026), { first: '2026-08-26', status: 'confirmed' })
  t.notOk(holidaysForYear('DZ', 2026, [pinned]).find((item) => item.id === 'mawlid-1448')?.movedFrom, 'a confirmation is no move')
  const unpinned = override({ holidayId: 'mawlid-1448', action: 'confirm', at: '2026-08-20T10:00:00Z' })
  t.match(
    holidayOccurrence('DZ', [unpinned], 'mawlid-1448', 2026),
    { first: '2026-08-25' },
    'one without a date (older records) confirms the estimate',
  )
})

t.test('estimates to confirm: the next 60 days; one that is over and unconfirmed is past', async (t) => {
  t.same(
    holidaysToConfirm('DZ', observedHolidays.DZ, '2026-05-01', 60).map((h) => [h.id, h.first, h.last]),
    [
      ['eid-al-adha-1447', '2026-05-27', '2026-05-29'],
      ['awal-muharram-1448', '2026-06-16', '2026-06-16'],
      ['ashura-1448', '2026-06-25', '2026-06-25'],
    ],
  )
  t.same(
    holidaysToConfirm('DZ', observedHolidays.DZ, '2026-05-28', 0).map((h) => h.id),
    ['eid-al-adha-1447'],
    'one under way is still to confirm',
  )
  const confirmed = override({
    holidayId: 'eid-al-adha-1447',
    action: 'confirm',
    start: '2026-05-27',
    at: '2026-05-20T10:00:00Z',
  })
  t.same(holidaysToConfirm('DZ', [confirmed], '2026-05-28', 0), [], 'a confirmed one is not')
  t.same(
    holidaysToConfirm('DZ', [], '2026-12-15', 60).map((h) => h.id),
    [],
    'none in the new year’s first weeks either',
  )
  const fitr = holidayOccurrence('DZ', [], 'eid-al-fitr-1447', 2026)
  t.ok(fitr && isPastUnconfirmed(fitr, '2026-03-23'), 'the day after its last day, an unconfirmed Eid is past')
  t.notOk(fitr && isPastUnconfirmed(fitr, '2026-03-22'), 'not on its last day')
  t.notOk(isPastUnconfirmed({ status: 'confirmed', last: '2026-03-22' }, '2026-04-01'), 'a confirmed one never is')
  t.equal(holidayOccurrence('DZ', [], 'no-such-1447', 2026), null)
})

t.test('an override without its date is a programming error', async (t) => {
  const unnamed = {
    holidayId: 'pont-2026',
    action: 'add',
    start: '2026-05-15',
    by,
    at: '2026-05-01T00:00:00Z',
  } as HolidayOverride
  t.equal(
    holidaysForYear(null, 2026, [unnamed])[0]?.name,
    'pont-2026',
    'an added holiday without a name (refused by the schema) shows its id',
  )
  const broken = { holidayId: 'mawlid-1448', action: 'move', by, at: '2026-08-24T10:00:00Z' } as HolidayOverride
  t.throws(
    () => holidaysForYear('DZ', 2026, [broken]),
    { message: 'holiday override "mawlid-1448" (move) needs a valid start date' },
    'a move without a start throws',
  )
})

t.test('a holiday added by hand is named by its first day and a readable slug of its name', async (t) => {
  t.equal(manualHolidayId('Grève générale', '2026-12-08'), 'manual-2026-12-08-greve-generale', 'accents dropped, not split')
  t.equal(manualHolidayId("  Fête de l'Aïd (observée) ", '2027-03-10'), 'manual-2027-03-10-fete-de-l-aid-observee')
  t.equal(
    manualHolidayId(`${'x'.repeat(39)} y`, '2027-01-01'),
    `manual-2027-01-01-${'x'.repeat(39)}`,
    'cut at 40, no dangling dash',
  )
  t.equal(manualHolidayId('عيد', '2027-01-01'), 'manual-2027-01-01-holiday', 'a name with no latin letter still gives a valid id')
})
