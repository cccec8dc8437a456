// The sign-in page: a token field, what went wrong, and where to go once signed in.
import { html } from './html.js'
import { HOME, type PageContext, layout } from './layout.js'

export interface SignInView {
  error: 'invalid' | 'blocked' | null
  notice: 'signedOut' | 'expired' | null
  /** where to go once signed in */
  next: string
  /** the development admin token is accepted from this machine: say so */
  devHint: boolean
}

export function signInPage(ctx: PageContext, view: SignInView) {
  const t = ctx.t.signIn
  const error = view.error ? html`<p class="error" role="alert">${t[view.error]}</p>` : ''
  const notice = view.notice ? html`<p class="flash" role="status">${t[view.notice]}</p>` : ''
  return layout(ctx, {
    title: t.title,
    active: null,
    body: html`<section class="card narrow">
      <p>${t.intro}</p>
      ${notice}${error}
      <form method="post" action="${HOME}/sign-in" class="stack">
        <input type="hidden" name="next" value="${view.next}">
        <label for="token">${t.tokenLabel}</label>
        <input id="token" name="token" type="password" autocomplete="current-password" required maxlength="512" spellcheck="false" autofocus>
        <p class="help">${t.tokenHelp}</p>
        <button type="submit">${t.submit}</button>
      </form>
      ${view.devHint ? html`<p class="help dev">${t.devHint}</p>` : ''}
    </section>`,
  })
}
