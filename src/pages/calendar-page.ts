// Calendar: the year's public holidays (estimated, confirmed, added or removed, with who decided):
// confirm, move or remove one, add one; the closures and the exceptional openings, to add or remove.
import {
  type Closure,
  type Holiday,
  type Opening,
  type SeasonOccurrence,
  WEEKDAYS,
  describeHours,
  isPastUnconfirmed,
} from '../domain/calendar/index.js'
import type { DeskSummary } from '../store/dashboard.js'
import { formatDateTime, formatDayRange, formatDayShort, formatHhMm } from './format.js'
import { type Html, html } from './html.js'
import { HOME, type PageContext, csrfField, dateHint, href, layout } from './layout.js'
import { deskPicker } from './parts.js'
import { WHAT_IF, effectiveField, periodFields } from './what-if-page.js'

/** One holiday occurrence: the dates of an Eid (three items sharing an id) read as one row. */
export interface Occurrence {
  id: string
  name: string
  status: Holiday['status']
  first: string
  last: string
  days: number
  by?: string | undefined
  at?: string | undefined
  movedFrom?: string | undefined
  /** removed by a manager: the desk works on it (by and at say who removed it, and when) */
  removed?: boolean
}

/** The year's holiday items grouped into occurrences, in date order. */
export function occurrencesOf(holidays: readonly Holiday[], removed = false): Occurrence[] {
  const byId = new Map<string, Occurrence>()
  for (const holiday of [...holidays].sort((a, b) => a.date.localeCompare(b.date))) {
    const known = byId.get(holiday.id)
    if (known) {
      known.last = holiday.date
      known.days += 1
      continue
    }
    byId.set(holiday.id, {
      id: holiday.id,
      name: holiday.name,
      status: holiday.status,
      first: holiday.date,
      last: holiday.date,
      days: 1,
      by: holiday.by,
      at: holiday.at,
      movedFrom: holiday.movedFrom,
      ...(removed ? { removed } : {}),
    })
  }
  return [...byId.values()]
}

/** A closure or an opening: from the desk file, or added by a manager (who can remove it). */
export interface CalendarEntryRow<T extends Closure | Opening> {
  item: T
  /** the managers' entry id (removable); null for the desk file's own */
  entryId: number | null
  by?: string | undefined
  at?: Date | undefined
}

export interface CalendarView {
  desks: DeskSummary[]
  desk: DeskSummary
  year: number
  today: string
  holidays: Holiday[]
  /** the year's season occurrences (Ramadan, summer hours) */
  seasons: SeasonOccurrence[]
  /** the year's holidays a manager removed, as they stood, with who removed them */
  removedHolidays: Holiday[]
  closures: CalendarEntryRow<Closure>[]
  openings: CalendarEntryRow<Opening>[]
  /** the hours an opening's form starts with: the desk's usual day */
  usualHours: string
  canManage: boolean
}

const STATUS_TONE = { estimated: 'warn', confirmed: 'good', manual: 'info' } as const

/** The hidden fields every calendar form carries: the form token, the desk, the year shown (to come back to). */
function hiddenFields(ctx: PageContext, view: CalendarView): Html {
  return html`${csrfField(ctx)}<input type="hidden" name="desk" value="${view.desk.id}"><input type="hidden" name="year" value="${view.year}">`
}

