// The incoming-call decision: from the facts of a call (desk, caller, contracts, calendar, usage,
// agents on duty) to a plan (data, not XML), in the order DESIGN.md fixes. Every branch of the
// contract lives here, tested with plain values.
import {
  type ContractTerms,
  type DeskCalendar,
  type DeskStatus,
  contractStanding,
  describeHours,
  describeNextOpening,
  deskStatus,
  hoursOn,
} from './calendar/index.js'
import { type ContractChange, type ContractTermsOnDate, termsOn } from './contract-terms.js'
import { localDate } from './contract-overview.js'
import type { DeskOptions, Templates } from './desk.js'
import { callerLanguage, DEFAULT_LANGUAGE, deskLanguages, knownLanguage, type LanguageTag, sayVoiceFor } from './language.js'
import { type MessageKey, type MessageVars, message, speakDuration, spokenHolidayName } from './messages.js'
import type { Outcome } from './outcome.js'
import { type DialLimit, type OveragePolicy, dialLimit, monthOf, quotaLeft, quotaUsedUp } from './quota.js'

export interface DeskFacts {
  id: string
  name: string
  /** the desk's own language: the agents' whisper, and callers' when `languages` is absent */
  language: string
  /** the languages callers may hear, the first the default */
  languages?: readonly string[] | undefined
  timezone: string
  calendar: DeskCalendar
  options: DeskOptions
  templates: Templates
}

export interface ContractFacts {
  id: number
  terms: ContractTerms
  quotaSeconds: number
  overage: 'bill' | 'ask' | 'refuse'
  billingIncrementSeconds: number
  /** revised terms from their dates on */
  changes: ContractChange[]
  /** talk time already counted into the month of this call */
  usedSeconds: number
}

export interface CallerFacts {
  client: { id: string; name: string; language: string | null; suspended: boolean; suspendedReason: string | null }
  /** the calling number's language: the registered number's, or the choice remembered for it */
  numberLanguage?: string | null | undefined
  /** the client's active contracts with this desk */
  contracts: ContractFacts[]
}

export interface AgentFacts {
  id: string
  name: string
  number: string
}

export interface CallFacts {
  /** the desk whose numbers hold `To`; null when the number dialled is not one of ours */
  desk: DeskFacts | null
  /** the client whose registered numbers hold `From`; null for unknown and withheld numbers */
  caller: CallerFacts | null
  /** the desk's agents on duty, in ringing order */
  agents: AgentFacts[]
  /** the caller's number as Twilio gave it (kept as caller ID towards agents) */
  from: string
}

/** A line of speech: the text, and how Twilio reads it (`<Say language voice>`, e.g. "arb" and "Polly.Zeina" for Arabic). */
export interface Say {
  text: string
  language: string
  voice?: string | undefined
}

export interface VoicemailStep {
  prompt: Say
  maxSeconds: number
}

/** Where an answered call's talk time counts: it travels in the dial callback's URL. */
export interface CountInto {
  contractId: number
  month: string
}

export interface DialStep {
  targets: AgentFacts[]
  ringSeconds: number
  whisper: boolean
  /** the caller's number, shown to agents */
  callerId: string
  /** 1-based: which agent of the sequence rings (sequential ringing) */
  attempt: number
  countInto: CountInto | null
  /** the desk the agents answer for: the whisper names it, so it needs no database to know it */
  deskId: string | null
  /** <Dial timeLimit> at the quota line (`refuse`, `ask` before consent); null: no limit */
  limit: DialLimit | null
  /** the caller consented to billing beyond the quota: the leg's overage is billable */
  consented: boolean
  /** the agent who answered is dialled again after the caller's yes at the quota line: no question in the whisper */
  redial: boolean
}

