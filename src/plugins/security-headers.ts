// The security headers of every page the service serves to a browser (the dashboard, the API's
// /docs), as @fastify/helmet options: a strict content security policy, never framed.
import type { FastifyHelmetOptions } from '@fastify/helmet'

export interface SecurityHeaderOptions {
  /** PUBLIC_URL is https: HSTS and upgrade-insecure-requests */
  secure: boolean
  scriptSrc: string[]
  styleSrc: string[]
}

export function securityHeaders({ secure, scriptSrc, styleSrc }: SecurityHeaderOptions): FastifyHelmetOptions {
  return {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'none'"],
        scriptSrc,
        styleSrc,
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        // Over plain http (a local demo) an upgrade would send the forms to an https that is not there.
        ...(secure ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    strictTransportSecurity: secure ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    referrerPolicy: { policy: 'same-origin' },
    // Never framed (clickjacking on the duty switch): the old header says what frame-ancestors says.
    frameguard: { action: 'deny' },
    crossOriginEmbedderPolicy: false,
  }
}