function holidayActions(ctx: PageContext, view: CalendarView, occurrence: Occurrence): Html {
  const t = ctx.t.calendar
  const action = (verb: 'confirm' | 'move' | 'remove') => `${HOME}/calendar/holidays/${occurrence.id}/${verb}`
  const hidden = hiddenFields(ctx, view)
  const dates = formatDayRange(occurrence.first, occurrence.last, ctx.lang)
  return html`<div class="row-actions">
        ${occurrence.status === 'estimated' && !isPastUnconfirmed(occurrence, view.today) ? html`<form method="post" action="${action('confirm')}" class="inline">${hidden}<button type="submit">${t.confirm}</button></form>` : ''}
        ${
          occurrence.status !== 'manual'
            ? html`<details class="move"><summary>${t.move}</summary>
            <form method="post" action="${action('move')}" class="inline">${hidden}
              <label>${t.moveStart} ${dateHint(ctx)}<input type="date" name="start" value="${occurrence.first}" required></label>
              <label>${t.moveDays}<input type="number" name="days" value="${occurrence.days}" min="1" max="31" required></label>
              <button type="submit">${t.move}</button>
            </form></details>`
            : ''
        }
        <details class="work"><summary>${t.work}</summary>
          <form method="post" action="${action('remove')}" class="confirm">${hidden}
            <p>${t.workExplained(occurrence.name, dates, occurrence.days)}</p>
            <button type="submit" class="danger">${t.workConfirm}</button>
          </form></details>
      </div>`
}

function holidayRow(ctx: PageContext, view: CalendarView, occurrence: Occurrence): Html {
  const t = ctx.t.calendar
  const zone = view.desk.timezone
  const past = occurrence.last < view.today
  const decided =
    occurrence.by && occurrence.at
      ? html`<br><small class="muted">${t.decidedBy(occurrence.by, formatDateTime(new Date(occurrence.at), zone, ctx.lang))}</small>`
      : ''
  const status = occurrence.removed
    ? html`<span class="badge badge-muted" data-status="removed">${t.removed}</span>`
    : isPastUnconfirmed(occurrence, view.today)
      ? html`<span class="badge badge-muted" data-status="past-unconfirmed">${t.pastUnconfirmed}</span>`
      : html`<span class="badge badge-${STATUS_TONE[occurrence.status]}" data-status="${occurrence.status}">${t.statuses[occurrence.status]}</span>`
  // A removed holiday has no way back from here (nor in the API): adding a holiday closes the day again.
  const actions = view.canManage
    ? html`<td class="full">${occurrence.removed ? '' : holidayActions(ctx, view, occurrence)}</td>`
    : ''
  const classes = [past ? 'past' : '', occurrence.removed ? 'removed' : ''].filter(Boolean).join(' ')
  return html`<tr class="${classes}" data-holiday="${occurrence.id}">
    <td class="lead">${formatDayRange(occurrence.first, occurrence.last, ctx.lang)}${occurrence.movedFrom ? html`<br><small class="muted">${t.movedFrom(formatDayShort(occurrence.movedFrom, ctx.lang))}</small>` : ''}</td>
    <td class="lead">${occurrence.removed ? html`<s>${occurrence.name}</s>` : occurrence.name}</td>
    <td>${status}${decided}</td>
    ${actions}
  </tr>`
}

function addHolidayForm(ctx: PageContext, view: CalendarView): Html {
  const t = ctx.t.calendar
  return html`<details class="add"><summary>${t.addHoliday}</summary>
      <form method="post" action="${HOME}/calendar/holidays" class="filters">
        ${hiddenFields(ctx, view)}
        <label>${t.holidayName}<input name="name" required maxlength="200"></label>
        <label>${t.moveStart} ${dateHint(ctx)}<input type="date" name="start" required></label>
        <label>${t.moveDays}<input type="number" name="days" value="1" min="1" max="31" required></label>
        <div class="actions"><button type="submit">${t.addHoliday}</button></div>
      </form></details>`
}

/** "09:30-12:00" → "9 h 30 – 12 h", "9:30 am – 12 pm": the page's one way of writing times. */
function hoursRange(range: string, lang: PageContext['lang']): string {
  const [from = '', to = ''] = range.split('-')
  return `${formatHhMm(from, lang)}\u00a0\u2013 ${formatHhMm(to, lang)}`
}

/** Who added an entry and when, or that it comes from the desk file. */
function sourceOf<T extends Closure | Opening>(ctx: PageContext, view: CalendarView, row: CalendarEntryRow<T>): Html | string {
  const t = ctx.t.calendar
  if (row.entryId === null) return html`<span class="muted">${t.fromFile}</span>`
  return row.by && row.at ? t.decidedBy(row.by, formatDateTime(row.at, view.desk.timezone, ctx.lang)) : ''
}

