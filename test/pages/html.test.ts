// The html tagged template: everything interpolated is escaped unless it is already markup.
import t from 'tap'
import { Html, attrs, escapeHtml, html, unsafeRaw } from '../../src/pages/html.js'

t.test('text is escaped, in elements and in quoted attributes', async (t) => {
  const name = `<script>alert("x")</script> & 'co'`
  t.equal(
    html`<p title="${name}">${name}</p>`.value,
    '<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;co&#39;">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;co&#39;</p>',
  )
  t.equal(escapeHtml('a"b'), 'a&quot;b')
})

t.test('markup made by html is kept; lists are joined; nothing shows nothing', async (t) => {
  const item = (text: string) => html`<li>${text}</li>`
  t.equal(html`<ul>${['a', '<b>'].map(item)}</ul>`.value, '<ul><li>a</li><li>&lt;b&gt;</li></ul>')
  t.equal(html`${null}${undefined}${false}${0}`.value, '0', 'null, undefined and false are empty; 0 is a number')
  t.equal(html`${unsafeRaw('&nbsp;')}`.value, '&nbsp;', 'constant markup on purpose')
  t.ok(html`x` instanceof Html)
  t.equal(String(html`<b>${'y'}</b>`), '<b>y</b>')
})

t.test('attributes present or not', async (t) => {
  t.equal(
    attrs({ selected: true, disabled: false, 'aria-current': null, value: 'a"b', n: 3 }).value,
    ' selected value="a&quot;b" n="3"',
  )
})
