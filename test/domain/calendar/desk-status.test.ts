// deskStatus and openWindows over the fixture desks: boundaries, holidays, DST nights, closures, openings, closed now.
import t from 'tap'
import { deskStatus, fixedCalendar, hoursOn, openWindows, type DeskCalendar } from '../../../src/domain/calendar/index.js'
import { desks, intercom, intercomWithExceptions, modelClause } from '../../fixtures/calendar/desks.js'
import { dzHolidays } from '../../fixtures/calendar/holiday-cases.js'
import { statusCases } from '../../fixtures/calendar/status-cases.js'

const iso = (text: string | null | undefined): string | null | undefined =>
  text === null || text === undefined ? text : new Date(text).toISOString()

t.test('status at an instant', async (t) => {
  for (const c of statusCases) {
    const status = deskStatus(desks[c.desk], new Date(c.at))
    const label = `${c.desk} at ${c.at} (${c.why})`
    t.equal(status.open, c.open, `${label} is ${c.open ? 'open' : 'closed'}`)
    t.equal(status.reason, c.open ? 'open' : c.reason, `${label} gives the reason ${c.open ? 'open' : c.reason}`)
    t.equal(status.holiday, c.holiday, `${label} names the holiday ${c.holiday ?? '(none)'}`)
    t.equal(status.closure, c.closure, `${label} names the closure ${c.closure ?? '(none)'}`)
    if (c.open) {
      t.equal(status.nextOpening, null, `${label} has no next opening while open`)
      t.equal(
        status.closesAt?.toISOString() ?? null,
        iso(c.closesAt),
        `${label} closes at ${c.closesAt ?? 'no time within the bound'}`,
      )
    } else {
      t.equal(status.nextOpening?.toISOString() ?? null, iso(c.nextOpening), `${label} opens next at ${c.nextOpening ?? 'never'}`)
      t.notOk('closesAt' in status, `${label} has no closing time while closed`)
    }
  }
})

t.test('every Algerian holiday of 2024–2026 closes INTERcom all day', async (t) => {
  for (const holidays of Object.values(dzHolidays)) {
    for (const holiday of holidays) {
      for (const time of ['00:00:00', '10:00:00', '23:59:59']) {
        const at = `${holiday.date}T${time}+01:00`
        const status = deskStatus(intercom, new Date(at))
        t.equal(status.open, false, `${at} (${holiday.name}) is closed`)
        t.equal(status.reason, 'holiday', `${at} is closed for a holiday`)
        t.equal(status.holiday, holiday.name, `${at} is closed for ${holiday.name}`)
      }
    }
  }
})

t.test('open windows', async (t) => {
  const week = openWindows(intercom, new Date('2026-01-17T00:00:00+01:00'), new Date('2026-01-24T00:00:00+01:00'))
  t.equal(week.length, 10, 'an INTERcom week has ten windows, two a day for five days')
  t.same(
    week.slice(0, 2).map((w) => [w.start.toISOString(), w.end.toISOString()]),
    [
      ['2026-01-17T08:30:00.000Z', '2026-01-17T11:00:00.000Z'],
      ['2026-01-17T12:15:00.000Z', '2026-01-17T15:00:00.000Z'],
    ],
    'Saturday’s windows are 9:30–12:00 and 13:15–16:00 Algiers time',
  )

  const clipped = openWindows(intercom, new Date('2026-01-17T10:00:00+01:00'), new Date('2026-01-17T14:00:00+01:00'))
  t.same(
    clipped.map((w) => [w.start.toISOString(), w.end.toISOString()]),
    [
      ['2026-01-17T09:00:00.000Z', '2026-01-17T11:00:00.000Z'],
      ['2026-01-17T12:15:00.000Z', '2026-01-17T13:00:00.000Z'],
    ],
    'windows are clipped to the range asked for',
  )

  t.same(
    openWindows(intercom, new Date('2026-01-17T14:00:00+01:00'), new Date('2026-01-17T10:00:00+01:00')),
    [],
    'a range that ends before it starts has no window',
  )
  t.same(
    openWindows(intercom, new Date('2026-01-22T00:00:00+01:00'), new Date('2026-01-24T00:00:00+01:00')),
    [],
    'Thursday and Friday have no window',
  )

  const nights = openWindows(
    desks.algiersWednesdayNight,
    new Date('2026-01-07T00:00:00+01:00'),
    new Date('2026-01-09T00:00:00+01:00'),
  )
  t.same(
    nights.map((w) => [w.start.toISOString(), w.end.toISOString()]),
    [['2026-01-07T21:00:00.000Z', '2026-01-08T01:00:00.000Z']],
    'a past-midnight interval is one window across midnight',
  )

  const allDay = openWindows(desks.roundTheClock, new Date('2026-01-17T10:00:00+01:00'), new Date('2026-01-20T10:00:00+01:00'))
  t.equal(allDay.length, 1, 'days open round the clock join into one window')
})

