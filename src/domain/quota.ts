// The monthly quota of support time (INTERcom: 5 h a month; hours beyond are billed case by case).
import { DateTime } from 'luxon'

/** The desk-local month (YYYY-MM) an instant falls in: talk time counts into the month of the call's start. */
export function monthOf(at: Date, timezone: string): string {
  return DateTime.fromJSDate(at, { zone: timezone }).toFormat('yyyy-MM')
}

/** Talk time rounded up to the contract's billing increment (60 → every started minute counts). */
export function countedSeconds(talkSeconds: number, incrementSeconds: number): number {
  if (talkSeconds <= 0) return 0
  const increment = Math.max(1, Math.floor(incrementSeconds))
  return Math.ceil(talkSeconds / increment) * increment
}

export interface QuotaSplit {
  includedSeconds: number
  overageSeconds: number
}

/** Splits a call's counted seconds at the quota line, given what the month had used before it. */
export function splitAtQuota(quotaSeconds: number, usedBefore: number, seconds: number): QuotaSplit {
  const left = Math.max(0, quotaSeconds - usedBefore)
  const includedSeconds = Math.min(seconds, left)
  return { includedSeconds, overageSeconds: seconds - includedSeconds }
}

export function quotaLeft(quotaSeconds: number, usedSeconds: number): number {
  return Math.max(0, quotaSeconds - usedSeconds)
}

export function quotaUsedUp(quotaSeconds: number, usedSeconds: number): boolean {
  return usedSeconds >= quotaSeconds
}

export const THRESHOLDS = [80, 100] as const

/** The thresholds (percent of the quota) that a month crossed by going from `before` to `after` seconds. */
export function thresholdsCrossed(quotaSeconds: number, before: number, after: number): number[] {
  if (quotaSeconds <= 0) return []
  return THRESHOLDS.filter((percent) => {
    const line = (quotaSeconds * percent) / 100
    return before < line && after >= line
  })
}
