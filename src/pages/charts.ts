// Charts as inline SVG drawn on the server: a month's usage bar with its 80 % and 100 % marks, and
// twelve months of usage. Horizontal positions are percentages of the width (no viewBox), so the
// charts stretch to any screen while text and strokes keep their size; no inline style (CSP).
import { type Lang, formatDuration, formatMonth, formatPercent } from './format.js'
import { type Html, html } from './html.js'

const pct = (value: number) => `${Number(value.toFixed(3))}%`

export interface BarFigures {
  quotaSeconds: number
  usedSeconds: number
  /** the part beyond the quota that is never billed (drawn apart from the billable overage) */
  graceSeconds?: number
}

/** How full a month is: under 80 %, from 80 %, from 100 % of the quota. */
export function usageLevel(figures: BarFigures): 'ok' | 'warn' | 'full' {
  if (figures.quotaSeconds <= 0) return figures.usedSeconds > 0 ? 'full' : 'ok'
  const ratio = figures.usedSeconds / figures.quotaSeconds
  return ratio >= 1 ? 'full' : ratio >= 0.8 ? 'warn' : 'ok'
}

/** The used part of the quota as a percentage (0 when there is no quota). */
export function usedPercent(figures: BarFigures): number {
  return figures.quotaSeconds > 0 ? (figures.usedSeconds / figures.quotaSeconds) * 100 : 0
}

/** The share of the bar's width left of the 80 % mark that its label needs ("80 %" on a 300 px phone bar). */
const MARK_LABEL_ROOM = 0.12

/**
 * A month's bar: the included part, the overage beyond the quota (billable, then the grace that is
 * never billed), and marks at 80 % and 100 %.
 * The scale leaves room past the quota so that the 100 % mark never sits on the edge.
 */
export function usageBar(figures: BarFigures, lang: Lang, label: string): Html {
  const { quotaSeconds: quota, usedSeconds: used } = figures
  const scale = Math.max(quota * 1.25, used, 1)
  const at = (seconds: number) => pct((seconds / scale) * 100)
  const included = Math.min(used, Math.max(quota, 0))
  const beyond = Math.max(0, used - Math.max(quota, 0))
  const grace = Math.min(beyond, Math.max(0, figures.graceSeconds ?? 0))
  const overage = beyond - grace
  // The labels lean away from each other (80 % ends at its mark, 100 % starts at its own), so they
  // cannot meet however close the marks come; a bar far beyond its quota puts the 80 % mark near the
  // left edge, where its label has no room: the mark stays, unlabelled.
  const mark = (percent: 80 | 100) => {
    const x = at((quota * percent) / 100)
    const roomy = percent === 100 || (quota * 0.8) / scale >= MARK_LABEL_ROOM
    const label = roomy
      ? html`<text class="bar-mark-label" x="${x}" dx="${percent === 80 ? -3 : 3}" y="44" text-anchor="${percent === 80 ? 'end' : 'start'}">${formatPercent(percent, lang)}</text>`
      : ''
    return html`<line class="bar-mark bar-mark-${percent}" x1="${x}" x2="${x}" y1="2" y2="30"></line>${label}`
  }
  const marks = quota > 0 ? [mark(80), mark(100)] : []
  return html`<svg class="usage-bar" width="100%" height="48" role="img" aria-label="${label}">
    <title>${label}</title>
    <rect class="bar-track" x="0" y="6" width="100%" height="20" rx="3"></rect>
    <rect class="bar-included bar-${usageLevel(figures)}" x="0" y="6" width="${at(included)}" height="20"></rect>
    ${overage > 0 ? html`<rect class="bar-overage" x="${at(quota)}" y="6" width="${at(overage)}" height="20"></rect>` : ''}
    ${grace > 0 ? html`<rect class="bar-grace" x="${at(quota + overage)}" y="6" width="${at(grace)}" height="20"></rect>` : ''}
    ${marks}
  </svg>`
}

export interface MonthPoint {
  month: string
  quotaSeconds: number
  usedSeconds: number
  /** beyond the quota, billable */
  overageSeconds: number
  /** beyond the quota, never billed: drawn above the included time, apart from the billable overage */
  graceSeconds?: number
}

