// What the e-mail request routes of the API and of the Callbacks page share: an attachment's place
// in the path, and what a refused assignment of an unidentified e-mail answers.
import { z } from 'zod'
import { AppError, invalidField, notFound } from '../../errors.js'
import type { AssignResult } from '../../store/email-requests.js'
import { rowId } from '../api/schemas.js'

/** `…/messages/{messageId}/attachments/{position}`: the message's row id and the attachment's position in it. */
export const attachmentPlace = { messageId: rowId, position: z.coerce.number().int().min(0).max(10_000) }

/** The error for an assignment the store refused: 404 no such message, 400 no such client, 409 no address to add. */
export function assignmentRefused(result: Extract<AssignResult, { ok: false }>, id: number): AppError {
  if (result.reason === 'not_found') return notFound(`Unidentified e-mail ${id}`)
  if (result.reason === 'unknown_client') return invalidField('body.clientId', 'there is no active client with this id')
  return new AppError(409, 'conflict', 'the message has no sender address to add')
}
