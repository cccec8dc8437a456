// A TCP proxy the test controls, in front of the real Postgres: cutting it makes the database
// unreachable for the app (connections reset, new ones refused) without touching the shared server.
import { once } from 'node:events'
import { type Server, type Socket, connect, createServer } from 'node:net'

export class TcpProxy {
  private server: Server | null = null
  private readonly sockets = new Set<Socket>()
  private frozen = false
  port = 0

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  /** Starts listening (on the same port as before, after a cut). */
  async start(): Promise<void> {
    const server = createServer((client) => {
      if (this.frozen) {
        // A database that accepts connections and never answers: the worst kind of away.
        this.sockets.add(client)
        client.on('close', () => this.sockets.delete(client))
        client.on('error', () => client.destroy())
        return
      }
      const upstream = connect(this.targetPort, this.targetHost)
      for (const socket of [client, upstream]) {
        this.sockets.add(socket)
        socket.on('close', () => this.sockets.delete(socket))
        socket.on('error', () => socket.destroy())
      }
      client.pipe(upstream).pipe(client)
      client.on('close', () => upstream.destroy())
      upstream.on('close', () => client.destroy())
    })
    server.listen(this.port, '127.0.0.1')
    await once(server, 'listening')
    this.port = (server.address() as { port: number }).port
    this.server = server
  }

  /** The database goes away: every open connection is reset and new ones are refused. */
  async cut(): Promise<void> {
    const server = this.server
    this.server = null
    for (const socket of this.sockets) socket.destroy()
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()))
  }

  /** The database hangs: open connections stop carrying bytes, new ones are accepted and ignored. */
  freeze(): void {
    this.frozen = true
    for (const socket of this.sockets) socket.pause()
  }

  /** Ends a freeze: hung connections are reset (their statements failed), new ones work again. */
  thaw(): void {
    this.frozen = false
    for (const socket of this.sockets) socket.destroy()
  }

  /** A postgres:// URL that goes through the proxy to `database`. */
  url(database: string): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`
  }
}
