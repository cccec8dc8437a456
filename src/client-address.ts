// The client's address as the service counts it (the brake on failed sign-ins, the logs): the
// socket's peer, unless TRUST_PROXY names proxies whose word is taken (Fastify's trustProxy: a hop
// count or their addresses), or the header the one proxy in front sets (Fly's Fly-Client-IP).
import type { IncomingHttpHeaders } from 'node:http'
import { isIP } from 'node:net'
import type { TrustProxy } from './config.js'

/**
 * What Fastify's trustProxy is given: the addresses as they are; a hop count as the function
 * proxy-addr makes of one (the nearest `hops` addresses are proxies); the header form is ours, so
 * Fastify then trusts no proxy.
 */
export function fastifyTrustProxy(trust: TrustProxy): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (typeof trust === 'number') return (_address, hop) => hop < trust
  return typeof trust === 'object' && !Array.isArray(trust) ? false : trust
}

export type ClientAddress = (request: { ip: string; headers?: IncomingHttpHeaders }) => string

/**
 * The client's address of a request: Fastify's `request.ip` (the peer, or what trusted proxies
 * say), or the trusted header's address when it holds one (a request without it, which did not
 * come through that proxy, counts its peer).
 */
export function clientAddressOf(trust: TrustProxy): ClientAddress {
  const header = typeof trust === 'object' && !Array.isArray(trust) ? trust.header : null
  return (request) => {
    const given = header === null ? undefined : request.headers?.[header]
    return typeof given === 'string' && isIP(given.trim()) !== 0 ? given.trim() : request.ip
  }
}
