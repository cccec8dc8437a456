// npm run cli -- token create | list | revoke: on the database directly, the secret printed once.
import { execFile } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import t from 'tap'
import { openDatabase } from '../../db/client.js'
import { principalForToken } from '../../src/store/tokens.js'
import { createPostgresDatabase, kinds } from '../helpers/databases.js'

// A dozen CLI processes per database, each compiling TypeScript as it starts: about 20 s alone,
// past tap's 30 s default when the full suite runs beside it.
t.setTimeout(120_000)

const root = new URL('../..', import.meta.url).pathname
const run = promisify(execFile)

for (const kind of kinds) {
  t.test(kind, async (t) => {
    const dir = await mkdtemp(join(tmpdir(), 'supportline-cli-'))
    t.teardown(() => rm(dir, { recursive: true, force: true }))
    const env: Record<string, string> = { PATH: process.env.PATH ?? '', NODE_ENV: 'test', DATA_DIR: dir }
    if (kind === 'postgres') env.DATABASE_URL = await createPostgresDatabase(t)
    const cli = async (...args: string[]) => {
      try {
        const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
          cwd: root,
          env,
        })
        return { code: 0, stdout, stderr }
      } catch (error) {
        const failed = error as { code: number; stdout: string; stderr: string }
        return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr }
      }
    }
    const lookUp = async (token: string) => {
      const database = await openDatabase({ url: env.DATABASE_URL, dataDir: dir })
      try {
        return await principalForToken(database.db, token)
      } finally {
        await database.close()
      }
    }

    await cli('apply', 'db/desks/intercom.json')
    const created = await cli('token', 'create', '--role', 'client', '--client', 'acme', '--name', 'ACME portal')
    t.equal(created.code, 0, `token create succeeds (${created.stderr})`)
    const secret = created.stdout.match(/sl_[A-Za-z0-9_-]{43}/)?.[0] ?? ''
    t.ok(secret, 'and prints the secret')
    t.match(
      await lookUp(secret),
      { role: 'client', clientId: 'acme', name: 'ACME portal' },
      'which stands for a client token of ACME',
    )

    const unknown = await cli('token', 'create', '--role', 'client', '--client', 'ghost', '--name', 'x')
    t.equal(unknown.code, 1, 'a client token for a client that does not exist is refused')
    t.match(unknown.stderr, /--client: there is no active client "ghost"/)
    const noRole = await cli('token', 'create', '--name', 'x')
    t.equal(noRole.code, 2, 'a token without a role is a usage error')

    const listed = await cli('token', 'list')
    t.match(listed.stdout, /^1\tclient of client acme, "ACME portal", created .* by cli\tlive$/m, 'token list shows it, live')
    t.notOk(listed.stdout.includes(secret), 'without its secret')

    t.equal((await cli('token', 'revoke', '1')).code, 0, 'token revoke succeeds')
    t.equal(await lookUp(secret), null, 'and the token no longer works')
    const again = await cli('token', 'revoke', '1')
    t.equal(again.code, 1, 'revoking it again fails')
    t.match(again.stderr, /no live token 1/)
  })
}
