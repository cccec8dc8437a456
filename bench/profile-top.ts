// Reads a .cpuprofile (node --cpu-prof, or npm run bench -- --profile) and prints where the time
// went: self time by function and by package, so a profile can be read without a browser.
import { readDump } from './read-dump.js'

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
  children?: number[]
}

interface Profile {
  nodes: ProfileNode[]
  samples: number[]
  timeDeltas: number[]
}

const { file, dump: profile, limit } = await readDump<Profile>('tsx bench/profile-top.ts FILE.cpuprofile [rows]')
const byId = new Map(profile.nodes.map((node) => [node.id, node]))
const self = new Map<number, number>()
for (const [i, id] of profile.samples.entries()) self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0))
const total = [...self.values()].reduce((a, b) => a + b, 0)

/** node_modules/<package>, or the project file, or the V8 pseudo-frame. */
function where(url: string): string {
  if (!url) return '(native)'
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)
  if (match) return match[1] as string
  if (url.startsWith('node:')) return url
  return url.replace(/^file:\/\/.*?\/(src|db|webhooks|bench)\//, '$1/')
}

function top(key: (node: ProfileNode) => string) {
  const sums = new Map<string, number>()
  for (const [id, time] of self) {
    const node = byId.get(id)
    if (node) sums.set(key(node), (sums.get(key(node)) ?? 0) + time)
  }
  return [...sums].sort((a, b) => b[1] - a[1]).slice(0, limit)
}

const print = (title: string, rows: [string, number][]) => {
  console.log(`\n${title}`)
  for (const [name, time] of rows)
    console.log(`${((100 * time) / total).toFixed(1).padStart(5)} %  ${(time / 1000).toFixed(0).padStart(7)} ms  ${name}`)
}
console.log(`${file}: ${(total / 1e6).toFixed(1)} s sampled`)
print(
  'self time by package or file',
  top((node) => where(node.callFrame.url)),
)
print(
  'self time by function',
  top((node) => `${node.callFrame.functionName || '(anonymous)'}  ${where(node.callFrame.url)}:${node.callFrame.lineNumber + 1}`),
)
