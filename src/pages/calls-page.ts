// The call log with its filters and CSV export, and one call with every webhook it received.
import { OUTCOMES, type Outcome } from '../domain/outcome.js'
import type { CallLogItem } from '../store/call-log.js'
import type { DeskSummary, NamedEntry } from '../store/dashboard.js'
import { formatDateTime, formatDuration, formatMonth } from './format.js'
import { type Html, attrs, html } from './html.js'
import { HOME, type PageContext, dateHint, href, layout } from './layout.js'
import { type Directory, callTable, outcomeBadge, zoneOf } from './parts.js'

export interface CallFilters {
  client?: string | undefined
  desk?: string | undefined
  outcome?: Outcome | undefined
  from?: string | undefined
  to?: string | undefined
}

export interface CallsView {
  filters: CallFilters
  calls: CallLogItem[]
  /** the cursor of the next (older) page, if any */
  next: string | null
  firstPage: boolean
  /** the clients to filter by; null for a client's session (its own calls only) */
  clients: NamedEntry[] | null
  desks: DeskSummary[]
  directory: Directory
}

function option(value: string, label: string, selected: boolean): Html {
  return html`<option value="${value}"${attrs({ selected })}>${label}</option>`
}

function filterForm(ctx: PageContext, view: CallsView): Html {
  const t = ctx.t.calls
  const { filters } = view
  return html`<form method="get" action="${HOME}/calls" class="filters">
    ${
      view.clients
        ? html`<label>${t.client}<select name="client">${option('', t.allClients, !filters.client)}${view.clients.map((client) => option(client.id, client.name, client.id === filters.client))}</select></label>`
        : ''
    }
    ${
      view.desks.length > 1
        ? html`<label>${ctx.t.desk}<select name="desk">${option('', t.allDesks, !filters.desk)}${view.desks.map((desk) => option(desk.id, desk.name, desk.id === filters.desk))}</select></label>`
        : ''
    }
    <label>${t.outcome}<select name="outcome">${option('', t.allOutcomes, !filters.outcome)}${OUTCOMES.map((outcome) => option(outcome, ctx.t.outcome[outcome], outcome === filters.outcome))}</select></label>
    <label>${t.from} ${dateHint(ctx)}<input type="date" name="from" value="${filters.from ?? ''}"></label>
    <label>${t.to} ${dateHint(ctx)}<input type="date" name="to" value="${filters.to ?? ''}"></label>
    <div class="actions">
      <button type="submit">${t.filter}</button>
      <a href="${HOME}/calls">${t.reset}</a>
    </div>
  </form>`
}

export function callsPage(ctx: PageContext, view: CallsView): Html {
  const t = ctx.t.calls
  const query = { ...view.filters }
  const pager = html`<p class="pager">
    ${view.firstPage ? '' : html`<a href="${href(`${HOME}/calls`, query)}">← ${t.newest}</a>`}
    ${view.next ? html`<a href="${href(`${HOME}/calls`, { ...query, cursor: view.next })}" rel="next">${t.older} →</a>` : ''}
  </p>`
  return layout(ctx, {
    title: t.title,
    active: 'calls',
    body: html`${filterForm(ctx, view)}
    <section class="card">
      <p class="toolbar"><a class="button secondary" href="${href(`${HOME}/calls.csv`, query)}" download>${t.exportCsv}</a></p>
      ${view.calls.length ? callTable(ctx, view.calls, view.directory) : html`<p class="muted">${t.none}</p>`}
      ${pager}
    </section>`,
  })
}

export interface CallDetail extends CallLogItem {
  events: { kind: string; at: Date; params: Record<string, string> }[]
  legs: {
    dialCallSid: string
    month: string
    talkSeconds: number
    countedSeconds: number
    includedSeconds: number
    overageSeconds: number
    graceSeconds: number
    onCall: boolean
  }[]
}

/** The parameters worth reading in a webhook, in this order; the rest are Twilio's bookkeeping. */
const TELLING = [
  'CallStatus',
  'DialCallStatus',
  'DialCallDuration',
  'CallDuration',
  'Digits',
  'RecordingDuration',
  'AnsweredBy',
  'To',
  'Called',
]

/** A webhook's telling parameters, folded: Twilio's names and values, for whoever needs them. */
function eventDetails(ctx: PageContext, params: Record<string, string>): Html | string {
  const telling = TELLING.filter((key) => params[key] !== undefined && params[key] !== '')
  if (telling.length === 0) return ''
  return html`<details class="params"><summary>${ctx.t.call.details}</summary><dl>
    ${telling.map((key) => html`<div><dt>${key}</dt><dd>${params[key]}</dd></div>`)}
  </dl></details>`
}

