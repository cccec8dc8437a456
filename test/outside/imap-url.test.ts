// IMAP_URL as a manager writes it: schemes, default ports, percent-encoded users, folders; errors that never show the password.
import t from 'tap'
import { parseImapUrl } from '../../src/outside/mailbox.js'

const READ: [url: string, target: ReturnType<typeof parseImapUrl>, why: string][] = [
  [
    'imaps://support%40vendor.dz:s3cr%2Ft@mail.vendor.dz/INBOX',
    { host: 'mail.vendor.dz', port: 993, secure: true, user: 'support@vendor.dz', pass: 's3cr/t', folder: 'INBOX' },
    'the issue example: TLS, port 993, the user an address',
  ],
  [
    'imap://support:secret@127.0.0.1:1143',
    { host: '127.0.0.1', port: 1143, secure: false, user: 'support', pass: 'secret', folder: 'INBOX' },
    'no folder: INBOX; an explicit port',
  ],
  [
    'imap://support@mail.vendor.dz/',
    { host: 'mail.vendor.dz', port: 143, secure: false, user: 'support', pass: '', folder: 'INBOX' },
    'port 143 without TLS; no password',
  ],
  [
    'imaps://support:x@[::1]:9993/INBOX/Support%20client%C3%A8le',
    { host: '::1', port: 9993, secure: true, user: 'support', pass: 'x', folder: 'INBOX/Support clientèle' },
    'an IPv6 host, a subfolder with a space and an accent',
  ],
]

t.test('IMAP_URL is read', async (t) => {
  for (const [url, target, why] of READ) t.same(parseImapUrl(url), target, why)
})

const REFUSED: [url: string, error: RegExp, why: string][] = [
  ['mail.vendor.dz', /not a URL/, 'no scheme'],
  ['https://support:secret@mail.vendor.dz/INBOX', /must start with imap:\/\/ or imaps:\/\/, not https:/, 'another scheme'],
  ['imaps://mail.vendor.dz/INBOX', /no user/, 'no user'],
  ['imaps://support:secret@/INBOX', /not a URL|no host/, 'no host'],
]

t.test('a wrong IMAP_URL is refused, its password never repeated', async (t) => {
  for (const [url, error, why] of REFUSED) {
    t.throws(() => parseImapUrl(url), error, why)
    try {
      parseImapUrl(url)
    } catch (e) {
      t.notMatch((e as Error).message, /secret/, `${why}: the password stays out of the message`)
    }
  }
})
