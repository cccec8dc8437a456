// The incoming call's per-call costs in the service's own code, each timed alone in a loop (no
// HTTP, no database): the desk calendar's status compiled per call against compiled once per
// configuration version, the local date through luxon against the zone's cached offsets, the TwiML
// of a dial to the agents on duty and of the language menu as the twilio package writes them.
// `npx tsx bench/hot-path.ts` prints µs of CPU per operation, the best of 7 rounds (the machine is shared).
import { DateTime } from 'luxon'
import { deskStatus, fixedCalendar } from '../src/domain/calendar/index.js'
import { type CallFacts, type DeskFacts, decide, languageMenu } from '../src/domain/call.js'
import { deskFacts, deskRecord, NO_DECISIONS } from '../src/domain/configured-facts.js'
import { localDate } from '../src/domain/contract-overview.js'
import { parseDeskFile } from '../src/domain/desk-file.js'
import { languageMenuTwiml, renderPlan } from '../src/routes/twilio/twiml.js'
import { CLOCK_START, benchDeskFile } from './dataset.js'

const parsed = parseDeskFile(benchDeskFile())
if (!parsed.ok) throw new Error('the bench desk file is invalid')
const file = parsed.file
const deskOf = (id: string): DeskFacts => deskFacts(deskRecord(file.desks.find((desk) => desk.id === id)!), NO_DECISIONS)
const now = new Date(CLOCK_START)

/** µs of CPU (this process's, not wall time: the cores are shared) per call of `work`, the best of `rounds` rounds of `n` calls. */
function time(n: number, work: (i: number) => unknown, rounds = 7): number {
  let best = Number.POSITIVE_INFINITY
  let sink = 0
  for (let round = 0; round < rounds; round++) {
    const started = process.cpuUsage()
    for (let i = 0; i < n; i++) if (work(i)) sink++
    const used = process.cpuUsage(started)
    best = Math.min(best, (used.user + used.system) / n)
  }
  if (sink < 0) console.log(sink)
  return best
}

const intercom = deskOf('intercom')
const fixed = { ...intercom, calendar: fixedCalendar(structuredClone(intercom.calendar)) }
const agents = Array.from({ length: 18 }, (_, a) => ({
  id: `agent-${a}`,
  name: `Agent ${a}`,
  number: `+2135500001${String(a).padStart(2, '0')}`,
}))
const contract = file.clients[0]!.contracts[0]!
const caller: CallFacts['caller'] = {
  client: { id: 'client-0000', name: 'Client 0 SARL', language: null, suspended: false, suspendedReason: null },
  contracts: [
    {
      id: 1,
      terms: { start: contract.start, months: contract.months, noticeMonths: contract.noticeMonths, renews: true },
      quotaSeconds: 18_000,
      overage: 'bill',
      billingIncrementSeconds: 60,
      changes: [],
      usedSeconds: 3_600,
    },
  ],
}
const facts = (desk: DeskFacts): CallFacts => ({ desk, caller, agents, from: '+213661000000' })
const dial = decide(facts(fixed), now).plan
const menuDesk = { ...deskOf('menu') }
const menu = languageMenu({ desk: menuDesk, caller, agents, from: '+213661000000' })!
const minute = (i: number) => new Date(now.getTime() + (i % 600) * 1000)

const rows: [string, number][] = [
  ['deskStatus, the calendar compiled on every call (before)', time(5_000, (i) => deskStatus(intercom.calendar, minute(i)).open)],
  [
    'deskStatus, the calendar compiled once for the version (after)',
    time(20_000, (i) => deskStatus(fixed.calendar, minute(i)).open),
  ],
  [
    'local date through luxon (setZone, toISODate)',
    time(20_000, (i) => DateTime.fromJSDate(minute(i)).setZone('Africa/Algiers').toISODate()),
  ],
  ["local date through the zone's cached offsets (localDate)", time(200_000, (i) => localDate(minute(i), 'Africa/Algiers'))],
  [
    'decide() for a registered caller in hours, calendar compiled per call (before)',
    time(5_000, (i) => decide(facts(intercom), minute(i)).plan),
  ],
  [
    'decide() for a registered caller in hours, calendar compiled once (after)',
    time(20_000, (i) => decide(facts(fixed), minute(i)).plan),
  ],
  ['TwiML of the dial: greeting, 18 agents (twilio package)', time(5_000, () => renderPlan(dial))],
  [
    'TwiML of the dial: greeting, 1 agent',
    time(5_000, () =>
      renderPlan({ ...dial, dial: { ...(dial as { dial: object }).dial, targets: agents.slice(0, 1) } } as typeof dial),
    ),
  ],
  [
    'TwiML of the language menu, 3 languages (written per call, before; after: once per version)',
    time(5_000, () => languageMenuTwiml(menu.say)),
  ],
]
for (const [label, us] of rows) console.log(`${us.toFixed(2).padStart(8)} µs  ${label}`)
