// Contracts: each one's period in force, quota and overage policy, and the notice deadlines coming
// up (INTERcom: 12 months, renewed unless notice 3 months before the end), with a notice form.
import type { ContractOverview } from '../domain/contract-overview.js'
import { heardLanguage } from '../domain/language.js'
import { revisionsToCome } from '../domain/revision.js'
import type { ClientLanguages } from '../store/clients.js'
import type { ContractRecord } from '../store/contracts.js'
import { addDays, daysBetween, formatDateTime, formatDayShort, formatDuration, formatLanguage } from './format.js'
import { type Html, html } from './html.js'
import { HOME, type PageContext, csrfField, dateHint, layout } from './layout.js'
import { clientsOnSeveralDesks } from './parts.js'
import { WHAT_IF, effectiveField, periodFields } from './what-if-page.js'

export interface ContractRow {
  record: ContractRecord
  overview: ContractOverview
}

export interface ContractsView {
  contracts: ContractRow[]
  /** the contracts' clients, their numbers and the language each hears */
  clientLanguages: readonly ClientLanguages[]
  /** desk id → name: a desk is named after a client only when the client has contracts on several */
  deskNames: ReadonlyMap<string, string>
  /** how far ahead deadlines are listed */
  horizonDays: number
}

/** Contracts whose notice deadline falls between their today and `horizonDays` later, soonest first. */
export function upcomingDeadlines(rows: readonly ContractRow[], horizonDays: number): ContractRow[] {
  return rows
    .filter(({ overview }) => {
      const deadline = overview.noticeDeadline
      return deadline !== null && deadline >= overview.today && deadline <= addDays(overview.today, horizonDays)
    })
    .sort((a, b) => (a.overview.noticeDeadline as string).localeCompare(b.overview.noticeDeadline as string))
}

function upcomingSection(ctx: PageContext, view: ContractsView, deskAfter: (record: ContractRecord) => Html | string): Html {
  const t = ctx.t.contracts
  const upcoming = upcomingDeadlines(view.contracts, view.horizonDays)
  return html`<section class="card wide" aria-labelledby="upcoming-title">
    <h2 id="upcoming-title">${t.upcoming}</h2>
    ${
      upcoming.length
        ? html`<ul class="deadlines">${upcoming.map(({ record, overview }) => {
            const deadline = overview.noticeDeadline as string
            const days = daysBetween(overview.today, deadline)
            return html`<li class="${days <= 30 ? 'soon' : ''}"><strong>${formatDayShort(deadline, ctx.lang)}</strong> (${t.inDays(days)}) ·
            ${record.clientName}${deskAfter(record)} —
            ${t.deadlineFor(record.clientName, formatDayShort(overview.period?.lastDay ?? deadline, ctx.lang))}</li>`
          })}</ul>`
        : html`<p class="muted">${t.noneUpcoming}</p>`
    }
  </section>`
}

/** The designated technical contact (INTERcom Art. 2): name, e-mail, phone, fax. */
function contactLine(ctx: PageContext, record: ContractRecord): Html | string {
  const contact = record.clientContact
  if (!contact) return ''
  const t = ctx.t.contracts
  const parts = [
    contact.email ? html`<a href="mailto:${contact.email}">${contact.email}</a>` : '',
    contact.phone ? html`${t.phone} <span class="num">${contact.phone}</span>` : '',
    contact.fax ? html`${t.fax} <span class="num">${contact.fax}</span>` : '',
  ].filter((part) => part !== '')
  return html`<br><small data-contact>${t.contact} : ${contact.name}${parts.map((part) => html` · ${part}`)}</small>`
}

function contractRow(
  ctx: PageContext,
  { record, overview }: ContractRow,
  deskAfter: (record: ContractRecord) => Html | string,
): Html {
  const t = ctx.t.contracts
  const day = (date: string | null) => (date ? formatDayShort(date, ctx.lang) : ctx.t.dash)
  const period = overview.period ? `${day(overview.period.start)} – ${day(overview.period.lastDay)}` : t.notInForce
  const notice = record.noticeGivenOn ? t.noticeBy(day(record.noticeGivenOn), record.noticeRecordedBy) : ctx.t.dash
  // endsOn is the first day out of force: the page shows the last day in force, as the period's.
  const lastDay = overview.endsOn ? day(addDays(overview.endsOn, -1)) : null
  return html`<tr data-contract="${record.id}">
    <td class="lead"><strong>${record.clientName}</strong>${deskAfter(record)}${contactLine(ctx, record)}</td>
    <td data-label="${t.signed}">${day(record.start)} <small class="muted">(${t.months(record.months)})</small></td>
    <td data-label="${t.period}">${overview.inForce ? period : html`<span class="badge badge-muted">${period}</span>`}</td>
    <td data-label="${t.quota}">${formatDuration(record.monthlyQuotaSeconds)} <small class="muted">(${t.overagePolicy[record.overage]})</small>
      <br><small class="muted">${record.revision.by === 'agreement' ? t.revisedBy.agreement : t.revisedBy.notice(record.revision.days)}</small>
      ${revisionsToCome(record.changes, overview.today).map(
        (change) =>
          html`<br><small class="revision" data-from="${change.from}">${t.revisionFrom(
            day(change.from),
            [
              change.monthlyQuotaMinutes === undefined
                ? null
                : t.revisionTerms.quota(formatDuration(change.monthlyQuotaMinutes * 60)),
              change.overage === undefined ? null : t.revisionTerms.overage(t.overagePolicy[change.overage]),
              change.billingIncrementSeconds === undefined ? null : t.revisionTerms.increment(change.billingIncrementSeconds),
            ]
              .filter(Boolean)
              .join(', '),
            change.agreedOn ? day(change.agreedOn) : null,
          )}</small>`,
      )}</td>
    <td data-label="${t.deadline}">${overview.noticeDeadline ? day(overview.noticeDeadline) : ctx.t.dash}</td>
    <td data-label="${t.endsOn}">${lastDay ?? (overview.inForce && record.renews ? html`<span class="muted">${t.renews}</span>` : ctx.t.dash)}</td>
    <td class="full" data-label="${t.notice}">${notice}
      ${
        record.active && overview.inForce
          ? html`<details class="notice"><summary>${t.record}</summary>
        <form method="post" action="${HOME}/contracts/${record.id}/notice" class="inline">
          ${csrfField(ctx)}
          <label for="notice-${record.id}">${t.recordNotice} ${dateHint(ctx)}</label>
          <input id="notice-${record.id}" type="date" name="givenOn" max="${overview.today}" required>
          <button type="submit">${t.record}</button>
        </form></details>${simulateForm(ctx, record, overview.today)}`
          : ''
      }
    </td>
  </tr>`
}

