// The manager API's daily changes (the desk calendar, the closed-now switch, callbacks, duty,
// notices), from its OpenAPI document, fuzzed as every role: no 5xx, the process alive. The seed
// is printed; FUZZ_SEED replays it.
import t from 'tap'
import { fuzzApi, isDailyChange } from '../helpers/api-fuzz.js'
import { eachDatabase } from '../helpers/databases.js'

eachDatabase(t, async (t, database) => {
  await fuzzApi(t, database, { select: isDailyChange, numRuns: 1000 })
})
