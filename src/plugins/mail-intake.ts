// E-mail intake (issue #15): the one ingestion both ways in share, and the support mailbox's reader
// when IMAP_URL is set (started by the server, stopped on close; its state for /readyz).
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { type MailIdentity, ingestRawEmail, mailIdentity } from '../email/intake.js'
import type { ParseOptions } from '../email/parse.js'
import { type Mailbox, type MailboxOptions, type MailboxStatus, openMailbox } from '../outside/mailbox.js'
import type { Ingested, MailContext } from '../store/email-requests.js'

declare module 'fastify' {
  interface FastifyInstance {
    mailIntake: MailIntake
  }
}

export interface MailIntake {
  identity: MailIdentity
  /** parse and store one raw message, exactly once by its Message-ID */
  ingest(raw: Buffer, via: MailContext['via'], parse?: ParseOptions): Promise<Ingested>
  /** starts reading IMAP_URL's mailbox (no-op without one, or when already reading) */
  startMailbox(options?: Partial<Omit<MailboxOptions, 'url' | 'ingest'>>): void
  /** the mailbox reader's state; null when no mailbox is configured or it is not started */
  mailboxStatus(): MailboxStatus | null
}

async function mailIntake(app: FastifyInstance) {
  const identity = mailIdentity(app.config)
  let mailbox: Mailbox | null = null
  const intake: MailIntake = {
    identity,
    ingest: (raw, via, parse) => ingestRawEmail(app.db, raw, { now: app.clock(), via, identity, parse }),
    startMailbox(options = {}) {
      const imap = app.config.imap
      if (!imap || mailbox) return
      mailbox = openMailbox({
        url: imap.url,
        ...(imap.moveTo ? { moveTo: imap.moveTo } : {}),
        logger: app.log,
        ...options,
        ingest: async (raw, message) => {
          // Above 40 MB the mailbox fetched the headers only: the message itself stays there, seen.
          await intake.ingest(raw, 'imap', message.headersOnly ? { headersOnly: { size: message.size } } : {})
        },
      })
    },
    mailboxStatus: () => mailbox?.status() ?? null,
  }
  app.decorate('mailIntake', intake)
  app.addHook('onClose', async () => {
    await mailbox?.stop()
  })
}

export default fp(mailIntake, { name: 'mail-intake' })
