// Seasons: Ramadan's hours on its published dates (estimated, then decided), Gregorian ranges, and every reader of hours following them.
import t from 'tap'
import {
  addWorkingTime,
  type DeskCalendar,
  deskStatus,
  type HolidayOverride,
  hoursOn,
  moveSeason,
  observedHolidays,
  type Season,
  type SeasonOverride,
  seasonsForYear,
  weeklyOn,
  workingTimeBetween,
} from '../../../src/domain/calendar/index.js'
import { hijriDateOf, hijriMonthStart } from '../../../src/domain/calendar/holiday-rules.js'
import { intercom, intercomRamadanWeekly, intercomWeekly, noHours } from '../../fixtures/calendar/desks.js'
import { ramadanCases } from '../../fixtures/calendar/season-cases.js'

const HOUR = 3_600_000
const by = 'amina'
const ramadan: Season = { name: 'Ramadan', hijriMonth: 9, weekly: intercomRamadanWeekly }
/** INTERcom with its Ramadan hours, and the shipped observed holidays (Eid al-Fitr 1446 on 31 March 2025). */
const intercomRamadan: DeskCalendar = { ...intercom, seasons: [ramadan] }
/** The same with no decision at all: every lunar date is Umm al-Qura's. */
const estimateOnly: DeskCalendar = { ...intercom, holidayOverrides: [], seasons: [ramadan] }

const occurrence = (calendar: DeskCalendar, year: number, id: string) => seasonsForYear(calendar, year).find((s) => s.id === id)
const iso = (at: Date | null | undefined) => at?.toISOString() ?? null

t.test('Ramadan in Algeria: the Umm al-Qura estimate, then the observed dates as decisions', async (t) => {
  for (const c of ramadanCases) {
    const year = Number(c.estimated.start.slice(0, 4))
    const id = `ramadan-${c.hijriYear}`
    t.match(
      occurrence(estimateOnly, year, id),
      { ...c.estimated, status: 'estimated', bounds: { start: { status: 'estimated' }, end: { status: 'estimated' } } },
      `${id} is estimated from ${c.estimated.start} to ${c.estimated.end}`,
    )
    const seasonOverrides: SeasonOverride[] = [
      { seasonId: id, action: 'move', start: c.observed.start, by, at: `${c.observed.start}T00:00:00+01:00` },
    ]
    const holidayOverrides: HolidayOverride[] =
      c.observed.eidAlFitr === null
        ? []
        : [
            {
              holidayId: `eid-al-fitr-${c.hijriYear}`,
              action: 'move',
              start: c.observed.eidAlFitr,
              by,
              at: `${c.observed.eidAlFitr}T00:00:00+01:00`,
            },
          ]
    const decided = { ...estimateOnly, seasonOverrides, holidayOverrides }
    t.match(
      occurrence(decided, year, id),
      c.expected,
      `${id} runs from ${c.expected.start} to ${c.expected.end} as observed in Algeria (${c.expected.status})`,
    )
  }
})

t.test('moving Eid al-Fitr moves the end of Ramadan: one decision, one truth', async (t) => {
  t.match(
    occurrence(intercomRamadan, 2025, 'ramadan-1446'),
    {
      start: '2025-03-01',
      end: '2025-03-30',
      status: 'estimated',
      bounds: {
        start: { date: '2025-03-01', status: 'estimated' },
        end: {
          date: '2025-03-30',
          status: 'confirmed',
          decidedBy: 'holiday',
          holidayId: 'eid-al-fitr-1446',
          by: 'supportline (observed dates)',
          movedFrom: '2025-03-29',
        },
      },
    },
    'with the shipped data, Ramadan 1446 ends the eve of the observed Eid; its start, confirmed by nobody, stays an estimate',
  )
  const eid = (action: HolidayOverride['action'], start?: string): HolidayOverride[] => [
    { holidayId: 'eid-al-fitr-1447', action, ...(start ? { start } : {}), by, at: '2026-03-19T20:00:00+01:00' },
  ]
  const ownEnd: SeasonOverride[] = [
    { seasonId: 'ramadan-1447', action: 'move', end: '2026-03-18', by, at: '2026-03-01T10:00:00+01:00' },
  ]
  const end = (holidayOverrides: HolidayOverride[], seasonOverrides: SeasonOverride[] = []) =>
    occurrence({ ...estimateOnly, holidayOverrides, seasonOverrides }, 2026, 'ramadan-1447')?.bounds?.end
  t.match(
    end(eid('move', '2026-03-21'), ownEnd),
    { date: '2026-03-20', decidedBy: 'holiday' },
    'a decided Eid wins over the season’s own end',
  )
  t.match(
    end(eid('confirm')),
    { date: '2026-03-19', status: 'confirmed', decidedBy: 'holiday' },
    'a confirmed Eid confirms the end',
  )
  t.match(
    end([], ownEnd),
    { date: '2026-03-18', decidedBy: 'season', movedFrom: '2026-03-19' },
    'an estimated Eid decides nothing',
  )
  t.match(end(eid('remove')), { date: '2026-03-19', status: 'estimated' }, 'a removed Eid: back to the estimate')
  const french = { ...estimateOnly, country: 'FR' as const, holidayOverrides: eid('move', '2026-03-21') }
  t.match(
    occurrence(french, 2026, 'ramadan-1447')?.bounds?.end,
    { date: '2026-03-19', status: 'estimated' },
    'no Eid holiday in France',
  )
})

