// A real HTTP receiver for outgoing webhooks, on a free port of this machine: it keeps every
// request (headers and raw body) and answers as the test tells it to.
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Test } from 'tap'

export interface ReceivedRequest {
  method: string
  /** the path and query */
  url: string
  headers: Record<string, string>
  body: string
}

/** Answers a request; the default answers 204. Never calling `response.end` makes a receiver that hangs. */
export type Respond = (request: ReceivedRequest, response: ServerResponse) => void | Promise<void>

export interface Receiver {
  /** `http://127.0.0.1:<port>` */
  url: string
  requests: ReceivedRequest[]
  respond: Respond
  close(): Promise<void>
}

function headersOf(request: IncomingMessage): Record<string, string> {
  return Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name, [value].flat().join(', ')]))
}

export async function startReceiver(t: Test, respond?: Respond): Promise<Receiver> {
  const receiver: Receiver = {
    url: '',
    requests: [],
    respond:
      respond ??
      ((_request, response) => {
        response.statusCode = 204
        response.end()
      }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections() // a hanging answer must not keep the test alive
        server.close(() => resolve())
      }),
  }
  const server = createServer(async (request, response) => {
    const chunks: Buffer[] = []
    for await (const chunk of request) chunks.push(chunk as Buffer)
    const received = {
      method: request.method ?? '',
      url: request.url ?? '',
      headers: headersOf(request),
      body: Buffer.concat(chunks).toString('utf8'),
    }
    receiver.requests.push(received)
    await receiver.respond(received, response)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  t.teardown(() => receiver.close())
  return receiver
}
