// A running desk for route tests: a fresh database with a shipped desk file applied, the real app
// on it at a chosen instant, and a Twilio that signs its webhooks.
import { readFileSync } from 'node:fs'
import type { Test } from 'tap'
import type { DatabaseHandle } from '../../db/client.js'
import { type DeskFile, parseDeskFile } from '../../src/domain/desk-file.js'
import { applyDeskFile } from '../../src/store/configuration.js'
import { Twilio, injectPost } from '../../webhooks/index.js'
import { TEST_AUTH_TOKEN, TEST_PUBLIC_URL, type TestApp, testApp } from './app.js'

export function deskFile(name: 'intercom' | 'intercom-ramadan' | 'model-clause'): DeskFile {
  const parsed = parseDeskFile(JSON.parse(readFileSync(new URL(`../../db/desks/${name}.json`, import.meta.url), 'utf8')))
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors))
  return parsed.file
}

export interface DeskApp extends TestApp {
  twilio: Twilio
  database: DatabaseHandle
}

export async function deskApp(
  t: Test,
  database: DatabaseHandle,
  options: { file?: DeskFile; at?: string; env?: Record<string, string> } = {},
): Promise<DeskApp> {
  await applyDeskFile(database.db, options.file ?? deskFile('intercom'), { actor: 'test', now: new Date() })
  const { app, clock } = await testApp(t, database, options)
  return { app, clock, database, twilio: new Twilio(injectPost(app), TEST_AUTH_TOKEN, TEST_PUBLIC_URL) }
}