const CHART = { top: 12, bottom: 150, height: 176 }

/** Round steps for the hour grid: 1, 2, 5, 10… hours. */
export function gridStepHours(maxHours: number): number {
  const rough = Math.max(maxHours / 4, 1)
  const magnitude = 10 ** Math.floor(Math.log10(rough))
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((candidate) => candidate >= rough)
  return step ?? 10 * magnitude
}

/**
 * Twelve months (or any number) of usage: each month's included time, its overage stacked on top,
 * and a dashed tick at its quota. On a phone every other month is named (the stylesheet hides the
 * `chart-label-alt` ones), counting back from the last, so that "août sept." never run together. Each bar carries a title with its figures; the page gives the
 * same figures as a table for screen readers.
 */
export function monthlyChart(points: readonly MonthPoint[], lang: Lang, label: string, current?: string): Html {
  const peak = Math.max(3600, ...points.flatMap((point) => [point.usedSeconds, point.quotaSeconds]))
  const stepHours = gridStepHours(peak / 3600)
  const topSeconds = Math.ceil((peak * 1.05) / (stepHours * 3600)) * stepHours * 3600
  const y = (seconds: number) => Number((CHART.bottom - (seconds / topSeconds) * (CHART.bottom - CHART.top)).toFixed(1))
  const slot = 100 / Math.max(points.length, 1)
  const grid = Array.from(
    { length: Math.round(topSeconds / (stepHours * 3600)) + 1 },
    (_, index) => index * stepHours * 3600,
  ).map(
    (seconds) => html`<line class="chart-grid" x1="0" x2="100%" y1="${y(seconds)}" y2="${y(seconds)}"></line>
      <text class="chart-axis" x="0" y="${y(seconds) - 3}">${seconds === 0 ? '0' : formatDuration(seconds)}</text>`,
  )
  const bars = points.map((point, index) => {
    const grace = point.graceSeconds ?? 0
    const included = point.usedSeconds - point.overageSeconds - grace
    const billedTop = included + point.overageSeconds
    const left = index * slot
    const title = `${formatMonth(point.month, lang)}${lang === 'fr' ? ' : ' : ': '}${formatDuration(point.usedSeconds)} / ${formatDuration(point.quotaSeconds)}`
    return html`<g class="chart-month${point.month === current ? ' chart-current' : ''}">
      <title>${title}</title>
      <rect class="chart-included" x="${pct(left + slot * 0.22)}" y="${y(included)}" width="${pct(slot * 0.56)}" height="${Number((CHART.bottom - y(included)).toFixed(1))}"></rect>
      ${point.overageSeconds > 0 ? html`<rect class="chart-overage" x="${pct(left + slot * 0.22)}" y="${y(billedTop)}" width="${pct(slot * 0.56)}" height="${Number((y(included) - y(billedTop)).toFixed(1))}"></rect>` : ''}
      ${grace > 0 ? html`<rect class="chart-grace" x="${pct(left + slot * 0.22)}" y="${y(point.usedSeconds)}" width="${pct(slot * 0.56)}" height="${Number((y(billedTop) - y(point.usedSeconds)).toFixed(1))}"></rect>` : ''}
      ${point.quotaSeconds > 0 ? html`<line class="chart-quota" x1="${pct(left + slot * 0.1)}" x2="${pct(left + slot * 0.9)}" y1="${y(point.quotaSeconds)}" y2="${y(point.quotaSeconds)}"></line>` : ''}
      <text class="chart-label${(points.length - 1 - index) % 2 === 1 ? ' chart-label-alt' : ''}" x="${pct(left + slot / 2)}" y="${CHART.height - 8}" text-anchor="middle">${formatMonth(point.month, lang, 'short')}</text>
    </g>`
  })
  return html`<svg class="usage-chart" width="100%" height="${CHART.height}" role="img" aria-label="${label}">
    <title>${label}</title>
    ${grid}
    ${bars}
  </svg>`
}