function removeCell<T extends Closure | Opening>(
  ctx: PageContext,
  view: CalendarView,
  kind: 'closures' | 'openings',
  row: CalendarEntryRow<T>,
): Html | string {
  if (!view.canManage) return ''
  const form =
    row.entryId === null
      ? ''
      : html`<form method="post" action="${HOME}/calendar/${kind}/${row.entryId}/remove" class="inline">${hiddenFields(ctx, view)}<button type="submit" class="secondary">${ctx.t.calendar.remove}</button></form>`
  return html`<td class="full">${form}</td>`
}

function closureWhen(ctx: PageContext, closure: Closure): string {
  const t = ctx.t.calendar
  const days = formatDayRange(closure.start, closure.end ?? closure.start, ctx.lang)
  const clock = (time: string) => formatHhMm(time, ctx.lang)
  const hours = closure.from || closure.to ? t.fromTo(clock(closure.from ?? '00:00'), clock(closure.to ?? '24:00')) : t.allDay
  return `${days}, ${hours}${closure.yearly ? ` (${t.yearly})` : ''}`
}

function closuresSection(ctx: PageContext, view: CalendarView): Html {
  const t = ctx.t.calendar
  const rows = view.closures.map(
    (row) => html`<tr>
      <td class="lead">${closureWhen(ctx, row.item)}</td>
      <td class="lead">${row.item.name}</td>
      <td data-label="${t.closureSource}">${sourceOf(ctx, view, row)}</td>
      ${removeCell(ctx, view, 'closures', row)}
    </tr>`,
  )
  const form = view.canManage
    ? html`<details class="add"${view.closures.length === 0 ? html` open` : ''}><summary>${t.addClosure}</summary>
      <form method="post" action="${HOME}/calendar/closures" class="filters">
        ${hiddenFields(ctx, view)}
        <label>${t.closureName}<input name="name" required maxlength="200"></label>
        <label>${t.closureStart} ${dateHint(ctx)}<input type="date" name="start" required></label>
        <label>${t.closureEnd} ${dateHint(ctx)}<input type="date" name="end"></label>
        <label>${t.closureFrom}<input type="time" name="from"></label>
        <label>${t.closureTo}<input type="time" name="to"></label>
        <div class="actions"><button type="submit">${t.addClosure}</button></div>
      </form></details>`
    : ''
  return html`<section class="card wide" aria-labelledby="closures-title">
    <h2 id="closures-title">${t.closures}</h2>
    ${
      view.closures.length
        ? html`<div class="table-wrap"><table class="closures cards"><thead><tr><th scope="col">${t.closureWhen}</th><th scope="col">${t.closureName}</th><th scope="col">${t.closureSource}</th>${view.canManage ? html`<th scope="col"></th>` : ''}</tr></thead><tbody>${rows}</tbody></table></div>`
        : html`<p class="muted">${t.noClosures}</p>`
    }
    ${form}
  </section>`
}

