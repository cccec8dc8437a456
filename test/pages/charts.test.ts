// The charts, as SVG text: where the bars and the 80 % and 100 % marks fall, with no style attribute.
import t from 'tap'
import { gridStepHours, monthlyChart, usageBar, usageLevel, usedPercent } from '../../src/pages/charts.js'

const xs = (svg: string, cls: string) =>
  [...svg.matchAll(new RegExp(`class="${cls}[^"]*" x1="([\\d.]+)%"`, 'g'))].map((m) => Number(m[1]))

t.test('the bar: included up to the quota, overage beyond, marks at 80 % and 100 %', async (t) => {
  // 5 h quota, 4 h used: the scale runs to 125 % of the quota, so 100 % sits at 80 % of the width.
  const under = usageBar({ quotaSeconds: 18_000, usedSeconds: 14_400 }, 'fr', 'ACME').value
  t.same(xs(under, 'bar-mark'), [64, 80], 'the 80 % mark at 64 % of the width, 100 % at 80 %')
  t.match(under, /class="bar-included bar-warn" x="0" y="6" width="64%"/, '4 h of 5 h: at the 80 % line, warned')
  t.notMatch(under, /bar-overage/, 'no overage under the quota')
  // 2 h quota, 2 h 30 used: the scale is the larger, 2 h 30.
  const over = usageBar({ quotaSeconds: 7200, usedSeconds: 9000 }, 'fr', 'Djurdjura').value
  t.match(over, /class="bar-included bar-full" x="0" y="6" width="80%"/)
  t.match(over, /class="bar-overage" x="80%" y="6" width="20%"/, 'the 30 min beyond the quota, in red after the 100 % mark')
  t.match(over, /<text class="bar-mark-label"[^>]*>100\u202f%<\/text>/, 'labelled in French')
  for (const svg of [under, over]) t.notMatch(svg, /style=/, 'no style attribute: the CSP allows none')
  t.match(under, /role="img" aria-label="ACME"/, 'labelled for screen readers')
})

t.test('the 80 % and 100 % labels lean away from each other, so they never collide', async (t) => {
  const labels = (svg: string) =>
    [...svg.matchAll(/<text class="bar-mark-label" x="[\d.]+%" dx="(-?\d+)" y="44" text-anchor="(\w+)">([^<]+)<\/text>/g)].map(
      (m) => `${m[3]} ${m[2]} ${m[1]}`,
    )
  const under = usageBar({ quotaSeconds: 18_000, usedSeconds: 14_400 }, 'en', 'ACME').value
  t.same(labels(under), ['80% end -3', '100% start 3'], '80 % ends left of its mark, 100 % starts right of its own')
  // Three times the quota: the marks close in (at 26.7 % and 33.3 %), the labels still part.
  const close = usageBar({ quotaSeconds: 3600, usedSeconds: 10_800 }, 'en', 'x').value
  t.same(xs(close, 'bar-mark'), [26.667, 33.333])
  t.same(labels(close), ['80% end -3', '100% start 3'])
  // Ten times the quota: the 80 % mark is at 8 % of the bar, too near the edge for its label.
  const far = usageBar({ quotaSeconds: 3600, usedSeconds: 36_000 }, 'en', 'x').value
  t.same(xs(far, 'bar-mark'), [8, 10], 'both marks drawn')
  t.same(labels(far), ['100% start 3'], 'the 80 % mark unlabelled')
})

t.test('no quota: no marks, and any use is beyond it', async (t) => {
  const svg = usageBar({ quotaSeconds: 0, usedSeconds: 600 }, 'en', 'x').value
  t.same(xs(svg, 'bar-mark'), [])
  t.equal(usageLevel({ quotaSeconds: 0, usedSeconds: 600 }), 'full')
  t.equal(usageLevel({ quotaSeconds: 0, usedSeconds: 0 }), 'ok')
  t.equal(usedPercent({ quotaSeconds: 0, usedSeconds: 600 }), 0)
})

t.test('levels', async (t) => {
  t.equal(usageLevel({ quotaSeconds: 100, usedSeconds: 79 }), 'ok')
  t.equal(usageLevel({ quotaSeconds: 100, usedSeconds: 80 }), 'warn')
  t.equal(usageLevel({ quotaSeconds: 100, usedSeconds: 100 }), 'full')
})

t.test('twelve months: a bar each, overage stacked, the quota as a tick, the current month marked', async (t) => {
  const months = [
    '2025-12',
    '2026-01',
    '2026-02',
    '2026-03',
    '2026-04',
    '2026-05',
    '2026-06',
    '2026-07',
    '2026-08',
    '2026-09',
    '2026-10',
    '2026-11',
  ]
  const points = months.map((month, index) => ({
    month,
    quotaSeconds: index === 0 ? 0 : 18_000,
    usedSeconds: index === 2 ? 20_000 : index * 1000,
    overageSeconds: index === 2 ? 2000 : 0,
  }))
  const svg = monthlyChart(points, 'fr', 'ACME', '2026-11').value
  t.equal(svg.match(/<g class="chart-month/g)?.length, 12)
  t.equal(svg.match(/class="chart-overage"/g)?.length, 1, 'one month beyond its quota')
  t.equal(svg.match(/class="chart-quota"/g)?.length, 11, 'no quota tick before the contract')
  t.match(svg, /<g class="chart-month chart-current">\s*<title>novembre 2026 : 3\u00a0h 3\u00a0min \/ 5\u00a0h<\/title>/)
  t.match(svg, />févr\.<\/text>/, 'short French month names')
  const alternate = [...svg.matchAll(/<text class="chart-label( chart-label-alt)?"[^>]*>([^<]+)<\/text>/g)]
    .filter((m) => m[1])
    .map((m) => m[2])
  t.same(
    alternate,
    ['déc.', 'févr.', 'avr.', 'juin', 'août', 'oct.'],
    'on a phone every other month is named, the current one always',
  )
  t.notMatch(svg, /style=/)
})

t.test('the hour grid takes round steps', async (t) => {
  t.equal(gridStepHours(1), 1)
  t.equal(gridStepHours(6.2), 2)
  t.equal(gridStepHours(17), 5)
  t.equal(gridStepHours(90), 50)
})

t.test('grace beyond the quota is drawn apart from the billable overage, in the bar and the months', async (t) => {
  const refused = usageBar({ quotaSeconds: 7_200, usedSeconds: 7_260, graceSeconds: 60 }, 'fr', 'Djurdjura').value
  t.match(refused, /class="bar-grace"/, 'the grace')
  t.notMatch(refused, /bar-overage/, 'nothing billable for a refuse client')
  const both = usageBar({ quotaSeconds: 7_200, usedSeconds: 7_500, graceSeconds: 60 }, 'fr', 'x').value
  t.match(both, /class="bar-overage"/)
  t.match(both, /class="bar-grace"/)
  const chart = monthlyChart(
    [{ month: '2026-11', quotaSeconds: 7_200, usedSeconds: 7_500, overageSeconds: 240, graceSeconds: 60 }],
    'fr',
    'x',
  ).value
  t.match(chart, /chart-overage/)
  t.match(chart, /chart-grace/)
})
