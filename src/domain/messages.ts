// What callers and agents hear: French first, English available, per-desk templates on top.
import { SPOKEN_MAX } from './boundary.js'
import type { Templates } from './desk.js'

export const MESSAGE_KEYS = [
  'unknown_caller',
  'suspended',
  'no_contract',
  'closed_hours',
  'closed_holiday',
  'closed_closure',
  'voicemail_prompt',
  'voicemail_thanks',
  'on_call_offer',
  'on_call_connecting',
  'quota_bill',
  'quota_ask',
  'quota_refused',
  'declined',
  'connecting',
  'no_agent',
  'no_answer',
  'whisper',
  'whisper_short',
  'whisper_on_call',
  'whisper_unknown',
  'whisper_declined',
  'fallback_connecting',
  'goodbye',
  'technical_difficulty',
] as const
export type MessageKey = (typeof MESSAGE_KEYS)[number]

/** The two languages supportline speaks; a client or desk language maps onto one of them. */
export type Speech = 'fr' | 'en'

export function speechOf(language: string): Speech {
  return language.toLowerCase().startsWith('en') ? 'en' : 'fr'
}

const DEFAULTS: Record<Speech, Record<MessageKey, string>> = {
  fr: {
    unknown_caller:
      "Bonjour. Vous êtes sur la ligne {desk}, réservée aux contacts techniques de nos clients sous contrat. Votre numéro n'est pas enregistré. Merci de contacter votre interlocuteur commercial. Au revoir.",
    suspended:
      "Bonjour. L'assistance de {client} est actuellement suspendue. Merci de contacter notre service commercial. Au revoir.",
    no_contract:
      "Bonjour. Nous ne trouvons pas de contrat d'assistance en vigueur pour {client}. Merci de contacter notre service commercial. Au revoir.",
    closed_hours: 'Bonjour {client}. {hours} {nextOpening}',
    closed_holiday: "Bonjour {client}. Le service d'assistance est fermé aujourd'hui pour {holiday}. {nextOpening}",
    closed_closure: "Bonjour {client}. Le service d'assistance est exceptionnellement fermé : {closure}. {nextOpening}",
    voicemail_prompt:
      'Vous pouvez laisser un message après le bip, puis raccrocher. Nous vous rappellerons dans les {within} heures ouvrées.',
    voicemail_thanks: 'Merci, votre message a bien été enregistré. Au revoir.',
    on_call_offer:
      "Pour joindre l'astreinte, facturée en dehors du contrat, appuyez sur 1. Pour laisser un message, restez en ligne.",
    on_call_connecting: "Nous vous mettons en relation avec l'astreinte.",
    quota_bill:
      "Bonjour {client}. Le forfait d'assistance de ce mois est épuisé : cet appel sera facturé en dehors du forfait. Nous vous mettons en relation.",
    quota_ask:
      "Bonjour {client}. Le forfait d'assistance de ce mois est épuisé. Pour être mis en relation, avec une facturation en dehors du forfait, appuyez sur 1.",
    quota_refused:
      "Bonjour {client}. Le forfait d'assistance de ce mois est épuisé. Merci de contacter notre service commercial. Au revoir.",
    declined: 'Très bien. Merci de votre appel, au revoir.',
    connecting: 'Bonjour {client}. Nous vous mettons en relation avec un technicien.',
    no_agent: "Aucun technicien n'est disponible pour le moment.",
    no_answer: 'Nos techniciens sont tous occupés.',
    whisper: 'Appel de {client}. Reste du forfait ce mois-ci : {quotaLeft}. Appuyez sur 1 pour prendre l’appel.',
    whisper_short: 'Appel de {client}. Appuyez sur 1 pour prendre l’appel.',
    whisper_on_call: 'Astreinte : appel de {client}, facturé en dehors du contrat. Appuyez sur 1 pour prendre l’appel.',
    whisper_unknown: 'Appel sur la ligne d’assistance. Appuyez sur 1 pour prendre l’appel.',
    whisper_declined: 'Appel non pris. Au revoir.',
    fallback_connecting: 'Nous rencontrons une difficulté technique. Nous vous mettons en relation avec un technicien.',
    goodbye: 'Merci de votre appel, au revoir.',
    technical_difficulty: 'Nous rencontrons une difficulté technique. Merci de rappeler dans quelques minutes. Au revoir.',
  },
  en: {
    unknown_caller:
      'Hello. This is the {desk} line, reserved for the technical contacts of our clients under contract. Your number is not registered. Please contact your account manager. Goodbye.',
    suspended: 'Hello. Support for {client} is currently suspended. Please contact our sales team. Goodbye.',
    no_contract: 'Hello. We cannot find a support contract in force for {client}. Please contact our sales team. Goodbye.',
    closed_hours: 'Hello {client}. {hours} {nextOpening}',
    closed_holiday: 'Hello {client}. The support desk is closed today for {holiday}. {nextOpening}',
    closed_closure: 'Hello {client}. The support desk is exceptionally closed: {closure}. {nextOpening}',
    voicemail_prompt:
      'You may leave a message after the tone, then hang up. We will call you back within {within} working hours.',
    voicemail_thanks: 'Thank you, your message has been recorded. Goodbye.',
    on_call_offer: 'To reach the on-call engineer, billed outside your contract, press 1. To leave a message, stay on the line.',
    on_call_connecting: 'Connecting you to the on-call engineer.',
    quota_bill:
      "Hello {client}. This month's support hours are used up: this call will be billed beyond your contract. Connecting you now.",
    quota_ask: "Hello {client}. This month's support hours are used up. To be connected, billed beyond your contract, press 1.",
    quota_refused: "Hello {client}. This month's support hours are used up. Please contact our sales team. Goodbye.",
    declined: 'Very well. Thank you for calling, goodbye.',
    connecting: 'Hello {client}. Connecting you to a support engineer.',
    no_agent: 'No support engineer is available right now.',
    no_answer: 'All our support engineers are busy.',
    whisper: 'Call from {client}. Support time left this month: {quotaLeft}. Press 1 to take the call.',
    whisper_short: 'Call from {client}. Press 1 to take the call.',
    whisper_on_call: 'On-call: a call from {client}, billed outside the contract. Press 1 to take the call.',
    whisper_unknown: 'A call on the support line. Press 1 to take the call.',
    whisper_declined: 'Call not taken. Goodbye.',
    fallback_connecting: 'We are experiencing a technical difficulty. Connecting you to a support engineer.',
    goodbye: 'Thank you for calling, goodbye.',
    technical_difficulty: 'We are experiencing a technical difficulty. Please call again in a few minutes. Goodbye.',
  },
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
  const template = (templates[language]?.[key] ?? templates[speech]?.[key] ?? DEFAULTS[speech][key]).slice(0, SPOKEN_MAX)
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

/** A duration as it is spoken: 12 600 s → "3 heures 30 minutes"; 45 s → "moins d'une minute". */
export function speakDuration(seconds: number, language: string): string {
  const speech = speechOf(language)
  const minutes = Math.floor(Math.max(0, seconds) / 60)
  if (minutes === 0) return speech === 'fr' ? "moins d'une minute" : 'less than a minute'
  const hours = Math.floor(minutes / 60)
  const rest = minutes % 60
  const unit = (n: number, fr: string, en: string) => `${n} ${speech === 'fr' ? fr : en}${n > 1 ? 's' : ''}`
  const parts = [hours > 0 ? unit(hours, 'heure', 'hour') : '', rest > 0 ? unit(rest, 'minute', 'minute') : '']
  return parts.filter(Boolean).join(' ')
}
