// The words of the e-mails supportline writes about an e-mail request (issue #15): the
// acknowledgement with the latest time of the answer, and the refusal that says why, in the
// client's language.
import { DateTime } from 'luxon'
import type { Templates } from './desk.js'
import { formatRequestTag, normaliseMessageId } from './email-request.js'
import { message } from './messages.js'

type Family = 'fr' | 'en' | 'ar'

/** French unless the language is English or Arabic (the desks' working language is French). */
export function mailFamily(language: string): Family {
  const lower = language.toLowerCase()
  if (lower.startsWith('en')) return 'en'
  if (lower.startsWith('ar')) return 'ar'
  return 'fr'
}

/**
 * When the answer is due, as a client reads it, in the desk's zone: "le mardi 2 décembre à 11 h 00",
 * "Tuesday 2 December at 11:00", "الثلاثاء 2 ديسمبر على الساعة 11:00" (digits as written in Algeria).
 */
export function answerBy(due: Date, timezone: string, language: string): string {
  const family = mailFamily(language)
  const at = DateTime.fromJSDate(due, { zone: timezone }).reconfigure({ locale: family, numberingSystem: 'latn' })
  if (family === 'en') return at.toFormat("cccc d LLLL 'at' HH:mm")
  if (family === 'ar') return at.toFormat("cccc d LLLL 'على الساعة' HH:mm")
  return at.toFormat("'le' cccc d LLLL 'à' H 'h' mm")
}

export interface AcknowledgementFacts {
  requestId: number
  deskName: string
  timezone: string
  language: string
  /** the latest time of the answer; null when the desk's calendar has no working hours ahead */
  due: Date | null
}

/** The acknowledgement's text: received, its reference, the latest time of the answer. */
export function acknowledgementText(facts: AcknowledgementFacts): string {
  const tag = formatRequestTag(facts.requestId)
  const family = mailFamily(facts.language)
  const by = facts.due ? answerBy(facts.due, facts.timezone, facts.language) : null
  if (family === 'en')
    return [
      'Hello,',
      `We have received your request, recorded as ${tag}. ${by ? `We will answer by ${by} at the latest.` : 'We will answer as soon as we can.'}`,
      'To add to your request, reply to this message and keep the reference in the subject.',
      facts.deskName,
    ].join('\n\n')
  if (family === 'ar')
    return [
      'مرحباً،',
      `لقد استلمنا طلبكم المسجل تحت المرجع ${tag}. ${by ? `سنرد عليكم في أجل أقصاه ${by}.` : 'سنرد عليكم في أقرب الآجال.'}`,
      'لإضافة معلومات إلى طلبكم، يرجى الرد على هذه الرسالة مع الإبقاء على المرجع في الموضوع.',
      facts.deskName,
    ].join('\n\n')
  return [
    'Bonjour,',
    `Nous avons bien reçu votre demande, enregistrée sous la référence ${tag}. ${by ? `Nous vous répondrons au plus tard ${by}.` : 'Nous vous répondrons dans les meilleurs délais.'}`,
    'Pour compléter votre demande, répondez à ce message en gardant la référence dans l’objet.',
    facts.deskName,
  ].join('\n\n')
}

/**
 * Why an e-mail is not taken as contract work: the phone's own words for a suspended client or one
 * without a contract in force (the desk's templates first, as on the line).
 */
export function refusalText(
  reason: 'suspended' | 'no_contract',
  facts: { clientName: string; deskName: string; language: string; templates: Templates },
): string {
  return `${message(reason, facts.language, { client: facts.clientName, desk: facts.deskName }, facts.templates)}\n\n${facts.deskName}`
}

/** A refusal's threading headers: it answers the message, with no request tag (no request was opened). */
export function refusalHeaders(original: { messageId: string; references: readonly string[]; subject: string }) {
  const parent = normaliseMessageId(original.messageId)
  const references = [...new Set([...original.references, original.messageId].map(normaliseMessageId))].filter(
    (id): id is string => id !== null,
  )
  const subject = /^\s*re\s*:/i.test(original.subject) ? original.subject.trim() : `Re: ${original.subject.trim()}`.trim()
  return { subject, inReplyTo: parent, references }
}
