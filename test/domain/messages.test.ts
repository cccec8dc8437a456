// Messages: French first, English on request, desk templates on top, durations spoken.
import { readFileSync } from 'node:fs'
import t from 'tap'
import { SPOKEN_MAX } from '../../src/domain/boundary.js'
import { MESSAGE_KEYS, message, speakDuration, speechOf } from '../../src/domain/messages.js'
import { maskNumber, maskNumbersIn, normaliseCaller } from '../../src/domain/phone.js'

t.equal(speechOf('fr-FR'), 'fr')
t.equal(speechOf('en-GB'), 'en')
t.equal(speechOf('ar-DZ'), 'fr', 'languages we do not speak fall back to French')
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
}
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
