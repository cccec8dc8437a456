// HTML built with a tagged template that escapes every interpolated value unless it is already Html.
//
// Why not a template engine: the pages are a handful of functions from typed data to markup, the
// compiler checks every value they use, and escaping by default is the one rule that matters.
// Nothing to configure, no template files to ship, and no way to forget the escaping: a string can
// only become markup through `html` itself or through `unsafeRaw`, which is used for constant text.

/** Markup that is safe to insert as is: made by `html`, or constant text passed to `unsafeRaw`. */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value
  }
}

/** What a template may interpolate: text is escaped, Html is kept, lists are joined, nothing is empty. */
export type Interpolated = Html | string | number | null | undefined | false | readonly Interpolated[]

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

/** Text as it may appear in an element or a quoted attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char] as string)
}

function render(value: Interpolated): string {
  if (value instanceof Html) return value.value
  if (Array.isArray(value)) return value.map(render).join('')
  if (value === null || value === undefined || value === false) return ''
  return escapeHtml(String(value))
}

export function html(strings: TemplateStringsArray, ...values: Interpolated[]): Html {
  let out = strings[0] as string
  values.forEach((value, index) => {
    out += render(value) + (strings[index + 1] as string)
  })
  return new Html(out)
}

/** Constant markup written in the code (an SVG path, an entity): never text from a request or the database. */
export function unsafeRaw(markup: string): Html {
  return new Html(markup)
}

/** `name="value"` pairs for attributes that are present or not (`checked`, `selected`, `aria-current`). */
export function attrs(pairs: Record<string, string | number | boolean | null | undefined>): Html {
  const parts = Object.entries(pairs).flatMap(([name, value]) => {
    if (value === false || value === null || value === undefined) return []
    if (value === true) return [` ${name}`]
    return [` ${name}="${escapeHtml(String(value))}"`]
  })
  return new Html(parts.join(''))
}