export type Plan =
  /** say something, then hang up: the call ends here with its outcome */
  | { kind: 'hangup'; outcome: Outcome; say: Say[] }
  /** the desk is closed: say why and when it opens, offer the on-call line and a voicemail */
  | {
      kind: 'closed'
      outcome: 'closed_hours' | 'closed_holiday' | 'closed_closure'
      say: Say[]
      onCall: Say | null
      voicemail: VoicemailStep | null
    }
  /**
   * quota used up under the "ask" policy: the caller presses 1 to accept billing; at the start of
   * the call, or (`atCut`) when the limit cut the agent's leg, the agent then dialled again
   */
  | { kind: 'ask_overage'; say: Say[]; atCut?: { agentId: string | null; attempt: number; countInto: CountInto | null } }
  /** ring the agents on duty */
  | { kind: 'dial'; say: Say[]; dial: DialStep; billed: boolean }
  /** nobody to ring: take a message */
  | { kind: 'voicemail'; say: Say[]; voicemail: VoicemailStep }

export interface Decision {
  plan: Plan
  /** what the call record keeps of the decision */
  deskId: string | null
  clientId: string | null
  contractId: number | null
  /** the desk-local month the call's talk time counts into */
  usageMonth: string | null
}

/**
 * Where a call goes, before a word of it is said: the outcome or path the decision takes, and what
 * the call record keeps of it (desk, client, contract, month). `decide` speaks it; the what-if
 * replay asks for nothing more.
 */
export interface Verdict {
  /** routed: to the agents on duty (their voicemail when none is); asked_overage: the quota question; else the outcome that ends the call */
  path: 'routed' | 'asked_overage' | 'failed' | 'unknown_caller' | 'suspended' | 'no_contract' | 'quota_refused' | ClosedOutcome
  deskId: string | null
  clientId: string | null
  contractId: number | null
  /** the desk-local month the call's talk time counts into */
  usageMonth: string | null
  /** the call's desk-local date (null without a desk, or without a registered caller) */
  today: string | null
  /** why the desk is closed and when it opens (closed paths only) */
  status: DeskStatus | null
  /** routed beyond the quota under `bill` */
  billed: boolean
  /** the agents' leg stops at the quota line (routed under `refuse` and `ask`) */
  limit: DialLimit | null
}

type ClosedOutcome = 'closed_hours' | 'closed_holiday' | 'closed_closure'

/** The contract in force on a caller's local date and its terms that day (all that a call's decision reads of its contracts by date). */
export interface ContractDay {
  contract: ContractFacts
  terms: ContractTermsOnDate
}

/** The contract in force on a local date and its terms on it: a function of the date alone, so the replay remembers it per caller and day. */
export function contractDay(contracts: readonly ContractFacts[], localDate: string): ContractDay | null {
  const contract = contractInForce(contracts, localDate)
  return contract && { contract, terms: termsOn(contract, contract.changes, localDate) }
}

/**
 * DESIGN.md, "Call flow", step 4, without the words: unknown caller, suspended, no contract,
 * holiday or closure, outside hours, quota, agents. `dayOf` gives the contract in force on the
 * call's date (contractDay; the replay passes it remembered per caller and date).
 */
