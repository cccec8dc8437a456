// describeHours, describeNextOpening and formatClock: the sentences a caller hears, built from the schedule.
import t from 'tap'
import { describeHours, describeNextOpening, formatClock } from '../../../src/domain/calendar/index.js'
import { clockCases, hoursCases, nextOpeningCases } from '../../fixtures/calendar/spoken-cases.js'

for (const c of hoursCases) {
  t.equal(describeHours(c.weekly, c.lang, c.season), c.sentence, `the hours of ${c.why} read "${c.sentence}"`)
}
for (const c of nextOpeningCases) {
  const said = describeNextOpening(new Date(c.at), c.next === null ? null : new Date(c.next), c.timezone, c.lang)
  t.equal(said, c.sentence, `at ${c.at}, the next opening ${c.next ?? '(none)'} reads "${c.sentence}" (${c.why})`)
}
for (const [minutes, lang, spoken] of clockCases) {
  t.equal(formatClock(minutes, lang), spoken, `${minutes} minutes read "${spoken}" in ${lang}`)
}
