// Today: is the desk open and why, when it opens or closes next, who is on duty (with the switch),
// the calls in progress and of the day, and the callbacks that are late.
import { isLate } from '../domain/callback.js'
import type { DeskStatus, HolidayOccurrence } from '../domain/calendar/index.js'
import type { CallLogItem } from '../store/call-log.js'
import type { CallbackItem } from '../store/callback-queue.js'
import type { DeskAgent, DeskSummary } from '../store/dashboard.js'
import { formatDateTime, formatDayRange, formatDelay, formatTime, formatWhen } from './format.js'
import { type Html, html } from './html.js'
import { HOME, type PageContext, csrfField, href, layout } from './layout.js'
import { type Directory, callTable, deskPicker } from './parts.js'

export interface TodayView {
  desks: DeskSummary[]
  desk: DeskSummary
  today: string
  status: DeskStatus
  /** the weekly hours as one sentence */
  hours: string
  closedNow: { since: string; by: string; reason?: string } | null
  /** null for a client's session: duty is the desk's business */
  agents: DeskAgent[] | null
  /** today's calls, newest first */
  calls: CallLogItem[]
  /** null for a client's session */
  /** the estimated holidays of the next 60 days, to confirm; null for a client's session */
  holidaysToConfirm: HolidayOccurrence[] | null
  /** the head of the open queue (late ones first), and the whole queue's counts */
  callbacks: { open: CallbackItem[]; counts: { open: number; late: number } } | null
  directory: Directory
}

function statusCard(ctx: PageContext, view: TodayView): Html {
  const t = ctx.t.today
  const { status, desk } = view
  const zone = desk.timezone
  const within = (to: Date) => formatDelay((to.getTime() - ctx.now.getTime()) / 1000, ctx.lang)
  const why =
    status.reason === 'open'
      ? ''
      : status.reason === 'outside_hours'
        ? t.why.outside_hours
        : status.reason === 'holiday'
          ? t.why.holiday(status.holiday ?? '')
          : t.why.closure(status.closure ?? '')
  const next = status.open
    ? status.closesAt
      ? t.closesAt(formatTime(status.closesAt, zone, ctx.lang), within(status.closesAt))
      : ''
    : status.nextOpening
      ? t.nextOpening(formatWhen(status.nextOpening, zone, ctx.lang), within(status.nextOpening))
      : t.noOpening
  return html`<section class="card status status-${status.open ? 'open' : 'closed'}" aria-labelledby="status-title">
    <h2 id="status-title"><span class="badge badge-${status.open ? 'good' : 'bad'} big" data-status="${status.open ? 'open' : 'closed'}">${status.open ? t.open : t.closed}</span>
      ${why ? html`<span class="why">${why}</span>` : ''}</h2>
    <p class="next">${next}</p>
    <p class="muted">${formatWhen(ctx.now, zone, ctx.lang)} · ${desk.timezone}</p>
    <p><strong>${t.hours}</strong> ${view.hours}</p>
    ${view.agents ? closedNowSwitch(ctx, view) : ''}
  </section>`
}

function closedNowSwitch(ctx: PageContext, view: TodayView): Html {
  const t = ctx.t.today
  const action = `${HOME}/desks/${view.desk.id}/closed-now`
  if (view.closedNow) {
    const since = formatDateTime(new Date(view.closedNow.since), view.desk.timezone, ctx.lang)
    return html`<form method="post" action="${action}" class="inline">
      ${csrfField(ctx)}<input type="hidden" name="closed" value="false">
      <p class="warning">${t.closedNowBy(view.closedNow.by, since)}${view.closedNow.reason ? html` <q>${view.closedNow.reason}</q>` : ''}</p>
      <button type="submit">${t.reopen}</button>
    </form>`
  }
  return html`<details class="close-now">
    <summary>${t.closeNow}</summary>
    <form method="post" action="${action}" class="inline" data-confirm="${t.closeNowConfirm}">
      ${csrfField(ctx)}<input type="hidden" name="closed" value="true">
      <label for="close-reason">${t.closeNowReason}</label>
      <input id="close-reason" name="reason" required maxlength="300">
      <button type="submit" class="danger">${t.closeNow}</button>
    </form>
  </details>`
}

function agentsCard(ctx: PageContext, view: TodayView, agents: DeskAgent[]): Html {
  const t = ctx.t.today
  const rows = agents.map(
    (agent) => html`<li class="agent" data-agent="${agent.id}">
      <span class="agent-name">${agent.name} <small class="num">${agent.number}</small></span>
      <span class="agent-duty">
        <span class="badge badge-${agent.onDuty ? 'good' : 'muted'}" data-duty="${agent.onDuty ? 'on' : 'off'}">${agent.onDuty ? t.onDuty : t.offDuty}</span>
        <form method="post" action="${HOME}/agents/${agent.id}/duty" class="inline">
          ${csrfField(ctx)}
          <input type="hidden" name="desk" value="${view.desk.id}">
          <input type="hidden" name="onDuty" value="${agent.onDuty ? 'false' : 'true'}">
          <button type="submit" class="${agent.onDuty ? 'secondary' : ''}" aria-label="${agent.onDuty ? t.putOffDuty : t.putOnDuty} : ${agent.name}">${agent.onDuty ? t.putOffDuty : t.putOnDuty}</button>
        </form>
      </span>
    </li>`,
  )
  const none = agents.length === 0 ? t.noAgents : agents.some((agent) => agent.onDuty) ? null : t.noAgentOnDuty
  return html`<section class="card" aria-labelledby="agents-title">
    <h2 id="agents-title">${t.agents}</h2>
    ${none ? html`<p class="warning">${none}</p>` : ''}
    <ul class="agents">${rows}</ul>
  </section>`
}