export function decideCall(
  facts: CallFacts,
  now: Date,
  dayOf: (contracts: readonly ContractFacts[], localDate: string) => ContractDay | null = contractDay,
): Verdict {
  const { desk, caller } = facts
  const verdict: Verdict = {
    path: 'failed',
    deskId: null,
    clientId: null,
    contractId: null,
    usageMonth: null,
    today: null,
    status: null,
    billed: false,
    limit: null,
  }
  if (!desk) return verdict
  verdict.deskId = desk.id
  if (!caller) {
    verdict.path = 'unknown_caller'
    return verdict
  }
  verdict.clientId = caller.client.id
  if (caller.client.suspended) {
    verdict.path = 'suspended'
    return verdict
  }
  const today = localDate(now, desk.timezone)
  verdict.today = today
  const day = dayOf(caller.contracts, today)
  if (!day) {
    verdict.path = 'no_contract'
    return verdict
  }
  const { contract, terms } = day
  verdict.contractId = contract.id
  // the month of the local date (monthOf: the same local date's first seven characters)
  verdict.usageMonth = today.slice(0, 7)

  const status = deskStatus(desk.calendar, now)
  if (!status.open) {
    verdict.status = status
    verdict.path =
      status.reason === 'outside_hours' ? 'closed_hours' : status.reason === 'closure' ? 'closed_closure' : 'closed_holiday'
    return verdict
  }
  if (quotaUsedUp(terms.quotaSeconds, contract.usedSeconds)) {
    // INTERcom: beyond the monthly hours, assistance is billed case by case.
    if (terms.overage === 'refuse') {
      verdict.path = 'quota_refused'
      return verdict
    }
    if (terms.overage === 'ask') {
      verdict.path = 'asked_overage'
      return verdict
    }
    verdict.billed = true
  }
  verdict.path = 'routed'
  // Under `refuse` and `ask`, the agents' leg stops at the quota line (refuse: after the desk's grace).
  verdict.limit = dialLimit({
    policy: terms.overage,
    consented: false,
    quotaSeconds: terms.quotaSeconds,
    usedSeconds: contract.usedSeconds,
    graceSeconds: desk.options.quotaGraceSeconds,
  })
  return verdict
}

/** DESIGN.md, "Call flow", step 4: the verdict (decideCall) and the words the caller hears. */
export function decide(facts: CallFacts, now: Date): Decision {
  const verdict = decideCall(facts, now)
  return {
    plan: spokenPlan(facts, now, verdict),
    deskId: verdict.deskId,
    clientId: verdict.clientId,
    contractId: verdict.contractId,
    usageMonth: verdict.usageMonth,
  }
}

/** The plan a verdict takes, with its words: the greeting, the closed desk's hours and next opening, the quota's question. */
export function spokenPlan(facts: CallFacts, now: Date, verdict: Verdict): Plan {
  const { desk, caller } = facts
  if (!desk) {
    const say = [{ text: message('technical_difficulty', DEFAULT_LANGUAGE), language: DEFAULT_LANGUAGE }]
    return { kind: 'hangup', outcome: 'failed', say }
  }
  // Whose language nobody knows, in each of the desk's languages: a menu would only delay the refusal.
  if (!caller) {
    const say = deskLanguages(desk).map((each) => speaker(desk, each)('unknown_caller'))
    return { kind: 'hangup', outcome: 'unknown_caller', say }
  }
  const language = languageOf(desk, caller)
  const speak = speaker(desk, language)
  const client = { client: caller.client.name }
  const { path, status } = verdict
  switch (path) {
    case 'suspended':
    case 'no_contract':
    case 'quota_refused':
      return { kind: 'hangup', outcome: path, say: [speak(path, client)] }
    case 'asked_overage':
      return { kind: 'ask_overage', say: [speak('quota_ask', client)] }
    case 'closed_hours':
    case 'closed_holiday':
    case 'closed_closure': {
      const closed = status as DeskStatus
      const nextOpening = describeNextOpening(now, closed.nextOpening, desk.timezone, language)
      const say =
        path === 'closed_holiday'
          ? speak('closed_holiday', {
              ...client,
              holiday: spokenHolidayName({ key: closed.holidayKey, name: closed.holiday as string }, language),
              nextOpening,
            })
          : path === 'closed_closure'
            ? speak('closed_closure', { ...client, closure: closed.closure, nextOpening })
            : speak('closed_hours', { ...client, hours: spokenHours(desk, verdict.today as string, language), nextOpening })
      return {
        kind: 'closed',
        outcome: path,
        say: [say],
        // INTERcom: assistance outside the hours is billed extra, so the caller must accept it.
        onCall: desk.options.onCall ? speak('on_call_offer') : null,
        voicemail: desk.options.voicemail.whenClosed ? voicemailStep(desk, speak) : null,
      }
    }
    default: {
      const greeting = verdict.billed ? speak('quota_bill', client) : speak('connecting', client)
      const countInto = { contractId: verdict.contractId as number, month: verdict.usageMonth as string }
      return routeToAgents(facts, desk, [greeting], verdict.billed, speak, countInto, { limit: verdict.limit })
    }
  }
}

