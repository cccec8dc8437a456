// Usage: each contract's month as a bar (included, overage, the 80 % and 100 % marks), and for one
// client the last twelve months and the month's statement (INTERcom: 5 h a month, beyond billed).
import type { EmailLine, Statement, StatementLine } from '../domain/statement.js'
import type { EmailMonth } from '../store/email-requests.js'
import type { UsageItem } from '../store/usage-report.js'
import { type MonthPoint, monthlyChart, usageBar, usedPercent } from './charts.js'
import { formatDateTime, formatDuration, formatMonth, formatPercent, shiftMonth } from './format.js'
import { type Html, html } from './html.js'
import { HOME, type PageContext, href, layout } from './layout.js'
import { clientsOnSeveralDesks } from './parts.js'

export interface UsageView {
  month: string
  /** the month of the service's clock: no link beyond it */
  currentMonth: string
  items: UsageItem[]
  /** one client's history and statement, when a client is chosen (always, for a client's session) */
  selected: { clientId: string; clientName: string; history: MonthPoint[]; statement: Statement } | null
  /** desk id → time zone, for the statement's dates */
  zones: ReadonlyMap<string, string>
  /** desk id → name: a desk is named after a client only when the client has contracts on several */
  deskNames: ReadonlyMap<string, string>
  defaultZone: string
  agents: ReadonlyMap<string, string>
  /** e-mail requests of the month by `client/desk` (issue #15) */
  email?: ReadonlyMap<string, EmailMonth> | undefined
}

function monthNav(ctx: PageContext, view: UsageView, client: string | null): Html {
  const t = ctx.t.usage
  const [previous, next] = [shiftMonth(view.month, -1), shiftMonth(view.month, 1)]
  return html`<nav class="month-nav" aria-label="${t.month}">
    <a href="${href(`${HOME}/usage`, { month: previous, client })}" rel="prev">← ${t.previous}</a>
    <strong>${formatMonth(view.month, ctx.lang)}</strong>
    ${next <= view.currentMonth ? html`<a href="${href(`${HOME}/usage`, { month: next, client })}" rel="next">${t.next} →</a>` : html`<span></span>`}
  </nav>`
}

function contractRow(ctx: PageContext, view: UsageView, item: UsageItem, linkToClient: boolean, showDesk: boolean): Html {
  const t = ctx.t.usage
  const percent = formatPercent(usedPercent(item), ctx.lang)
  const label = t.barLabel(formatDuration(item.usedSeconds), formatDuration(item.quotaSeconds), percent)
  return html`<article class="card usage" data-client="${item.clientId}">
    <h2>${item.clientName}${showDesk ? html` <small class="muted">${view.deskNames.get(item.desk) ?? item.desk}</small>` : ''}</h2>
    ${usageBar(item, ctx.lang, label)}
    <dl class="figures">
      <div><dt>${t.used}</dt><dd>${formatDuration(item.usedSeconds)} <small>(${percent})</small></dd></div>
      <div><dt>${t.quota}</dt><dd>${formatDuration(item.quotaSeconds)}</dd></div>
      <div><dt>${t.overage}</dt><dd class="${item.overageSeconds > 0 ? 'overage' : ''}">${item.overageSeconds > 0 ? formatDuration(item.overageSeconds) : ctx.t.dash}</dd></div>
      ${item.graceSeconds > 0 ? html`<div><dt>${t.grace}</dt><dd>${formatDuration(item.graceSeconds)}</dd></div>` : ''}
      <div><dt>${t.onCall}</dt><dd>${item.onCallSeconds > 0 ? formatDuration(item.onCallSeconds) : ctx.t.dash}</dd></div>
      <div><dt>${t.calls}</dt><dd>${item.calls}</dd></div>
      ${emailFigures(ctx, view.email?.get(`${item.clientId}/${item.desk}`))}
    </dl>
    ${item.thresholds.length ? html`<p class="warning">${t.crossed(item.thresholds.map((p) => formatPercent(p, ctx.lang)).join(', '))}</p>` : ''}
    ${linkToClient ? html`<p><a href="${href(`${HOME}/usage`, { month: view.month, client: item.clientId })}#detail">${t.details}</a></p>` : ''}
  </article>`
}