/** "Simuler" before saving: one weekday's hours and a closure, replayed over past calls (the what-if page answers). */
function simulateSection(ctx: PageContext, view: CalendarView): Html {
  const t = ctx.t.calendar
  return html`<section class="card wide" aria-labelledby="simulate-title">
    <h2 id="simulate-title">${t.simulate}</h2>
    <p class="muted">${t.simulateIntro}</p>
    <form method="post" action="${WHAT_IF}/calendar" class="filters" data-simulate>
      ${csrfField(ctx)}<input type="hidden" name="desk" value="${view.desk.id}">
      <label for="simulate-weekday">${t.simulateWeekday}</label>
      <select id="simulate-weekday" name="weekday">
        <option value="">${t.simulateNoWeekday}</option>
        ${WEEKDAYS.map((day) => html`<option value="${day}">${t.weekdays[day]}</option>`)}
      </select>
      <label for="simulate-hours">${t.simulateHours}</label>
      <input id="simulate-hours" name="hours" placeholder="09:00-12:00, 13:00-16:00" maxlength="200">
      ${effectiveField(ctx, view.today, 'simulate')}
      <label for="simulate-closure">${t.simulateClosure} ${dateHint(ctx)}</label>
      <input id="simulate-closure" type="date" name="closureStart">
      <label for="simulate-closure-end">${t.simulateClosureEnd} ${dateHint(ctx)}</label>
      <input id="simulate-closure-end" type="date" name="closureEnd">
      ${periodFields(ctx, view.today, { from: t.simulatePeriod, to: t.simulatePeriodTo }, 'simulate')}
      <div class="actions"><button type="submit">${t.simulateRun}</button></div>
    </form>
  </section>`
}

function openingsSection(ctx: PageContext, view: CalendarView): Html {
  const t = ctx.t.calendar
  const { openings } = view
  const rows = openings.map(
    (row) => html`<tr data-opening="${row.entryId ?? ''}">
      <td class="lead">${formatDayRange(row.item.date, row.item.end ?? row.item.date, ctx.lang)}</td>
      <td class="lead">${row.item.hours.map((range) => hoursRange(range, ctx.lang)).join(', ')}</td>
      <td>${row.item.name ?? html`<span class="muted">—</span>`}</td>
      <td data-label="${t.closureSource}">${sourceOf(ctx, view, row)}</td>
      ${removeCell(ctx, view, 'openings', row)}
    </tr>`,
  )
  const form = view.canManage
    ? html`<details class="add"><summary>${t.addOpening}</summary>
      <form method="post" action="${HOME}/calendar/openings" class="filters">
        ${hiddenFields(ctx, view)}
        <label>${t.closureStart} ${dateHint(ctx)}<input type="date" name="date" required></label>
        <label>${t.closureEnd} ${dateHint(ctx)}<input type="date" name="end"></label>
        <label>${t.hours}<input name="hours" value="${view.usualHours}" required maxlength="200" placeholder="09:30-12:00, 13:15-16:00" aria-describedby="opening-hours-help"></label>
        <label>${t.openingName}<input name="name" maxlength="200"></label>
        <div class="actions"><button type="submit">${t.addOpening}</button></div>
        <p class="help" id="opening-hours-help">${t.openingHoursHelp}</p>
      </form></details>`
    : ''
  return html`<section class="card wide" aria-labelledby="openings-title">
    <h2 id="openings-title">${t.openings}</h2>
    ${
      openings.length
        ? html`<div class="table-wrap"><table class="openings cards"><thead><tr><th scope="col">${t.dates}</th><th scope="col">${t.hours}</th><th scope="col">${t.closureName}</th><th scope="col">${t.closureSource}</th>${view.canManage ? html`<th scope="col"></th>` : ''}</tr></thead><tbody>${rows}</tbody></table></div>`
        : html`<p class="muted">${t.noOpenings}</p>`
    }
    ${form}
  </section>`
}

