// The manager API's configuration changes (desks, agents, clients, contracts, the whole desk file,
// tokens), from its OpenAPI document, fuzzed as every role: no 5xx, the process alive. The seed is
// printed; FUZZ_SEED replays it.
import t from 'tap'
import { fuzzApi, isConfigurationChange } from '../helpers/api-fuzz.js'
import { eachDatabase } from '../helpers/databases.js'

eachDatabase(t, async (t, database) => {
  await fuzzApi(t, database, { select: isConfigurationChange, numRuns: 1000 })
})
