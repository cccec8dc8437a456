// The Twilio REST emulator on its own: npm run twilio-emulator -- --port 3999 --target http://localhost:3000
// Point a service at it with TWILIO_API_URL=http://localhost:3999; it prints every request and
// every call it plays, and keeps the messages it "sends" (GET …/Messages.json lists them).
import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import type { Phone } from '../../webhooks/simulator.js'
import { DEVELOPMENT_ACCOUNT_SID, TwilioEmulator } from '../../webhooks/twilio-emulator.js'
import { loadConfig } from '../config.js'

const USAGE = `usage: npm run twilio-emulator -- [options]

  --port <port>         where the emulated API listens (default 3999)
  --host <host>         (default 127.0.0.1)
  --target <url>        send the calls' webhooks there, keeping their path and query, still
                        signed over the URLs given (a service on localhost whose PUBLIC_URL is
                        another); default: the URLs themselves
  --account-sid <AC…>   the account (default ${DEVELOPMENT_ACCOUNT_SID})
  --numbers <list>      the account's numbers, comma-separated: the only ones calls and SMS may
                        come from (default +21321000000, the INTERcom demo desk)
  --phones <file.json>  how numbers behave when called: { "+213550000001": { "answerAfterSeconds": 4,
                        "presses": ["1"], "talkSeconds": 120 }, … } (answers: yes | no-answer |
                        busy | failed; recordSeconds; sms: delivered | undelivered | failed)
  --pace <factor>       1 plays calls in real time, 0 at once (default 1)
  --help, -h            this text

The auth token is TWILIO_AUTH_TOKEN (or the development token), as the service's.`

const OPTIONS = {
  port: { type: 'string', default: '3999' },
  host: { type: 'string', default: '127.0.0.1' },
  target: { type: 'string' },
  'account-sid': { type: 'string', default: DEVELOPMENT_ACCOUNT_SID },
  numbers: { type: 'string', default: '+21321000000' },
  phones: { type: 'string' },
  pace: { type: 'string', default: '1' },
  help: { type: 'boolean', short: 'h', default: false },
} as const

/** Any agent, client or desk number not in --phones: picks up after 5 s, presses 1, talks 2 min. */
const DEFAULT_PHONE: Phone = { answers: 'yes', answerAfterSeconds: 5, presses: ['1'], talkSeconds: 120 }

function fail(message: string): never {
  console.error(`${message}\n\n${USAGE}`)
  process.exit(2)
}

async function main(argv: string[]) {
  let values: ReturnType<typeof parseArgs<{ args: string[]; options: typeof OPTIONS }>>['values']
  try {
    values = parseArgs({ args: argv, options: OPTIONS }).values
  } catch (error) {
    fail((error as Error).message.split(/\.\s/)[0] ?? 'bad arguments')
  }
  if (values.help) return console.log(USAGE)
  if (!/^\d+$/.test(values.port)) fail(`--port takes a port number (got "${values.port}")`)
  if (!/^\d+(\.\d+)?$/.test(values.pace)) fail(`--pace takes a number (got "${values.pace}")`)
  if (!/^AC[0-9a-fA-F]{32}$/.test(values['account-sid'])) fail('--account-sid takes AC and 32 hex digits')
  if (values.target !== undefined && !(URL.canParse(values.target) && /^https?:$/.test(new URL(values.target).protocol)))
    fail(`--target takes an http:// or https:// URL (got "${values.target}")`)
  const phones = values.phones ? (JSON.parse(readFileSync(values.phones, 'utf8')) as Record<string, Phone>) : {}

  const emulator = await TwilioEmulator.start({
    accountSid: values['account-sid'],
    authToken: loadConfig().twilioAuthToken,
    numbers: values.numbers.split(',').map((n) => n.trim()),
    phones,
    defaultPhone: DEFAULT_PHONE,
    ...(values.target ? { target: values.target } : {}),
    port: Number(values.port),
    host: values.host,
    pace: Number(values.pace),
    log: (line) => console.log(`${new Date().toISOString().slice(11, 19)} ${line}`),
  })
  console.log(`Twilio REST emulator on ${emulator.url} for ${values['account-sid']} (numbers ${values.numbers})`)
  console.log(`point a service at it: TWILIO_API_URL=${emulator.url} TWILIO_ACCOUNT_SID=${values['account-sid']}`)
  // No waiting for the calls being played: at --pace 1 they may last minutes.
  process.once('SIGINT', () => process.exit(0))
  process.once('SIGTERM', () => process.exit(0))
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error)
  process.exit(1)
})