t.test('calendar values are read afresh on every call', async (t) => {
  const calendar: DeskCalendar = { ...modelClause, closures: [] }
  const at = new Date('2026-01-19T10:00:00+01:00')
  t.equal(deskStatus(calendar, at).open, true, 'Monday 10:00 is open before a closure is added')
  const withClosure: DeskCalendar = { ...calendar, closures: [{ start: '2026-01-19', name: 'Déménagement' }] }
  t.equal(deskStatus(withClosure, at).reason, 'closure', 'Monday 10:00 is closed once a closure is added')
  const overrides = [...intercom.holidayOverrides]
  const mutable: DeskCalendar = { ...intercom, holidayOverrides: overrides }
  const fitr = new Date('2026-03-21T10:00:00+01:00')
  t.equal(deskStatus(mutable, fitr).reason, 'holiday', 'the estimated Eid al-Fitr 2026 closes Saturday 21 March')
  overrides.push({ holidayId: 'eid-al-fitr-1447', action: 'move', start: '2026-03-22', by: 'amina', at: '2026-03-19T20:00:00Z' })
  t.equal(deskStatus(mutable, fitr).open, true, 'a move added to the same list opens Saturday 21 March at once')
})

t.test('bad calendar values are reported', async (t) => {
  const at = new Date('2026-01-17T10:00:00+01:00')
  t.throws(
    () => deskStatus({ ...intercom, timezone: 'Mars/Olympus' }, at),
    { message: 'unknown time zone "Mars/Olympus"' },
    'an unknown time zone is refused',
  )
  t.throws(
    () => deskStatus({ ...intercom, closedNow: { since: 'yesterday', by: 'amina' } }, at),
    /closedNow.since is not an instant/,
    'a closed-now switch without an instant is refused',
  )
  t.throws(
    () => deskStatus({ ...intercom, closures: [{ start: '2026-02-30', name: 'x' }] }, at),
    /expected a date "YYYY-MM-DD", got "2026-02-30"/,
    'a closure on a date that does not exist is refused',
  )
  t.throws(
    () => deskStatus({ ...intercom, closures: [{ start: '2026-01-17', from: '9h', name: 'x' }] }, at),
    /expected a time "HH:MM", got "9h"/,
    'a closure from a malformed time is refused',
  )
  t.equal(
    deskStatus({ ...intercomWithExceptions, closedNow: null }, at).open,
    true,
    'a switched-off closed-now (null) leaves the desk open',
  )
})

t.test('many different holiday lists', async (t) => {
  const at = new Date('2026-05-15T10:00:00+02:00')
  let closed = 0
  for (let n = 0; n < 300; n++) {
    const calendar: DeskCalendar = {
      ...modelClause,
      holidayOverrides: [
        { holidayId: `pont-${n}`, action: 'add', start: '2026-05-15', name: 'Pont', by: 'amina', at: '2026-05-01T00:00:00Z' },
      ],
    }
    if (deskStatus(calendar, at).reason === 'holiday') closed++
  }
  t.equal(closed, 300, '300 desks with their own added holiday are each closed for it, however many the cache has seen')
})

t.test('a fixed calendar (compiled once, for the what-if replay) answers as a fresh one, and cannot change', async (t) => {
  for (const [name, desk] of Object.entries(desks)) {
    const fixed = fixedCalendar(structuredClone(desk))
    t.equal(fixedCalendar(fixed), fixed, `${name}: fixing it again is the same calendar`)
    for (const c of statusCases.filter((each) => each.desk === name)) {
      // twice: the second answer comes from the dates remembered by the first
      for (const round of ['first', 'again'])
        t.same(deskStatus(fixed, new Date(c.at)), deskStatus(desk, new Date(c.at)), `${name} at ${c.at} (${round})`)
      const date = c.at.slice(0, 10)
      t.same(hoursOn(fixed, date), hoursOn(desk, date), `${name}: the hours on ${date}`)
    }
    t.throws(() => {
      ;(fixed.closures as unknown[]).push({ start: '2026-01-01', name: 'late' })
    }, `${name}: a change in place throws`)
  }
  // more dates than it remembers: the memory starts again, the answers stay
  const [from, to] = [new Date('2020-01-01T00:00:00Z'), new Date('2032-01-01T00:00:00Z')]
  const fixed = fixedCalendar(structuredClone(intercom))
  t.same(openWindows(fixed, from, to), openWindows(intercom, from, to), 'twelve years of windows, as a fresh calendar gives them')
})
