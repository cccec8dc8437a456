// The language a caller hears, the family that speaks a tag, and the voice Twilio reads it with: one rule each.
import t from 'tap'
import {
  callerLanguage,
  DEFAULT_LANGUAGE,
  deskLanguages,
  heardLanguage,
  isSpoken,
  knownLanguage,
  sayVoiceFor,
  speechOf,
} from '../../src/domain/language.js'

t.equal(DEFAULT_LANGUAGE, 'fr-FR', 'DESIGN.md: messages default to French')

for (const [tag, speech] of [
  ['fr-FR', 'fr'],
  ['fr', 'fr'],
  ['en-US', 'en'],
  ['EN-gb', 'en'],
  ['ar', 'ar'],
  ['ar-DZ', 'ar'],
  ['de-DE', 'fr'],
  ['', 'fr'],
] as const) {
  t.equal(speechOf(tag), speech, `"${tag}" is spoken by the ${speech} catalogue`)
}
t.ok(isSpoken('ar-DZ'), 'Arabic is spoken')
t.notOk(isSpoken('de-DE'), 'German is not')

const desk = { language: 'fr-FR' }
const bilingual = { language: 'fr-FR', languages: ['ar', 'fr-FR'] }
t.same(deskLanguages(desk), ['fr-FR'], 'a desk without languages offers its own')
t.same(deskLanguages({ language: 'en-US', languages: [] }), ['en-US'], 'an empty list counts as none')
t.same(deskLanguages(bilingual), ['ar', 'fr-FR'], 'else its languages, the default first')

const cases: [why: string, sources: Parameters<typeof callerLanguage>[0], heard: string][] = [
  ['the number’s language first', { number: 'ar', client: 'en-US', desk: bilingual }, 'ar'],
  ['then the client’s', { number: null, client: 'en-US', desk: bilingual }, 'en-US'],
  ['then the first of the desk’s languages', { number: null, client: null, desk: bilingual }, 'ar'],
  ['then the desk’s own language', { client: null, desk }, 'fr-FR'],
  ['and French with no desk', { number: undefined, client: undefined, desk: null }, 'fr-FR'],
  ['a client’s language even with no desk', { client: 'en-GB' }, 'en-GB'],
]
for (const [why, sources, heard] of cases) {
  t.equal(callerLanguage(sources), heard, `the caller hears ${heard}: ${why}`)
}
t.equal(knownLanguage({ desk: bilingual }), null, 'the desk’s default is not the caller’s own language')
t.equal(knownLanguage({ client: 'ar' }), 'ar')

const voices: [why: string, options: Parameters<typeof sayVoiceFor>[0], tag: string, expected: object][] = [
  ['French with no voice set: the tag, no voice', {}, 'fr-FR', { language: 'fr-FR', voice: undefined }],
  [
    'the desk’s voice for the languages without their own',
    { voice: 'Polly.Lea' },
    'fr-FR',
    { language: 'fr-FR', voice: 'Polly.Lea' },
  ],
  ['Arabic: Polly’s Modern Standard Arabic voice', { voice: 'Polly.Lea' }, 'ar', { language: 'arb', voice: 'Polly.Zeina' }],
  ['Arabic of Algeria too', {}, 'ar-DZ', { language: 'arb', voice: 'Polly.Zeina' }],
  [
    'a neural voice for the family',
    { voices: { ar: { language: 'ar-AE', voice: 'Polly.Hala-Neural' } } },
    'ar-DZ',
    { language: 'ar-AE', voice: 'Polly.Hala-Neural' },
  ],
  [
    'the exact tag before the family',
    { voices: { ar: { voice: 'Polly.Zayd-Neural', language: 'ar-AE' }, 'ar-DZ': { voice: 'Google.ar-XA-Wavenet-A' } } },
    'ar-DZ',
    { language: 'arb', voice: 'Google.ar-XA-Wavenet-A' },
  ],
  [
    'a language alone keeps the default voice',
    { voices: { ar: { language: 'ar-AE' } } },
    'ar',
    { language: 'ar-AE', voice: 'Polly.Zeina' },
  ],
  [
    'a voice alone keeps the tag',
    { voices: { 'en-GB': { voice: 'Polly.Amy' } } },
    'en-GB',
    { language: 'en-GB', voice: 'Polly.Amy' },
  ],
]
for (const [why, options, tag, expected] of voices) {
  t.same(sayVoiceFor(options, tag), expected, `${tag} is read as ${JSON.stringify(expected)}: ${why}`)
}

t.test('the language a registered number hears, and where it comes from', async (t) => {
  const arabicDesk = { language: 'fr-FR', languages: ['ar', 'fr-FR'] }
  const none = { own: null, chosen: null, client: null, desk: null }
  t.same(heardLanguage({ ...none, own: 'en-US', chosen: 'ar', client: 'fr-FR' }), { language: 'en-US', source: 'number' })
  t.same(heardLanguage({ ...none, chosen: 'ar', client: 'fr-FR' }), { language: 'ar', source: 'choice' })
  t.same(heardLanguage({ ...none, client: 'en-US', desk: arabicDesk }), { language: 'en-US', source: 'client' })
  t.same(heardLanguage({ ...none, desk: arabicDesk }), { language: 'ar', source: 'desk' }, "the desk's first language")
  t.same(heardLanguage(none), { language: 'fr-FR', source: 'desk' })
})