t.test('a bound a holiday decided moves only with that holiday', async (t) => {
  const season = occurrence(intercomRamadan, 2025, 'ramadan-1446')
  if (!season) throw new Error('no Ramadan 1446')
  t.same(moveSeason(season, { start: '2025-03-02' }), { ok: true, start: '2025-03-02', end: '2025-03-30' })
  t.same(moveSeason(season, { start: '2025-03-02', end: '2025-03-30' }), { ok: true, start: '2025-03-02', end: '2025-03-30' })
  t.match(moveSeason(season, { end: '2025-03-29' }), {
    ok: false,
    problem: {
      code: 'season_bound_decided',
      field: 'body.end',
      message:
        'the last day of Ramadan (2025-03-30) follows the holiday eid-al-fitr-1446 (decided by supportline (observed dates)): move that holiday instead',
    },
  })
  t.match(moveSeason(season, { start: '2025-04-02' }), {
    ok: false,
    problem: {
      code: 'season_reversed',
      field: 'body.end',
      message: 'the season would end (2025-03-30) before it starts (2025-04-02)',
    },
  })
  const undecided = occurrence(estimateOnly, 2025, 'ramadan-1446')
  if (!undecided) throw new Error('no Ramadan 1446')
  t.same(
    moveSeason(undecided, { end: '2025-03-29' }),
    { ok: true, start: '2025-03-01', end: '2025-03-29' },
    'an estimate moves freely',
  )
  const openedByHoliday = {
    ...undecided,
    bounds: {
      start: { date: '2025-03-01', status: 'confirmed' as const, decidedBy: 'holiday' as const, holidayId: 'x' },
      end: undecided.bounds?.end ?? { date: '', status: 'estimated' as const },
    },
  }
  t.match(moveSeason(openedByHoliday, { start: '2025-03-02' }), {
    ok: false,
    problem: { field: 'body.start', message: /^the first day of Ramadan \(2025-03-01\) follows the holiday x: move/ },
  })
})

t.test('holidays that open a Hijri month decide its bounds', async (t) => {
  const shawwal: Season = { name: 'Chaoual', hijriMonth: 10, weekly: {} }
  const dhuAlHijja: Season = { name: 'Dhou el Hidja', hijriMonth: 12, weekly: {} }
  const calendar = { ...intercom, seasons: [shawwal, dhuAlHijja] }
  t.match(
    occurrence(calendar, 2025, 'chaoual-1446')?.bounds?.start,
    { date: '2025-03-31', decidedBy: 'holiday', holidayId: 'eid-al-fitr-1446' },
    'Shawwal 1446 opens on the observed Eid al-Fitr (31 March 2025)',
  )
  t.match(
    occurrence(calendar, 2025, 'dhou-el-hidja-1446')?.bounds?.end,
    { date: '2025-06-26', decidedBy: 'holiday', holidayId: 'awal-muharram-1447' },
    'Dhu al-Hijja 1446 ends the eve of the observed Awal Muharram (27 June 2025)',
  )
})

