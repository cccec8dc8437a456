// Pieces several pages share: an outcome's badge, the call table, the desk picker.
import type { Outcome } from '../domain/outcome.js'
import type { CallLogItem } from '../store/call-log.js'
import { formatDateTime, formatDuration, formatTime } from './format.js'
import { type Html, attrs, html } from './html.js'
import { HOME, type PageContext, href } from './layout.js'

/** Names to show for ids, and the time zone of each desk (calls are shown in their desk's zone). */
export interface Directory {
  clients: ReadonlyMap<string, string>
  agents: ReadonlyMap<string, string>
  zones: ReadonlyMap<string, string>
  /** the zone of calls whose desk is unknown */
  defaultZone: string
}

const TONE: Record<Outcome, 'good' | 'warn' | 'bad' | 'muted'> = {
  answered: 'good',
  no_answer: 'warn',
  voicemail: 'warn',
  closed_hours: 'muted',
  closed_holiday: 'muted',
  closed_closure: 'muted',
  unknown_caller: 'muted',
  suspended: 'bad',
  no_contract: 'bad',
  quota_refused: 'bad',
  abandoned: 'warn',
  failed: 'bad',
}

export function outcomeBadge(ctx: PageContext, outcome: Outcome | null, onCall = false): Html {
  if (outcome === null) return html`<span class="badge badge-live">${ctx.t.inProgress}</span>`
  return html`<span class="badge badge-${TONE[outcome]}">${ctx.t.outcome[outcome]}${onCall ? html` <small>(${ctx.t.onCall})</small>` : ''}</span>`
}

export function zoneOf(directory: Directory, deskId: string | null): string {
  return (deskId && directory.zones.get(deskId)) || directory.defaultZone
}

/** The calls as a table; `timeOnly` for a page about one day. */
export function callTable(
  ctx: PageContext,
  calls: readonly CallLogItem[],
  directory: Directory,
  options: { timeOnly?: boolean; compact?: boolean } = {},
): Html {
  const t = ctx.t.calls
  const rows = calls.map((call) => {
    const zone = zoneOf(directory, call.desk)
    const when = options.timeOnly ? formatTime(call.startedAt, zone, ctx.lang) : formatDateTime(call.startedAt, zone, ctx.lang)
    const client = call.clientId
      ? (directory.clients.get(call.clientId) ?? call.clientId)
      : html`<span class="muted">${t.unknownClient}</span>`
    const agent = call.agentId ? (directory.agents.get(call.agentId) ?? call.agentId) : ''
    return html`<tr${attrs({ 'data-call': call.callSid })}>
      <td class="lead"><a href="${HOME}/calls/${call.callSid}" title="${t.details}">${when}</a></td>
      <td class="lead">${client}</td>
      <td class="num later" data-label="${t.caller}">${call.from}</td>
      <td>${outcomeBadge(ctx, call.outcome, call.onCall)}</td>
      ${options.compact ? '' : html`<td class="num" data-label="${t.talk}">${call.talkSeconds > 0 ? formatDuration(call.talkSeconds) : ctx.t.dash}</td><td${attrs({ 'data-label': agent ? t.agent : null })}>${agent}</td>`}
    </tr>`
  })
  return html`<div class="table-wrap"><table class="calls cards">
    <thead><tr><th scope="col">${t.when}</th><th scope="col">${t.client}</th><th scope="col">${t.caller}</th><th scope="col">${t.outcome}</th>${options.compact ? '' : html`<th scope="col">${t.talk}</th><th scope="col">${t.agent}</th>`}</tr></thead>
    <tbody>${rows}</tbody>
  </table></div>`
}

/** Links to switch desk, when there is more than one. */
export function deskPicker(
  ctx: PageContext,
  desks: readonly { id: string; name: string }[],
  current: string,
  path: string,
  query: Record<string, string> = {},
): Html | string {
  if (desks.length < 2) return ''
  return html`<nav class="picker" aria-label="${ctx.t.desk}">
    ${desks.map((desk) => html`<a href="${href(path, { ...query, desk: desk.id })}"${attrs({ 'aria-current': desk.id === current ? 'true' : null })}>${desk.name}</a>`)}
  </nav>`
}

/** The clients with contracts (or usage) on more than one desk: only theirs are followed by the desk's name. */
export function clientsOnSeveralDesks(items: readonly { clientId: string; desk: string }[]): Set<string> {
  const desks = new Map<string, Set<string>>()
  for (const { clientId, desk } of items) desks.set(clientId, (desks.get(clientId) ?? new Set()).add(desk))
  return new Set([...desks].filter(([, set]) => set.size > 1).map(([clientId]) => clientId))
}
