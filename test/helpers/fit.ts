// Does a page fit its window? Nothing may scroll sideways: neither the page itself nor any box in
// it (a table in a scrolling wrapper is sideways scrolling too). Run in the browser on the page as
// it stands, with every <details> opened first, so folded forms are measured too.
import type { Page } from 'playwright-core'

/** Two phones (360 and 390 px, the common widths), a tablet upright (820 px: two columns of half-width cards) and a laptop. */
export const WIDTHS = [360, 390, 820, 1366] as const

/**
 * The one exception: what is visually hidden (a 1 px box clipped to nothing, for screen readers:
 * a label, a table's header row shown as cards) is wider than its box by design, and nobody sees it.
 */
const MEASURE = `(() => {
  for (const details of document.querySelectorAll('details')) details.open = true
  const root = document.documentElement
  const found = []
  if (root.scrollWidth > window.innerWidth) found.push('the page: ' + root.scrollWidth + 'px wide in a ' + window.innerWidth + 'px window')
  const name = (el) => {
    const id = el.id ? '#' + el.id : ''
    const cls = typeof el.className === 'string' && el.className ? '.' + el.className.trim().split(/\\s+/).join('.') : ''
    return el.tagName.toLowerCase() + id + cls
  }
  const all = [...document.body.querySelectorAll('*')]
  const unseen = all.filter((el) => getComputedStyle(el).clip === 'rect(0px, 0px, 0px, 0px)')
  for (const el of all) {
    if (unseen.some((hidden) => hidden.contains(el))) continue
    if (el.scrollWidth > el.clientWidth) {
      const text = (el.textContent || '').replace(/\\s+/g, ' ').trim().slice(0, 60)
      found.push(name(el) + ' scrolls: ' + el.scrollWidth + 'px of content in ' + el.clientWidth + 'px ("' + text + '")')
    }
  }
  return found
})()`

/** What scrolls sideways on the page at this width (an empty list when everything fits). */
export async function overflowsAt(page: Page, width: number): Promise<string[]> {
  await page.setViewportSize({ width, height: width < 800 ? 844 : 900 })
  return (await page.evaluate(MEASURE)) as string[]
}