/**
 * After the caller accepted the overage charge at the start of the call: route as an in-hours
 * call, billed, with no limit. The caller heard the greeting with the question: a short thanks now.
 */
export function routeAfterAcceptance(facts: CallFacts, now: Date): Plan | null {
  const { desk, caller } = facts
  if (!desk || !caller) return null
  const speak = speaker(desk, languageOf(desk, caller))
  const contract = contractInForce(caller.contracts, localDate(now, desk.timezone))
  const countInto = contract ? { contractId: contract.id, month: monthOf(now, desk.timezone) } : null
  return routeToAgents(facts, desk, [speak('overage_accepted')], true, speak, countInto, { consented: true })
}

/**
 * What the caller hears when the <Dial timeLimit> cut the agent's leg at the quota line with the
 * caller still on the line. `refuse`: the month's included time is used up, what remains possible
 * (call again next month, e-mail, the billed on-call line if the desk has one), goodbye. `ask`:
 * press 1 to go on at the billed rate; the agent who answered is then dialled again.
 */
export function afterQuotaCut(input: {
  desk: DeskFacts
  /** the language the caller hears */
  language: string
  after: DialLimit['after']
  agentId: string | null
  attempt: number
  countInto: CountInto | null
}): Plan {
  const { desk } = input
  const speak = speaker(desk, input.language)
  if (input.after === 'ask') {
    const atCut = { agentId: input.agentId, attempt: input.attempt, countInto: input.countInto }
    return { kind: 'ask_overage', say: [speak('quota_cut_ask')], atCut }
  }
  const say = [speak('quota_cut_refuse'), ...(desk.options.onCall ? [speak('quota_cut_on_call')] : []), speak('goodbye')]
  return { kind: 'hangup', outcome: 'answered', say }
}

/** The words of the question the caller answered (kept with the consent as evidence). */
export function overageQuestion(facts: CallFacts, atCut: boolean): string | null {
  const { desk, caller } = facts
  if (!desk || !caller) return null
  const key = atCut ? 'quota_cut_ask' : 'quota_ask'
  return speaker(desk, languageOf(desk, caller))(key, { client: caller.client.name }).text
}

/**
 * The caller said yes at the quota line: the agent who answered is dialled again, with a whisper
 * that only says the client accepted billing (no question); the leg is consented overage. When
 * that agent is not known (or no longer on duty), the agents on duty ring as for any call.
 */
export function redialAfterConsent(
  facts: CallFacts,
  input: { agentId: string | null; attempt: number; countInto: CountInto | null },
): Plan | null {
  const { desk, caller } = facts
  if (!desk || !caller) return null
  const speak = speaker(desk, languageOf(desk, caller))
  const agent = facts.agents.find((each) => each.id === input.agentId)
  if (!agent) return routeToAgents(facts, desk, [speak('overage_accepted')], true, speak, input.countInto, { consented: true })
  const dial = {
    ...dialStep(desk, [agent], facts.from, 1, input.countInto, { consented: true, redial: true }),
    attempt: input.attempt + 1,
  }
  return { kind: 'dial', say: [speak('overage_accepted')], dial, billed: true }
}

/** The language a caller hears on a desk (one rule for the whole call: language.ts). */
export function languageOf(desk: DeskFacts, caller: CallerFacts | null): LanguageTag {
  return callerLanguage({ number: caller?.numberLanguage, client: caller?.client.language, desk })
}

/** The hours in force on a local date as a caller hears them, a season's said as such ("Pendant le Ramadan, …"). */
export function spokenHours(desk: DeskFacts, localDate: string, language: LanguageTag): string {
  const { weekly, season } = hoursOn(desk.calendar, localDate)
  return describeHours(weekly, language, season)
}

