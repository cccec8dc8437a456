// Every GET of the manager API, from its OpenAPI document, fuzzed as every role: no 5xx, the
// process alive. The seed is printed; FUZZ_SEED replays it.
import t from 'tap'
import { fuzzApi } from '../helpers/api-fuzz.js'
import { eachDatabase } from '../helpers/databases.js'

eachDatabase(t, async (t, database) => {
  await fuzzApi(t, database, { select: (op) => op.method === 'GET', numRuns: 1000 })
})
