// The callback queue of a desk (model clause: requests answered within 24 working hours): the open
// requests by due time, late ones first and flagged, each with its call, who has it, and the forms
// to assign it and to close it; then the requests done most recently, by whom, with their note.
import { isLate } from '../domain/callback.js'
import type { CallbackAttempt } from '../store/callback-calls.js'
import type { CallbackItem } from '../store/callback-queue.js'
import type { RequestMail, UnidentifiedMessage } from '../store/email-requests.js'
import type { DeskAgent, DeskSummary } from '../store/dashboard.js'
import { formatBytes, formatDateTime, formatDelay, formatDuration, formatWhen } from './format.js'
import { type Html, attrs, html } from './html.js'
import { HOME, type PageContext, canManage, csrfField, href, layout } from './layout.js'
import { type Directory, deskPicker } from './parts.js'

export const CALLBACKS = `${HOME}/callbacks`

export interface CallbacksView {
  /** whether calling back is possible now (the desk is open), else from when (null: no opening known) */
  callable: { now: true } | { now: false; from: Date | null }
  desks: DeskSummary[]
  desk: DeskSummary
  /** this page of open requests, by due time: the late ones come first */
  open: CallbackItem[]
  /** all the desk's open requests, and how many are late */
  counts: { open: number; late: number }
  /** the next page's cursor, when there is one */
  next: string | null
  firstPage: boolean
  /** the desk's active agents, whom a request can be given to */
  agents: DeskAgent[]
  /** the desk's latest done requests, newest first */
  done: CallbackItem[]
  /** each shown request's calls back through the line, oldest first */
  attempts: Map<number, CallbackAttempt[]>
  directory: Directory
  /** e-mail requests on this page: the latest message the client wrote (issue #15) */
  mail?: Map<number, RequestMail> | undefined
  /** managers: e-mails no client is known by, to assign (issue #15) */
  unidentified?: UnidentifiedMessage[] | undefined
}

const secondsBetween = (from: Date, to: Date) => (to.getTime() - from.getTime()) / 1000

function dueCell(ctx: PageContext, view: CallbacksView, callback: CallbackItem): Html {
  if (!callback.dueAt) return html`<td class="muted lead">${ctx.t.callbacks.noDue}</td>`
  const late = isLate(callback, ctx.now)
    ? html`<br><small class="late" data-late>${ctx.t.today.late(formatDelay(secondsBetween(callback.dueAt, ctx.now), ctx.lang))}</small>`
    : ''
  return html`<td class="num lead">${formatDateTime(callback.dueAt, view.desk.timezone, ctx.lang)}${late}</td>`
}

function callerCell(ctx: PageContext, callback: CallbackItem): Html {
  return html`<td class="lead">${callback.clientName ?? html`<span class="muted">${ctx.t.calls.unknownClient}</span>`}<br><small class="num">${callback.fromNumber ?? callback.fromAddress}</small></td>`
}

/** The shown part of a message: never its HTML, which stays in the API (sanitised, for a sandboxed reader). */
const EXCERPT = 1500

/** Each attachment the client sent: a download link when its bytes were kept, else its name and why not. */
function filesOf(ctx: PageContext, requestId: number, mail: RequestMail): Html | string {
  if (mail.files.length === 0) return ''
  const t = ctx.t.callbacks
  return html`<ul class="attachments" data-attachments>${mail.files.map((file) => {
    const name = file.filename || t.unnamedAttachment(file.position)
    const size = formatBytes(file.size, ctx.lang)
    return file.kept
      ? html`<li><a href="${CALLBACKS}/${requestId}/messages/${file.messageRowId}/attachments/${file.position}" download data-attachment>${name}</a> <small class="muted">(${size})</small></li>`
      : html`<li>${name} <small class="muted">(${size}, ${t.attachmentNotKept})</small></li>`
  })}</ul>`
}

function mailOf(ctx: PageContext, requestId: number, mail: RequestMail | undefined): Html | string {
  if (!mail) return ''
  const t = ctx.t.callbacks
  const text = mail.text.length > EXCERPT ? `${mail.text.slice(0, EXCERPT)}…` : mail.text
  const extra = [t.messages(mail.messages), ...(mail.attachments ? [t.attachments(mail.attachments)] : [])].join(' · ')
  return html`<details class="email-message" data-email><summary>${mail.subject || ctx.t.dash}</summary>
    <pre class="email-text">${text}</pre><small class="muted">${extra}${mail.hasHtml ? html`<br>${t.htmlKept}` : ''}</small>${filesOf(ctx, requestId, mail)}</details>`
}

