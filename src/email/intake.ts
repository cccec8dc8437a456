// The one way a raw e-mail becomes a request (issue #15), whichever way it came in (the support
// mailbox over IMAP, or a provider's POST to /webhooks/email/inbound): parse, then store and decide.
import type { Database } from '../../db/client.js'
import type { Config } from '../config.js'
import { parseImapUrl } from '../outside/mailbox.js'
import { type Ingested, type MailContext, ingestEmail } from '../store/email-requests.js'
import { type ParseOptions, parseEmail } from './parse.js'

/** Who we are in mail: our own addresses (never answered automatically) and our Message-IDs' domain. */
export interface MailIdentity {
  ourAddresses: string[]
  mailDomain: string
}

export function mailIdentity(config: Pick<Config, 'smtp' | 'imap'>): MailIdentity {
  const from = config.smtp ? (/<([^>]+)>/.exec(config.smtp.from)?.[1] ?? config.smtp.from).trim() : null
  const mailbox = config.imap ? parseImapUrl(config.imap.url).user : null
  const ourAddresses = [from, mailbox].filter((a): a is string => a?.includes('@') === true)
  const domain = ourAddresses[0]?.slice(ourAddresses[0].lastIndexOf('@') + 1)
  return { ourAddresses, mailDomain: domain?.toLowerCase() || 'supportline.invalid' }
}

/** Parses one raw message and ingests it: exactly once by Message-ID, whichever way it came. */
export async function ingestRawEmail(
  db: Database,
  raw: Buffer,
  context: { now: Date; via: MailContext['via']; identity: MailIdentity; parse?: ParseOptions | undefined },
): Promise<Ingested> {
  const email = await parseEmail(raw, context.parse)
  return ingestEmail(db, email, { now: context.now, via: context.via, ...context.identity })
}
