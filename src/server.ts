// Entry point: config → database → migrations → desk file → buildApp → listen, and a graceful close.
import type { PGliteOptions } from '@electric-sql/pglite'
import closeWithGrace from 'close-with-grace'
import type { FastifyBaseLogger } from 'fastify'
import { type Created, openDatabase } from '../db/client.js'
import { buildApp } from './app.js'
import type { Phone } from '../webhooks/simulator.js'
import type { TwilioEmulator } from '../webhooks/twilio-emulator.js'
import { type Config, ConfigError, loadConfig } from './config.js'
import { DeskFileError, applyDeskFileFrom } from './load-desk-file.js'
import { loadTwilioRest } from './outside/twilio-rest.js'
import { InUseError } from './pid-lock.js'
import { isStrayDriverWrite } from './process-faults.js'
import { allDeskNumbers } from './store/desks.js'

async function main() {
  // How long each step of the start took (ms since the process began), logged once ready.
  const steps: Record<string, number> = {}
  const step = (name: string) => {
    steps[name] = Math.round(performance.now())
  }
  const loaded = loadConfig()
  step('config')
  // The demo calls back through a Twilio of its own: outside production, without TWILIO_ACCOUNT_SID,
  // the REST emulator (webhooks/twilio-emulator.ts) takes the calls and plays them back here.
  const emulated = loaded.twilioRest || loaded.env === 'production' ? null : await startEmulator(loaded)
  const config: Config = emulated
    ? { ...loaded, twilioRest: { accountSid: emulated.accountSid, apiUrl: emulated.emulator.url } }
    : loaded
  const pgliteWasmModule = config.databaseUrl ? undefined : await earlyPgliteWasm()
  const database = await openDatabase({
    url: config.databaseUrl,
    dataDir: config.dataDir,
    ...(pgliteWasmModule ? { pglite: { pgliteWasmModule } } : {}),
  })
  step('database')
  const app = await buildApp({ config, database, clock: clockFrom(config.clockStart) })
  step('app')
  const log = app.log
  logCreated(log, database.created)

  // Uncaught exceptions are handled below, so that the one the Postgres driver is known to throw
  // on a dropped connection does not take down a process that is answering calls.
  const { close } = closeWithGrace({ delay: 10_000, skip: ['uncaughtException'] }, async ({ signal, err }) => {
    if (err) log.error({ err }, 'closing after an uncaught error')
    else log.info({ signal }, 'closing: finishing in-flight requests')
    // Fastify stops accepting, lets in-flight requests finish, then the database closes.
    await app.close()
    await database.close()
    await emulated?.emulator.close()
  })
  process.on('uncaughtException', (err) => {
    if (isStrayDriverWrite(err)) {
      log.warn({ err }, 'the Postgres driver wrote to a closed connection (a known driver fault); carrying on')
      return
    }
    log.fatal({ err }, 'uncaught exception: closing')
    close()
  })

  await database.migrate()
  step('migrations')
  if (config.usingDevelopmentToken) {
    log.warn('TWILIO_AUTH_TOKEN is not set: webhooks are checked against the development token (never in production)')
  }
  if (config.clockStart) log.warn({ clockStart: config.clockStart }, 'CLOCK_START is set: the service lives at a simulated time')
  if (config.usingDevelopmentAdminToken) {
    log.warn('ADMIN_TOKEN is not set: the development admin token is accepted from this machine only (never in production)')
  }
  if (config.deskFile) {
    const applied = await applyDeskFileFrom(database.db, config.deskFile, {
      actor: 'DESK_FILE',
      now: new Date(),
      onlyIfChanged: true,
      production: config.env === 'production',
      log,
    })
    if (applied.skipped) log.info({ file: config.deskFile }, 'desk file unchanged since it was last applied')
    else log.info({ file: config.deskFile, changes: applied.changes.length }, 'desk file applied')
  }
  step('deskFile')
  await app.listen({ port: config.port, host: config.host })
  step('listening')
  // Twilio's REST client (calls back, SMS) loads now, behind the open port rather than before it.
  if (config.twilioRest) void loadTwilioRest()
  // Notifications go out from every instance; app.close() stops the sender.
  app.notificationSender.start()
  // The support mailbox, when IMAP_URL names one: read in the background, stopped by app.close().
  app.mailIntake.startMailbox()
  if (!config.imap) log.info('IMAP_URL is not set: no mailbox is read (e-mail can still come through the webhook)')
  if (!config.smtp) log.warn('SMTP_URL is not set: e-mail notifications are kept, not sent')
  if (emulated) {
    // Calls back come from the desk numbers: the emulated account owns them.
    emulated.numbers.push(...(await allDeskNumbers(database.db)))
    log.warn(
      { twilioApiUrl: emulated.emulator.url },
      'TWILIO_ACCOUNT_SID is not set: calls back and SMS go to the local Twilio emulator, which plays them back here (never in production)',
    )
  }
  log.info(
    { database: database.kind, publicUrl: config.publicUrl, startMs: steps },
    `supportline ready: webhooks at ${config.publicUrl}/webhooks/twilio/voice`,
  )
}

