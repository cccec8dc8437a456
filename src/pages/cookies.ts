// The dashboard's cookies: read from the Cookie header, written as Set-Cookie with explicit flags.
// Two cookies with values we mint ourselves (base64url, a language code): no need for a library.

/** Cookie name → value; the first of a repeated name wins, as browsers send the most specific first. */
export function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>()
  if (!header) return cookies
  for (const pair of header.split(';')) {
    const at = pair.indexOf('=')
    if (at <= 0) continue
    const name = pair.slice(0, at).trim()
    let value = pair.slice(at + 1).trim()
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1)
    if (name && !cookies.has(name)) cookies.set(name, value)
  }
  return cookies
}

export interface CookieOptions {
  /** seconds; 0 deletes the cookie */
  maxAge?: number
  httpOnly?: boolean
  secure?: boolean
  sameSite: 'Strict' | 'Lax'
  path?: string
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/
const VALUE = /^[\x21\x23-\x2B\x2D-\x3A\x3C-\x5B\x5D-\x7E]*$/

/** A Set-Cookie header value; names and values outside RFC 6265's characters are refused. */
export function serialiseCookie(name: string, value: string, options: CookieOptions): string {
  if (!TOKEN.test(name)) throw new RangeError(`invalid cookie name: ${name}`)
  if (!VALUE.test(value)) throw new RangeError(`invalid value for cookie ${name}`)
  const parts = [`${name}=${value}`, `Path=${options.path ?? '/'}`]
  if (options.maxAge !== undefined) parts.push(`Max-Age=${Math.max(0, Math.floor(options.maxAge))}`)
  if (options.httpOnly) parts.push('HttpOnly')
  if (options.secure) parts.push('Secure')
  parts.push(`SameSite=${options.sameSite}`)
  return parts.join('; ')
}
