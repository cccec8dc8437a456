// Messages: French first, English on request, desk templates on top, durations spoken.
import { readFileSync } from 'node:fs'
import t from 'tap'
import { SPOKEN_MAX } from '../../src/domain/boundary.js'
import { SPEECHES } from '../../src/domain/language.js'
import { CATALOGUES, MESSAGE_KEYS, message, speakDuration, speechOf, spokenHolidayName } from '../../src/domain/messages.js'
import { CALLERS_REMEMBERED, maskNumber, maskNumbersIn, normaliseCaller } from '../../src/domain/phone.js'

t.equal(speechOf('fr-FR'), 'fr')
t.equal(speechOf('en-GB'), 'en')
t.equal(speechOf('ar-DZ'), 'ar')
t.equal(speechOf('de-DE'), 'fr', 'languages we do not speak fall back to French')
t.match(message('goodbye', 'fr-FR'), /Merci de votre appel/)
t.match(message('goodbye', 'en-US'), /Thank you for calling/)
t.equal(
  message('connecting', 'fr-FR', { client: 'ACME' }, { fr: { connecting: 'Salut {client}' } }),
  'Salut ACME',
  'a template by speech',
)
t.equal(
  message('connecting', 'fr-FR', { client: 'ACME' }, { 'fr-FR': { connecting: 'Exact {client}' }, fr: { connecting: 'Salut' } }),
  'Exact ACME',
  'the exact language wins',
)
t.equal(
  message('connecting', 'fr-FR', {}, { fr: { connecting: 'Bonjour {client}, {unknown}!' } }),
  'Bonjour , !',
  'unknown placeholders are left out, not read aloud',
)

t.equal(
  message('whisper_short', 'fr-FR', { client: 'Atlas Pharma' }),
  'Appel d’Atlas Pharma. Appuyez sur 1 pour prendre l’appel.',
)
t.equal(message('whisper_short', 'fr-FR', { client: 'ÉcoBat' }), 'Appel d’ÉcoBat. Appuyez sur 1 pour prendre l’appel.')
t.equal(message('whisper_short', 'fr-FR', { client: 'ACME SARL' }), 'Appel d’ACME SARL. Appuyez sur 1 pour prendre l’appel.')
t.equal(message('whisper_short', 'fr-FR', { client: 'Numidia' }), 'Appel de Numidia. Appuyez sur 1 pour prendre l’appel.')
t.equal(
  message('whisper_short', 'fr-FR', { client: 'Hachette' }),
  'Appel de Hachette. Appuyez sur 1 pour prendre l’appel.',
  'h: never elided',
)
t.equal(message('whisper_short', 'en', { client: 'Atlas' }), 'Call from Atlas. Press 1 to take the call.', 'English: as written')
t.equal(
  message('connecting', 'fr-FR', { client: 'Atlas' }, { fr: { connecting: 'Pour le compte de {client}, merci.' } }),
  'Pour le compte d’Atlas, merci.',
  "a desk's template elides too",
)
t.equal(
  message('connecting', 'fr-FR', {}, { fr: { connecting: 'Pour le compte de {client}' } }),
  'Pour le compte de',
  'no value: nothing to elide before',
)

for (const [seconds, fr, en] of [
  [0, "moins d'une minute", 'less than a minute'],
  [59, "moins d'une minute", 'less than a minute'],
  [60, '1 minute', '1 minute'],
  [3600, '1 heure', '1 hour'],
  [12_600, '3 heures 30 minutes', '3 hours 30 minutes'],
  [18_000, '5 heures', '5 hours'],
] as const) {
  t.equal(speakDuration(seconds, 'fr-FR'), fr, `${seconds} s: ${fr}`)
  t.equal(speakDuration(seconds, 'en'), en, `${seconds} s: ${en}`)
}

t.test('every message key has a text in every language, with the same placeholders', async (t) => {
  const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort()
  for (const speech of SPEECHES) {
    const messages = CATALOGUES[speech].messages as Record<string, string | undefined>
    for (const key of MESSAGE_KEYS) {
      const text = messages[key]
      t.ok(typeof text === 'string' && text.trim().length > 0, `${speech} has a text for ${key}`)
      t.same(placeholders(text ?? ''), placeholders(CATALOGUES.fr.messages[key]), `${speech} ${key} has the placeholders of fr`)
    }
    t.same(Object.keys(messages).sort(), [...MESSAGE_KEYS].sort(), `${speech} has no key the catalogue does not know`)
  }
  t.same(
    Object.keys(CATALOGUES.ar.holidays).sort(),
    Object.keys(CATALOGUES.en.holidays).sort(),
    'Arabic and English name the same holidays',
  )
})

t.test('Arabic', async (t) => {
  t.equal(message('goodbye', 'ar'), 'شكراً على اتصالكم، مع السلامة.')
  t.equal(
    message('whisper_short', 'ar-DZ', { client: 'Atlas Pharma' }),
    'مكالمة من Atlas Pharma. اضغط على الرقم 1 لتلقي المكالمة.',
    'no French elision in Arabic',
  )
  t.equal(
    message('connecting', 'ar-DZ', { client: 'ACME' }, { ar: { connecting: 'أهلاً {client}' } }),
    'أهلاً ACME',
    'a desk template for the family serves its tags',
  )
  t.equal(message('language_choice', 'ar', { digit: 2 }), 'للعربية، اضغط 2.')
  t.equal(message('language_choice', 'fr-FR', { digit: 1 }), 'Pour le français, tapez 1.')
  t.equal(spokenHolidayName({ key: 'eid-al-fitr', name: 'Aïd el-Fitr' }, 'ar'), 'عيد الفطر', 'a holiday in Arabic')
  t.equal(spokenHolidayName({ key: 'eid-al-fitr', name: 'Aïd el-Fitr' }, 'en-US'), 'Eid al-Fitr', 'in English')
  t.equal(spokenHolidayName({ key: 'eid-al-fitr', name: 'Aïd el-Fitr' }, 'fr-FR'), 'Aïd el-Fitr', 'in French: its name')
  t.equal(
    spokenHolidayName({ key: 'manual-2026-12-08-greve', name: 'Grève générale' }, 'ar'),
    'Grève générale',
    'a manager’s own holiday keeps its name',
  )
  t.equal(spokenHolidayName({ name: 'Grève' }, 'ar'), 'Grève', 'no key: the name')
})

