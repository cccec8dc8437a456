// The call simulator: npm run call -- --from +213661000001 [--talk 600] [--no-answer] ...
// Plays a whole call against a running supportline with webhooks signed as Twilio signs them,
// prints every TwiML answer, then the call record the service kept.
import { inspect, parseArgs } from 'node:util'
import { type Config, DEVELOPMENT_ADMIN_TOKEN, loadConfig } from '../config.js'
import { Twilio, httpPost } from '../../webhooks/index.js'
import { type Verb, playCall } from '../../webhooks/simulator.js'
import { type CliIo, isProgram, processIo } from './io.js'

const USAGE = `usage: npm run call -- --from <number> [options]
       npm run call -- --callback <id> [--agent <id>] [--number <number>] [--url <url>]

  --from <number>      the caller (a registered number calls as its client)
  --to <number>        the desk number dialled (default +21321000000, the INTERcom demo desk)
  --talk <seconds>     talk time once an agent takes the call (default 300)
  --no-answer          no agent picks up
  --agent-presses <k>  what the agent presses at the whisper (default 1: takes the call)
  --press <digits>     what the caller presses at each question, comma-separated (e.g. 1 or ,1)
  --voicemail <secs>   leave a voicemail of this length when offered
  --no-status          leave out the final status callback
  --callback <id>      call the client of callback request <id> back through the line instead
                       (POST /api/callbacks/<id>/call), then wait for the call to end and print
                       the attempt and the request; the server must have a Twilio (npm start
                       without TWILIO_ACCOUNT_SID uses its own emulator)
  --agent <id>         who calls back (default: the request's assignee)
  --number <number>    the client's number to call (default: the request's)
  --url <url>          where the service listens (default http://localhost:$PORT)
  --help, -h           this text

Signs with TWILIO_AUTH_TOKEN (or the development token) over PUBLIC_URL, like the service checks:
a server started with its own PORT, PUBLIC_URL or TWILIO_AUTH_TOKEN needs the same here.
--callback asks the API with ADMIN_TOKEN (or the development admin token).`

const OPTIONS = {
  from: { type: 'string' },
  to: { type: 'string', default: '+21321000000' },
  talk: { type: 'string', default: '300' },
  'no-answer': { type: 'boolean', default: false },
  'agent-presses': { type: 'string', default: '1' },
  press: { type: 'string', default: '' },
  voicemail: { type: 'string', default: '0' },
  'no-status': { type: 'boolean', default: false },
  url: { type: 'string' },
  callback: { type: 'string' },
  agent: { type: 'string' },
  number: { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
} as const

/** A wrong command line: one line, then the usage, exit 2. */
class UsageError extends Error {}

function describe(verbs: Verb[], indent = '  '): string[] {
  return verbs.flatMap((verb) => {
    const attributes = Object.entries(verb.attributes)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ')
    const head = `${indent}<${verb.name}${attributes ? ` ${attributes}` : ''}>${verb.text ? ` ${verb.text}` : ''}`
    return [head, ...describe(verb.children, `${indent}  `)]
  })
}

/** Runs parseArgs, its refusals (an unknown option, a missing value) turned into usage errors. */
function parsed<T>(parse: () => T): T {
  try {
    return parse()
  } catch (error) {
    const { code, message } = error as { code?: unknown; message?: unknown }
    if (typeof code !== 'string' || !code.startsWith('ERR_PARSE_ARGS_') || typeof message !== 'string') throw error
    // Its first sentence only: the rest is advice about "--" that does not apply behind npm run.
    const first = message.split(/\.\s/)[0] ?? message
    throw new UsageError(first.charAt(0).toLowerCase() + first.slice(1))
  }
}

/** The options, checked; null when --help asks for the usage. */
function readOptions(argv: string[]) {
  const { values } = parsed(() => parseArgs({ args: argv, options: OPTIONS }))
  if (values.help) return null
  const { from, url } = values
  if (values.callback !== undefined && !/^[1-9]\d{0,9}$/.test(values.callback))
    throw new UsageError(`--callback takes a request's id (got "${values.callback}")`)
  if (!from && values.callback === undefined) throw new UsageError('--from is required: the number that calls')
  for (const name of ['talk', 'voicemail'] as const) {
    if (!/^\d+$/.test(values[name])) throw new UsageError(`--${name} takes a whole number of seconds (got "${values[name]}")`)
  }
  if (url !== undefined && !(URL.canParse(url) && /^https?:$/.test(new URL(url).protocol)))
    throw new UsageError(`--url takes an http:// or https:// URL (got "${url}")`)
  return { ...values, from: from ?? '' }
}

/** Plays one call; resolves to the exit code (1: the call could not be played, 2: a wrong command line). */
export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  try {
    await run(argv, io)
    return 0
  } catch (error) {
    if (error instanceof UsageError) io.err(`${error.message}\n\n${USAGE}`)
    else io.err(error instanceof Error ? error.message : inspect(error))
    return error instanceof UsageError ? 2 : 1
  }
}