t.test('each bound follows the latest decision that sets it', async (t) => {
  const at = (day: number) => `2026-02-${String(day).padStart(2, '0')}T20:00:00+01:00`
  const decide = (...seasonOverrides: SeasonOverride[]) => occurrence({ ...estimateOnly, seasonOverrides }, 2026, 'ramadan-1447')
  t.match(
    decide(
      { seasonId: 'ramadan-1447', action: 'confirm', by, at: at(17) },
      { seasonId: 'ramadan-1447', action: 'move', end: '2026-03-20', by: 'karim', at: at(27) },
    ),
    {
      start: '2026-02-18',
      end: '2026-03-20',
      status: 'confirmed',
      bounds: {
        start: { status: 'confirmed', decidedBy: 'season', by, at: at(17) },
        end: { status: 'confirmed', by: 'karim', movedFrom: '2026-03-19' },
      },
    },
    'a confirmed start and a moved end are both kept: confirmed',
  )
  t.notOk(
    'movedFrom' in (decide({ seasonId: 'ramadan-1447', action: 'confirm', by, at: at(17) })?.bounds?.start ?? {}),
    'confirmed, not moved',
  )
  t.equal(
    decide(
      { seasonId: 'ramadan-1447', action: 'move', start: '2026-02-19', by, at: at(18) },
      { seasonId: 'ramadan-1447', action: 'move', start: '2026-02-20', by, at: at(17) },
    )?.start,
    '2026-02-19',
    'the latest by time, whatever the order',
  )
  t.equal(
    decide(
      { seasonId: 'ramadan-1447', action: 'move', start: '2026-02-20', by, at: at(17) },
      { seasonId: 'ramadan-1447', action: 'move', start: '2026-02-19', by, at: at(17) },
    )?.start,
    '2026-02-19',
    'a tie goes to the later in the list',
  )
  t.equal(
    decide({ seasonId: 'ramadan-1447', action: 'move', start: '2026-03-25', by, at: at(17) }),
    undefined,
    'a start moved past the end leaves no season',
  )
  t.equal(
    decide({ seasonId: 'ramadan-1446', action: 'move', start: '2026-02-25', by, at: at(17) })?.start,
    '2026-02-18',
    'a decision about another year’s occurrence changes nothing',
  )
})

t.test('the desk follows the Ramadan hours on its dates, and holidays still win', async (t) => {
  const cases: [at: string, open: boolean, next: string | null, why: string][] = [
    ['2025-02-26T15:00:00+01:00', true, null, 'the Wednesday before Ramadan: the usual afternoon'],
    ['2025-02-26T16:30:00+01:00', false, '2025-03-01T08:00:00.000Z', 'the next opening is the first morning of Ramadan, at 9:00'],
    ['2025-03-01T15:00:00+01:00', false, '2025-03-02T08:00:00.000Z', 'the first day of Ramadan closes at 14:00'],
    ['2025-03-15T13:30:00+01:00', true, null, 'no lunch break during Ramadan'],
    ['2025-03-30T13:30:00+01:00', true, null, 'its last day, the eve of the observed Eid'],
    ['2025-04-05T12:30:00+01:00', false, '2025-04-05T12:15:00.000Z', 'after Eid, the usual hours and their break'],
  ]
  for (const [at, open, next, why] of cases) {
    const status = deskStatus(intercomRamadan, new Date(at))
    t.equal(status.open, open, `${at} is ${open ? 'open' : 'closed'}: ${why}`)
    t.equal(iso(status.nextOpening), next, `and opens next at ${next ?? '(open)'}`)
  }
  t.equal(
    iso(deskStatus(intercomRamadan, new Date('2025-03-15T13:30:00+01:00')).closesAt),
    '2025-03-15T13:00:00.000Z',
    'closing at 14:00',
  )
  t.match(
    deskStatus(intercomRamadan, new Date('2025-03-31T10:00:00+01:00')),
    {
      open: false,
      reason: 'holiday',
      holiday: 'Aïd el-Fitr',
      holidayKey: 'eid-al-fitr',
      nextOpening: new Date('2025-04-05T08:30:00.000Z'),
    },
    'Eid al-Fitr is a holiday, and the desk reopens on Saturday with its usual hours',
  )
  const withClosure = { ...intercomRamadan, closures: [{ start: '2025-03-16', name: 'Inventaire' }] }
  t.match(
    deskStatus(withClosure, new Date('2025-03-16T10:00:00+01:00')),
    { reason: 'closure', closure: 'Inventaire' },
    'a closure wins over a season',
  )
})

t.test('working time counts the Ramadan hours', async (t) => {
  // from Thursday evening: Saturday to Tuesday 4 × 5 h, then 4 h on Wednesday
  t.equal(
    iso(addWorkingTime(intercomRamadan, new Date('2025-03-13T18:00:00+01:00'), 24 * HOUR)),
    '2025-03-19T12:00:00.000Z',
    '24 working hours from Thursday 13 March 2025 are due on Wednesday 19 March at 13:00',
  )
  t.equal(
    workingTimeBetween(intercomRamadan, new Date('2025-03-15T00:00:00+01:00'), new Date('2025-03-20T00:00:00+01:00')) / HOUR,
    25,
    'a week of Ramadan is 25 working hours',
  )
})

