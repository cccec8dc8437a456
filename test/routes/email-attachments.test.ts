// An e-mail request's attachments downloaded (issue #15): the kept bytes as they came, always as
// application/octet-stream with Content-Disposition: attachment and nosniff, so nothing a client
// sends renders in the desk's browser; 404 for what does not exist, 410 for what was not kept;
// the Callbacks page links each kept one. On PGlite and Postgres.
import { readFileSync } from 'node:fs'
import { and, eq } from 'drizzle-orm'
import t from 'tap'
import { emailAttachments, emailMessages } from '../../db/schema.js'
import type { DeskFile } from '../../src/domain/desk-file.js'
import { contentDisposition } from '../../src/routes/shared/attachment.js'
import { TEST_ADMIN_TOKEN } from '../helpers/app.js'
import { signIn } from '../helpers/dashboard.js'
import { eachDatabase } from '../helpers/databases.js'
import { deskApp, deskFile } from '../helpers/desk.js'

const SECRET = 'inbound-email-secret-0123456789'
const fixture = (name: string) => readFileSync(new URL(`../fixtures/email/${name}.eml`, import.meta.url))
/** The fixture's two attachments, decoded: a 1×1 PNG and a small PDF. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==',
  'base64',
)
const PDF = Buffer.from(
  'JVBERi0xLjQKMSAwIG9iaiA8PCAvVHlwZSAvQ2F0YWxvZyA+PiBlbmRvYmoKdHJhaWxlciA8PCAvUm9vdCAxIDAgUiA+PgolJUVPRgo=',
  'base64',
)

function mailDesk(): DeskFile {
  const file = deskFile('intercom')
  for (const client of file.clients) {
    if (client.id === 'atlas') client.contact = { name: 'DSI', email: 'dsi@atlas-pharma.com' }
    if (client.id === 'acme') client.emailDomains = ['acme.dz']
  }
  return file
}

t.test('Content-Disposition: the name in UTF-8, an ASCII fallback, no folder, never empty', async (t) => {
  t.equal(
    contentDisposition("capture d'écran.png", 0),
    `attachment; filename="capture d'_cran.png"; filename*=UTF-8''capture%20d%27%C3%A9cran.png`,
  )
  t.equal(
    contentDisposition('تقرير.pdf', 1),
    `attachment; filename="_____.pdf"; filename*=UTF-8''%D8%AA%D9%82%D8%B1%D9%8A%D8%B1.pdf`,
  )
  t.equal(contentDisposition('../../etc/passwd', 2), `attachment; filename="__.._etc_passwd"; filename*=UTF-8''__.._etc_passwd`)
  t.equal(
    contentDisposition('a"b\r\nSet-Cookie: x', 3),
    `attachment; filename="a_b__Set-Cookie: x"; filename*=UTF-8''a%22b__Set-Cookie%3A%20x`,
  )
  t.equal(contentDisposition(null, 4), `attachment; filename="attachment-4"; filename*=UTF-8''attachment-4`)
  t.equal(contentDisposition('  ', 5), `attachment; filename="attachment-5"; filename*=UTF-8''attachment-5`)
})

eachDatabase(t, async (t, database) => {
  const { app } = await deskApp(t, database, {
    file: mailDesk(),
    at: '2026-12-02T10:05:00+01:00',
    env: { MAIL_FROM: 'Assistance SERVICESsoft <support@vendor.dz>', INBOUND_EMAIL_SECRET: SECRET },
  })
  const post = (name: string) =>
    app.inject({
      method: 'POST',
      url: '/webhooks/email/inbound',
      headers: { 'content-type': 'message/rfc822', authorization: `Bearer ${SECRET}` },
      payload: fixture(name),
    })
  const get = (url: string) => app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } })

  const withFiles = await post('attachment')
  t.match(withFiles.json(), { outcome: 'opened' })
  const requestId: number = withFiles.json().requestId
  const [message] = (await get(`/api/callbacks/${requestId}/messages`)).json().items
  const other: number = (await post('french-client')).json().requestId
  // An attachment listed but not kept (its message was over the 10 MB kept a message).
  await database.db.insert(emailAttachments).values({
    messageRowId: message.id,
    position: 2,
    filename: 'video.mp4',
    contentType: 'video/mp4',
    size: 12_000_000,
    content: null,
    omitted: 'over_limit',
  })
  const base = `/api/callbacks/${requestId}/messages/${message.id}/attachments`

  await t.test('a kept attachment: its bytes, as a download, never as the sender said', async (t) => {
    const png = await get(`${base}/0`)
    t.equal(png.statusCode, 200)
    t.same(png.rawPayload, PNG, 'the bytes as they came')
    t.equal(png.headers['content-type'], 'application/octet-stream', 'not image/png: nothing renders inline')
    t.equal(png.headers['x-content-type-options'], 'nosniff')
    t.equal(png.headers['content-disposition'], contentDisposition("capture d'écran.png", 0))
    t.match(png.headers['content-disposition'], /^attachment; .*filename\*=UTF-8''capture%20d%27%C3%A9cran\.png$/)
    t.equal(png.headers['cache-control'], 'private, no-store')
    const pdf = await get(`${base}/1`)
    t.same(pdf.rawPayload, PDF)
    t.equal(pdf.headers['content-type'], 'application/octet-stream')
  })

  await t.test('404 for what does not exist; 410, saying why, for what was not kept', async (t) => {
    for (const url of [
      `${base}/3`,
      `/api/callbacks/${requestId}/messages/999999/attachments/0`,
      `/api/callbacks/${other}/messages/${message.id}/attachments/0`,
      `/api/callbacks/999999/messages/${message.id}/attachments/0`,
    ]) {
      const res = await get(url)
      t.equal(res.statusCode, 404, `${url} is 404`)
      t.match(res.json(), { code: 'not_found' })
    }
    t.equal((await get(`${base}/-1`)).statusCode, 400, 'a negative position is refused')
    const gone = await get(`${base}/2`)
    t.equal(gone.statusCode, 410)
    t.match(gone.json(), { code: 'attachment_not_kept', detail: /over the size limit/ })
    const [stored] = await database.db
      .select()
      .from(emailAttachments)
      .where(and(eq(emailAttachments.messageRowId, message.id), eq(emailAttachments.position, 2)))
    t.equal(stored?.content, null)
    t.ok(await database.db.select().from(emailMessages).where(eq(emailMessages.id, message.id)))
  })

  await t.test('the Callbacks page links each kept attachment, and tells the one not kept', async (t) => {
    const manager = await signIn(app, TEST_ADMIN_TOKEN)
    const page = await app.inject({ method: 'GET', url: '/dashboard/callbacks', headers: { cookie: manager.cookie } })
    t.equal(page.statusCode, 200)
    const link = `/dashboard/callbacks/${requestId}/messages/${message.id}/attachments`
    t.match(page.body, `<a href="${link}/0" download data-attachment>capture d&#39;écran.png</a>`)
    t.match(page.body, `<a href="${link}/1" download data-attachment>journal.pdf</a>`)
    t.notMatch(page.body, `${link}/2`, 'no link to what was not kept')
    t.match(
      page.body,
      /video\.mp4 <small class="muted">\(12\u202fMo, non conservée : message au-delà de la taille limite\)<\/small>/,
    )
    const download = await app.inject({ method: 'GET', url: `${link}/1`, headers: { cookie: manager.cookie } })
    t.equal(download.statusCode, 200)
    t.same(download.rawPayload, PDF)
    t.equal(download.headers['content-type'], 'application/octet-stream')
    t.equal(download.headers['x-content-type-options'], 'nosniff')
    t.match(download.headers['content-disposition'], /^attachment; /)
    const gone = await app.inject({ method: 'GET', url: `${link}/2`, headers: { cookie: manager.cookie } })
    t.equal(gone.statusCode, 410)
    const anonymous = await app.inject({ method: 'GET', url: `${link}/1` })
    t.not(anonymous.statusCode, 200, `without a session: ${anonymous.statusCode}`)
  })
})
