// What callers and agents hear: one catalogue per language (src/domain/messages/<fr|en|ar>.ts), per-desk templates on top.
import { SPOKEN_MAX } from './boundary.js'
import type { Templates } from './desk.js'
import { type Speech, speechOf } from './language.js'
import { ar } from './messages/ar.js'
import type { Catalogue, MessageKey } from './messages/catalogue.js'
import { en } from './messages/en.js'
import { fr } from './messages/fr.js'

export { MESSAGE_KEYS, type MessageKey } from './messages/catalogue.js'
export { type Speech, speechOf } from './language.js'

/** Every language supportline speaks, keyed the same (a test fails when a key lacks a text in one of them). */
export const CATALOGUES: Record<Speech, Catalogue> = { fr, en, ar }

/** The catalogue that speaks a language tag (its family; French when we do not speak it). */
export function catalogueOf(language: string): Catalogue {
  return CATALOGUES[speechOf(language)]
}

export type MessageVars = Record<string, string | number | undefined>

/** Placeholders filled with what people give (names, reasons); the others the domain composes itself. */
const GIVEN = new Set(['desk', 'client', 'holiday', 'closure'])

function spokenValue(name: string, value: string | number): string {
  const text = String(value)
  return GIVEN.has(name) ? text.slice(0, SPOKEN_MAX) : text
}

/** "de" before a placeholder elides when the value starts with a vowel ("d’Atlas Pharma"). */
const ELIDES = /\b([dD])e \{(\w+)\}/g
// Not h nor y: whether they elide depends on the name ("de Hachette", "de Yamaha").
const STARTS_WITH_VOWEL = /^[aeiouàâäéèêëîïôöùûü]/i

/**
 * The text for `key` in `language`: the desk's template for that exact language, then for its
 * speech (fr / en), then the default. Unknown placeholders are left out rather than read aloud;
 * in French, "de {client}" elides before a name that starts with a vowel. The template and the
 * names people give are held to SPOKEN_MAX, as every boundary holds them, so that text stored
 * before the bound (or by any other path) is never read out at length.
 */
export function message(key: MessageKey, language: string, vars: MessageVars = {}, templates: Templates = {}): string {
  const speech = speechOf(language)
  const template = (templates[language]?.[key] ?? templates[speech]?.[key] ?? CATALOGUES[speech].messages[key]).slice(
    0,
    SPOKEN_MAX,
  )
  const elided =
    speech === 'fr'
      ? template.replace(ELIDES, (whole, d: string, name: string) =>
          STARTS_WITH_VOWEL.test(String(vars[name] ?? '')) ? `${d}’{${name}}` : whole,
        )
      : template
  return elided
    .replace(/\{(\w+)\}/g, (_, name: string) => {
      const value = vars[name]
      return value === undefined ? '' : spokenValue(name, value)
    })
    .replace(/\s{2,}/g, ' ')
    .trim()
}

/** A duration as it is spoken: 12 600 s → "3 heures 30 minutes", "ثلاث ساعات وثلاثون دقيقة"; 45 s → "moins d'une minute". */
export function speakDuration(seconds: number, language: string): string {
  const minutes = Math.floor(Math.max(0, seconds) / 60)
  return catalogueOf(language).calendar.duration(Math.floor(minutes / 60), minutes % 60)
}

/** How a holiday is named to a caller: the language's own name for its rule, else its name as configured. */
export function spokenHolidayName(holiday: { key?: string | undefined; name: string }, language: string): string {
  return (holiday.key === undefined ? undefined : catalogueOf(language).holidays[holiday.key]) ?? holiday.name
}
