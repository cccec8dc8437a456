// The notification outbox as managers read it: what was sent, what waits and why, what failed, by
// event, channel and recipient, with the attempts and the last error; a failed one sent again from
// here. A client's session sees what was sent about its own client, without the form.
import { EVENT_TYPES } from '../domain/notifications.js'
import type { NotificationItem, NotificationStatus } from '../store/notifications.js'
import { formatDateTime } from './format.js'
import { type Html, attrs, html } from './html.js'
import { HOME, type PageContext, canManage, csrfField, href, layout } from './layout.js'

export const NOTIFICATIONS = `${HOME}/notifications`

const STATUSES: NotificationStatus[] = ['pending', 'sending', 'sent', 'failed']
const CHANNELS = ['email', 'sms', 'webhook'] as const

export interface NotificationsView {
  items: NotificationItem[]
  filter: { status: NotificationStatus | null; type: string | null }
  next: string | null
  firstPage: boolean
  /** the channels this server delivers; the others' notifications are kept */
  channels: readonly string[]
  /** each desk's zone, for the times */
  zones: ReadonlyMap<string, string>
  defaultZone: string
}

function filterForm(ctx: PageContext, view: NotificationsView): Html {
  const t = ctx.t.notifications
  const option = (value: string, label: string, selected: boolean) =>
    html`<option value="${value}"${attrs({ selected })}>${label}</option>`
  return html`<form method="get" action="${NOTIFICATIONS}" class="filters">
    <label>${t.status.pending} / ${t.status.failed}
      <select name="status">${option('', t.all, !view.filter.status)}${STATUSES.map((s) => option(s, t.status[s], view.filter.status === s))}</select>
    </label>
    <label>${t.event}
      <select name="type">${option('', t.all, !view.filter.type)}${EVENT_TYPES.map((type) => option(type, type, view.filter.type === type))}</select>
    </label>
    <button type="submit" class="secondary">${t.filter}</button>
  </form>`
}

function row(ctx: PageContext, view: NotificationsView, item: NotificationItem): Html {
  const t = ctx.t.notifications
  const zone = view.zones.get(item.deskId) ?? view.defaultZone
  const state =
    item.status === 'pending'
      ? html`<br><small>${t.nextAttempt(formatDateTime(item.nextAttemptAt, zone, ctx.lang))}</small>`
      : item.status === 'sent' && item.sentAt
        ? html`<br><small>${t.sentAt(formatDateTime(item.sentAt, zone, ctx.lang))}</small>`
        : ''
  const resend =
    item.status === 'failed' && canManage(ctx.principal)
      ? html`<form method="post" action="${NOTIFICATIONS}/${item.id}/resend" class="inline">
      ${csrfField(ctx)}<button type="submit" class="secondary">${t.resend}</button></form>`
      : ''
  return html`<tr${attrs({ 'data-notification': item.id, class: item.status === 'failed' ? 'is-late' : null })}>
    <td class="num lead">${formatDateTime(item.event.occurredAt, zone, ctx.lang)}</td>
    <td class="lead"><code class="token">${item.type}</code></td>
    <td data-label="${t.recipient}">${t.channel[item.channel]}<br><small class="recipient">${item.recipient}</small></td>
    <td>${t.status[item.status]}${state}</td>
    <td class="num" data-label="${t.attempts}">${item.attempts}</td>
    <td class="note full">${item.lastError ?? ''}</td>
    <td class="full">${resend}</td>
  </tr>`
}

export function notificationsPage(ctx: PageContext, view: NotificationsView): Html {
  const t = ctx.t.notifications
  const kept = CHANNELS.filter((channel) => !view.channels.includes(channel))
  const query = { status: view.filter.status, type: view.filter.type }
  const pager =
    view.next || !view.firstPage
      ? html`<p class="pager">
      ${view.firstPage ? html`<span></span>` : html`<a href="${href(NOTIFICATIONS, query)}">← ${t.first}</a>`}
      ${view.next ? html`<a href="${href(NOTIFICATIONS, { ...query, cursor: view.next })}" rel="next">${t.next} →</a>` : ''}
    </p>`
      : ''
  return layout(ctx, {
    title: t.title,
    active: 'notifications',
    refresh: 60,
    body: html`${kept.length ? html`<p class="flash" data-kept>${t.kept(kept.map((c) => t.channel[c]).join(', '))}</p>` : ''}
    <section class="card">
      ${filterForm(ctx, view)}
      ${
        view.items.length
          ? html`<div class="table-wrap"><table class="notifications cards">
        <thead><tr><th scope="col">${t.when}</th><th scope="col">${t.event}</th><th scope="col">${t.recipient}</th><th scope="col">${t.status.pending}</th><th scope="col">${t.attempts}</th><th scope="col">${t.error}</th><th scope="col"><span class="visually-hidden">${t.resend}</span></th></tr></thead>
        <tbody>${view.items.map((item) => row(ctx, view, item))}</tbody>
      </table></div>`
          : html`<p class="muted">${t.none}</p>`
      }
      ${pager}
    </section>`,
  })
}