function emailFigures(ctx: PageContext, month: EmailMonth | undefined): Html | string {
  if (!month) return ''
  const t = ctx.t.usage
  return html`<div data-email-month><dt>${t.emails}</dt><dd>${t.emailFigures(month.requests, month.answeredOnTime, month.answeredLate, month.open)}</dd></div>`
}

function lineRow(ctx: PageContext, view: UsageView, line: StatementLine, desk: string): Html {
  const zone = view.zones.get(desk) ?? view.defaultZone
  const seconds = (value: number) => (value > 0 ? formatDuration(value) : ctx.t.dash)
  const t = ctx.t.usage
  return html`<tr>
    <td class="lead"><a href="${HOME}/calls/${line.callSid}">${formatDateTime(line.startedAt, zone, ctx.lang)}</a></td>
    <td class="num lead">${line.from}</td>
    <td data-label="${ctx.t.calls.agent}">${line.agentId ? (view.agents.get(line.agentId) ?? line.agentId) : ctx.t.dash}</td>
    <td class="num" data-label="${ctx.t.calls.talk}">${formatDuration(line.talkSeconds)}</td>
    <td class="num" data-label="${t.counted}">${seconds(line.onCall ? line.onCallSeconds : line.countedSeconds)}</td>
    <td class="num" data-label="${t.included}">${seconds(line.includedSeconds)}</td>
    <td class="num${line.overageSeconds > 0 ? ' overage' : ''}" data-label="${t.overage}">${seconds(line.overageSeconds)}</td>
    <td class="num" data-label="${t.grace}">${seconds(line.graceSeconds)}</td>
  </tr>${
    line.consent
      ? html`<tr class="consent"><td colspan="8" class="full"><small>${ctx.t.usage.consent(formatDateTime(line.consent.at, zone, ctx.lang), line.consent.digit, line.consent.words ?? '')}</small></td></tr>`
      : ''
  }`
}

/** An answered e-mail request whose minutes counted: its date, its request and subject, the split. */
function emailRow(ctx: PageContext, view: UsageView, line: EmailLine, desk: string): Html {
  const zone = view.zones.get(desk) ?? view.defaultZone
  const seconds = (value: number) => (value > 0 ? formatDuration(value) : ctx.t.dash)
  const t = ctx.t.usage
  return html`<tr data-email-line="${line.requestId}">
    <td class="lead">${formatDateTime(line.answeredAt, zone, ctx.lang)}</td>
    <td colspan="3" class="lead">${t.emailLine(line.requestId, line.subject ?? '')}</td>
    <td class="num" data-label="${t.counted}">${seconds(line.countedSeconds)}</td>
    <td class="num" data-label="${t.included}">${seconds(line.includedSeconds)}</td>
    <td class="num${line.overageSeconds > 0 ? ' overage' : ''}" data-label="${t.overage}">${seconds(line.overageSeconds)}</td>
    <td class="num" data-label="${t.grace}">${seconds(line.graceSeconds)}</td>
  </tr>`
}

function statementSection(ctx: PageContext, view: UsageView, statement: Statement, showDesk: boolean): Html {
  const t = ctx.t.usage
  const head = html`<thead><tr><th scope="col">${ctx.t.calls.when}</th><th scope="col">${ctx.t.calls.caller}</th><th scope="col">${ctx.t.calls.agent}</th><th scope="col">${ctx.t.calls.talk}</th><th scope="col">${t.counted}</th><th scope="col">${t.included}</th><th scope="col">${t.overage}</th><th scope="col">${t.grace}</th></tr></thead>`
  const lines = statement.contracts.flatMap((contract) => [...contract.calls, ...contract.onCallCalls, ...contract.emails])
  if (lines.length === 0) return html`<p class="muted">${t.noStatement}</p>`
  return html`${statement.contracts.map(
    (contract) => html`<div class="table-wrap"><table class="statement cards">
      <caption>${showDesk ? `${view.deskNames.get(contract.desk) ?? contract.desk} · ` : ''}${t.quota} ${formatDuration(contract.quotaSeconds)}</caption>
      ${head}
      <tbody>${contract.calls.map((line) => lineRow(ctx, view, line, contract.desk))}</tbody>
      ${contract.onCallCalls.length ? html`<tbody><tr><th colspan="8" scope="rowgroup" class="full">${t.onCallCalls}</th></tr>${contract.onCallCalls.map((line) => lineRow(ctx, view, line, contract.desk))}</tbody>` : ''}
      ${contract.emails.length ? html`<tbody><tr><th colspan="8" scope="rowgroup" class="full">${t.emailLines}</th></tr>${contract.emails.map((line) => emailRow(ctx, view, line, contract.desk))}</tbody>` : ''}
      <tfoot><tr><th scope="row" colspan="4" class="lead">${t.total} (${contract.totals.calls}${contract.totals.emails ? ` + ${t.emailCount(contract.totals.emails)}` : ''})</th>
        <td class="num" data-label="${t.counted}">${formatDuration(contract.totals.usedSeconds)}${contract.totals.onCallSeconds ? html` + ${formatDuration(contract.totals.onCallSeconds)}` : ''}</td>
        <td class="num" data-label="${t.included}">${formatDuration(contract.totals.includedSeconds)}</td>
        <td class="num overage" data-label="${t.overage}">${contract.totals.overageSeconds ? formatDuration(contract.totals.overageSeconds) : ctx.t.dash}</td>
        <td class="num" data-label="${t.grace}">${contract.totals.graceSeconds ? formatDuration(contract.totals.graceSeconds) : ctx.t.dash}</td></tr></tfoot>
    </table></div>`,
  )}`
}