/** "Simuler" a revision of the contract before saving it: its terms as if in force over past calls (the what-if page answers). */
function simulateForm(ctx: PageContext, record: ContractRecord, today: string): Html {
  const t = ctx.t.contracts
  const id = `simulate-${record.id}`
  return html`<details class="notice"><summary>${t.simulate}</summary>
        <form method="post" action="${WHAT_IF}/contract" class="filters" data-simulate="${record.id}">
          ${csrfField(ctx)}<input type="hidden" name="contract" value="${record.id}">
          <label for="${id}-quota">${t.simulateQuota}</label>
          <input id="${id}-quota" type="number" name="quota" min="0" max="100000" placeholder="${Math.round(record.monthlyQuotaSeconds / 60)}">
          <label for="${id}-overage">${t.simulateOverage}</label>
          <select id="${id}-overage" name="overage">
            <option value="">${t.simulateSame}</option>
            ${(['bill', 'ask', 'refuse'] as const).map((policy) => html`<option value="${policy}">${t.overagePolicy[policy]}</option>`)}
          </select>
          <label for="${id}-increment">${t.simulateIncrement}</label>
          <input id="${id}-increment" type="number" name="increment" min="1" max="3600">
          ${effectiveField(ctx, today, id)}
          ${periodFields(ctx, today, { from: t.simulatePeriod, to: t.simulatePeriodTo }, id)}
          <button type="submit">${t.simulateRun}</button>
        </form></details>`
}

export function contractsPage(ctx: PageContext, view: ContractsView): Html {
  const t = ctx.t.contracts
  const severalDesks = clientsOnSeveralDesks(
    view.contracts.map(({ record }) => ({ clientId: record.clientId, desk: record.deskId })),
  )
  const deskAfter = (record: ContractRecord) =>
    severalDesks.has(record.clientId)
      ? html` <small class="muted">${view.deskNames.get(record.deskId) ?? record.deskId}</small>`
      : ''
  return layout(ctx, {
    title: t.title,
    active: 'contracts',
    body: html`${upcomingSection(ctx, view, deskAfter)}
    <section class="card wide">
      <div class="table-wrap"><table class="contracts cards">
        <thead><tr><th scope="col">${t.client}</th><th scope="col">${t.signed}</th><th scope="col">${t.period}</th><th scope="col">${t.quota}</th><th scope="col">${t.deadline}</th><th scope="col">${t.endsOn}</th><th scope="col">${t.notice}</th></tr></thead>
        <tbody>${view.contracts.map((row) => contractRow(ctx, row, deskAfter))}</tbody>
      </table></div>
    </section>
    ${languagesSection(ctx, view.clientLanguages)}`,
  })
}

/** Each client's registered numbers and the language each hears, with where it comes from (issue #17). */
function languagesSection(ctx: PageContext, clients: readonly ClientLanguages[]): Html {
  const t = ctx.t.contracts.languages
  if (clients.length === 0) return html``
  const name = (tag: string) => html`<span lang="${tag}" title="${tag}">${formatLanguage(tag, ctx.lang)}</span>`
  const row = (client: ClientLanguages) => {
    const numbers = client.numbers.map((line) => {
      const heard = heardLanguage({
        own: line.own,
        chosen: line.chosen?.language ?? null,
        client: client.language,
        desk: client.desk,
      })
      const chosen = line.chosen
      const source =
        heard.source === 'choice' && chosen
          ? t.source.choice(chosen.by, formatDateTime(chosen.at, client.desk?.timezone ?? 'UTC', ctx.lang))
          : heard.source === 'choice'
            ? ''
            : t.source[heard.source]
      return html`<li><span class="num">${line.number}</span>${line.contact ? html` <small class="muted">${line.contact}</small>` : ''} : ${name(heard.language)} <small class="muted">(${source})</small></li>`
    })
    return html`<tr>
      <th scope="row" data-label="${t.client}">${client.name}</th>
      <td data-label="${t.clientLanguage}">${client.language ? name(client.language) : html`<span class="muted">${t.deskDefault}</span>`}</td>
      <td class="full" data-label="${t.numbers}">${numbers.length > 0 ? html`<ul class="numbers">${numbers}</ul>` : html`<span class="muted">${t.none}</span>`}</td>
    </tr>`
  }
  return html`<section class="card wide" aria-labelledby="languages-title">
      <h2 id="languages-title">${t.title}</h2>
      <p class="muted">${t.intro}</p>
      <div class="table-wrap"><table class="languages cards">
        <thead><tr><th scope="col">${t.client}</th><th scope="col">${t.clientLanguage}</th><th scope="col">${t.numbers}</th></tr></thead>
        <tbody>${clients.map(row)}</tbody>
      </table></div>
    </section>`
}
