// npm run cli -- token create | list | revoke: on the database directly, the secret printed once.
// The CLI runs in process (main(argv, io)); test/cli/usage.test.ts starts it as a process.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { openDatabase } from '../../db/client.js'
import { main } from '../../src/cli/main.js'
import { principalForToken } from '../../src/store/tokens.js'
import { runInProcess } from '../helpers/cli.js'
import { createPostgresDatabase, kinds, seedPgliteDataDir } from '../helpers/databases.js'

for (const kind of kinds) {
  t.test(kind, async (t) => {
    const dir = await mkdtemp(join(tmpdir(), 'supportline-cli-'))
    t.teardown(() => rm(dir, { recursive: true, force: true }))
    const env: Record<string, string> = { NODE_ENV: 'test', DATA_DIR: dir }
    if (kind === 'postgres') env.DATABASE_URL = await createPostgresDatabase(t)
    // The embedded database starts migrated (copied, not made: making one takes seconds).
    else await seedPgliteDataDir(dir)
    const cli = (...args: string[]) => runInProcess(main, args, env)
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
    const agent = await cli('token', 'create', '--role', 'agent', '--agent', 'amina', '--name', 'Amina')
    t.equal(agent.code, 0, `an agent token names its agent (${agent.stderr})`)
    t.match(agent.stdout, /agent amina, "Amina"/)
    t.match(await lookUp(agent.stdout.match(/sl_[A-Za-z0-9_-]{43}/)?.[0] ?? ''), { role: 'agent', agentId: 'amina' })
    const noAgent = await cli('token', 'create', '--role', 'agent', '--name', 'x')
    t.equal(noAgent.code, 1)
    t.match(noAgent.stderr, /--agent: an agent token must name its agent/)
    const ghostAgent = await cli('token', 'create', '--role', 'agent', '--agent', 'ghost', '--name', 'x')
    t.match(ghostAgent.stderr, /--agent: there is no active agent "ghost"/)
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
