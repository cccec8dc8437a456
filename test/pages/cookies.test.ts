// Reading the Cookie header and writing Set-Cookie with explicit flags.
import t from 'tap'
import { parseCookies, serialiseCookie } from '../../src/pages/cookies.js'

t.test('the Cookie header', async (t) => {
  const cookies = parseCookies('sl_session=abc_-1; sl_lang=en; other="quoted"; sl_lang=fr; broken; =x')
  t.equal(cookies.get('sl_session'), 'abc_-1')
  t.equal(cookies.get('sl_lang'), 'en', 'the first of a repeated name wins')
  t.equal(cookies.get('other'), 'quoted', 'quotes are removed')
  t.notOk(cookies.has('broken'), 'a pair without a value is skipped')
  t.equal(parseCookies(undefined).size, 0)
})

t.test('Set-Cookie', async (t) => {
  t.equal(
    serialiseCookie('__Host-sl_session', 'abc', { maxAge: 43_200, httpOnly: true, secure: true, sameSite: 'Strict' }),
    '__Host-sl_session=abc; Path=/; Max-Age=43200; HttpOnly; Secure; SameSite=Strict',
  )
  t.equal(serialiseCookie('sl_lang', 'en', { sameSite: 'Lax' }), 'sl_lang=en; Path=/; SameSite=Lax')
  t.equal(
    serialiseCookie('sl_session', '', { maxAge: -1, sameSite: 'Strict' }),
    'sl_session=; Path=/; Max-Age=0; SameSite=Strict',
    'deleting',
  )
  t.throws(() => serialiseCookie('bad name', 'x', { sameSite: 'Lax' }), RangeError)
  t.throws(() => serialiseCookie('x', 'a;b', { sameSite: 'Lax' }), RangeError, 'a value cannot smuggle attributes')
})