function reasonCell(ctx: PageContext, callback: CallbackItem, mail?: RequestMail): Html {
  if (callback.channel === 'email')
    return html`<td data-label="${ctx.t.today.reason}" data-channel="email"><strong>${ctx.t.callbacks.email}</strong>${mailOf(ctx, callback.id, mail)}</td>`
  const voicemail = callback.recordingSeconds
    ? html`<br><small>${ctx.t.callbacks.voicemail(formatDuration(callback.recordingSeconds))}</small>`
    : ''
  return html`<td data-label="${ctx.t.today.reason}">${ctx.t.today.callbackReason[callback.reason]}${voicemail}
    ${canManage(ctx.principal) && callback.callSid ? html`<br><a href="${HOME}/calls/${callback.callSid}">${ctx.t.callbacks.seeCall}</a>` : ''}</td>`
}

function assignedCell(ctx: PageContext, view: CallbacksView, callback: CallbackItem): Html {
  const t = ctx.t.callbacks
  const who = callback.assignedTo
    ? html`<strong>${view.directory.agents.get(callback.assignedTo) ?? callback.assignedTo}</strong>${
        callback.assignedBy && callback.assignedAt
          ? html`<br><small>${t.assignedBy(callback.assignedBy, formatDateTime(callback.assignedAt, view.desk.timezone, ctx.lang))}</small>`
          : ''
      }`
    : html`<span class="muted">${t.unassigned}</span>`
  return html`<td${attrs({ 'data-assigned': callback.assignedTo ?? '', 'data-label': t.assignedTo })}>${who}</td>`
}

/** Only managers give requests to agents; an agent sees who has each. */
function assignForm(ctx: PageContext, view: CallbacksView, callback: CallbackItem): Html | string {
  const t = ctx.t.callbacks
  if (!canManage(ctx.principal)) return ''
  if (view.agents.length === 0) return html`<p class="muted">${t.noAgents}</p>`
  const options = view.agents.map(
    (agent) => html`<option value="${agent.id}"${attrs({ selected: agent.id === callback.assignedTo })}>${agent.name}</option>`,
  )
  return html`<form method="post" action="${CALLBACKS}/${callback.id}/assign" class="inline assign">
    ${csrfField(ctx)}<input type="hidden" name="desk" value="${view.desk.id}">
    <label class="visually-hidden" for="agent-${callback.id}">${t.agent}</label>
    <select id="agent-${callback.id}" name="agent" required>
      ${callback.assignedTo ? '' : html`<option value="">${t.chooseAgent}</option>`}${options}
    </select>
    <button type="submit" class="secondary">${t.assign}</button>
  </form>`
}

/**
 * "Rappeler": Twilio rings the agent from the desk's number, then the client (issue #16). An agent
 * calls as itself; a manager chooses who calls (the assignee by default).
 */
function callForm(ctx: PageContext, view: CallbacksView, callback: CallbackItem): Html {
  const t = ctx.t.callbacks
  const options = view.agents.map(
    (agent) => html`<option value="${agent.id}"${attrs({ selected: agent.id === callback.assignedTo })}>${agent.name}</option>`,
  )
  const who = canManage(ctx.principal)
    ? html`<label class="visually-hidden" for="caller-${callback.id}">${t.callBackAs}</label>
    <select id="caller-${callback.id}" name="caller">
      ${callback.assignedTo ? '' : html`<option value="">${t.assignee}</option>`}${options}
    </select>`
    : ''
  // Outside the desk's hours the API refuses (409 desk_closed): the page says when it becomes possible.
  if (!view.callable.now) {
    const from = view.callable.from
    return html`<p class="muted call-back-later" data-call-back-later="${callback.id}">${
      from ? t.callBackFrom(formatWhen(from, view.desk.timezone, ctx.lang)) : t.callBackNoOpening
    }</p>`
  }
  return html`<form method="post" action="${CALLBACKS}/${callback.id}/call" class="inline call-back">
    ${csrfField(ctx)}<input type="hidden" name="desk" value="${view.desk.id}">
    ${who}<button type="submit" data-call-back="${callback.id}">${t.callBack}</button>
  </form>`
}

