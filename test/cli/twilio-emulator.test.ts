// npm run twilio-emulator: it listens, says where, and answers the real client; a wrong command line is the usage.
import { execFile, spawn } from 'node:child_process'
import { once } from 'node:events'
import { promisify } from 'node:util'
import t from 'tap'
import { DEVELOPMENT_AUTH_TOKEN } from '../../src/config.js'
import { createTwilioRest } from '../../src/outside/twilio-rest.js'
import { DEVELOPMENT_ACCOUNT_SID } from '../../webhooks/twilio-emulator.js'

const root = new URL('../..', import.meta.url).pathname
const SCRIPT = 'src/cli/twilio-emulator.ts'
const env = { PATH: process.env.PATH ?? '', NODE_ENV: 'test' }

t.test('it listens where asked and answers the twilio client', async (t) => {
  const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT, '--port', '0', '--pace', '0'], { cwd: root, env })
  t.teardown(() => {
    child.kill()
  })
  let output = ''
  child.stdout.setEncoding('utf8')
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: string) => {
      output += chunk
      const found = /TWILIO_API_URL=(http:\/\/\S+)/.exec(output)?.[1]
      if (found) resolve(found)
    })
    child.once('exit', (code) => reject(new Error(`exited ${code}: ${output}`)))
  })
  t.match(output, /TWILIO_API_URL=http:\/\/127\.0\.0\.1:\d+ TWILIO_ACCOUNT_SID=AC0{32}/, 'it says how to point a service at it')
  const rest = createTwilioRest({ accountSid: DEVELOPMENT_ACCOUNT_SID, authToken: DEVELOPMENT_AUTH_TOKEN, apiUrl: url })
  t.match(
    await rest.sendSms({ from: '+21321000000', to: '+213550000001', body: 'Bonjour' }),
    { sid: /^SM/, status: 'queued' },
    'an SMS from the demo desk number is accepted with the development account and token',
  )
  child.kill()
  await once(child, 'exit')
})

t.test('--help, and a wrong option', async (t) => {
  const run = promisify(execFile)
  const help = await run(process.execPath, ['--import', 'tsx', SCRIPT, '--help'], { cwd: root, env })
  t.match(help.stdout, /^usage: npm run twilio-emulator/, '--help prints the usage')
  const wrong = await run(process.execPath, ['--import', 'tsx', SCRIPT, '--port', 'x'], { cwd: root, env }).catch(
    (error: { code: number; stderr: string }) => error,
  )
  t.match(
    wrong,
    { code: 2, stderr: /^--port takes a port number \(got "x"\)\n\nusage:/ },
    'a wrong port: one line, then the usage, exit 2',
  )
})
