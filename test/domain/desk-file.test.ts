// The desk file: the shipped files are valid, and every wrong value is named by its JSON path.
import { readFileSync } from 'node:fs'
import t from 'tap'
import { parseDeskFile } from '../../src/domain/desk-file.js'

const shipped = (name: string): unknown => JSON.parse(readFileSync(new URL(`../../db/desks/${name}`, import.meta.url), 'utf8'))

for (const name of ['intercom.json', 'model-clause.json']) {
  t.test(`the shipped ${name} is valid`, async (t) => {
    const parsed = parseDeskFile(shipped(name))
    t.ok(parsed.ok, parsed.ok ? 'it parses' : JSON.stringify(parsed.errors))
  })
}

t.test('defaults fill what a desk file leaves out', async (t) => {
  const parsed = parseDeskFile({
    desks: [{ id: 'd', name: 'D', numbers: ['+21321000000'], timezone: 'Africa/Algiers', schedule: { weekly: {} } }],
    clients: [{ id: 'c', name: 'C', contracts: [{ desk: 'd', start: '2026-01-15', monthlyQuotaMinutes: 300 }] }],
  })
  if (!parsed.ok) return t.fail(JSON.stringify(parsed.errors))
  t.match(parsed.file.desks[0], {
    language: 'fr-FR',
    schedule: { holidays: { country: null, closures: [], openings: [] } },
    options: { ring: 'simultaneous', ringSeconds: 20, whisper: true, onCall: null, callbackWithinWorkingHours: 24 },
  })
  t.match(parsed.file.clients[0]?.contracts[0], {
    months: 12,
    noticeMonths: 3,
    overage: 'bill',
    renews: true,
    billingIncrementSeconds: 1,
  })
  t.same(parsed.file.agents, [], 'no agents')
})

t.test('seasons, languages, a number’s language and voices (issue #17)', async (t) => {
  const ramadan = { name: 'Ramadan', hijriMonth: 9, weekly: { sat: ['09:00-14:00'] } }
  const parsed = parseDeskFile({
    desks: [
      {
        id: 'd',
        name: 'D',
        numbers: ['+21321000000'],
        timezone: 'Africa/Algiers',
        languages: ['fr-FR', 'ar'],
        schedule: {
          weekly: {},
          seasons: [ramadan, { name: "Horaires d'été", from: '07-01', to: '08-31', weekly: {} }],
          changes: [{ from: '2027-01-01', weekly: {}, seasons: [] }],
        },
        options: { voices: { ar: { language: 'ar-AE', voice: 'Polly.Hala-Neural' } } },
        templates: { ar: { connecting: 'مرحباً {client}.' } },
      },
    ],
    clients: [{ id: 'c', name: 'C', language: 'fr-FR', numbers: [{ number: '+213661000001', language: 'ar' }] }],
  })
  if (!parsed.ok) return t.fail(JSON.stringify(parsed.errors))
  const [desk] = parsed.file.desks
  t.same(desk?.languages, ['fr-FR', 'ar'])
  t.equal(desk?.language, 'fr-FR', 'the desk’s own language defaults to French')
  t.same(desk?.schedule.seasons[0], ramadan)
  t.same(desk?.schedule.changes[0]?.seasons, [], 'a revision that ends the seasons')
  t.same(desk?.options.voices, { ar: { language: 'ar-AE', voice: 'Polly.Hala-Neural' } })
  t.equal(parsed.file.clients[0]?.numbers[0]?.language, 'ar')
  const plain = parseDeskFile({
    desks: [{ id: 'd', name: 'D', numbers: ['+21321000000'], timezone: 'Africa/Algiers', schedule: { weekly: {} } }],
  })
  t.same(plain.ok && plain.file.desks[0]?.schedule.seasons, [], 'no seasons by default')
  t.equal(plain.ok && plain.file.desks[0]?.languages, undefined, 'no languages: the desk’s own')
})

t.test('numbers are normalised to E.164', async (t) => {
  const parsed = parseDeskFile({
    desks: [{ id: 'd', name: 'D', numbers: ['+213 21 00 00 00'], timezone: 'Africa/Algiers', schedule: { weekly: {} } }],
  })
  t.same(parsed.ok && parsed.file.desks[0]?.numbers, ['+21321000000'])
})

const base = () =>
  shipped('intercom.json') as {
    desks: Record<string, unknown>[]
    agents: Record<string, unknown>[]
    clients: Record<string, unknown>[]
  }