/** The request's attempts: when, who, which number, how it ended. */
function attemptsList(ctx: PageContext, view: CallbacksView, callback: CallbackItem): Html | string {
  const attempts = view.attempts.get(callback.id) ?? []
  if (attempts.length === 0) return ''
  const t = ctx.t.callbacks
  const items = attempts.map((attempt) => {
    const who = view.directory.agents.get(attempt.agentId) ?? attempt.agentId
    const talk = attempt.talkSeconds > 0 ? html`, ${t.talked(formatDuration(attempt.talkSeconds))}` : ''
    return html`<li${attrs({ 'data-attempt': attempt.status })}>${t.attempt(who, attempt.number, formatDateTime(attempt.createdAt, view.desk.timezone, ctx.lang))} : <strong>${t.attemptStatus[attempt.status]}</strong>${talk}</li>`
  })
  return html`<details class="attempts" open><summary>${t.attempts} (${attempts.length})</summary><ul>${items}</ul></details>`
}

function doneForm(ctx: PageContext, view: CallbacksView, callback: CallbackItem): Html {
  const t = ctx.t.today
  return html`<form method="post" action="${CALLBACKS}/${callback.id}/done" class="inline done">
    ${csrfField(ctx)}<input type="hidden" name="desk" value="${view.desk.id}"><input type="hidden" name="from" value="callbacks">
    <label class="visually-hidden" for="note-${callback.id}">${t.note}</label>
    <input id="note-${callback.id}" name="note" required maxlength="2000" placeholder="${t.note}">
    <button type="submit">${t.markDone}</button>
  </form>`
}

/** An e-mail request is answered, not marked done: the answer leaves by e-mail and closes it. */
function replyForm(ctx: PageContext, view: CallbacksView, callback: CallbackItem): Html {
  const t = ctx.t.callbacks
  return html`<form method="post" action="${CALLBACKS}/${callback.id}/reply" class="reply" data-reply>
    ${csrfField(ctx)}<input type="hidden" name="desk" value="${view.desk.id}">
    <label for="reply-${callback.id}">${t.replyText}</label>
    <textarea id="reply-${callback.id}" name="text" required maxlength="20000" rows="5"></textarea>
    <label for="minutes-${callback.id}">${t.minutes}</label>
    <input id="minutes-${callback.id}" name="minutes" type="number" min="1" max="1440" inputmode="numeric">
    <button type="submit">${t.reply}</button>
  </form>`
}

function openCard(ctx: PageContext, view: CallbacksView): Html {
  const t = ctx.t.callbacks
  const deskQuery = { desk: view.desks.length > 1 ? view.desk.id : null }
  const rows = view.open.map(
    (callback) => html`<tr${attrs({ 'data-callback': callback.id, class: isLate(callback, ctx.now) ? 'is-late' : null })}>
      ${dueCell(ctx, view, callback)}
      ${callerCell(ctx, callback)}
      ${reasonCell(ctx, callback, view.mail?.get(callback.id))}
      ${assignedCell(ctx, view, callback)}
      <td class="callback-actions full">${
        callback.channel === 'email'
          ? html`${assignForm(ctx, view, callback)}${replyForm(ctx, view, callback)}`
          : html`${callForm(ctx, view, callback)}${attemptsList(ctx, view, callback)}${assignForm(ctx, view, callback)}${doneForm(ctx, view, callback)}`
      }</td>
    </tr>`,
  )
  const pager =
    view.next || !view.firstPage
      ? html`<p class="pager">
      ${view.firstPage ? html`<span></span>` : html`<a href="${href(CALLBACKS, deskQuery)}">← ${t.first}</a>`}
      ${view.next ? html`<a href="${href(CALLBACKS, { ...deskQuery, cursor: view.next })}" rel="next">${t.next} →</a>` : ''}
    </p>`
      : ''
  return html`<section class="card" aria-labelledby="open-title">
    <h2 id="open-title">${t.openTitle} <span class="count${view.counts.late ? ' count-bad' : ''}">${view.counts.open}</span></h2>
    ${
      view.open.length
        ? html`<p>${t.summary(view.counts.open, view.counts.late)}</p>
    <div class="table-wrap"><table class="callbacks cards">
      <thead><tr><th scope="col">${ctx.t.today.due}</th><th scope="col">${ctx.t.calls.client}</th><th scope="col">${ctx.t.today.reason}</th><th scope="col">${t.assignedTo}</th><th scope="col"><span class="visually-hidden">${t.assign}, ${ctx.t.today.markDone}</span></th></tr></thead>
      <tbody>${rows}</tbody>
    </table></div>
    ${pager}`
        : html`<p class="muted">${t.noneOpen}</p>${pager}`
    }
  </section>`
}