type Speak = (key: MessageKey, vars?: MessageVars) => Say

/** Speaks the desk's messages in a language, with the desk's templates and that language's voice. */
export function speaker(desk: DeskFacts, language: string): Speak {
  const voice = sayVoiceFor(desk.options, language)
  return (key, vars = {}) => ({
    text: message(key, language, { desk: desk.name, ...vars }, desk.templates),
    language: voice.language,
    voice: voice.voice,
  })
}

/** The language menu: one line per language, each in its own voice; digit n chooses the n-th language. */
export interface LanguageMenu {
  say: Say[]
  choices: { digit: string; language: LanguageTag }[]
  /** heard when the caller presses nothing, or a digit that chooses nothing: the desk's default */
  fallback: LanguageTag
}

/**
 * Before decide(): a registered caller whose language is not known (neither the number's, nor a
 * remembered choice, nor the client's) on a desk with several languages first chooses one
 * ("Pour le français, tapez 1. للعربية، اضغط 2."). Null when there is nothing to choose.
 */
export function languageMenu(facts: CallFacts): LanguageMenu | null {
  const { desk, caller } = facts
  if (!desk || !caller) return null
  if (knownLanguage({ number: caller.numberLanguage, client: caller.client.language }) !== null) return null
  const languages = deskLanguages(desk)
  if (languages.length < 2) return null
  const choices = languages.map((language, index) => ({ digit: String(index + 1), language }))
  return {
    say: choices.map((choice) => speaker(desk, choice.language)('language_choice', { digit: choice.digit })),
    choices,
    fallback: languages[0] as LanguageTag,
  }
}

/** The language a caller chose with a digit of the menu (the default for no digit or another one). */
export function chosenLanguage(menu: LanguageMenu, digits: string | undefined): LanguageTag {
  return menu.choices.find((choice) => choice.digit === digits)?.language ?? menu.fallback
}

function routeToAgents(
  facts: CallFacts,
  desk: DeskFacts,
  greeting: Say[],
  billed: boolean,
  speak: Speak,
  countInto: CountInto | null,
  billing: DialBilling = {},
): Plan {
  if (facts.agents.length === 0) {
    return { kind: 'voicemail', say: [...greeting, speak('no_agent')], voicemail: voicemailStep(desk, speak) }
  }
  return { kind: 'dial', say: greeting, dial: dialStep(desk, facts.agents, facts.from, 1, countInto, billing), billed }
}

/** How a dial stands to the quota line: its limit, and whether the caller consented to billing. */
export interface DialBilling {
  limit?: DialLimit | null
  consented?: boolean
  redial?: boolean
}

export function dialStep(
  desk: DeskFacts,
  agents: AgentFacts[],
  callerId: string,
  attempt: number,
  countInto: CountInto | null,
  billing: DialBilling = {},
): DialStep {
  const sequential = desk.options.ring === 'sequential'
  return {
    targets: sequential ? agents.slice(attempt - 1, attempt) : agents,
    ringSeconds: desk.options.ringSeconds,
    whisper: desk.options.whisper,
    callerId,
    attempt,
    countInto,
    deskId: desk.id,
    limit: billing.limit ?? null,
    consented: billing.consented ?? false,
    redial: billing.redial ?? false,
  }
}

export function voicemailStep(desk: DeskFacts, speak: Speak): VoicemailStep {
  return {
    prompt: speak('voicemail_prompt', { within: desk.options.callbackWithinWorkingHours }),
    maxSeconds: desk.options.voicemail.maxSeconds,
  }
}

/** The contract in force on the call's local date; the most recently signed when several are. */
export function contractInForce<T extends Pick<ContractFacts, 'terms'>>(contracts: readonly T[], localDate: string): T | null {
  let found: T | null = null
  for (const contract of contracts) {
    if (!contractStanding(contract.terms, localDate).inForce) continue
    // (contracts are known by client, desk and start: two of a desk never start on the same date)
    if (found === null || contract.terms.start >= found.terms.start) found = contract
  }
  return found
}