/** What the chart's marks mean: the bars' two colours and the dashed line. */
function chartLegend(ctx: PageContext): Html {
  const t = ctx.t.usage.legend
  return html`<ul class="legend">
    <li><span class="swatch swatch-included" aria-hidden="true"></span>${t.included}</li>
    <li><span class="swatch swatch-overage" aria-hidden="true"></span>${t.overage}</li>
    <li><span class="swatch swatch-quota" aria-hidden="true"></span>${t.quota}</li>
  </ul>`
}

function historyTable(ctx: PageContext, history: readonly MonthPoint[]): Html {
  const t = ctx.t.usage
  return html`<details><summary>${t.historyTable}</summary><div class="table-wrap"><table class="history cards">
    <thead><tr><th scope="col">${t.month}</th><th scope="col">${t.used}</th><th scope="col">${t.quota}</th><th scope="col">${t.overage}</th></tr></thead>
    <tbody>${history.map((point) => html`<tr><td class="lead">${formatMonth(point.month, ctx.lang)}</td><td class="num" data-label="${t.used}">${formatDuration(point.usedSeconds)}</td><td class="num" data-label="${t.quota}">${formatDuration(point.quotaSeconds)}</td><td class="num" data-label="${t.overage}">${point.overageSeconds ? formatDuration(point.overageSeconds) : ctx.t.dash}</td></tr>`)}</tbody>
  </table></div></details>`
}

export function usagePage(ctx: PageContext, view: UsageView, options: { linkToClients: boolean }): Html {
  const t = ctx.t.usage
  const selected = view.selected
  const severalDesks = clientsOnSeveralDesks(view.items)
  const shown = selected && !options.linkToClients ? view.items.filter((item) => item.clientId === selected.clientId) : view.items
  const detail = selected
    ? html`<section class="card wide" id="detail" aria-labelledby="detail-title">
        <h2 id="detail-title">${selected.clientName} · ${t.history}</h2>
        ${monthlyChart(selected.history, ctx.lang, t.chartLabel(selected.clientName), view.month)}
        ${chartLegend(ctx)}
        ${historyTable(ctx, selected.history)}
        <h2>${t.statement(formatMonth(view.month, ctx.lang))}</h2>
        ${statementSection(ctx, view, selected.statement, new Set(selected.statement.contracts.map((c) => c.desk)).size > 1)}
        <p class="toolbar"><a class="button secondary" href="${href(`${HOME}/usage/statement.csv`, { client: selected.clientId, month: view.month })}" download>${t.statementCsv}</a></p>
      </section>`
    : ''
  return layout(ctx, {
    title: t.title,
    active: 'usage',
    body: html`${monthNav(ctx, view, options.linkToClients ? (selected?.clientId ?? null) : null)}
    ${shown.length ? html`<div class="grid">${shown.map((item) => contractRow(ctx, view, item, options.linkToClients, severalDesks.has(item.clientId)))}</div>` : html`<p class="muted">${t.none}</p>`}
    ${detail}`,
  })
}
