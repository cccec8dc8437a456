// `npm ci` and `npm install` run this (postinstall): the start bundle (bin/bundle.mjs) and the
// embedded database's migrated template (db/prepare-template.ts), so that the first `npm start`
// costs what a restart costs plus a copy of the template, not esbuild, initdb and every migration
// (about 10 s of CPU). Anything that fails here only loses that head start: `npm start` does the
// same work itself when it finds it undone, so the install goes on with a warning.
// SUPPORTLINE_SKIP_PREPARE=1 skips it (the Dockerfile installs with --ignore-scripts instead).
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { ensureBundle } from './bundle.mjs'

const root = fileURLToPath(new URL('..', import.meta.url))

if (process.env.SUPPORTLINE_SKIP_PREPARE !== '1') {
  try {
    await ensureBundle()
  } catch (error) {
    console.error(`supportline: the start bundle was not made now (npm start will make it): ${error.message}`)
  }
  const made = spawnSync(process.execPath, ['--import', 'tsx', 'db/prepare-template.ts'], { cwd: root, stdio: 'inherit' })
  if (made.status !== 0)
    console.error('supportline: the embedded database template was not made now (the first npm start will make it)')
}
