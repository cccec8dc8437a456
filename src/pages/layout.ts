// The frame of every dashboard page: head, navigation by role, language switch, sign-out, flash
// message; and the small helpers pages share (links with query strings, the form token field).
import { type Principal, QUEUE_ROLES, ROLES, type Role, roleAllowed } from '../domain/access.js'
import { dateFormatHint } from './format.js'
import { type Html, attrs, html } from './html.js'
import type { FlashKey, Lang, Messages } from './i18n.js'

export const HOME = '/dashboard'

export interface Assets {
  css: string
  js: string
}

/** What every page knows about the request it answers. */
export interface PageContext {
  lang: Lang
  t: Messages
  principal: Principal | null
  /** the session's form token; null before sign-in */
  csrf: string | null
  /** the path and query of this page, for the language switch */
  path: string
  query: Record<string, string>
  flash: FlashKey | null
  assets: Assets
  /** the service's clock */
  now: Date
}

export type Section = 'today' | 'calls' | 'callbacks' | 'usage' | 'calendar' | 'contracts' | 'notifications' | 'whatIf'

/** A dashboard link with its query; empty values are left out. */
export function href(path: string, query: Record<string, string | number | null | undefined> = {}): string {
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query)) {
    if (value !== null && value !== undefined && value !== '') params.set(key, String(value))
  }
  const search = params.toString()
  return search ? `${path}?${search}` : path
}

/** The session's form token, in every form that changes something. */
export function csrfField(ctx: PageContext): Html {
  return html`<input type="hidden" name="_csrf" value="${ctx.csrf ?? ''}">`
}

/**
 * The format a date field expects, written beside it in the page's language ("jj/mm/aaaa"): the
 * browser's picker follows the page's lang where it can, and says nothing of the order otherwise.
 */
export function dateHint(ctx: PageContext): Html {
  return html`<small class="format">${dateFormatHint(ctx.lang)}</small>`
}

export const canManage = (principal: Principal | null): boolean => principal?.role === 'admin' || principal?.role === 'manager'

/** The sections and who sees them, as their routes allow (absent: every role but the agent). */
const SECTIONS: { section: Section; path: string; roles?: readonly Role[] }[] = [
  { section: 'today', path: HOME, roles: ROLES },
  { section: 'calls', path: `${HOME}/calls` },
  { section: 'callbacks', path: `${HOME}/callbacks`, roles: QUEUE_ROLES },
  { section: 'usage', path: `${HOME}/usage` },
  { section: 'calendar', path: `${HOME}/calendar` },
  { section: 'contracts', path: `${HOME}/contracts`, roles: ['admin', 'manager'] },
  { section: 'notifications', path: `${HOME}/notifications` },
  { section: 'whatIf', path: `${HOME}/what-if`, roles: ['admin', 'manager'] },
]

function navigation(ctx: PageContext, active: Section | null): Html {
  const role = ctx.principal?.role
  const items = SECTIONS.filter((item) => role && roleAllowed(role, item.roles))
  return html`<nav class="nav" aria-label="${ctx.t.product}">
    <ul>
      ${items.map(
        (item) =>
          html`<li><a href="${item.path}"${attrs({ 'aria-current': item.section === active ? 'page' : null })}>${ctx.t.nav[item.section]}</a></li>`,
      )}
    </ul>
  </nav>`
}

function languageSwitch(ctx: PageContext): Html {
  const other = ctx.t.otherLanguage
  return html`<a class="lang" href="${href(ctx.path, { ...ctx.query, lang: other.lang })}" hreflang="${other.lang}" lang="${other.lang}">${other.label}</a>`
}

function account(ctx: PageContext): Html | string {
  if (!ctx.principal) return ''
  return html`<form class="sign-out" method="post" action="${HOME}/sign-out">
    ${csrfField(ctx)}
    <span class="who">${ctx.t.signedInAs(ctx.principal.name)} <small>(${ctx.t.roles[ctx.principal.role]})</small></span>
    <button type="submit" class="link">${ctx.t.signOut}</button>
  </form>`
}

export interface PageOptions {
  title: string
  active: Section | null
  body: Html
  /** seconds after which the page reloads itself (the script skips it while a field is in use) */
  refresh?: number
}

export function layout(ctx: PageContext, page: PageOptions): Html {
  const flash = ctx.flash ? html`<p class="flash" role="status">${ctx.t.flash[ctx.flash]}</p>` : ''
  return html`<!doctype html>
<html lang="${ctx.t.htmlLang}">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="referrer" content="same-origin">
  <title>${page.title} · ${ctx.t.product}</title>
  <link rel="icon" href="data:,">
  <link rel="stylesheet" href="${ctx.assets.css}">
  <script src="${ctx.assets.js}" defer></script>
</head>
<body${attrs({ 'data-refresh': page.refresh })}>
  <a class="skip" href="#main">${ctx.t.skipToContent}</a>
  <header class="top">
    <a class="brand" href="${HOME}">${ctx.t.product}</a>
    ${ctx.principal ? navigation(ctx, page.active) : ''}
    <div class="top-right">${languageSwitch(ctx)} ${account(ctx)}</div>
  </header>
  <main id="main">
    <h1>${page.title}</h1>
    ${flash}
    ${page.body}
  </main>
</body>
</html>
`
}