t.test('the hours in force on a date, a season’s with it', async (t) => {
  const during = hoursOn(intercomRamadan, '2025-03-15')
  t.same(during.weekly, intercomRamadanWeekly, 'during Ramadan, its hours')
  t.match(during.season, {
    id: 'ramadan-1446',
    key: 'ramadan',
    name: 'Ramadan',
    start: '2025-03-01',
    end: '2025-03-30',
    hijriMonth: 9,
    hijriYear: 1446,
  })
  t.same(hoursOn(intercomRamadan, '2025-04-05'), { weekly: intercomWeekly, season: null }, 'after it, the usual hours')
  t.same(weeklyOn(intercomRamadan, '2025-03-15'), intercomRamadanWeekly, 'weeklyOn reads the season too')
  t.same(hoursOn(intercom, '2025-03-15'), { weekly: intercomWeekly, season: null }, 'a desk without seasons')
  t.same(seasonsForYear(intercom, 2025), [], 'has none to list')
})

t.test('Gregorian seasons: every year on their month-days', async (t) => {
  const summer: Season = { name: "Horaires d'été", from: '07-01', to: '08-31', weekly: { sun: ['08:00-13:00'] } }
  const yearEnd: Season = { name: 'Fin d’année', from: '12-20', to: '01-10', weekly: {} }
  const calendar = { ...intercom, seasons: [summer, yearEnd] }
  t.same(
    seasonsForYear(calendar, 2026).map((s) => [s.id, s.start, s.end, s.status]),
    [
      ['fin-d-annee-2025', '2025-12-20', '2026-01-10', 'manual'],
      ['horaires-d-ete-2026', '2026-07-01', '2026-08-31', 'manual'],
      ['fin-d-annee-2026', '2026-12-20', '2027-01-10', 'manual'],
    ],
    'summer hours, and a range across each new year',
  )
  t.match(seasonsForYear(calendar, 2026)[1], { name: "Horaires d'été", from: '07-01', to: '08-31', weekly: summer.weekly })
  t.equal(
    deskStatus(calendar, new Date('2026-07-12T11:00:00+01:00')).open,
    true,
    'Sunday 12 July 2026 at 11:00: the summer hours',
  )
  t.equal(deskStatus(calendar, new Date('2026-07-04T10:00:00+01:00')).open, false, 'no summer Saturday')
  t.match(
    deskStatus(calendar, new Date('2026-01-07T10:00:00+01:00')),
    { reason: 'outside_hours', nextOpening: new Date('2026-01-11T08:30:00.000Z') },
    'closed until the year-end season is over',
  )
  const leap: Season = { name: 'Bissextile', from: '02-29', to: '03-02', weekly: {} }
  const february: Season = { name: 'Février', from: '02-01', to: '02-29', weekly: {} }
  const dates = (season: Season, year: number) =>
    seasonsForYear({ ...intercom, seasons: [season] }, year)
      .filter((s) => s.id.endsWith(String(year)))
      .map((s) => [s.start, s.end])
  t.same(dates(leap, 2024), [['2024-02-29', '2024-03-02']], 'from 29 February in a leap year')
  t.same(dates(leap, 2025), [['2025-03-01', '2025-03-02']], 'from 1 March in the others')
  t.same(dates(february, 2028), [['2028-02-01', '2028-02-29']], 'to 29 February in a leap year')
  t.same(dates(february, 2027), [['2027-02-01', '2027-02-28']], 'to the 28th in the others')
})

t.test('when seasons overlap, the first in the list wins', async (t) => {
  const june: Season = { name: 'Juin', from: '06-01', to: '06-30', weekly: { mon: ['10:00-11:00'] } }
  const july: Season = { name: 'Juillet', from: '06-15', to: '07-15', weekly: { mon: ['14:00-15:00'] } }
  const hidden: Season = { name: 'Caché', from: '06-10', to: '06-12', weekly: {} }
  const monday = new Date('2026-06-22T10:30:00+01:00')
  t.equal(deskStatus({ ...intercom, seasons: [june, july] }, monday).open, true, 'June’s hours on Monday 22 June')
  t.equal(deskStatus({ ...intercom, seasons: [july, june] }, monday).open, false, 'July’s when it comes first')
  t.same(
    seasonsForYear({ ...intercom, seasons: [june, july, hidden] }, 2026).map((s) => [s.id, s.start, s.end]),
    [
      ['juin-2026', '2026-06-01', '2026-06-30'],
      ['juillet-2026', '2026-06-15', '2026-07-15'],
    ],
    'each with its own dates; a season wholly hidden is not listed',
  )
})