/** A decision in words ("dial" → "Transmis aux agents"); one the page does not know keeps its code. */
function decisionText(ctx: PageContext, decision: string): Html | string {
  const words = (ctx.t.call.decisions as Record<string, string>)[decision]
  return words ?? html`<code>${decision}</code>`
}

export function callPage(ctx: PageContext, call: CallDetail, directory: Directory): Html {
  const t = ctx.t.call
  const zone = zoneOf(directory, call.desk)
  const when = (at: Date | null) => (at ? formatDateTime(at, zone, ctx.lang) : ctx.t.dash)
  const row = (label: string, value: Html | string) => html`<div><dt>${label}</dt><dd>${value}</dd></div>`
  const client = call.clientId ? (directory.clients.get(call.clientId) ?? call.clientId) : ctx.t.calls.unknownClient
  return layout(ctx, {
    title: t.title,
    active: 'calls',
    body: html`<p><a href="${HOME}/calls">← ${t.back}</a></p>
    <section class="card">
      <h2>${outcomeBadge(ctx, call.outcome, call.onCall)} <span class="num">${call.from}</span> → <span class="num">${call.to}</span></h2>
      <dl class="facts">
        ${row(ctx.t.calls.client, client)}
        ${row(t.startedAt, when(call.startedAt))}
        ${row(t.endedAt, when(call.endedAt))}
        ${row(t.duration, call.durationSeconds === null ? ctx.t.dash : formatDuration(call.durationSeconds))}
        ${row(ctx.t.calls.talk, formatDuration(call.talkSeconds))}
        ${row(t.overage, call.overageSeconds > 0 ? formatDuration(call.overageSeconds) : ctx.t.dash)}
        ${call.graceSeconds > 0 ? row(t.grace, formatDuration(call.graceSeconds)) : ''}
        ${row(ctx.t.calls.agent, call.agentId ? (directory.agents.get(call.agentId) ?? call.agentId) : ctx.t.dash)}
        ${row(t.decision, decisionText(ctx, call.decision))}
        ${call.direction === 'outbound' && call.callbackId !== null ? row(t.direction, t.outbound(call.callbackId)) : ''}
        ${call.overageAccepted ? row(t.overageAccepted, t.yes) : ''}
        ${call.recordingUrl?.startsWith('https://') ? row(t.recording, html`<a href="${call.recordingUrl}" rel="noreferrer">${t.listen}</a>`) : ''}
        ${row('CallSid', html`<code class="token">${call.callSid}</code>`)}
      </dl>
    </section>
    <section class="card">
      <h2>${t.events}</h2>
      <div class="table-wrap"><table class="events cards">
        <thead><tr><th scope="col">${t.at}</th><th scope="col">${t.event}</th><th scope="col">${t.details}</th></tr></thead>
        <tbody>${call.events.map((event) => html`<tr><td class="num lead">${when(event.at)}</td><td class="lead"><code class="token">${event.kind}</code></td><td class="full">${eventDetails(ctx, event.params)}</td></tr>`)}</tbody>
      </table></div>
    </section>
    <section class="card">
      <h2>${t.legs}</h2>
      ${
        call.legs.length
          ? html`<div class="table-wrap"><table class="legs cards">
          <thead><tr><th scope="col">${t.month}</th><th scope="col">${ctx.t.calls.talk}</th><th scope="col">${t.counted}</th><th scope="col">${t.included}</th><th scope="col">${t.overage}</th><th scope="col">${t.grace}</th></tr></thead>
          <tbody>${call.legs.map((leg) => html`<tr><td class="lead">${formatMonth(leg.month, ctx.lang)}${leg.onCall ? html` <small>(${ctx.t.onCall})</small>` : ''}</td><td class="num" data-label="${ctx.t.calls.talk}">${formatDuration(leg.talkSeconds)}</td><td class="num" data-label="${t.counted}">${formatDuration(leg.countedSeconds)}</td><td class="num" data-label="${t.included}">${formatDuration(leg.includedSeconds)}</td><td class="num" data-label="${t.overage}">${leg.overageSeconds ? formatDuration(leg.overageSeconds) : ctx.t.dash}</td><td class="num" data-label="${t.grace}">${leg.graceSeconds ? formatDuration(leg.graceSeconds) : ctx.t.dash}</td></tr>`)}</tbody>
        </table></div>`
          : html`<p class="muted">${t.noLegs}</p>`
      }
    </section>`,
  })
}
