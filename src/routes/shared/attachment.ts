// A client's e-mail attachment, sent back to the desk as a download and never as a page: always
// application/octet-stream (the sender's type is the sender's word), nosniff, `attachment`, so a
// browser saves it and renders nothing inline, whatever the file holds.
import type { FastifyReply } from 'fastify'
import { AppError, notFound } from '../../errors.js'
import type { AttachmentFile } from '../../store/email-requests.js'

/** RFC 8187's attr-char: what may stand unencoded in `filename*=UTF-8''…`. */
function encodeExtValue(value: string): string {
  return encodeURIComponent(value).replace(/['()*!]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
}

/** Control characters and folder separators: never in a name we hand a browser. */
const unsafeInName = (c: string) => c.charCodeAt(0) < 0x20 || c === '\u007f' || c === '/' || c === '\\'

/**
 * `attachment; filename="…"; filename*=UTF-8''…` (RFC 6266): the name as the sender gave it, with
 * no folder in it (separators and control characters become `_`), and a plain ASCII fallback for
 * old clients.
 */
export function contentDisposition(filename: string | null, position: number): string {
  const cleaned = [...(filename ?? '')]
    .map((c) => (unsafeInName(c) ? '_' : c))
    .join('')
    .trim()
    .replace(/^\.+/, '_')
  const name = cleaned || `attachment-${position}`
  const fallback = name.replace(/[^\x20-\x7e]|["%]/g, '_')
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encodeExtValue(name)}`
}

/**
 * The attachment's bytes as a download; 404 for none, 410 for one not kept (over the message's
 * 10 MB: only its name and size were stored).
 */
export function sendAttachment(reply: FastifyReply, file: AttachmentFile | null, position: number, what: string) {
  if (!file) throw notFound(what)
  if (!file.kept)
    throw new AppError(
      410,
      'attachment_not_kept',
      `${what} was not kept: it came in a message over the size limit (10 MB of attachments a message), so only its name and size were stored`,
    )
  return reply
    .header('content-type', 'application/octet-stream')
    .header('content-disposition', contentDisposition(file.filename, position))
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', 'private, no-store')
    .send(file.content)
}
