// The OpenAPI document at /docs/json: OpenAPI 3, every manager API route in it with tags and a
// summary, path parameters declared, references that resolve; and the browsable UI at /docs.
import t from 'tap'
import { endpoints, withSpares } from '../../fixtures/api/endpoints.js'
import { sender } from '../../helpers/api.js'
import { testApp } from '../../helpers/app.js'
import { freshDatabase } from '../../helpers/databases.js'
import { deskFile } from '../../helpers/desk.js'

interface Operation {
  tags?: string[]
  summary?: string
  parameters?: { in: string; name: string; required?: boolean }[]
  responses?: Record<string, unknown>
}
interface Document {
  openapi: string
  info: { title: string; version: string }
  paths: Record<string, Record<string, Operation>>
}

const METHODS = new Set(['get', 'put', 'post', 'delete', 'patch', 'head', 'options'])

t.test('the OpenAPI document', async (t) => {
  const { app } = await testApp(t, await freshDatabase(t, 'pglite'))
  const response = await sender(app)('GET', '/docs/json', { token: null })
  t.equal(response.statusCode, 200, 'is served without a token')
  const document = response.json() as Document
  t.match(document.openapi, /^3\.\d+\.\d+$/, 'is OpenAPI 3')
  t.match(document.info, { title: 'supportline', version: /\d/ })

  const operations = Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => METHODS.has(method))
      .map(([method, operation]) => ({ path, method, operation })),
  )
  t.ok(operations.length > 50, `lists ${operations.length} operations`)

  for (const { path, method, operation } of operations) {
    const name = `${method.toUpperCase()} ${path}`
    t.ok(operation.tags?.length, `${name} has a tag`)
    t.ok(operation.summary && operation.summary.length > 10, `${name} has a summary`)
    t.ok(operation.responses && Object.keys(operation.responses).length > 0, `${name} describes its answers`)
    for (const [, parameter] of path.matchAll(/\{([^}]+)\}/g)) {
      const declared = operation.parameters?.find((p) => p.in === 'path' && p.name === parameter)
      t.ok(declared?.required, `${name} declares its path parameter ${parameter}`)
    }
  }

  const references = [...response.body.matchAll(/"\$ref":"#\/([^"]+)"/g)].map((match) => match[1] as string)
  for (const reference of new Set(references)) {
    const target = reference
      .split('/')
      .reduce<unknown>(
        (node, key) => (node as Record<string, unknown> | undefined)?.[key.replace(/~1/g, '/').replace(/~0/g, '~')],
        document,
      )
    t.ok(target, `#/${reference} resolves`)
  }

  const documented = new Set(operations.map(({ path, method }) => `${method.toUpperCase()} ${path}`))
  for (const endpoint of endpoints(withSpares(deskFile('intercom')))) {
    const path = endpoint.path.split('?')[0] as string
    const found = [...documented].some((entry) => {
      const [method, template] = entry.split(' ') as [string, string]
      return method === endpoint.method && new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(path)
    })
    t.ok(found, `${endpoint.method} ${path} is documented`)
  }
  t.notOk(
    [...documented].some((entry) => entry.includes('/webhooks/') || entry.includes('healthz')),
    'webhooks and health checks stay out of it',
  )

  const ui = await sender(app)('GET', '/docs/', { token: null, accept: 'text/html' })
  t.equal(ui.statusCode, 200, 'the browsable UI is at /docs')
  t.match(ui.headers['content-type'], /text\/html/)
  for (const path of ['/docs', '/docs/', '/docs/static/index.html', '/docs/static/swagger-initializer.js', '/docs/json']) {
    const page = await sender(app)('GET', path, { token: null, accept: 'text/html' })
    const csp = String(page.headers['content-security-policy'])
    t.match(csp, /default-src 'none'/, `${path}: the dashboard's CSP`)
    t.match(csp, /script-src 'self'(;|$)/, `${path}: scripts from here only`)
    t.match(csp, /frame-ancestors 'none'/, `${path}: never framed`)
    t.equal(page.headers['x-frame-options'], 'DENY', `${path}: the old frame header too`)
    t.equal(page.headers['x-content-type-options'], 'nosniff', `${path}: no sniffing`)
  }
})
