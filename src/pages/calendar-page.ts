// Calendar: the year's public holidays (estimated, confirmed or added, with who decided), confirm
// or move one; the closures, and a form to add one.
import type { Closure, Holiday } from '../domain/calendar/index.js'
import type { DeskSummary } from '../store/dashboard.js'
import { formatDateTime, formatDayRange, formatDayShort } from './format.js'
import { type Html, html } from './html.js'
import { HOME, type PageContext, csrfField, href, layout } from './layout.js'
import { deskPicker } from './parts.js'

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
}

/** The year's holiday items grouped into occurrences, in date order. */
export function occurrencesOf(holidays: readonly Holiday[]): Occurrence[] {
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
    })
  }
  return [...byId.values()]
}

export interface ClosureRow {
  closure: Closure
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
  closures: ClosureRow[]
  canManage: boolean
}

const STATUS_TONE = { estimated: 'warn', confirmed: 'good', manual: 'info' } as const

function holidayRow(ctx: PageContext, view: CalendarView, occurrence: Occurrence): Html {
  const t = ctx.t.calendar
  const zone = view.desk.timezone
  const past = occurrence.last < view.today
  const action = (verb: 'confirm' | 'move') => `${HOME}/calendar/holidays/${occurrence.id}/${verb}`
  const hidden = html`${csrfField(ctx)}<input type="hidden" name="desk" value="${view.desk.id}"><input type="hidden" name="year" value="${view.year}">`
  const decided =
    occurrence.by && occurrence.at
      ? html`<br><small class="muted">${t.decidedBy(occurrence.by, formatDateTime(new Date(occurrence.at), zone, ctx.lang))}</small>`
      : ''
  const actions = view.canManage
    ? html`<td><div class="row-actions">
        ${occurrence.status === 'estimated' ? html`<form method="post" action="${action('confirm')}" class="inline">${hidden}<button type="submit">${t.confirm}</button></form>` : ''}
        ${
          occurrence.status !== 'manual'
            ? html`<details class="move"><summary>${t.move}</summary>
            <form method="post" action="${action('move')}" class="inline">${hidden}
              <label>${t.moveStart}<input type="date" name="start" value="${occurrence.first}" required></label>
              <label>${t.moveDays}<input type="number" name="days" value="${occurrence.days}" min="1" max="31" required></label>
              <button type="submit">${t.move}</button>
            </form></details>`
            : ''
        }
      </div></td>`
    : ''
  return html`<tr class="${past ? 'past' : ''}" data-holiday="${occurrence.id}">
    <td>${formatDayRange(occurrence.first, occurrence.last, ctx.lang)}${occurrence.movedFrom ? html`<br><small class="muted">${t.movedFrom(formatDayShort(occurrence.movedFrom, ctx.lang))}</small>` : ''}</td>
    <td>${occurrence.name}</td>
    <td><span class="badge badge-${STATUS_TONE[occurrence.status]}" data-status="${occurrence.status}">${t.statuses[occurrence.status]}</span>${decided}</td>
    ${actions}
  </tr>`
}

function closureWhen(ctx: PageContext, closure: Closure): string {
  const t = ctx.t.calendar
  const days = formatDayRange(closure.start, closure.end ?? closure.start, ctx.lang)
  const hours = closure.from || closure.to ? t.fromTo(closure.from ?? '00:00', closure.to ?? '24:00') : t.allDay
  return `${days}, ${hours}${closure.yearly ? ` (${t.yearly})` : ''}`
}

function closuresSection(ctx: PageContext, view: CalendarView): Html {
  const t = ctx.t.calendar
  const rows = view.closures.map(
    (row) => html`<tr>
      <td>${closureWhen(ctx, row.closure)}</td>
      <td>${row.closure.name}</td>
      <td>${row.entryId === null ? html`<span class="muted">${t.fromFile}</span>` : row.by && row.at ? t.decidedBy(row.by, formatDateTime(row.at, view.desk.timezone, ctx.lang)) : ''}</td>
      ${
        view.canManage
          ? html`<td>${row.entryId === null ? '' : html`<form method="post" action="${HOME}/calendar/closures/${row.entryId}/remove" class="inline">${csrfField(ctx)}<input type="hidden" name="desk" value="${view.desk.id}"><input type="hidden" name="year" value="${view.year}"><button type="submit" class="secondary">${t.remove}</button></form>`}</td>`
          : ''
      }
    </tr>`,
  )
  const form = view.canManage
    ? html`<details class="add"${view.closures.length === 0 ? html` open` : ''}><summary>${t.addClosure}</summary>
      <form method="post" action="${HOME}/calendar/closures" class="filters">
        ${csrfField(ctx)}<input type="hidden" name="desk" value="${view.desk.id}"><input type="hidden" name="year" value="${view.year}">
        <label>${t.closureName}<input name="name" required maxlength="200"></label>
        <label>${t.closureStart}<input type="date" name="start" required></label>
        <label>${t.closureEnd}<input type="date" name="end"></label>
        <label>${t.closureFrom}<input type="time" name="from"></label>
        <label>${t.closureTo}<input type="time" name="to"></label>
        <div class="actions"><button type="submit">${t.addClosure}</button></div>
      </form></details>`
    : ''
  return html`<section class="card wide" aria-labelledby="closures-title">
    <h2 id="closures-title">${t.closures}</h2>
    ${
      view.closures.length
        ? html`<div class="table-wrap"><table><thead><tr><th scope="col">${t.closureWhen}</th><th scope="col">${t.closureName}</th><th scope="col">${t.closureSource}</th>${view.canManage ? html`<th scope="col"></th>` : ''}</tr></thead><tbody>${rows}</tbody></table></div>`
        : html`<p class="muted">${t.noClosures}</p>`
    }
    ${form}
  </section>`
}

export function calendarPage(ctx: PageContext, view: CalendarView): Html {
  const t = ctx.t.calendar
  const occurrences = occurrencesOf(view.holidays)
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
      ${occurrences.some((o) => o.status === 'estimated') ? html`<p class="help">${t.estimatedHelp}</p>` : ''}
      ${
        occurrences.length
          ? html`<div class="table-wrap"><table class="holidays">
          <thead><tr><th scope="col">${t.dates}</th><th scope="col">${t.name}</th><th scope="col">${t.status}</th>${view.canManage ? html`<th scope="col"></th>` : ''}</tr></thead>
          <tbody>${occurrences.map((occurrence) => holidayRow(ctx, view, occurrence))}</tbody>
        </table></div>`
          : html`<p class="muted">${t.none}</p>`
      }
    </section>
    ${closuresSection(ctx, view)}`,
  })
}
