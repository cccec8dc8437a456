// English: what callers and agents hear, and the words of the generated sentences. A translator works on this file alone.
import { type Catalogue, joinList, type MonthDay, type OpeningDay } from './catalogue.js'

const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday']
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
]
const HIJRI_MONTHS = [
  'Muharram',
  'Safar',
  "Rabi' al-Awwal",
  "Rabi' al-Thani",
  'Jumada al-Ula',
  'Jumada al-Akhirah',
  'Rajab',
  "Sha'ban",
  'Ramadan',
  'Shawwal',
  "Dhu al-Qi'dah",
  'Dhu al-Hijjah',
]

const monthDay = ({ month, day }: MonthDay): string => `${MONTHS[month - 1] as string} ${day}`

/** 570 → "9:30 am", 720 → "12 pm", midnight by name; ends past midnight wrap. */
function clock(minutes: number): string {
  const wrapped = minutes % 1440
  if (wrapped === 0) return 'midnight'
  const [hour, minute] = [Math.floor(wrapped / 60), wrapped % 60]
  const [hour12, suffix] = [hour % 12 === 0 ? 12 : hour % 12, hour < 12 ? 'am' : 'pm']
  return minute === 0 ? `${hour12} ${suffix}` : `${hour12}:${String(minute).padStart(2, '0')} ${suffix}`
}

function nextOpening(when: OpeningDay | null): string {
  if (when === null) return 'No opening is scheduled at the moment.'
  const at = `at ${clock(when.minute)}`
  let said: string
  if (when.kind === 'today') said = `today ${at}`
  else if (when.kind === 'this_week') said = `on ${DAYS[when.weekday] as string} ${at}`
  else said = `on ${DAYS[when.weekday] as string}, ${monthDay(when)}${when.year === null ? '' : `, ${when.year}`} ${at}`
  return `We will be available again ${said}.`
}

const plural = (n: number, unit: string): string => `${n} ${unit}${n > 1 ? 's' : ''}`

export const en: Catalogue = {
  messages: {
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
    quota_cut_refuse:
      "The support time included in this month's contract is used up. You may call us again next month, or write to us by e-mail.",
    quota_cut_on_call: 'Outside our opening hours, our on-call line, billed beyond the contract, remains available.',
    quota_cut_ask:
      "The support time included in this month's contract is used up. To go on with the conversation, billed beyond your contract, press 1.",
    overage_accepted: 'Thank you. Connecting you now.',
    connecting: 'Hello {client}. Connecting you to a support engineer.',
    no_agent: 'No support engineer is available right now.',
    no_answer: 'All our support engineers are busy.',
    whisper: 'Call from {client}. Support time left this month: {quotaLeft}. Press 1 to take the call.',
    whisper_short: 'Call from {client}. Press 1 to take the call.',
    whisper_on_call: 'On-call: a call from {client}, billed outside the contract. Press 1 to take the call.',
    whisper_unknown: 'A call on the support line. Press 1 to take the call.',
    whisper_declined: 'Call not taken. Goodbye.',
    whisper_billed: "Call from {client}. This month's support hours are used up: this call is billed. Press 1 to take the call.",
    whisper_limit_refuse:
      'Call from {client}. Support time left this month: {quotaLeft}. Beyond it, the call will be cut. Press 1 to take the call.',
    whisper_limit_ask:
      'Call from {client}. Support time left this month: {quotaLeft}. Beyond it, the client must accept billing. Press 1 to take the call.',
    whisper_consented: 'The client accepted billing beyond the contract.',
    fallback_connecting: 'We are experiencing a technical difficulty. Connecting you to a support engineer.',
    goodbye: 'Thank you for calling, goodbye.',
    technical_difficulty: 'We are experiencing a technical difficulty. Please call again in a few minutes. Goodbye.',
    language_choice: 'For English, press {digit}.',
  },
  holidays: {
    'new-year': "New Year's Day",
    yennayer: 'Yennayer, the Amazigh New Year',
    'labour-day': 'Labour Day',
    'independence-day': 'Independence Day',
    'revolution-day': 'Revolution Day',
    'eid-al-fitr': 'Eid al-Fitr',
    'eid-al-adha': 'Eid al-Adha',
    'awal-muharram': 'the Islamic New Year',
    ashura: 'Ashura',
    mawlid: "the Prophet's Birthday",
    'easter-monday': 'Easter Monday',
    'victory-day': 'Victory in Europe Day',
    ascension: 'Ascension Day',
    'whit-monday': 'Whit Monday',
    'bastille-day': 'Bastille Day',
    assumption: 'Assumption Day',
    'all-saints': "All Saints' Day",
    armistice: 'Armistice Day',
    christmas: 'Christmas Day',
  },
  calendar: {
    clock,
    span: (start, end) => `${clock(start)} to ${clock(end)}`,
    aroundTheClock: 'around the clock',
    everyDay: 'every day',
    dayRun(run) {
      const [first, last] = [DAYS[run[0] as number] as string, DAYS[run[run.length - 1] as number] as string]
      if (run.length === 1) return first
      return run.length === 2 ? `${first} and ${last}` : `${first} to ${last}`
    },
    list: (items) => joinList(items, 'and'),
    group: (days, hours) => `${days}, ${hours}`,
    groups: (phrases) =>
      phrases.length === 1
        ? (phrases[0] as string)
        : `${phrases.slice(0, -1).join(', ')}, and ${phrases[phrases.length - 1] as string}`,
    open: (hours, during) =>
      during === null ? `The support desk is open ${hours}.` : `${during}, the support desk is open ${hours}.`,
    closed: (during) => (during === null ? 'The support desk has no opening hours.' : `${during}, the support desk is closed.`),
    duringHijriMonth: (month) => `During ${HIJRI_MONTHS[month - 1] as string}`,
    duringDates: (from, to) =>
      from.month === to.month && from.day === to.day ? `On ${monthDay(from)}` : `From ${monthDay(from)} to ${monthDay(to)}`,
    nextOpening,
    duration: (hours, minutes) =>
      hours === 0 && minutes === 0
        ? 'less than a minute'
        : [hours > 0 ? plural(hours, 'hour') : '', minutes > 0 ? plural(minutes, 'minute') : ''].filter(Boolean).join(' '),
  },
}