async function run(argv: string[], io: CliIo) {
  const values = readOptions(argv)
  if (!values) {
    io.out(USAGE)
    return
  }
  const config = loadConfig(io.env)
  const baseUrl = values.url ?? `http://localhost:${config.port}`
  try {
    if (values.callback !== undefined) await callBack(values, values.callback, baseUrl, io)
    else await play(values, config, baseUrl, io)
  } catch (error) {
    const explained = explain(error, baseUrl)
    throw explained ? new Error(explained) : error
  }
}

/** What to say when the service cannot be reached or refuses the signature, naming the URL tried. */
function explain(error: unknown, baseUrl: string): string | undefined {
  const cause = (error as { cause?: { code?: unknown } }).cause
  if (cause?.code === 'ECONNREFUSED')
    return `nothing answers at ${baseUrl}: start supportline with npm start, or tell the simulator where it listens (the server's PORT: PORT=<port> npm run call -- …, or --url <url>)`
  if (typeof cause?.code === 'string') return `cannot reach ${baseUrl} (${cause.code}): check --url`
  if (error instanceof Error && /answered 403: .*invalid_signature/.test(error.message))
    return `${baseUrl} refused the webhook's signature (403): give the simulator the server's PUBLIC_URL and TWILIO_AUTH_TOKEN`
  return undefined
}

async function play(values: NonNullable<ReturnType<typeof readOptions>>, config: Config, baseUrl: string, io: CliIo) {
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
    io.out(`\nPOST ${step.path}  ${interesting.map(([k, v]) => `${k}=${v}`).join(' ')}`)
    io.out(`← ${step.response.status}`)
    io.out(describe(step.verbs).join('\n') || '  (empty response)')
  }

  const token = io.env.ADMIN_TOKEN ?? DEVELOPMENT_ADMIN_TOKEN
  const record = await fetch(new URL(`/api/calls/${played.callSid}`, baseUrl), { headers: { authorization: `Bearer ${token}` } })
  io.out(`\nCall record ${played.callSid}:`)
  if (!record.ok) {
    io.out(`  (GET /api/calls/${played.callSid} answered ${record.status}: set ADMIN_TOKEN to the service's admin token)`)
    return
  }
  const { events: _events, ...call } = (await record.json()) as Record<string, unknown>
  io.out(JSON.stringify(call, null, 2))
}

interface Attempt {
  id: number
  agentId: string
  number: string
  callSid: string | null
  status: string
  talkSeconds: number
}

/** How long --callback waits for the call to end (the emulator of npm start plays it at once). */
const CALLBACK_WAIT_MS = 180_000

/** --callback: asks the API to call the client back, then follows the attempt to its end. */
async function callBack(values: NonNullable<ReturnType<typeof readOptions>>, id: string, baseUrl: string, io: CliIo) {
  const headers = { authorization: `Bearer ${io.env.ADMIN_TOKEN ?? DEVELOPMENT_ADMIN_TOKEN}` }
  const body = { ...(values.agent ? { agentId: values.agent } : {}), ...(values.number ? { number: values.number } : {}) }
  const placed = await fetch(new URL(`/api/callbacks/${id}/call`, baseUrl), {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  const answer = (await placed.json()) as { attempt?: Attempt; detail?: string; code?: string }
  if (!placed.ok || !answer.attempt)
    throw new Error(`POST /api/callbacks/${id}/call answered ${placed.status} ${answer.code ?? ''}: ${answer.detail ?? ''}`)
  const { attempt } = answer
  io.out(
    `${placed.status === 201 ? 'Call placed' : 'Already calling'}: attempt ${attempt.id}, ${attempt.agentId}'s phone rings, then ${attempt.number} (${attempt.callSid ?? 'no SID yet'})`,
  )
  const until = Date.now() + CALLBACK_WAIT_MS
  let request: { status: string; attempts: Attempt[] } | null = null
  while (Date.now() < until) {
    const read = await fetch(new URL(`/api/callbacks/${id}`, baseUrl), { headers })
    request = (await read.json()) as { status: string; attempts: Attempt[] }
    const current = request.attempts?.find((each) => each.id === attempt.id)
    if (current && current.status !== 'initiated') break
    await new Promise((resolve) => setTimeout(resolve, 500))
  }
  const ended = request?.attempts?.find((each) => each.id === attempt.id)
  if (!ended || ended.status === 'initiated') throw new Error(`the call had not ended after ${CALLBACK_WAIT_MS / 1000} s`)
  io.out(`\nAttempt ${ended.id}: ${ended.status}, ${ended.talkSeconds} s with the client`)
  io.out(`\nCallback request ${id}:`)
  io.out(JSON.stringify(request, null, 2))
}

// Run as a program (a test imports main instead): its exit code is the process's.
if (isProgram(import.meta.url))
  main(process.argv.slice(2)).then((code) => {
    if (code !== 0) process.exit(code)
  })
