// The dashboard's two languages: the choice per request, and an English word for every French one.
import t from 'tap'
import { chooseLanguage, fromAcceptLanguage, isFlashKey, messagesFor } from '../../src/pages/i18n.js'

t.test('the language: ?lang= first, then the cookie, then Accept-Language, else French', async (t) => {
  t.equal(chooseLanguage({}), 'fr', 'French by default: the desk speaks French')
  t.equal(chooseLanguage({ acceptLanguage: 'en-GB,en;q=0.9' }), 'en')
  t.equal(chooseLanguage({ cookie: 'fr', acceptLanguage: 'en' }), 'fr', 'the remembered choice wins over the browser')
  t.equal(chooseLanguage({ query: 'en', cookie: 'fr' }), 'en', 'the switch wins over both')
  t.equal(chooseLanguage({ query: 'de', cookie: 'xx' }), 'fr', 'unknown values are ignored')
})

t.test('Accept-Language by weight', async (t) => {
  t.equal(fromAcceptLanguage('de-DE,de;q=0.9,en;q=0.8,fr;q=0.7'), 'en')
  t.equal(fromAcceptLanguage('fr;q=0.5, en;q=0.9'), 'en', 'the weight decides, not the order')
  t.equal(fromAcceptLanguage('ar-DZ, fr-DZ;q=0.8'), 'fr')
  t.equal(fromAcceptLanguage('en;q=0, fr;q=0.1'), 'fr', 'q=0 means not wanted')
  t.equal(fromAcceptLanguage('de'), null)
  t.equal(fromAcceptLanguage(undefined), null)
})

/** Every leaf of a dictionary, with its path: strings as they are, functions called with sample values. */
function leaves(value: unknown, path = ''): [string, string][] {
  if (typeof value === 'string') return [[path, value]]
  if (typeof value === 'function') return [[path, String((value as (...args: unknown[]) => unknown)('x', 'y', 'z'))]]
  if (typeof value === 'object' && value !== null)
    return Object.entries(value).flatMap(([key, inner]) => leaves(inner, `${path}.${key}`))
  return []
}

t.test('English has every French entry, none empty, and they differ where words do', async (t) => {
  const [fr, en] = [leaves(messagesFor('fr')), leaves(messagesFor('en'))]
  t.same(
    en.map(([path]) => path),
    fr.map(([path]) => path),
    'the same entries in the same order',
  )
  t.same(
    en.filter(([, text]) => text.trim() === ''),
    [],
    'no empty English text',
  )
  t.equal(messagesFor('fr').nav.usage, 'Consommation')
  t.equal(messagesFor('en').nav.usage, 'Usage')
  t.equal(messagesFor('fr').today.summary(1, 1, 8100), '1 appel, 1 répondu, 2\u00a0h 15\u00a0min de conversation.')
  t.equal(messagesFor('fr').contracts.inDays(0), "aujourd'hui")
  t.equal(messagesFor('en').contracts.inDays(12), 'in 12 days')
})

t.test('flash keys are the known ones only', async (t) => {
  t.ok(isFlashKey('duty-off'))
  t.notOk(isFlashKey('toString'), 'not an inherited property')
  t.notOk(isFlashKey('<script>'))
})
