// `npm start`: the service, from the bundle of src/ and its dependencies (bin/bundle.mjs), made
// first when a source is newer than it.
import { pathToFileURL } from 'node:url'
import { ensureBundle } from './bundle.mjs'

await import(pathToFileURL(await ensureBundle()).href)
