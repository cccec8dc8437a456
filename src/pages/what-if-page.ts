// "Simuler": a proposed desk file and a period, and what the desk's recorded calls of that period
// would have become under it (POST /api/what-if's replay): the calls that change, the usage as
// recorded and as it would be, the callbacks that move, and a summary. Nothing is written.
import { type SecondsSplit, type WhatIfResult, usageDiffers } from '../domain/what-if.js'
import type { FieldProblem } from '../errors.js'
import { formatDateTime, formatDuration, previousMonthStart } from './format.js'
import { type Html, attrs, html } from './html.js'
import { HOME, type PageContext, csrfField, dateHint, layout } from './layout.js'

export const WHAT_IF = `${HOME}/what-if`

export interface WhatIfView {
  /** the form as given (or prefilled with the file in force) */
  form: { deskFile: string; from: string; to: string }
  /** the latest date the period may end on */
  today: string
  problems: FieldProblem[]
  result: WhatIfResult | null
  /** the change the Contracts or Calendar page proposed, as said there (null: a whole file) */
  proposal: string | null
  zones: ReadonlyMap<string, string>
  defaultZone: string
  /** clients' names by id (a client new in the proposed file goes by its id) */
  clients: ReadonlyMap<string, string>
}

function form(ctx: PageContext, view: WhatIfView): Html {
  const t = ctx.t.whatIf
  return html`<form method="post" action="${WHAT_IF}" class="what-if">
    ${csrfField(ctx)}
    <p class="muted">${t.intro}</p>
    <label for="what-if-file">${t.deskFile}</label>
    <textarea id="what-if-file" name="deskFile" rows="14" spellcheck="false" required>${view.form.deskFile}</textarea>
    <div class="filters">
      <label for="what-if-from">${t.from} ${dateHint(ctx)}</label>
      <input id="what-if-from" type="date" name="from" value="${view.form.from}" max="${view.today}" required>
      <label for="what-if-to">${t.to} ${dateHint(ctx)}</label>
      <input id="what-if-to" type="date" name="to" value="${view.form.to}" max="${view.today}" required>
      <button type="submit">${t.run}</button>
    </div>
  </form>`
}

function problems(ctx: PageContext, view: WhatIfView): Html | string {
  if (!view.problems.length) return ''
  return html`<div class="error" role="alert"><p>${ctx.t.errors.invalidFields}</p>
    <ul class="problems">${view.problems.map((p) => html`<li><code>${p.field}</code>${ctx.lang === 'fr' ? ' : ' : ': '}${p.message}</li>`)}</ul></div>`
}

function summary(ctx: PageContext, view: WhatIfView, result: WhatIfResult): Html {
  const t = ctx.t.whatIf
  const moved = result.summary.secondsMovedBeyondQuota
  return html`<section class="card" data-what-if-summary>
    <h2>${t.summary}</h2>
    ${view.proposal ? html`<p data-proposal><strong>${t.proposal(view.proposal)}</strong></p>` : ''}
    <ul>
      <li>${t.replayed(result.calls, result.changed.length)}</li>
      ${result.summary.unknownDeskCalls ? html`<li>${t.unknownDesk(result.summary.unknownDeskCalls)}</li>` : ''}
      ${result.undecided ? html`<li>${t.undecided(result.undecided)}</li>` : ''}
      <li>${moved >= 0 ? t.beyondMore(formatDuration(moved)) : t.beyondLess(formatDuration(-moved))}</li>
      <li>${t.callbacksMoved(result.callbacks.length)}</li>
      <li>${t.emailsMoved(result.emailRequests.length)}</li>
      ${result.summary.closedByClient.map((row) => html`<li>${t.closedFor(view.clients.get(row.clientId) ?? row.clientId, row.calls, row.newlyClosed)}</li>`)}
    </ul>
  </section>`
}

/** The ten clients most affected, as the answer ranks them. */
function mostAffected(ctx: PageContext, view: WhatIfView, result: WhatIfResult): Html | string {
  const t = ctx.t.whatIf
  if (!result.mostAffected.length) return ''
  return html`<section class="card" data-most-affected>
    <h2>${t.mostAffected}</h2>
    <ol>${result.mostAffected
      .slice(0, 10)
      .map(
        (client) =>
          html`<li data-client="${client.clientId}"><strong>${view.clients.get(client.clientId) ?? client.clientId}</strong> — ${t.affected(client.changedCalls, client.newlyClosed, client.minutesMovedBeyondQuota)}</li>`,
      )}</ol>
  </section>`
}

