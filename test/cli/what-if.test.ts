// npm run cli -- what-if <desk file> --from --to [--json]: the replay of POST /api/what-if on the
// database directly — a readable summary, the API's answer with --json, and the API's refusals.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { openDatabase } from '../../db/client.js'
import { calls } from '../../db/schema.js'
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
    // One answered ACME call, Saturday 21 November 2026 at 10:00 in Algiers, as the webhook records it.
    const database = await openDatabase({ url: env.DATABASE_URL, dataDir: dir })
    await database.db.insert(calls).values({
      callSid: 'CA0000000000000000000000000000whatif',
      deskId: 'intercom',
      fromNumber: '+213661000001',
      toNumber: '+21321000000',
      clientId: 'acme',
      startedAt: new Date('2026-11-21T09:00:00Z'),
      usageMonth: '2026-11',
      decision: 'dial',
      outcome: 'answered',
    })
    await database.close()

    const inForce = join(dir, 'in-force.json')
    await writeFile(inForce, JSON.stringify(intercom))
    const same = await cli('what-if', inForce, '--from', '2026-11-01', '--to', '2026-11-30')
    t.equal(same.code, 0, same.stderr)
    t.match(same.stdout, /2026-11-01 to 2026-11-30: 1 calls replayed, 0 would change/, 'the file in force changes nothing')
    t.match(same.stdout, /minutes moving beyond the quota: 0/)

    const closed = structuredClone(intercom)
    closed.desks[0].schedule.holidays.closures.push({ start: '2026-11-21', name: 'Inventaire' })
    const proposed = join(dir, 'proposed.json')
    await writeFile(proposed, JSON.stringify(closed))
    const human = await cli('what-if', proposed, '--from', '2026-11-01', '--to', '2026-11-30')
    t.equal(human.code, 0, human.stderr)
    t.match(human.stdout, /1 calls replayed, 1 would change/)
    t.match(
      human.stdout,
      /CA0000000000000000000000000000whatif {2}acme@intercom {2}answered → closed_closure {2}\(would not have been served: 0 s\)/,
      'the changed call: recorded, would be, the talk note',
    )
    t.match(human.stdout, /acme: 1 \(1 not closed as recorded\)/, 'ACME would meet a closed desk')
    t.match(
      human.stdout,
      /clients most affected:\n {2}acme: 1 changed, 1 newly closed, 0 s beyond the quota/,
      'ACME most affected',
    )

    const json = await cli('what-if', proposed, '--from', '2026-11-01', '--to', '2026-11-30', '--json')
    t.equal(json.code, 0, json.stderr)
    const answer = JSON.parse(json.stdout)
    t.match(answer, {
      period: { from: '2026-11-01', to: '2026-11-30' },
      calls: 1,
      changed: [{ callSid: 'CA0000000000000000000000000000whatif', outcome: 'answered', wouldBe: 'closed_closure' }],
      summary: { closedByClient: [{ clientId: 'acme', calls: 1, newlyClosed: 1 }] },
    })

    t.equal(json.stderr, '', 'no progress unless asked for or stderr is a terminal')

    // --progress (the default on a terminal): a line a month on stderr, stdout the answer alone.
    const watched = await cli('what-if', proposed, '--from', '2026-09-01', '--to', '2026-11-30', '--json', '--progress')
    t.equal(watched.code, 0, watched.stderr)
    t.match(JSON.parse(watched.stdout), { calls: 1, period: { from: '2026-09-01' } }, 'stdout is the JSON answer alone')
    const lines = watched.stderr.trimEnd().split('\n')
    t.equal(lines.length, 3, 'one line a month')
    t.match(lines, [
      /^2026-09: 0 calls replayed \(0 so far, \d+\.\d s\)$/,
      /^2026-10: 0 calls replayed \(0 so far, \d+\.\d s\)$/,
      /^2026-11: 1 calls replayed \(1 so far, \d+\.\d s\)$/,
    ])
    const readable = await runInProcess(main, ['what-if', proposed, '--from', '2026-11-01', '--to', '2026-11-30'], env, {
      errIsTty: true,
    })
    t.match(readable.stderr, /^2026-11: 1 calls replayed \(1 so far, /, 'on a terminal without asking')
    t.match(readable.stdout, /1 calls replayed, 1 would change/)
    t.equal((await cli('token', 'list', '--progress')).code, 2, '--progress belongs to what-if')

    const broken = structuredClone(intercom)
    broken.desks[0].numbers = ['not a number']
    await writeFile(proposed, JSON.stringify(broken))
    const bad = await cli('what-if', proposed, '--from', '2026-11-01', '--to', '2026-11-30')
    t.equal(bad.code, 1, 'a desk file that does not validate is refused')
    t.match(bad.stderr, /proposed\.json: desks\[0\]\.numbers\[0\]: /, 'naming its path')

    const reversed = await cli('what-if', inForce, '--from', '2026-11-30', '--to', '2026-11-01')
    t.equal(reversed.code, 1)
    t.match(reversed.stderr, /supportline: --to: must not be before from \(2026-11-30\)/, 'a bad period names its field')
    const long = await cli('what-if', inForce, '--from', '2024-01-01', '--to', '2026-11-01')
    t.match(long.stderr, /--to: the period is over 24 months: at most 24 months/, 'too long a period')
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10)
    const future = await cli('what-if', inForce, '--from', day(-10), '--to', day(3))
    t.match(future.stderr, /--to: must not be after today/, 'a period ending in the future')
    const notDate = await cli('what-if', inForce, '--from', '2026-13-01', '--to', '2026-11-01')
    t.match(notDate.stderr, /^supportline: --from: /, 'a date that is not one')
    const missing = await cli('what-if', inForce, '--from', '2026-11-01')
    t.equal(missing.code, 2, 'a period half given is a wrong command line')
    t.match(missing.stderr, /what-if needs --from and --to/)
    t.equal((await cli('token', 'list', '--json')).code, 2, '--json belongs to what-if')
  })
}
