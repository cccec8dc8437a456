// The dashboard's words, one file per language (./words/fr.ts, the reference, and ./words/en.ts),
// and how a request chooses between them: ?lang= (remembered in a cookie), then the cookie, then
// Accept-Language.
import type { Lang } from './format.js'
import { en } from './words/en.js'
import { fr, type Messages } from './words/fr.js'

export type { Lang, Messages }

export type FlashKey = keyof Messages['flash']

const DICTIONARIES: Record<Lang, Messages> = { fr, en }

export function messagesFor(lang: Lang): Messages {
  return DICTIONARIES[lang]
}

export function isLang(value: unknown): value is Lang {
  return value === 'fr' || value === 'en'
}

export function isFlashKey(value: unknown): value is FlashKey {
  return typeof value === 'string' && Object.hasOwn(fr.flash, value)
}

/** The language of a request: ?lang= first (the switch), then the remembered cookie, then the browser's preference, else French. */
export function chooseLanguage(input: {
  query?: unknown
  cookie?: string | undefined
  acceptLanguage?: string | undefined
}): Lang {
  if (isLang(input.query)) return input.query
  if (isLang(input.cookie)) return input.cookie
  return fromAcceptLanguage(input.acceptLanguage) ?? 'fr'
}

/** The first of fr/en in Accept-Language by weight ("en-GB,en;q=0.9,fr;q=0.8" → en); null when neither is asked for. */
export function fromAcceptLanguage(header: string | undefined): Lang | null {
  if (!header) return null
  const ranked = header
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';')
      const q = Number(
        params
          .find((p) => p.trim().startsWith('q='))
          ?.trim()
          .slice(2) ?? 1,
      )
      return { lang: tag.trim().toLowerCase().split('-')[0], q: Number.isFinite(q) ? q : 0, index }
    })
    .filter((entry) => entry.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index)
  return ranked.map((entry) => entry.lang).find(isLang) ?? null
}
