// The call simulator: npm run call -- --from +213661000001 [--talk 600] [--no-answer] ...
// Plays a whole call against a running supportline with webhooks signed as Twilio signs them,
// prints every TwiML answer, then the call record the service kept.
import { parseArgs } from 'node:util'
import { DEVELOPMENT_ADMIN_TOKEN, loadConfig } from '../config.js'
import { Twilio, httpPost } from '../../webhooks/index.js'
import { type Verb, playCall } from '../../webhooks/simulator.js'

const USAGE = `usage: npm run call -- --from <number> [options]

  --from <number>      the caller (a registered number calls as its client)
  --to <number>        the desk number dialled (default +21321000000, the INTERcom demo desk)
  --talk <seconds>     talk time once an agent takes the call (default 300)
  --no-answer          no agent picks up
  --agent-presses <k>  what the agent presses at the whisper (default 1: takes the call)
  --press <digits>     what the caller presses at each question, comma-separated (e.g. 1 or ,1)
  --voicemail <secs>   leave a voicemail of this length when offered
  --no-status          leave out the final status callback
  --url <url>          where the service listens (default http://localhost:$PORT)

Signs with TWILIO_AUTH_TOKEN (or the development token) over PUBLIC_URL, like the service checks.`

function describe(verbs: Verb[], indent = '  '): string[] {
  return verbs.flatMap((verb) => {
    const attributes = Object.entries(verb.attributes)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ')
    const head = `${indent}<${verb.name}${attributes ? ` ${attributes}` : ''}>${verb.text ? ` ${verb.text}` : ''}`
    return [head, ...describe(verb.children, `${indent}  `)]
  })
}

async function main() {
  const { values } = parseArgs({
    options: {
      from: { type: 'string' },
      to: { type: 'string', default: '+21321000000' },
      talk: { type: 'string', default: '300' },
      'no-answer': { type: 'boolean', default: false },
      'agent-presses': { type: 'string', default: '1' },
      press: { type: 'string', default: '' },
      voicemail: { type: 'string', default: '0' },
      'no-status': { type: 'boolean', default: false },
      url: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  })
  if (values.help || !values.from) {
    console.log(USAGE)
    process.exit(values.help ? 0 : 2)
  }
  const config = loadConfig()
  const baseUrl = values.url ?? `http://localhost:${config.port}`
  const twilio = new Twilio(httpPost(baseUrl), config.twilioAuthToken, config.publicUrl)

  const played = await playCall(twilio, {
    from: values.from,
    to: values.to,
    answer: !values['no-answer'],
    agentPresses: values['agent-presses'],
    talkSeconds: Number(values.talk),
    press: values.press === '' ? [] : values.press.split(','),
    voicemailSeconds: Number(values.voicemail),
    noStatus: values['no-status'],
  })
  for (const step of played.steps) {
    const interesting = Object.entries(step.params).filter(([key]) =>
      ['From', 'To', 'Digits', 'DialCallStatus', 'DialCallDuration', 'CallStatus', 'CallDuration', 'RecordingDuration'].includes(
        key,
      ),
    )
    console.log(`\nPOST ${step.path}  ${interesting.map(([k, v]) => `${k}=${v}`).join(' ')}`)
    console.log(`← ${step.response.status}`)
    console.log(describe(step.verbs).join('\n') || '  (empty response)')
  }

  const token = process.env.ADMIN_TOKEN ?? DEVELOPMENT_ADMIN_TOKEN
  const record = await fetch(new URL(`/api/calls/${played.callSid}`, baseUrl), { headers: { authorization: `Bearer ${token}` } })
  console.log(`\nCall record ${played.callSid}:`)
  if (!record.ok) {
    console.log(`  (GET /api/calls/${played.callSid} answered ${record.status}: set ADMIN_TOKEN to the service's admin token)`)
    return
  }
  const { events: _events, ...call } = (await record.json()) as Record<string, unknown>
  console.log(JSON.stringify(call, null, 2))
}

main().catch((error: unknown) => {
  const cause = (error as { cause?: { code?: string } }).cause
  if (cause?.code === 'ECONNREFUSED') console.error('supportline is not running there: start it with npm start')
  else console.error(error instanceof Error ? error.message : error)
  process.exit(1)
})
