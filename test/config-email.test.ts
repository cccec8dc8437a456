// E-mail assistance's environment (issue #15): IMAP_URL checked at start without repeating its
// password, INBOUND_EMAIL_SECRET long enough, our own addresses and Message-ID domain derived.
import t from 'tap'
import { ConfigError, loadConfig } from '../src/config.js'
import { mailIdentity } from '../src/email/intake.js'

t.test('IMAP_URL and IMAP_MOVE_TO', async (t) => {
  const config = loadConfig({ IMAP_URL: 'imaps://support%40vendor.dz:s3cret@mail.vendor.dz/INBOX', IMAP_MOVE_TO: 'Traitées' })
  t.same(config.imap, { url: 'imaps://support%40vendor.dz:s3cret@mail.vendor.dz/INBOX', moveTo: 'Traitées' })
  t.equal(loadConfig({}).imap, null, 'unset: no mailbox')
  t.throws(() => loadConfig({ IMAP_URL: 'https://user:s3cret@mail.vendor.dz' }), ConfigError)
  try {
    loadConfig({ IMAP_URL: 'https://user:s3cret@mail.vendor.dz' })
  } catch (error) {
    t.match((error as Error).message, /IMAP_URL must start with imap:\/\/ or imaps:\/\//)
    t.notMatch((error as Error).message, /s3cret/, 'the password is never repeated')
  }
})

t.test('INBOUND_EMAIL_SECRET', async (t) => {
  t.equal(loadConfig({ INBOUND_EMAIL_SECRET: 'x'.repeat(24) }).inboundEmailSecret, 'x'.repeat(24))
  t.equal(loadConfig({}).inboundEmailSecret, null)
  t.throws(() => loadConfig({ INBOUND_EMAIL_SECRET: 'short-secret' }), /INBOUND_EMAIL_SECRET must be at least 24 characters$/)
})

t.test('our own addresses: MAIL_FROM and the mailbox user; the Message-IDs under our domain', async (t) => {
  const config = loadConfig({
    SMTP_URL: 'smtp://127.0.0.1:2525',
    MAIL_FROM: 'Assistance <Support@Vendor.dz>',
    IMAP_URL: 'imap://helpdesk%40vendor.dz:pw@127.0.0.1/INBOX',
  })
  t.same(mailIdentity(config), { ourAddresses: ['Support@Vendor.dz', 'helpdesk@vendor.dz'], mailDomain: 'vendor.dz' })
  t.same(mailIdentity(loadConfig({})), { ourAddresses: [], mailDomain: 'supportline.invalid' })
})