t.test('revisions of the hours may carry seasons', async (t) => {
  const shorter: Season = { ...ramadan, weekly: { sat: ['10:00-13:00'] } }
  const calendar: DeskCalendar = {
    ...estimateOnly,
    weeklyChanges: [
      { from: '2026-01-01', weekly: intercomWeekly }, // weekly hours only: the seasons carry on
      { from: '2026-03-01', weekly: intercomWeekly, seasons: [shorter] },
      { from: '2027-01-01', weekly: intercomWeekly, seasons: [] },
    ],
  }
  t.equal(
    deskStatus(calendar, new Date('2026-02-21T09:30:00+01:00')).open,
    true,
    'Saturday 21 February 2026: the first Ramadan hours',
  )
  t.equal(
    deskStatus(calendar, new Date('2026-03-07T09:30:00+01:00')).open,
    false,
    'Saturday 7 March: the revised ones, from 10:00',
  )
  t.equal(deskStatus(calendar, new Date('2026-03-07T12:30:00+01:00')).open, true, 'still open at 12:30')
  t.same(
    seasonsForYear(calendar, 2026).map((s) => [s.id, s.weekly]),
    [['ramadan-1447', intercomRamadanWeekly]],
    'listed once, with the hours in force on its first day',
  )
  t.same(seasonsForYear(calendar, 2027), [], 'the seasons ended from 2027')
  t.equal(deskStatus(calendar, new Date('2027-02-13T13:30:00+01:00')).open, true, 'so Ramadan 1448 keeps the usual hours')
})

t.test('a desk open only in a season still finds its next opening', async (t) => {
  const summerOnly = { ...noHours, seasons: [{ name: 'Été', from: '07-01', to: '08-31', weekly: { sun: ['08:00-13:00'] } }] }
  t.equal(
    iso(deskStatus(summerOnly, new Date('2026-06-01T10:00:00+01:00')).nextOpening),
    '2026-07-12T07:00:00.000Z',
    'the second summer Sunday: the first, 5 July, is Independence Day',
  )
})

t.test('decisions are read by content, not by identity', async (t) => {
  const at = new Date('2026-02-18T15:00:00+01:00')
  const seasonOverrides: SeasonOverride[] = []
  const calendar = { ...estimateOnly, seasonOverrides }
  t.equal(deskStatus(calendar, at).open, false, 'Wednesday 18 February 2026 at 15:00: estimated first day of Ramadan, closed')
  seasonOverrides.push({ seasonId: 'ramadan-1447', action: 'move', start: '2026-02-19', by, at: '2026-02-17T21:00:00+01:00' })
  t.equal(deskStatus(calendar, at).open, true, 'moved to the 19th as observed: the usual Wednesday afternoon')
  t.equal(deskStatus({ ...estimateOnly, seasonOverrides: [] }, at).open, false, 'and without the decision, closed again')
  t.equal(deskStatus({ ...intercom, holidayOverrides: observedHolidays.DZ, seasons: [ramadan] }, at).open, false)
})

t.test('a desk without a country: Ramadan on the estimate, nothing decides it but its own decisions', async (t) => {
  const nowhere = { ...estimateOnly, country: null, holidayOverrides: observedHolidays.DZ }
  t.match(occurrence(nowhere, 2025, 'ramadan-1446'), { start: '2025-03-01', end: '2025-03-29', status: 'estimated' })
})

t.test('the first day of every Hijri month, 1300–1600 AH, is the Umm al-Qura calendar’s', async (t) => {
  let wrong = 0
  for (let year = 1300; year <= 1600; year++) {
    for (let month = 1; month <= 12; month++) {
      const start = hijriMonthStart(year, month)
      const [first, before] = [hijriDateOf(start), hijriDateOf(start - 1)]
      if (first.year !== year || first.month !== month || first.day !== 1 || before.month === month) wrong++
    }
  }
  t.equal(wrong, 0, 'no month starts on another day than its 1st')
})

t.test('the season indexes kept are bounded, and still right once emptied', async (t) => {
  const at = new Date('2026-02-18T15:00:00+01:00')
  for (let minute = 0; minute < 70; minute++) {
    const decidedAt = `2026-01-01T10:${String(minute % 60).padStart(2, '0')}:00+0${1 + Math.floor(minute / 60)}:00`
    const seasonOverrides: SeasonOverride[] = [
      { seasonId: 'ramadan-1447', action: 'move', start: '2026-02-19', by, at: decidedAt },
    ]
    t.equal(deskStatus({ ...estimateOnly, seasonOverrides }, at).open, true, `decision ${minute}: the usual Wednesday afternoon`)
  }
  t.equal(deskStatus(estimateOnly, at).open, false, 'and the estimate again without it')
})
