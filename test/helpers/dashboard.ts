// The dashboard under test: signing in through the form (the cookie and the form token it gives),
// and a desk with a year of calls behind it, played by the simulator, for pages worth looking at.
import type { FastifyInstance } from 'fastify'
import type { Database } from '../../db/client.js'
import { deskStatus } from '../../src/domain/calendar/index.js'
import { findDesk } from '../../src/store/desks.js'
import { type Twilio, newSid, payload } from '../../webhooks/index.js'
import { type CallScript, playCall } from '../../webhooks/simulator.js'
import type { TestClock } from './app.js'
import { DESK } from '../fixtures/intercom.js'

export const DESK_NUMBER = DESK
export const CALLERS = {
  acme: '+213661000001',
  acme2: '+213661000002',
  atlas: '+213770000001',
  djurdjura: '+213555000001',
  numidia: '+213661000003',
  unknown: '+213699999999',
}

export interface SignedIn {
  /** the Cookie header to send */
  cookie: string
  /** the session's form token, read from a page */
  csrf: string
}

/** Signs in through the form, as a browser does, and reads the form token from the Today page. */
export async function signIn(app: FastifyInstance, token: string): Promise<SignedIn> {
  const response = await app.inject({ method: 'POST', url: '/dashboard/sign-in', payload: { token } })
  const setCookie = [response.headers['set-cookie'] ?? []].flat().map(String)
  const session = setCookie.find((line) => /sl_session=[^;]+/.test(line))
  if (response.statusCode !== 303 || !session)
    throw new Error(`sign-in failed: ${response.statusCode} ${response.body.slice(0, 200)}`)
  const cookie = session.split(';')[0] as string
  const page = await app.inject({ method: 'GET', url: '/dashboard', headers: { cookie } })
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1]
  if (!csrf) throw new Error('no form token on the Today page')
  return { cookie, csrf }
}

/** The first open instant (10:00 local) of the desk on or after the given day of a month. */
async function openMorning(db: Database, month: string, fromDay: number): Promise<Date> {
  const desk = await findDesk(db, 'intercom')
  if (!desk) throw new Error('the intercom desk is not there')
  for (let day = fromDay; day <= 28; day++) {
    const at = new Date(`${month}-${String(day).padStart(2, '0')}T10:00:00+01:00`)
    if (deskStatus(desk.calendar, at).open) return at
  }
  throw new Error(`no open morning in ${month}`)
}

/** Hours of ACME talk in the months before November 2026, oldest first: the chart's bars. */
const ACME_HISTORY = [3.2, 4.1, 5.6, 2.4, 4.8, 3.9, 1.5, 4.4, 6.2, 4.0, 3.1]

/**
 * A desk worth a screenshot: a year of ACME's calls, this month's usage under and beyond quotas, an
 * unknown caller, a suspended client, a late callback and a call still in progress. Ends with the
 * clock back at `now`.
 */
export async function seedDesk(twilio: Twilio, clock: TestClock, db: Database, now: string): Promise<{ inProgress: string }> {
  const call = (from: string, talkSeconds: number, extra: Partial<CallScript> = {}) =>
    playCall(twilio, { from, to: DESK_NUMBER, talkSeconds, ...extra })
  const months = [
    '2025-12',
    '2026-01',
    '2026-02',
    '2026-03',
    '2026-04',
    '2026-05',
    '2026-06',
    '2026-07',
    '2026-08',
    '2026-09',
    '2026-10',
  ]
  for (const [index, month] of months.entries()) {
    // ACME signed on 15 January: its December and early-January calls find no contract.
    clock.set(await openMorning(db, month, month === '2026-01' ? 17 : 10))
    const seconds = Math.round((ACME_HISTORY[index] as number) * 3600)
    await call(CALLERS.acme, Math.round(seconds * 0.6))
    clock.advance(3_600_000)
    await call(CALLERS.acme2, seconds - Math.round(seconds * 0.6))
  }
  // November: ACME past 80 %, Djurdjura beyond its 2 hours, a callback left late.
  clock.set(await openMorning(db, '2026-11', 1))
  await call(CALLERS.acme, 2 * 3600 + 25 * 60)
  clock.advance(3_600_000)
  await call(CALLERS.acme2, 95 * 60)
  await call(CALLERS.djurdjura, 150 * 60)
  clock.set(await openMorning(db, '2026-11', 16))
  await call(CALLERS.atlas, 0, { answer: false, voicemailSeconds: 40 })
  clock.set(new Date(new Date(now).getTime() - 25 * 60_000))
  await call(CALLERS.acme, 12 * 60 + 30)
  await call(CALLERS.unknown, 0)
  await call(CALLERS.numidia, 0)
  clock.set(new Date(new Date(now).getTime() - 10 * 60_000))
  await call(CALLERS.atlas, 7 * 60 + 5)
  // A call that has only rung: Twilio has posted the incoming call, nothing else yet.
  clock.set(new Date(new Date(now).getTime() - 60_000))
  const inProgress = newSid()
  await twilio.webhook(
    '/webhooks/twilio/voice',
    payload('incoming-call', { callSid: inProgress, from: CALLERS.acme2, to: DESK_NUMBER }),
  )
  clock.set(now)
  return { inProgress }
}