function changed(ctx: PageContext, view: WhatIfView, result: WhatIfResult): Html {
  const t = ctx.t.whatIf
  const path = (value: string | null) =>
    value === null
      ? ctx.t.dash
      : value in ctx.t.outcome
        ? ctx.t.outcome[value as keyof typeof ctx.t.outcome]
        : t.path[value as keyof typeof t.path]
  return html`<section class="card">
    <h2>${t.changed}</h2>
    ${
      result.changed.length
        ? html`<div class="table-wrap"><table class="what-if-calls cards">
      <thead><tr><th scope="col">${t.when}</th><th scope="col">${t.client}</th><th scope="col">${t.recorded}</th><th scope="col">${t.wouldBe}</th><th scope="col">${t.talk}</th></tr></thead>
      <tbody>${result.changed.map(
        (call) => html`<tr data-call="${call.callSid}">
        <td class="num lead">${formatDateTime(new Date(call.startedAt), view.zones.get(call.desk ?? '') ?? view.defaultZone, ctx.lang)}</td>
        <td data-label="${t.client}">${call.clientId ? (view.clients.get(call.clientId) ?? call.clientId) : t.unknownCaller}</td>
        <td data-label="${t.recorded}">${path(call.outcome)}</td>
        <td data-label="${t.wouldBe}"><strong>${path(call.wouldBe)}</strong></td>
        <td class="note full" data-label="${t.talk}">${t.talkNote(call.talk.note, call.talk.seconds === null ? '' : formatDuration(call.talk.seconds))}</td>
      </tr>`,
      )}</tbody>
    </table></div>`
        : html`<p class="muted">${t.noChange}</p>`
    }
  </section>`
}

function usage(ctx: PageContext, view: WhatIfView, result: WhatIfResult): Html | string {
  const t = ctx.t.whatIf
  if (!result.usage.length) return ''
  const split = (value: SecondsSplit) =>
    html`${formatDuration(value.includedSeconds)} <small>${t.included}</small><br>${formatDuration(value.billableSeconds)} <small>${t.beyond}</small>${
      value.graceSeconds ? html`<br>${formatDuration(value.graceSeconds)} <small>${t.grace}</small>` : ''
    }${value.onCallSeconds ? html`<br>${formatDuration(value.onCallSeconds)} <small>${t.onCall}</small>` : ''}`
  return html`<section class="card">
    <h2>${t.usage}</h2>
    <div class="table-wrap"><table class="what-if-usage cards">
      <thead><tr><th scope="col">${t.client}</th><th scope="col">${t.month}</th><th scope="col">${t.recorded}</th><th scope="col">${t.wouldBe}</th></tr></thead>
      <tbody>${result.usage.map((row) => {
        const differs = usageDiffers(row)
        return html`<tr${attrs({ 'data-usage': `${row.clientId}/${row.month}`, class: differs ? 'is-late' : null })}>
        <td class="lead">${view.clients.get(row.clientId) ?? row.clientId} <small>(${row.desk})</small></td>
        <td class="num" data-label="${t.month}">${row.month}</td>
        <td class="num" data-label="${t.recorded}">${split(row.recorded)}</td>
        <td class="num" data-label="${t.wouldBe}">${split(row.wouldBe)}</td>
      </tr>`
      })}</tbody>
    </table></div>
  </section>`
}

function callbacks(ctx: PageContext, view: WhatIfView, result: WhatIfResult): Html | string {
  const t = ctx.t.whatIf
  if (!result.callbacks.length) return ''
  const at = (value: string | null) => (value ? formatDateTime(new Date(value), view.defaultZone, ctx.lang) : ctx.t.dash)
  return html`<section class="card">
    <h2>${t.callbacks}</h2>
    <div class="table-wrap"><table class="what-if-callbacks cards">
      <thead><tr><th scope="col">${t.requested}</th><th scope="col">${t.due}</th><th scope="col">${t.wouldBeDue}</th></tr></thead>
      <tbody>${result.callbacks.map(
        (row) => html`<tr data-callback="${row.callbackId}">
        <td class="num lead">${at(row.createdAt)}</td>
        <td class="num" data-label="${t.due}">${at(row.dueAt)}</td>
        <td class="num" data-label="${t.wouldBeDue}">${at(row.wouldBeDueAt)}</td>
      </tr>`,
      )}</tbody>
    </table></div>
  </section>`
}

export function whatIfPage(ctx: PageContext, view: WhatIfView): Html {
  const result = view.result
  return layout(ctx, {
    title: ctx.t.whatIf.title,
    active: 'whatIf',
    body: html`${problems(ctx, view)}
    ${result ? html`${summary(ctx, view, result)}${mostAffected(ctx, view, result)}${changed(ctx, view, result)}${usage(ctx, view, result)}${callbacks(ctx, view, result)}` : ''}
    <section class="card">${form(ctx, view)}</section>`,
  })
}

/**
 * A proposal's effective date ("à partir du"): calls before it under the terms or hours in force,
 * from it on under the change; blank, the first day of the period's first month (all of them).
 */
export function effectiveField(ctx: PageContext, today: string, id: string): Html {
  const t = ctx.t.whatIf
  return html`<label for="${id}-effective">${t.effective} ${dateHint(ctx)} <small class="muted">(${t.effectiveHint})</small></label>
      <input id="${id}-effective" type="date" name="effective" max="${today}">`
}

/** The replayed period of a "Simuler" form: by default the last month and this one so far. */
export function periodFields(ctx: PageContext, today: string, labels: { from: string; to: string }, id: string): Html {
  return html`<label for="${id}-from">${labels.from} ${dateHint(ctx)}</label>
      <input id="${id}-from" type="date" name="from" value="${previousMonthStart(today)}" max="${today}" required>
      <label for="${id}-to">${labels.to} ${dateHint(ctx)}</label>
      <input id="${id}-to" type="date" name="to" value="${today}" max="${today}" required>`
}