/** Any phone the emulator rings: picks up after 3 s, presses 1, talks 2 min. */
const DEMO_PHONE: Phone = { answers: 'yes', answerAfterSeconds: 3, presses: ['1'], talkSeconds: 120 }

async function startEmulator(config: Config): Promise<{ emulator: TwilioEmulator; numbers: string[]; accountSid: string }> {
  // Loaded only here: a production process never loads the emulator.
  const { DEVELOPMENT_ACCOUNT_SID, TwilioEmulator } = await import('../webhooks/twilio-emulator.js')
  const numbers: string[] = []
  const emulator = await TwilioEmulator.start({
    accountSid: DEVELOPMENT_ACCOUNT_SID,
    authToken: config.twilioAuthToken,
    numbers,
    defaultPhone: DEMO_PHONE,
    // Its webhooks are signed over PUBLIC_URL, and sent to this process.
    target: `http://127.0.0.1:${config.port}`,
  })
  return { emulator, numbers, accountSid: DEVELOPMENT_ACCOUNT_SID }
}

/**
 * PGlite's WebAssembly, when `npm start` (bin/start.mjs) began compiling it while the modules
 * loaded; otherwise undefined, and PGlite compiles it as it starts.
 */
function earlyPgliteWasm(): Promise<PGliteOptions['pgliteWasmModule']> | undefined {
  return (globalThis as Record<symbol, Promise<PGliteOptions['pgliteWasmModule']> | undefined>)[
    Symbol.for('supportline.pgliteWasm')
  ]
}

/** A new embedded database says how it was made: the first one costs initdb and makes the template. */
function logCreated(log: FastifyBaseLogger, created: Created | undefined): void {
  if (!created) return
  const { from, template, ms, problem } = created
  if (from === 'template') log.info({ template, ms }, 'new embedded database, copied from the migrated template')
  else if (created.saved)
    log.info(
      { template, ms, ...(problem ? { problem } : {}) },
      'new embedded database made by initdb and the migrations (the first time only): saved as the template new databases start from',
    )
  else log.warn({ template, ms, problem }, 'new embedded database made by initdb and the migrations; no template saved')
}

/** The wall clock, or (for demonstrations) a clock that started at CLOCK_START and runs on. */
function clockFrom(start: Date | undefined): () => Date {
  if (!start) return () => new Date()
  const offset = start.getTime() - Date.now()
  return () => new Date(Date.now() + offset)
}

main().catch((error: unknown) => {
  // Configuration mistakes are the operator's to fix: one clear line, no stack trace.
  if (error instanceof ConfigError || error instanceof DeskFileError || error instanceof InUseError) {
    console.error(`supportline: ${error.message}`)
  } else {
    console.error('supportline: failed to start:', error)
  }
  process.exit(1)
})
