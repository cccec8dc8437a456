// `npm ci` (bin/prepare.mjs) makes the product's migrated PGlite template once, so that the first
// `npm start` on a new embedded database copies it instead of running initdb and every migration.
import { PRODUCT_TEMPLATE, cachedTemplate, templateFile } from './pglite-template.js'

const began = performance.now()
const file = await templateFile(PRODUCT_TEMPLATE)
await cachedTemplate(PRODUCT_TEMPLATE)
console.error(`supportline: the embedded database's template is ready (${file}, ${Math.round(performance.now() - began)} ms)`)
