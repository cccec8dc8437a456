// French: what callers and agents hear, and the words of the generated sentences. A translator works on this file alone.
import { type Catalogue, joinList, type MonthDay, type OpeningDay } from './catalogue.js'

const DAYS = ['lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi', 'dimanche']
const MONTHS = [
  'janvier',
  'février',
  'mars',
  'avril',
  'mai',
  'juin',
  'juillet',
  'août',
  'septembre',
  'octobre',
  'novembre',
  'décembre',
]
/** "Pendant …": the Hijri months as said in Algeria in French. */
const HIJRI_MONTHS = [
  'le mois de Mouharram',
  'le mois de Safar',
  'le mois de Rabia el Aouel',
  'le mois de Rabia et Thani',
  'le mois de Joumada el Oula',
  'le mois de Joumada et Thania',
  'le mois de Rajab',
  'le mois de Chaabane',
  'le Ramadan',
  'le mois de Chaoual',
  'le mois de Dhou el Qiada',
  'le mois de Dhou el Hidja',
]

const day = (n: number): string => (n === 1 ? '1er' : String(n))
const dayMonth = ({ month, day: n }: MonthDay): string => `${day(n)} ${MONTHS[month - 1] as string}`

/** 570 → "9 h 30", 720 → "12 h", midnight by name; ends past midnight wrap (1560 → "2 h"). */
function clock(minutes: number): string {
  const wrapped = minutes % 1440
  if (wrapped === 0) return 'minuit'
  const [hour, minute] = [Math.floor(wrapped / 60), wrapped % 60]
  return minute === 0 ? `${hour} h` : `${hour} h ${String(minute).padStart(2, '0')}`
}

function nextOpening(when: OpeningDay | null): string {
  if (when === null) return "Aucune ouverture n'est prévue pour le moment."
  const at = `à ${clock(when.minute)}`
  let said: string
  if (when.kind === 'today') said = `aujourd'hui ${at}`
  else if (when.kind === 'this_week') said = `${DAYS[when.weekday] as string} ${at}`
  else {
    const year = when.year === null ? '' : ` ${when.year}`
    said = `le ${DAYS[when.weekday] as string} ${dayMonth(when)}${year} ${at}`
  }
  return `Nous serons de nouveau disponibles ${said}.`
}

const plural = (n: number, unit: string): string => `${n} ${unit}${n > 1 ? 's' : ''}`

export const fr: Catalogue = {
  messages: {
    unknown_caller:
      "Bonjour. Vous êtes sur la ligne {desk}, réservée aux contacts techniques de nos clients sous contrat. Votre numéro n'est pas enregistré. Merci de contacter votre interlocuteur commercial. Au revoir.",
    suspended:
      "Bonjour. L'assistance de {client} est actuellement suspendue. Merci de contacter notre service commercial. Au revoir.",
    no_contract:
      "Bonjour. Nous ne trouvons pas de contrat d'assistance en vigueur pour {client}. Merci de contacter notre service commercial. Au revoir.",
    closed_hours: 'Bonjour {client}. {hours} {nextOpening}',
    closed_holiday: "Bonjour {client}. Le service d'assistance est fermé aujourd'hui, jour férié : {holiday}. {nextOpening}",
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
    quota_cut_refuse:
      "Le temps d'assistance inclus dans votre forfait de ce mois est épuisé. Vous pourrez nous rappeler le mois prochain, ou nous écrire par e-mail.",
    quota_cut_on_call:
      "En dehors des heures d'ouverture, notre ligne d'astreinte, facturée en dehors du contrat, reste à votre disposition.",
    quota_cut_ask:
      "Le temps d'assistance inclus dans votre forfait de ce mois est épuisé. Pour poursuivre la conversation, avec une facturation en dehors du forfait, appuyez sur 1.",
    overage_accepted: 'Merci. Nous vous mettons en relation.',
    connecting: 'Bonjour {client}. Nous vous mettons en relation avec un technicien.',
    no_agent: "Aucun technicien n'est disponible pour le moment.",
    no_answer: 'Nos techniciens sont tous occupés.',
    whisper: 'Appel de {client}. Reste du forfait ce mois-ci : {quotaLeft}. Appuyez sur 1 pour prendre l’appel.',
    whisper_short: 'Appel de {client}. Appuyez sur 1 pour prendre l’appel.',
    whisper_on_call: 'Astreinte : appel de {client}, facturé en dehors du contrat. Appuyez sur 1 pour prendre l’appel.',
    whisper_unknown: 'Appel sur la ligne d’assistance. Appuyez sur 1 pour prendre l’appel.',
    whisper_declined: 'Appel non pris. Au revoir.',
    whisper_billed:
      'Appel de {client}. Le forfait du mois est épuisé : cet appel est facturé en dehors du forfait. Appuyez sur 1 pour prendre l’appel.',
    whisper_limit_refuse:
      'Appel de {client}. Reste du forfait ce mois-ci : {quotaLeft}. Au-delà, l’appel sera coupé. Appuyez sur 1 pour prendre l’appel.',
    whisper_limit_ask:
      'Appel de {client}. Reste du forfait ce mois-ci : {quotaLeft}. Au-delà, le client devra accepter la facturation. Appuyez sur 1 pour prendre l’appel.',
    whisper_consented: 'Le client a accepté la facturation en dehors du forfait.',
    fallback_connecting: 'Nous rencontrons une difficulté technique. Nous vous mettons en relation avec un technicien.',
    goodbye: 'Merci de votre appel, au revoir.',
    technical_difficulty: 'Nous rencontrons une difficulté technique. Merci de rappeler dans quelques minutes. Au revoir.',
    language_choice: 'Pour le français, tapez {digit}.',
  },
  // the holidays' own names are French
  holidays: {},
  calendar: {
    clock,
    span: (start, end) => `de ${clock(start)} à ${clock(end)}`,
    aroundTheClock: '24 heures sur 24',
    everyDay: 'tous les jours',
    dayRun(run) {
      const [first, last] = [DAYS[run[0] as number] as string, DAYS[run[run.length - 1] as number] as string]
      if (run.length === 1) return `le ${first}`
      return run.length === 2 ? `le ${first} et le ${last}` : `du ${first} au ${last}`
    },
    list: (items) => joinList(items, 'et'),
    group: (days, hours) => `${days}, ${hours}`,
    groups: (phrases) =>
      phrases.length === 1
        ? (phrases[0] as string)
        : `${phrases.slice(0, -1).join(', ')}, et ${phrases[phrases.length - 1] as string}`,
    open: (hours, during) =>
      during === null
        ? `Le service d'assistance est ouvert ${hours}.`
        : `${during}, le service d'assistance est ouvert ${hours}.`,
    closed: (during) =>
      during === null
        ? "Le service d'assistance n'a pas d'horaires d'ouverture."
        : `${during}, le service d'assistance est fermé.`,
    duringHijriMonth: (month) => `Pendant ${HIJRI_MONTHS[month - 1] as string}`,
    duringDates: (from, to) =>
      from.month === to.month && from.day === to.day ? `Le ${dayMonth(from)}` : `Du ${dayMonth(from)} au ${dayMonth(to)}`,
    nextOpening,
    duration: (hours, minutes) =>
      hours === 0 && minutes === 0
        ? "moins d'une minute"
        : [hours > 0 ? plural(hours, 'heure') : '', minutes > 0 ? plural(minutes, 'minute') : ''].filter(Boolean).join(' '),
  },
}
