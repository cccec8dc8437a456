// The yardstick: Fastify with only the form-body parser Twilio's POSTs need, answering a constant
// TwiML string. Every figure of the benchmark is also given as a ratio to this one.
import formbody from '@fastify/formbody'
import Fastify from 'fastify'

const TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response><Say language="fr-FR">Bonjour.</Say></Response>'

const app = Fastify({ logger: false })
await app.register(formbody)
app.get('/healthz', async () => ({ status: 'ok' }))
app.post('/webhooks/twilio/voice', async (_request, reply) => reply.type('text/xml; charset=utf-8').send(TWIML))
app.get('/api/calls', async (_request, reply) => reply.type('text/xml; charset=utf-8').send(TWIML))

process.on('SIGTERM', () => {
  void app.close().then(() => process.exit(0))
})
await app.listen({ port: Number(process.env.PORT ?? 3999), host: process.env.HOST ?? '127.0.0.1' })
