// The languages callers hear: the default, the family that speaks a tag, the language a caller hears, and the voice it is read with.
import { z } from 'zod'

/** DESIGN.md: messages default to French. Written here once. */
export const DEFAULT_LANGUAGE = 'fr-FR'

/** The languages supportline speaks: one catalogue each, in src/domain/messages/<speech>.ts. */
export const SPEECHES = ['fr', 'en', 'ar'] as const
export type Speech = (typeof SPEECHES)[number]

/** A BCP-47 tag as the desk file writes it ('fr-FR', 'en-US', 'ar', 'ar-DZ'): what a caller is spoken to in. */
export type LanguageTag = string

export const languageTagSchema = z.string().regex(/^[a-z]{2}(-[A-Z]{2})?$/, 'must be a language tag like fr-FR, en-US or ar')

function isSpeech(family: string): family is Speech {
  return (SPEECHES as readonly string[]).includes(family)
}

/** The family of a tag, i.e. the catalogue that speaks it; a language we do not speak is spoken in French. */
export function speechOf(language: LanguageTag): Speech {
  const family = language.slice(0, 2).toLowerCase()
  return isSpeech(family) ? family : 'fr'
}

/** Whether supportline has a catalogue for a tag's family (a desk may only offer those). */
export function isSpoken(language: LanguageTag): boolean {
  return isSpeech(language.slice(0, 2).toLowerCase())
}

/** What a desk says about languages: its own (the whisper's) and the ones its callers may hear, the first the default. */
export interface DeskLanguages {
  language: LanguageTag
  languages?: readonly LanguageTag[] | undefined
}

/** The languages a desk's callers may hear, the default first: `languages`, else the desk's own language. */
export function deskLanguages(desk: DeskLanguages): readonly LanguageTag[] {
  return desk.languages !== undefined && desk.languages.length > 0 ? desk.languages : [desk.language]
}

/** Where a caller's language may be known from, the most particular first. */
export interface CallerLanguageSources {
  /** the registered number's language, or the choice remembered for that calling number */
  number?: LanguageTag | null | undefined
  /** the client's language */
  client?: LanguageTag | null | undefined
  desk?: DeskLanguages | null | undefined
}

/** The caller's own language when one is known (number, then client); null when only the desk's default would say. */
export function knownLanguage(sources: CallerLanguageSources): LanguageTag | null {
  return sources.number ?? sources.client ?? null
}

/**
 * The language a caller hears (issue #22: one place): the registered number's (or remembered)
 * language, then the client's, then the desk's default (the first of its languages), then French.
 */
export function callerLanguage(sources: CallerLanguageSources): LanguageTag {
  return knownLanguage(sources) ?? (sources.desk ? (deskLanguages(sources.desk)[0] as LanguageTag) : DEFAULT_LANGUAGE)
}

/** Where the language a number hears comes from, as the dashboard says it. */
export type LanguageSource = 'number' | 'choice' | 'client' | 'desk'

/**
 * The language a registered number hears and why, by the same rule as callerLanguage: the number's
 * own (desk file), then the choice remembered at the menu, then the client's, then the desk's default.
 */
export function heardLanguage(sources: {
  own: LanguageTag | null
  chosen: LanguageTag | null
  client: LanguageTag | null
  desk: DeskLanguages | null
}): { language: LanguageTag; source: LanguageSource } {
  const language = callerLanguage({ number: sources.own ?? sources.chosen, client: sources.client, desk: sources.desk })
  const source: LanguageSource = sources.own ? 'number' : sources.chosen ? 'choice' : sources.client ? 'client' : 'desk'
  return { language, source }
}

/** How Twilio reads one language: `<Say language voice>`. */
export interface SayVoice {
  language: string
  voice?: string | undefined
}

/** A desk's voices: by exact tag or by family ('ar'), then its one `voice` for the languages that have no entry. */
export interface VoiceOptions {
  voice?: string | undefined
  voices?: Readonly<Record<string, Partial<SayVoice>>> | undefined
}

/**
 * No generic voice reads Arabic, so Arabic has a default: Amazon Polly's Modern Standard Arabic
 * voice, `<Say language="arb" voice="Polly.Zeina">` (Twilio's text-to-speech list; `ar-AE` with
 * Polly.Hala-Neural or Polly.Zayd-Neural are the neural alternatives, set in the desk's `voices`).
 */
const DEFAULT_VOICES: Partial<Record<Speech, SayVoice>> = { ar: { language: 'arb', voice: 'Polly.Zeina' } }

/**
 * The `<Say>` language and voice for a tag: the desk's entry for the exact tag, else for its family,
 * else the built-in default of the family (Arabic), else the tag itself with the desk's `voice`
 * (what every language got before there were per-language voices).
 */
export function sayVoiceFor(options: VoiceOptions, language: LanguageTag): SayVoice {
  const speech = speechOf(language)
  const base = DEFAULT_VOICES[speech] ?? { language, voice: options.voice }
  const own = options.voices?.[language] ?? options.voices?.[speech]
  if (own === undefined) return base
  return { language: own.language ?? base.language, voice: own.voice ?? base.voice }
}
