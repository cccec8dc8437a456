// The environment is read once and a wrong value is named in one line.
import t from 'tap'
import { ConfigError, DEVELOPMENT_AUTH_TOKEN, loadConfig } from '../src/config.js'

t.test('defaults give a development service on the embedded database', async (t) => {
  const config = loadConfig({})
  t.match(config, {
    env: 'development',
    databaseUrl: undefined,
    dataDir: './data',
    port: 3000,
    host: '0.0.0.0',
    publicUrl: 'http://localhost:3000',
    twilioAuthToken: DEVELOPMENT_AUTH_TOKEN,
    usingDevelopmentToken: true,
  })
})

t.test('values are taken from the environment', async (t) => {
  const config = loadConfig({
    DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test',
    TWILIO_AUTH_TOKEN: 'a-real-token-from-twilio',
    PUBLIC_URL: 'https://support.example.com/',
    PORT: '8080',
    HOST: '127.0.0.1',
    DESK_FILE: 'db/desks/intercom.json',
    ADMIN_TOKEN: 'x'.repeat(32),
  })
  t.match(config, {
    databaseUrl: 'postgres://postgres@127.0.0.1:5432/test',
    twilioAuthToken: 'a-real-token-from-twilio',
    usingDevelopmentToken: false,
    publicUrl: 'https://support.example.com',
    port: 8080,
    host: '127.0.0.1',
    deskFile: 'db/desks/intercom.json',
  })
  t.equal(loadConfig({ PUBLIC_URL: '' }).publicUrl, 'http://localhost:3000', 'an empty variable counts as unset')
})

const wrong: [env: Record<string, string>, says: RegExp][] = [
  [{ PORT: 'abc' }, /^invalid configuration: PORT must be a number \(got "abc"\)$/],
  [{ PORT: '70000' }, /^invalid configuration: PORT must be between 1 and 65535/],
  [{ PORT: '3000.5' }, /PORT must be an integer/],
  [
    { DATABASE_URL: 'mysql://root@localhost/db' },
    /^invalid configuration: DATABASE_URL must be a postgres:\/\/ or postgresql:\/\/ URL$/,
  ],
  [{ PUBLIC_URL: 'support.example.com' }, /PUBLIC_URL must be an http:\/\/ or https:\/\/ URL/],
  [{ NODE_ENV: 'prod' }, /NODE_ENV/],
  [{ NODE_ENV: 'production', PUBLIC_URL: 'https://x.example.com' }, /TWILIO_AUTH_TOKEN is required in production/],
  [{ NODE_ENV: 'production', TWILIO_AUTH_TOKEN: 'abcdefgh12345678' }, /PUBLIC_URL is required in production/],
  [{ ADMIN_TOKEN: 'short' }, /ADMIN_TOKEN must be at least 16 characters$/],
  // The development secrets are published: set on purpose in production, they are refused.
  [
    { NODE_ENV: 'production', PUBLIC_URL: 'https://x.example.com', TWILIO_AUTH_TOKEN: 'supportline-development-token' },
    /^invalid configuration: TWILIO_AUTH_TOKEN is the published development token, never accepted in production$/,
  ],
  [
    {
      NODE_ENV: 'production',
      PUBLIC_URL: 'https://x.example.com',
      TWILIO_AUTH_TOKEN: 'a-real-token-from-twilio',
      ADMIN_TOKEN: 'supportline-development-admin',
    },
    /^invalid configuration: ADMIN_TOKEN is the published development token, never accepted in production$/,
  ],
  [{ TRUST_PROXY: 'true' }, /^invalid configuration: TRUST_PROXY must not trust every proxy/],
  [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL/],
]

for (const [env, says] of wrong) {
  t.test(`${JSON.stringify(env)} is refused`, async (t) => {
    const error = t.throws(() => loadConfig(env)) as Error
    t.type(error, ConfigError, 'as a configuration error')
    t.match(error.message, says, 'naming the variable')
    t.notMatch(error.message, /\n/, 'in one line')
  })
}

t.test('secrets are never echoed back', async (t) => {
  const error = t.throws(() => loadConfig({ ADMIN_TOKEN: 'secret', DATABASE_URL: 'http://u:pw@host/db' })) as Error
  t.notMatch(error.message, /secret|pw@/, 'neither the token nor the database password appears')
})

t.test('outside production the development secrets may be set explicitly', async (t) => {
  const config = loadConfig({ TWILIO_AUTH_TOKEN: 'supportline-development-token', ADMIN_TOKEN: 'supportline-development-admin' })
  t.equal(config.twilioAuthToken, 'supportline-development-token')
  t.equal(config.adminToken, 'supportline-development-admin')
})

t.test('notifications: SMTP and Twilio REST, each optional, checked when given', async (t) => {
  const none = loadConfig({})
  t.match(none, { smtp: null, twilioRest: null, noticeReminderDays: 30, notificationTimeoutMs: 10_000 })
  const sid = `AC${'0123456789abcdef'.repeat(2)}`
  const all = loadConfig({
    SMTP_URL: 'smtps://relay:secret@mail.example.com:465',
    MAIL_FROM: 'Assistance INTERcom <support@example.com>',
    TWILIO_ACCOUNT_SID: sid,
    TWILIO_API_URL: 'http://127.0.0.1:3999',
    NOTICE_REMINDER_DAYS: '45',
    NOTIFICATION_TIMEOUT_MS: '2000',
  })
  t.same(all.smtp, { url: 'smtps://relay:secret@mail.example.com:465', from: 'Assistance INTERcom <support@example.com>' })
  t.same(all.twilioRest, { accountSid: sid, apiUrl: 'http://127.0.0.1:3999' })
  t.equal(all.noticeReminderDays, 45)
  t.equal(all.notificationTimeoutMs, 2000)
  t.throws(() => loadConfig({ SMTP_URL: 'smtp://mail.example.com:587' }), {
    message: /MAIL_FROM is required with SMTP_URL/,
  })
  const bad = (() => {
    try {
      loadConfig({ SMTP_URL: 'http://user:pass@mail.example.com', MAIL_FROM: 'a@b.c' })
    } catch (error) {
      return error
    }
  })()
  t.ok(bad instanceof ConfigError)
  t.match((bad as Error).message, /SMTP_URL must be an smtp:\/\/ or smtps:\/\/ URL/)
  t.notMatch((bad as Error).message, /pass@/, 'the URL may hold a password: named, never echoed')
  t.throws(() => loadConfig({ TWILIO_ACCOUNT_SID: 'AC123' }), {
    message: /TWILIO_ACCOUNT_SID must be "AC" and 32 hexadecimal digits/,
  })
})
