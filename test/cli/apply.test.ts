// npm run cli -- apply <desk file>: a revision that breaks its contract's rule is refused with its
// path and the rule, and nothing of the file is applied; with the amendment's date it is recorded.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { main } from '../../src/cli/main.js'
import { runInProcess } from '../helpers/cli.js'
import { createPostgresDatabase, kinds, seedPgliteDataDir } from '../helpers/databases.js'

const intercom = JSON.parse(await readFile(new URL('../../db/desks/intercom.json', import.meta.url), 'utf8'))

for (const kind of kinds) {
  t.test(kind, async (t) => {
    const dir = await mkdtemp(join(tmpdir(), 'supportline-cli-'))
    t.teardown(() => rm(dir, { recursive: true, force: true }))
    const env: Record<string, string> = { NODE_ENV: 'test', DATA_DIR: dir }
    if (kind === 'postgres') env.DATABASE_URL = await createPostgresDatabase(t)
    else await seedPgliteDataDir(dir)
    const cli = (...args: string[]) => runInProcess(main, args, env)
    t.equal((await cli('apply', 'db/desks/intercom.json')).code, 0, 'the desk file applies')

    const revised = structuredClone(intercom)
    revised.clients[0].contracts[0].changes = [{ from: '2099-01-01', monthlyQuotaMinutes: 600 }]
    const file = join(dir, 'revised.json')
    await writeFile(file, JSON.stringify(revised))
    const refused = await cli('apply', file)
    t.equal(refused.code, 1, 'a revision without the amendment is refused')
    t.match(
      refused.stderr,
      /clients\[0\]\.contracts\[0\]\.changes\[0\]\.from: these terms are revised only with the written agreement of both parties \(revision by agreement\): give agreedOn/,
      'naming the change and the rule',
    )
    revised.clients[0].contracts[0].changes[0].agreedOn = '2026-01-10'
    await writeFile(file, JSON.stringify(revised))
    const signed = await cli('apply', file)
    t.equal(signed.code, 0, `with the date of the signed amendment it is recorded (${signed.stderr})`)
    t.match(signed.stdout, /contract acme\/intercom\/2026-01-15: updated/)
  })
}
