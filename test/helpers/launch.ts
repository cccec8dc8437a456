// How the service is launched, read from where it is written down, for the tests and the bench that
// must launch it the same way: `npm start`'s node flags (package.json) and the image's command
// (the Dockerfile's CMD).
import { readFileSync } from 'node:fs'
import { join } from 'node:path'

const root = new URL('../..', import.meta.url).pathname

/** The node flags of `npm start` (package.json: `node FLAGS bin/start.mjs`). */
export function npmStartNodeFlags(): string[] {
  const { scripts } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: { start: string } }
  const flags = / node (.*) bin\/start\.mjs/.exec(scripts.start)?.[1]
  if (flags === undefined) throw new Error("package.json's start script no longer reads `node FLAGS bin/start.mjs`")
  return flags.split(' ')
}

/** The image's command (the Dockerfile's `CMD [...]`), as an argv: node, its flags, the script. */
export function imageCommand(): string[] {
  const cmd = /^CMD (\[.*\])$/m.exec(readFileSync(join(root, 'Dockerfile'), 'utf8'))?.[1]
  const argv = cmd ? (JSON.parse(cmd) as string[]) : []
  if (argv[0] !== 'node' || argv.length < 2) throw new Error('the Dockerfile\'s CMD no longer reads ["node", …FLAGS, SCRIPT]')
  return argv
}