const wrongFiles: [what: string, mutate: (file: ReturnType<typeof base>) => void, path: string, message: RegExp][] = [
  [
    'a number that is not E.164',
    (f) => {
      ;(f.clients[0]!.numbers as { number: string }[])[1]!.number = '0661000002'
    },
    'clients[0].numbers[1].number',
    /not a valid E\.164/,
  ],
  [
    'an unknown time zone',
    (f) => {
      f.desks[0]!.timezone = 'Africa/Alger'
    },
    'desks[0].timezone',
    /IANA time zone/,
  ],
  [
    'a malformed interval',
    (f) => {
      ;(f.desks[0]!.schedule as { weekly: Record<string, string[]> }).weekly.mon = ['9h30-12h']
    },
    'desks[0].schedule.weekly.mon[0]',
    /HH:MM-HH:MM/,
  ],
  [
    'overlapping intervals',
    (f) => {
      ;(f.desks[0]!.schedule as { weekly: Record<string, string[]> }).weekly.sun = ['09:30-12:00', '11:00-16:00']
    },
    'desks[0].schedule.weekly.sun',
    /overlaps/,
  ],
  [
    'an unknown weekday',
    (f) => {
      ;(f.desks[0]!.schedule as { weekly: Record<string, string[]> }).weekly.thursday = ['09:00-10:00']
    },
    'desks[0].schedule.weekly',
    /./,
  ],
  [
    'an unknown key (a typo)',
    (f) => {
      f.desks[0]!.timzone = 'Africa/Algiers'
    },
    'desks[0]',
    /timzone/,
  ],
  [
    'a negative quota',
    (f) => {
      ;(f.clients[0]!.contracts as Record<string, unknown>[])[0]!.monthlyQuotaMinutes = -5
    },
    'clients[0].contracts[0].monthlyQuotaMinutes',
    /./,
  ],
  [
    'an unknown overage policy',
    (f) => {
      ;(f.clients[0]!.contracts as Record<string, unknown>[])[0]!.overage = 'maybe'
    },
    'clients[0].contracts[0].overage',
    /./,
  ],
  [
    'a contract on an unknown desk',
    (f) => {
      ;(f.clients[0]!.contracts as Record<string, unknown>[])[0]!.desk = 'nowhere'
    },
    'clients[0].contracts[0].desk',
    /unknown desk "nowhere"/,
  ],
  [
    'an agent on an unknown desk',
    (f) => {
      f.agents[0]!.desks = ['nowhere']
    },
    'agents[0].desks[0]',
    /unknown desk/,
  ],
  [
    'a number registered by two clients',
    (f) => {
      ;(f.clients[1]!.numbers as { number: string }[])[0]!.number = '+213661000001'
    },
    'clients[1].numbers[0].number',
    /already used at clients\[0\]\.numbers\[0\]\.number/,
  ],
  [
    'two clients with one id',
    (f) => {
      f.clients[1]!.id = 'acme'
    },
    'clients[1].id',
    /already used/,
  ],
  [
    'a bad signature date',
    (f) => {
      ;(f.clients[0]!.contracts as Record<string, unknown>[])[0]!.start = '2026-02-30'
    },
    'clients[0].contracts[0].start',
    /date/,
  ],
  [
    'a season that is neither a Hijri month nor dates',
    (f) => {
      ;(f.desks[0]!.schedule as Record<string, unknown>).seasons = [{ name: 'Ramadan', weekly: {} }]
    },
    'desks[0].schedule.seasons[0]',
    /needs a "hijriMonth"/,
  ],
  [
    'a language supportline does not speak',
    (f) => {
      f.desks[0]!.languages = ['fr-FR', 'de-DE']
    },
    'desks[0].languages[1]',
    /not spoken: use fr, en or ar/,
  ],
  [
    'two languages of one family (the menu would offer French twice)',
    (f) => {
      f.desks[0]!.languages = ['fr-FR', 'ar', 'fr-BE']
    },
    'desks[0].languages[2]',
    /another language of the same family/,
  ],
  [
    'no language at all',
    (f) => {
      f.desks[0]!.languages = []
    },
    'desks[0].languages',
    /./,
  ],
  [
    'a number’s language that is no tag',
    (f) => {
      ;(f.clients[0]!.numbers as Record<string, unknown>[])[0]!.language = 'arabic'
    },
    'clients[0].numbers[0].language',
    /language tag/,
  ],
  [
    'a voice setting that is no object',
    (f) => {
      ;(f.desks[0]!.options as Record<string, unknown>).voices = { ar: 'Polly.Zeina' }
    },
    'desks[0].options.voices.ar',
    /./,
  ],
  [
    'an id with spaces',
    (f) => {
      f.agents[0]!.id = 'Amina B'
    },
    'agents[0].id',
    /lowercase/,
  ],
]

for (const [what, mutate, path, message] of wrongFiles) {
  t.test(`${what} is reported at ${path}`, async (t) => {
    const file = base()
    mutate(file)
    const parsed = parseDeskFile(file)
    if (parsed.ok) return t.fail('the file was accepted')
    const error = parsed.errors.find((e) => e.path === path)
    t.ok(error, `an error names ${path} (got ${parsed.errors.map((e) => e.path).join(', ')})`)
    t.match(error?.message, message, 'and says what is wrong')
  })
}

t.test('every wrong value is reported, not just the first', async (t) => {
  const file = base()
  file.desks[0]!.timezone = 'Mars/Olympus'
  f2(file)
  const parsed = parseDeskFile(file)
  t.equal(parsed.ok ? 0 : parsed.errors.length, 2, 'two errors for two wrong values')
  function f2(f: ReturnType<typeof base>) {
    f.agents[1]!.number = 'not a number'
  }
})

t.test('a file that is not an object is reported at the root', async (t) => {
  const parsed = parseDeskFile(null)
  t.same(parsed.ok ? [] : parsed.errors.map((e) => e.path), ['(root)'])
})

t.test("a desk's quotaGraceSeconds, at the desk (DESIGN.md's key) or in its options, is the option", async (t) => {
  const desk = (extra: Record<string, unknown>) => {
    const parsed = parseDeskFile({
      desks: [
        {
          id: 'd',
          name: 'D',
          numbers: ['+21321000000'],
          timezone: 'Africa/Algiers',
          schedule: { weekly: { sat: ['09:00-12:00'] } },
          ...extra,
        },
      ],
      agents: [],
      clients: [],
    })
    return parsed.ok ? parsed.file.desks[0]?.options.quotaGraceSeconds : parsed.errors
  }
  t.equal(desk({}), 60, 'a minute by default')
  t.equal(desk({ quotaGraceSeconds: 30 }), 30, 'at the desk')
  t.equal(desk({ options: { quotaGraceSeconds: 0 } }), 0, 'in the options')
  t.equal(desk({ quotaGraceSeconds: 90, options: { quotaGraceSeconds: 0 } }), 90, 'the desk key wins')
  t.notOk(typeof desk({ quotaGraceSeconds: -1 }) === 'number', 'never negative')
})
