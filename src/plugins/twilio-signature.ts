// Twilio's request signature (X-Twilio-Signature): HMAC-SHA1 of PUBLIC_URL + path + query as
// received, followed by every POST parameter sorted by name. Checked before validation, so an
// unsigned request learns nothing about what a valid one looks like.
import type { FastifyReply, FastifyRequest } from 'fastify'
import { validateRequest } from 'twilio/lib/webhooks/webhooks.js'
import { sendProblem } from './error-handler.js'

declare module 'fastify' {
  interface FastifyRequest {
    /** true once the Twilio signature of this request has been checked */
    twilioSigned?: boolean
  }
}

export function twilioSignatureCheck(authToken: string, publicUrl: string) {
  return async function checkSignature(request: FastifyRequest, reply: FastifyReply) {
    const signature = request.headers['x-twilio-signature']
    const params = isFormBody(request.body) ? request.body : {}
    // The URL Twilio requested is the public one: behind Fly's proxy the request arrives over plain
    // HTTP on an internal port, so the host and scheme we see are not the ones that were signed.
    const url = publicUrl + request.url
    if (typeof signature !== 'string' || !validateRequest(authToken, signature, url, params)) {
      request.log.warn({ url: request.url.split('?')[0] }, 'rejected a webhook with a missing or invalid Twilio signature')
      return sendProblem(reply, 403, 'invalid_signature', 'X-Twilio-Signature is missing or does not match this request')
    }
    request.twilioSigned = true
  }
}

function isFormBody(body: unknown): body is Record<string, string | string[]> {
  return typeof body === 'object' && body !== null && !Array.isArray(body) && !Buffer.isBuffer(body)
}
