// The dashboard's error page: what went wrong, in the reader's language, and the fields to correct.
import type { FieldProblem } from '../errors.js'
import { attrs, html } from './html.js'
import { HOME, type PageContext, layout } from './layout.js'

export interface ErrorView {
  status: number
  /** the API's problem code, for scripts and tests (twilio_not_configured) */
  code?: string
  message: string
  fields?: FieldProblem[]
}

export function errorPage(ctx: PageContext, view: ErrorView) {
  const titles = ctx.t.errors
  const title = view.status in titles ? titles[view.status as 400 | 403 | 404 | 409 | 413 | 500] : titles[500]
  const fields = view.fields?.length
    ? html`<p>${titles.invalidFields}</p><ul class="problems">${view.fields.map((f) => html`<li><code>${f.field}</code>${ctx.lang === 'fr' ? ' : ' : ': '}${f.message}</li>`)}</ul>`
    : ''
  return layout(ctx, {
    title,
    active: null,
    body: html`<section class="card"${attrs({ 'data-code': view.code })}>
      <p>${view.message}</p>
      ${fields}
      <p><a href="${HOME}">${titles.back}</a></p>
    </section>`,
  })
}