function seasonRow(ctx: PageContext, view: CalendarView, season: SeasonOccurrence): Html {
  const t = ctx.t.calendar
  const pastUnconfirmed = season.status === 'estimated' && season.end < view.today
  const status = pastUnconfirmed
    ? html`<span class="badge badge-muted" data-status="past-unconfirmed">${t.pastUnconfirmed}</span>`
    : html`<span class="badge badge-${STATUS_TONE[season.status]}" data-status="${season.status}">${t.statuses[season.status]}</span>`
  const hidden = hiddenFields(ctx, view)
  const action = (verb: 'confirm' | 'move') => `${HOME}/calendar/seasons/${season.id}/${verb}`
  const actions =
    view.canManage && season.hijriMonth !== undefined
      ? html`<div class="row-actions">
        ${season.status === 'estimated' && !pastUnconfirmed ? html`<form method="post" action="${action('confirm')}" class="inline">${hidden}<button type="submit">${t.confirm}</button></form>` : ''}
        <details class="move"><summary>${t.move}</summary>
          <form method="post" action="${action('move')}" class="inline">${hidden}
            <label>${t.moveStart} ${dateHint(ctx)}<input type="date" name="start" value="${season.start}" required></label>
            <label>${t.moveEnd} ${dateHint(ctx)}<input type="date" name="end" value="${season.end}" required></label>
            <button type="submit">${t.move}</button>
          </form></details>
      </div>`
      : ''
  return html`<tr data-season="${season.id}"${season.end < view.today ? html` class="past"` : ''}>
    <td class="lead">${formatDayRange(season.start, season.end, ctx.lang)}</td>
    <td class="lead">${season.name}</td>
    <td data-label="${t.status}">${status}</td>
    <td data-label="${t.seasonHours}">${describeHours(season.weekly, ctx.lang)}</td>
    ${view.canManage ? html`<td class="full">${actions}</td>` : ''}
  </tr>`
}

function seasonsSection(ctx: PageContext, view: CalendarView): Html {
  const t = ctx.t.calendar
  return html`<section class="card wide" aria-labelledby="seasons-title">
    <h2 id="seasons-title">${t.seasons(view.year)}</h2>
    ${
      view.seasons.length
        ? html`<div class="table-wrap"><table class="seasons cards"><thead><tr><th scope="col">${t.dates}</th><th scope="col">${t.name}</th><th scope="col">${t.status}</th><th scope="col">${t.seasonHours}</th>${view.canManage ? html`<th scope="col"></th>` : ''}</tr></thead><tbody>${view.seasons.map((season) => seasonRow(ctx, view, season))}</tbody></table></div>`
        : html`<p class="muted">${t.noSeasons}</p>`
    }
  </section>`
}

export function calendarPage(ctx: PageContext, view: CalendarView): Html {
  const t = ctx.t.calendar
  const occurrences = [...occurrencesOf(view.holidays), ...occurrencesOf(view.removedHolidays, true)].sort(
    (a, b) => a.first.localeCompare(b.first) || a.id.localeCompare(b.id),
  )
  const path = `${HOME}/calendar`
  const desk = view.desks.length > 1 ? view.desk.id : null
  return layout(ctx, {
    title: `${t.title} · ${view.desk.name}`,
    active: 'calendar',
    body: html`${deskPicker(ctx, view.desks, view.desk.id, path, { year: String(view.year) })}
    <section class="card wide" aria-labelledby="holidays-title">
      <nav class="month-nav">
        <a href="${href(path, { desk, year: view.year - 1 })}" rel="prev">← ${t.previousYear}</a>
        <h2 id="holidays-title">${t.holidays(view.year)}</h2>
        <a href="${href(path, { desk, year: view.year + 1 })}" rel="next">${t.nextYear} →</a>
      </nav>
      ${occurrences.some((o) => o.status === 'estimated' && !o.removed) ? html`<p class="help">${t.estimatedHelp}</p>` : ''}
      ${
        occurrences.length
          ? html`<div class="table-wrap"><table class="holidays cards">
          <thead><tr><th scope="col">${t.dates}</th><th scope="col">${t.name}</th><th scope="col">${t.status}</th>${view.canManage ? html`<th scope="col"></th>` : ''}</tr></thead>
          <tbody>${occurrences.map((occurrence) => holidayRow(ctx, view, occurrence))}</tbody>
        </table></div>`
          : html`<p class="muted">${t.none}</p>`
      }
      ${occurrences.some((o) => o.removed) ? html`<p class="help">${t.removedHelp}</p>` : ''}
      ${view.canManage ? addHolidayForm(ctx, view) : ''}
    </section>
    ${seasonsSection(ctx, view)}
    ${closuresSection(ctx, view)}
    ${openingsSection(ctx, view)}
    ${view.canManage ? simulateSection(ctx, view) : ''}`,
  })
}
