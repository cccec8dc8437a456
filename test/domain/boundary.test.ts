// The boundary's types: text Postgres and a phone call can hold, dates in the years the service knows.
import t from 'tap'
import {
  FIRST_YEAR,
  LAST_YEAR,
  SPOKEN_MAX,
  dateSchema,
  instantInYears,
  instantSchema,
  monthSchema,
  spokenText,
  text,
  twilioText,
  yearSchema,
} from '../../src/domain/boundary.js'

const problemOf = (result: { success: boolean; error?: { issues: { message: string }[] } }) =>
  result.success ? null : (result.error?.issues[0]?.message ?? 'refused')

t.test('text: trimmed, bounded, no control character, no lone surrogate', async (t) => {
  const name = text(10)
  t.equal(name.parse('  Inventaire  '.slice(0, 14)), 'Inventaire', 'trimmed')
  t.equal(name.parse('😀 ok'), '😀 ok', 'a surrogate pair is text')
  t.equal(text(500).parse('line one\nline two\tand a tab'), 'line one\nline two\tand a tab', 'lines and tabs are text')
  t.match(problemOf(name.safeParse('a\u0000b')), /control characters/, 'NUL is refused')
  t.match(problemOf(name.safeParse('a\u001bb')), /control characters/, 'so is ESC')
  t.match(problemOf(name.safeParse('\ud800')), /lone UTF-16 surrogate/, 'a lone high surrogate')
  t.match(problemOf(name.safeParse('x\udc00')), /lone UTF-16 surrogate/, 'a lone low surrogate')
  t.match(problemOf(name.safeParse('x'.repeat(11))), /at most 10 characters/, 'too long')
  t.match(problemOf(name.safeParse('   ')), /must not be blank/, 'blank is no name')
  t.match(problemOf(text(10, { minMessage: 'say why' }).safeParse('')), /say why/, 'a message of its own')
  t.match(problemOf(text(10, { min: 3 }).safeParse('ab')), /at least 3 characters/)
  t.equal(text(10, { min: 0 }).parse(''), '', 'optional text may be empty')
})

t.test('spoken text has one bound', async (t) => {
  t.equal(spokenText().parse('y'.repeat(SPOKEN_MAX)).length, SPOKEN_MAX)
  t.notOk(spokenText().safeParse('y'.repeat(SPOKEN_MAX + 1)).success)
  t.match(problemOf(spokenText({ minMessage: 'callers hear it' }).safeParse(' ')), /callers hear it/)
})

t.test("Twilio's values are kept as sent, and must be text", async (t) => {
  t.equal(twilioText().parse(' +213661000001 '), ' +213661000001 ', 'not trimmed: it is what Twilio signed')
  t.notOk(twilioText().safeParse('+213\u0000').success, 'no NUL')
  t.notOk(twilioText(4).safeParse('+2136').success, 'bounded when told')
})

t.test(`dates, months, years and instants: ${FIRST_YEAR}–${LAST_YEAR}`, async (t) => {
  t.ok(dateSchema.safeParse('2024-02-29').success, 'a leap day')
  t.ok(dateSchema.safeParse(`${LAST_YEAR}-12-31`).success, 'the last day')
  t.match(problemOf(dateSchema.safeParse('2025-02-29')), /expected a date "YYYY-MM-DD", got "2025-02-29"/)
  t.match(problemOf(dateSchema.safeParse('2026-13-01')), /expected a date/)
  t.match(problemOf(dateSchema.safeParse('0000-01-01')), /must fall in the years 2000–2100/)
  t.match(problemOf(dateSchema.safeParse('0024-02-29')), /must fall in the years/, 'years 0–99 are not 1900–1999')
  t.match(problemOf(dateSchema.safeParse('1999-12-31')), /must fall in the years/)
  t.match(problemOf(dateSchema.safeParse('+275760-09-13')), /expected a date/)
  t.ok(monthSchema.safeParse('2026-11').success)
  t.match(problemOf(monthSchema.safeParse('2026-1')), /must be a month like 2026-11/)
  t.match(problemOf(monthSchema.safeParse('0001-01')), /must fall in the years/)
  t.equal(yearSchema.parse('2026'), 2026, 'a year from a query string')
  t.notOk(yearSchema.safeParse('1900').success)
  t.notOk(yearSchema.safeParse('2026.5').success)
  t.ok(instantSchema.safeParse('2026-11-28T10:00:00+01:00').success)
  t.match(problemOf(instantSchema.safeParse('2026-11-28T10:00:00')), /ISO-8601 instant/, 'an instant needs its offset')
  t.match(problemOf(instantSchema.safeParse('0001-01-01T00:00:00Z')), /must fall in the years/)
  t.ok(instantInYears(new Date('2026-11-28T10:00:00Z')))
  t.notOk(instantInYears(new Date('-271821-04-20T00:00:00.000Z')), 'the earliest JavaScript date')
  t.notOk(instantInYears(new Date('+275760-09-13T00:00:00.000Z')), 'the latest')
  t.notOk(instantInYears(new Date('nonsense')), 'no date at all')
})