function callsCards(ctx: PageContext, view: TodayView): Html {
  const t = ctx.t.today
  const live = view.calls.filter((call) => call.outcome === null)
  const answered = view.calls.filter((call) => call.outcome === 'answered').length
  const talk = view.calls.reduce((sum, call) => sum + call.talkSeconds, 0)
  const log = href(`${HOME}/calls`, { desk: view.desks.length > 1 ? view.desk.id : null, from: view.today, to: view.today })
  return html`<section class="card" aria-labelledby="live-title">
    <h2 id="live-title">${t.inProgressTitle} <span class="count">${live.length}</span></h2>
    ${live.length ? callTable(ctx, live, view.directory, { timeOnly: true, compact: true }) : html`<p class="muted">${t.noneInProgress}</p>`}
  </section>
  <section class="card wide" aria-labelledby="calls-title">
    <h2 id="calls-title">${t.callsTitle}</h2>
    ${
      view.calls.length
        ? html`<p>${t.summary(view.calls.length, answered, talk)}</p>${callTable(ctx, view.calls, view.directory, { timeOnly: true })}
        <p><a href="${log}">${t.allCalls}</a></p>`
        : html`<p class="muted">${t.noCalls}</p>`
    }
  </section>`
}

function callbacksCard(ctx: PageContext, view: TodayView, { open, counts }: NonNullable<TodayView['callbacks']>): Html {
  const t = ctx.t.today
  const late = open.filter((callback) => isLate(callback, ctx.now))
  const zone = view.desk.timezone
  const rows = late.map(
    (callback) => html`<tr>
      <td class="lead">${callback.dueAt ? formatDateTime(callback.dueAt, zone, ctx.lang) : ctx.t.dash}
        ${callback.dueAt ? html`<br><small class="late">${t.late(formatDelay((ctx.now.getTime() - callback.dueAt.getTime()) / 1000, ctx.lang))}</small>` : ''}</td>
      <td class="lead">${callback.clientName ?? ctx.t.calls.unknownClient}<br><small class="num">${callback.fromNumber ?? callback.fromAddress}</small></td>
      <td data-label="${t.reason}">${t.callbackReason[callback.reason]}</td>
      <td class="full"><form method="post" action="${HOME}/callbacks/${callback.id}/done" class="inline">
        ${csrfField(ctx)}<input type="hidden" name="desk" value="${view.desk.id}"><input type="hidden" name="from" value="today">
        <label class="visually-hidden" for="note-${callback.id}">${t.note}</label>
        <input id="note-${callback.id}" name="note" required maxlength="2000" placeholder="${t.note}">
        <button type="submit">${t.markDone}</button>
      </form></td>
    </tr>`,
  )
  return html`<section class="card wide" aria-labelledby="callbacks-title">
    <h2 id="callbacks-title">${t.callbacksTitle} <span class="count${counts.late ? ' count-bad' : ''}">${counts.late}</span></h2>
    ${
      late.length
        ? html`<div class="table-wrap"><table class="cards"><thead><tr><th scope="col">${t.due}</th><th scope="col">${ctx.t.calls.client}</th><th scope="col">${t.reason}</th><th scope="col"></th></tr></thead><tbody>${rows}</tbody></table></div>`
        : html`<p class="muted">${t.noLateCallbacks}</p>`
    }
    <p class="muted">${t.openCallbacks(counts.open)} <a href="${href(`${HOME}/callbacks`, { desk: view.desks.length > 1 ? view.desk.id : null })}">${t.allCallbacks}</a></p>
  </section>`
}

function holidaysCard(ctx: PageContext, view: TodayView, holidays: HolidayOccurrence[]): Html {
  const t = ctx.t.today
  const items = holidays.map(
    (holiday) =>
      html`<li data-holiday="${holiday.id}"><strong>${holiday.name}</strong> · ${formatDayRange(holiday.first, holiday.last, ctx.lang)}</li>`,
  )
  return html`<section class="card" aria-labelledby="holidays-title">
    <h2 id="holidays-title">${t.holidaysTitle} <span class="count">${holidays.length}</span></h2>
    <p class="muted">${t.holidaysHelp}</p>
    <ul class="holidays-to-confirm">${items}</ul>
    <p><a href="${href(`${HOME}/calendar`, { desk: view.desks.length > 1 ? view.desk.id : null })}">${t.holidaysCalendar}</a></p>
  </section>`
}

export function todayPage(ctx: PageContext, view: TodayView): Html {
  return layout(ctx, {
    title: `${ctx.t.today.title} · ${view.desk.name}`,
    active: 'today',
    refresh: 30,
    body: html`${deskPicker(ctx, view.desks, view.desk.id, HOME)}
    <div class="grid">
      ${statusCard(ctx, view)}
      ${view.agents ? agentsCard(ctx, view, view.agents) : ''}
      ${callsCards(ctx, view)}
      ${view.holidaysToConfirm?.length ? holidaysCard(ctx, view, view.holidaysToConfirm) : ''}
      ${view.callbacks ? callbacksCard(ctx, view, view.callbacks) : ''}
    </div>`,
  })
}
