// A client's monthly statement: every counted call with its included and billable seconds, and the
// answered e-mail requests whose minutes counted (a contract's `emailMinutesCountIntoQuota`), per
// contract (INTERcom: 5 hours a month, beyond billed case by case; outside the hours billed extra).

/** One answered leg as counted in talk_legs. */
export interface StatementLine {
  contractId: number
  callSid: string
  dialCallSid: string
  startedAt: Date
  from: string
  agentId: string | null
  talkSeconds: number
  /** after the contract's billing increment; on-call legs count here 0 (they are outside the quota) */
  countedSeconds: number
  includedSeconds: number
  /** beyond the month's quota: billable (the `bill` policy, or the caller consented) */
  overageSeconds: number
  /** beyond the month's quota, never billed (`refuse`'s grace, `ask` before the caller's yes) */
  graceSeconds: number
  /** the caller's yes to billing that covers this leg's overage, as evidence; null when none */
  consent: OverageConsent | null
  onCall: boolean
  /** out-of-hours on-call seconds, billed apart */
  onCallSeconds: number
}

/** An answered e-mail request whose recorded minutes counted into the month, as counted. */
export interface EmailLine {
  contractId: number
  requestId: number
  subject: string | null
  /** when the answer closed the request: its minutes count into that desk-local month */
  answeredAt: Date
  countedSeconds: number
  includedSeconds: number
  /** beyond the month's quota: billable (the `bill` policy) */
  overageSeconds: number
  /** beyond the month's quota, never billed (`ask` and `refuse`) */
  graceSeconds: number
}

/** A caller's yes to billing beyond the quota: when, what was pressed, the question as heard. */
export interface OverageConsent {
  at: Date
  digit: string
  /** null for a consent journaled before the words were kept */
  words: string | null
  /** asked at the start of the call (quota used up), or when the limit cut the agent's leg */
  question: 'start' | 'cut'
}

/** A contract's month as the usage report gives it. */
export interface ContractMonth {
  contractId: number
  desk: string
  quotaSeconds: number
}

export interface StatementTotals {
  /** all talk counted into the quota: included and overage together */
  usedSeconds: number
  includedSeconds: number
  /** billable: beyond the quota */
  overageSeconds: number
  /** beyond the quota, never billed */
  graceSeconds: number
  /** billable apart: out-of-hours on-call assistance */
  onCallSeconds: number
  /** counted legs, as the usage report counts calls */
  calls: number
  /** answered e-mail requests whose minutes counted (not calls) */
  emails: number
}

export interface ContractStatement extends ContractMonth {
  totals: StatementTotals
  /** answered in hours, counted into the month's quota */
  calls: StatementLine[]
  /** answered by the out-of-hours on-call line, billed apart */
  onCallCalls: StatementLine[]
  /** answered e-mail requests whose minutes counted into the month's quota */
  emails: EmailLine[]
}

export interface Statement {
  month: string
  contracts: ContractStatement[]
  /** all the client's contracts together */
  totals: StatementTotals
}

const NO_TOTALS: StatementTotals = {
  usedSeconds: 0,
  includedSeconds: 0,
  overageSeconds: 0,
  graceSeconds: 0,
  onCallSeconds: 0,
  calls: 0,
  emails: 0,
}

/** Totals summed from the lines themselves, so that they can be checked against the usage figures. */
export function totalsOf(lines: readonly StatementLine[], emails: readonly EmailLine[] = []): StatementTotals {
  const sum = { ...NO_TOTALS }
  for (const line of [...lines, ...emails]) {
    sum.usedSeconds += line.countedSeconds
    sum.includedSeconds += line.includedSeconds
    sum.overageSeconds += line.overageSeconds
    sum.graceSeconds += line.graceSeconds
  }
  for (const line of lines) sum.onCallSeconds += line.onCallSeconds
  sum.calls = lines.length
  sum.emails = emails.length
  return sum
}

export function buildStatement(
  month: string,
  contracts: readonly ContractMonth[],
  lines: readonly StatementLine[],
  emailLines: readonly EmailLine[] = [],
): Statement {
  const byStart = [...lines].sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime() || a.callSid.localeCompare(b.callSid))
  // The same order rule as calls: in the order they were counted, then by id.
  const byAnswer = [...emailLines].sort((a, b) => a.answeredAt.getTime() - b.answeredAt.getTime() || a.requestId - b.requestId)
  const perContract = contracts.map(({ contractId, desk, quotaSeconds }): ContractStatement => {
    const own = byStart.filter((line) => line.contractId === contractId)
    const emails = byAnswer.filter((line) => line.contractId === contractId)
    return {
      contractId,
      desk,
      quotaSeconds,
      totals: totalsOf(own, emails),
      calls: own.filter((line) => !line.onCall),
      onCallCalls: own.filter((line) => line.onCall),
      emails,
    }
  })
  const counted = new Set(contracts.map((c) => c.contractId))
  return {
    month,
    contracts: perContract,
    totals: totalsOf(
      byStart.filter((line) => counted.has(line.contractId)),
      byAnswer.filter((line) => counted.has(line.contractId)),
    ),
  }
}