// Durations as an agent hears them in Arabic (the whisper's quota left): Arabic agreement of number and noun.
for (const [seconds, said] of [
  [0, 'أقل من دقيقة'],
  [60, 'دقيقة واحدة'],
  [120, 'دقيقتان'],
  [180, 'ثلاث دقائق'],
  [600, 'عشر دقائق'],
  [660, 'إحدى عشرة دقيقة'],
  [720, 'اثنتا عشرة دقيقة'],
  [900, 'خمس عشرة دقيقة'],
  [1260, 'إحدى وعشرون دقيقة'],
  [1320, 'اثنتان وعشرون دقيقة'],
  [2400, 'أربعون دقيقة'],
  [3540, 'تسع وخمسون دقيقة'],
  [3600, 'ساعة واحدة'],
  [7200, 'ساعتان'],
  [12_600, 'ثلاث ساعات وثلاثون دقيقة'],
  [18_000, 'خمس ساعات'],
  [18_060, 'خمس ساعات ودقيقة واحدة'],
  [86_400, 'أربع وعشرون ساعة'],
  [360_000, 'مئة ساعة'],
  [363_600, 'مئة وساعة واحدة'],
  [367_200, 'مئة وساعتان'],
  [370_800, 'مئة وثلاث ساعات'],
  [435_600, 'مئة وإحدى وعشرون ساعة'],
  [720_000, 'مئتا ساعة'],
  [3_600_000, 'ألف ساعة'],
  [4_320_000, 'ألف ومئتا ساعة'],
  [6_012_000, 'ألف وستمئة وسبعون ساعة'],
  [7_200_000, 'ألفا ساعة'],
  [10_800_000, 'ثلاثة آلاف ساعة'],
  [36_000_000, '10000 ساعة'],
] as const) {
  t.equal(speakDuration(seconds, 'ar'), said, `${seconds} s: ${said}`)
}

for (const [raw, number] of [
  ['+213661000001', '+213661000001'],
  ['anonymous', null],
  ['client:alice', null],
  ['', null],
  [undefined, null],
  ['+', null],
  ['0661000001', null],
  ['+2136610000011111111111111111111111111', null],
] as const) {
  t.equal(normaliseCaller(raw), number, `caller "${raw}" is ${number ?? 'unknown'}`)
  t.equal(normaliseCaller(raw), number, `caller "${raw}" is ${number ?? 'unknown'} the second time too`)
}
t.test('more callers than it remembers: each number still normalised, the first ones again', async (t) => {
  const raw = (n: number) => `+2136610${String(n).padStart(5, '0')}`
  const wrong: string[] = []
  for (let round = 0; round < 2; round++)
    for (let n = 0; n <= CALLERS_REMEMBERED; n++) if (normaliseCaller(raw(n)) !== raw(n)) wrong.push(raw(n))
  t.same(wrong, [], `${CALLERS_REMEMBERED + 1} numbers, twice over`)
  t.equal(normaliseCaller('+213 661 000 001'), '+213661000001', 'spaces removed after the others')
})
t.equal(maskNumber('+213661000001'), '+213******001')
t.equal(maskNumber('+1234'), '*****')
t.equal(maskNumbersIn('/api/calls?caller=%2B213661000001&limit=5'), '/api/calls?caller=+213******001&limit=5')
t.equal(maskNumbersIn('/api/calls?caller=+213661000001'), '/api/calls?caller=+213******001')
t.equal(maskNumbersIn('/api/clients/acme/numbers/213661000001'), '/api/clients/acme/numbers/2136*****001', 'without its +')
t.equal(
  maskNumbersIn('/api/desks/intercom/status?at=2026-11-01T10%3A00%3A00%2B01%3A00'),
  '/api/desks/intercom/status?at=2026-11-01T10%3A00%3A00%2B01%3A00',
  'a date is not a phone number',
)
t.equal(maskNumbersIn('/api/calls?from=2026-11-01&to=2026-11-30'), '/api/calls?from=2026-11-01&to=2026-11-30')

t.test('docs/CONFIGURATION.md names every message key a desk template may set', async (t) => {
  const docs = readFileSync(new URL('../../docs/CONFIGURATION.md', import.meta.url), 'utf8')
  for (const key of MESSAGE_KEYS) t.match(docs, `\`${key}\``, key)
})

t.test('what people give is spoken no longer than SPOKEN_MAX, even when stored longer', async (t) => {
  const long = 'x'.repeat(SPOKEN_MAX + 50)
  const composed = 'n'.repeat(SPOKEN_MAX + 50)
  const said = message('closed_closure', 'fr-FR', { client: long, closure: long, nextOpening: composed })
  t.ok(said.includes('x'.repeat(SPOKEN_MAX)) && !said.includes('x'.repeat(SPOKEN_MAX + 1)), 'names and reasons are cut')
  t.ok(said.endsWith(composed), 'what the domain composes itself (the next opening) is not')
  t.equal(message('goodbye', 'fr-FR', {}, { fr: { goodbye: long } }), 'x'.repeat(SPOKEN_MAX), 'a template too')
})
