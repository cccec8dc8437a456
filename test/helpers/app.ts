// The real app, built as the server builds it, on a test database at a controllable instant.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import type { Test } from 'tap'
import type { DatabaseHandle } from '../../db/client.js'
import { type WebhookDeadlines, WEBHOOK_DEADLINES, buildApp } from '../../src/app.js'
import { type Config, loadConfig } from '../../src/config.js'

export const TEST_AUTH_TOKEN = 'test-twilio-auth-token'
export const TEST_PUBLIC_URL = 'https://supportline.example.com'
export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789'

/**
 * Generous webhook deadlines: on a loaded test machine a slow statement must not pass for an
 * outage. The outage tests use the production ones (WEBHOOK_DEADLINES).
 */
export const TEST_DEADLINES: WebhookDeadlines = { readMs: 10_000, writeMs: 10_000 }
export { WEBHOOK_DEADLINES }

/** A data directory of its own (the journal lives there), removed when the test process ends. */
function temporaryDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'supportline-test-'))
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }))
  return dir
}

export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({
    DATA_DIR: env.DATA_DIR ?? temporaryDataDir(),
    NODE_ENV: 'test',
    TWILIO_AUTH_TOKEN: TEST_AUTH_TOKEN,
    PUBLIC_URL: TEST_PUBLIC_URL,
    ADMIN_TOKEN: TEST_ADMIN_TOKEN,
    ...env,
  })
}

/** A clock the test moves: `clock.set('2026-11-28T10:00:00+01:00')`. */
export class TestClock {
  private instant: Date
  constructor(at: string | Date = '2026-11-28T10:00:00+01:00') {
    this.instant = new Date(at)
  }
  now = (): Date => new Date(this.instant)
  set(at: string | Date): void {
    this.instant = new Date(at)
  }
  advance(ms: number): void {
    this.instant = new Date(this.instant.getTime() + ms)
  }
}

export interface TestApp {
  app: FastifyInstance
  clock: TestClock
}

export async function testApp(
  t: Test,
  database: DatabaseHandle,
  options: { at?: string; env?: Record<string, string>; deadlines?: WebhookDeadlines } = {},
): Promise<TestApp> {
  const clock = new TestClock(options.at)
  const app = await buildApp({
    config: testConfig(options.env),
    database,
    clock: clock.now,
    logger: false,
    deadlines: options.deadlines ?? TEST_DEADLINES,
  })
  t.teardown(() => app.close())
  await app.ready()
  return { app, clock }
}