function doneCard(ctx: PageContext, view: CallbacksView): Html {
  const t = ctx.t.callbacks
  const zone = view.desk.timezone
  const rows = view.done.map((callback) => {
    const lateBy =
      callback.dueAt && callback.doneAt && isLate(callback, ctx.now)
        ? html`<br><small class="late">${t.doneLate(formatDelay(secondsBetween(callback.dueAt, callback.doneAt), ctx.lang))}</small>`
        : ''
    return html`<tr${attrs({ 'data-callback': callback.id })}>
      <td class="num lead">${callback.doneAt ? formatDateTime(callback.doneAt, zone, ctx.lang) : ctx.t.dash}${lateBy}</td>
      ${callerCell(ctx, callback)}
      ${reasonCell(ctx, callback)}
      <td data-label="${t.doneBy}">${callback.doneBy ?? ctx.t.dash}</td>
      <td class="note full">${callback.note ?? ''}</td>
    </tr>`
  })
  return html`<section class="card" aria-labelledby="done-title">
    <h2 id="done-title">${t.doneTitle}</h2>
    ${
      view.done.length
        ? html`<div class="table-wrap"><table class="callbacks callbacks-done cards">
      <thead><tr><th scope="col">${t.doneAt}</th><th scope="col">${ctx.t.calls.client}</th><th scope="col">${ctx.t.today.reason}</th><th scope="col">${t.doneBy}</th><th scope="col">${t.note}</th></tr></thead>
      <tbody>${rows}</tbody>
    </table></div>`
        : html`<p class="muted">${t.noneDone}</p>`
    }
  </section>`
}

/** Managers give an unidentified e-mail to a client, which opens its request (the API's assign). */
function unidentifiedCard(ctx: PageContext, view: CallbacksView): Html | string {
  const messages = view.unidentified ?? []
  if (!canManage(ctx.principal) || messages.length === 0) return ''
  const t = ctx.t.callbacks
  const clients = [...view.directory.clients].sort((a, b) => a[1].localeCompare(b[1]))
  const rows = messages.map(
    (m) => html`<tr data-unidentified="${m.id}">
      <td class="num lead">${formatDateTime(m.receivedAt, view.desk.timezone, ctx.lang)}</td>
      <td class="lead">${m.fromName ?? ''}<br><small class="num">${m.fromAddress ?? ctx.t.dash}</small></td>
      <td class="full"><details class="email-message"><summary>${m.subject || ctx.t.dash}</summary><pre class="email-text">${m.text.slice(0, EXCERPT)}</pre></details></td>
      <td class="full"><form method="post" action="${HOME}/email/unidentified/${m.id}/assign" class="reply">
        ${csrfField(ctx)}<input type="hidden" name="desk" value="${view.desk.id}">
        <label class="visually-hidden" for="client-${m.id}">${t.client}</label>
        <select id="client-${m.id}" name="clientId" required><option value="">${t.chooseClient}</option>${clients.map(([id, name]) => html`<option value="${id}">${name}</option>`)}</select>
        <label><input type="checkbox" name="addAddress" value="true"> ${t.addAddress}</label>
        <button type="submit" class="secondary">${t.assignEmail}</button>
      </form></td>
    </tr>`,
  )
  return html`<section class="card" aria-labelledby="unidentified-title">
    <h2 id="unidentified-title">${t.unidentifiedTitle} <span class="count">${messages.length}</span></h2>
    <p>${t.unidentifiedHelp}</p>
    <div class="table-wrap"><table class="callbacks cards"><tbody>${rows}</tbody></table></div>
  </section>`
}

export function callbacksPage(ctx: PageContext, view: CallbacksView): Html {
  return layout(ctx, {
    title: `${ctx.t.callbacks.title} · ${view.desk.name}`,
    active: 'callbacks',
    refresh: 60,
    body: html`${deskPicker(ctx, view.desks, view.desk.id, CALLBACKS)}
    ${openCard(ctx, view)}
    ${unidentifiedCard(ctx, view)}
    ${doneCard(ctx, view)}`,
  })
}