/** The numbers that ring when the agents on duty cannot be known, as agents of their own. */
export function fallbackAgents(numbers: readonly string[]): AgentFacts[] {
  return numbers.map((number, index) => ({ id: `fallback-${index + 1}`, name: 'fallback', number }))
}

/**
 * With no desk configuration at hand (the database away since the process started), the
 * numbers of FALLBACK_NUMBERS ring, so that a caller still reaches someone; nothing is counted.
 */
export function fallbackPlan(numbers: readonly string[], callerId: string): Plan | null {
  if (numbers.length === 0) return null
  const language = DEFAULT_LANGUAGE
  return {
    kind: 'dial',
    say: [{ text: message('fallback_connecting', language), language }],
    dial: {
      targets: fallbackAgents(numbers),
      ringSeconds: 25,
      whisper: true,
      callerId,
      attempt: 1,
      countInto: null,
      deskId: null,
      limit: null,
      consented: false,
      redial: false,
    },
    billed: false,
  }
}

/** What the agent who picks up hears before taking the call (the whisper). */
export function whisperText(input: {
  clientName: string
  quotaSeconds: number
  usedSeconds: number
  language: string
  templates: Templates
}): string {
  const left = quotaLeft(input.quotaSeconds, input.usedSeconds)
  return message(
    'whisper',
    input.language,
    { client: input.clientName, quotaLeft: speakDuration(left, input.language) },
    input.templates,
  )
}

/**
 * What the agent who picks up hears, in the desk's language: who calls and what is left of the
 * quota (under `refuse` and `ask`, that the call stops at it; once it is used up and the call is
 * billed, that it is billed); for the on-call line, that the call is billed apart; with less
 * known, less said. Whatever is known, the agent presses 1 to take the call, and `declined` is
 * said to a silence (a phone's voicemail) before the leg ends. The agent dialled again after the
 * caller's yes at the quota line is only told that the client accepted billing: no question
 * (`declined` null), since that agent was talking to the caller a moment ago.
 */
export function whisperLines(input: {
  desk: DeskFacts | null
  clientName: string | null
  onCall: boolean
  redial?: boolean
  /** the month's quota and usage, the contract's policy, whether the caller accepted billing; null when they could not be read */
  quota: { quotaSeconds: number; usedSeconds: number; policy?: OveragePolicy; accepted?: boolean } | null
}): { line: Say; declined: Say | null } {
  const { desk, clientName: client, quota } = input
  if (!desk) {
    const language = DEFAULT_LANGUAGE
    return {
      line: { text: message('whisper_unknown', language), language },
      declined: { text: message('whisper_declined', language), language },
    }
  }
  const speak = speaker(desk, desk.language)
  if (input.redial) return { line: speak('whisper_consented', { client: client ?? undefined }), declined: null }
  const declined = speak('whisper_declined')
  if (client === null) return { line: speak('whisper_unknown'), declined }
  if (input.onCall) return { line: speak('whisper_on_call', { client }), declined }
  if (!quota) return { line: speak('whisper_short', { client }), declined }
  const policy = quota.policy ?? 'bill'
  if (quotaUsedUp(quota.quotaSeconds, quota.usedSeconds) && (policy === 'bill' || quota.accepted))
    return { line: speak('whisper_billed', { client }), declined }
  if (policy !== 'bill' && !quota.accepted) {
    const left = speakDuration(quotaLeft(quota.quotaSeconds, quota.usedSeconds), desk.language)
    return {
      line: speak(policy === 'refuse' ? 'whisper_limit_refuse' : 'whisper_limit_ask', { client, quotaLeft: left }),
      declined,
    }
  }
  const text = whisperText({ clientName: client, ...quota, language: desk.language, templates: desk.templates })
  return { line: { text, ...sayVoiceFor(desk.options, desk.language) }, declined }
}
