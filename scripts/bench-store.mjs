// Store throughput benchmark: `npm run bench:store`.
//
// Bundles test/perf/store-bench.ts (the real store, effects and selectors) with esbuild, runs it in Node at 100
// and at 10,000 conversations, prints readable lines and, as the last line, one JSON object:
//   {"eventsPerSecond100": n, "eventsPerSecond10000": n, "costRatio": n}
// costRatio = (cost per event at 10,000) / (cost per event at 100).
//
// Options: --events=N (per round, default 200000), --rounds=N (default 5), --streams=kind|conversation
// (`kind`, the default: streams per kind of entity as the MemoryConnector numbers them, so conversation and
// message events share the `conversations` stream; `conversation`: one stream per conversation, the harder case),
// --cpu-prof (writes a V8 CPU profile to .cache/bench-store/, to see where the time goes).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { importTypeScript } from './lib/import-ts.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const found = args.find((arg) => arg.startsWith(`--${name}=`));
  return found ? found.slice(name.length + 3) : fallback;
};

// The measurement wants a collectable heap between rounds: re-run this script with --expose-gc.
if (typeof globalThis.gc !== 'function' && !process.env.CC_BENCH_CHILD) {
  const flags = ['--expose-gc'];
  if (args.includes('--cpu-prof')) {
    const profiles = join(root, '.cache', 'bench-store');
    mkdirSync(profiles, { recursive: true });
    flags.push('--cpu-prof', `--cpu-prof-dir=${profiles}`);
    console.log(`CPU profile: ${profiles}`);
  }
  const child = spawnSync(process.execPath, [...flags, fileURLToPath(import.meta.url), ...args], {
    stdio: 'inherit',
    env: { ...process.env, CC_BENCH_CHILD: '1' },
  });
  process.exit(child.status ?? 1);
}

const outdir = mkdtempSync(join(tmpdir(), 'cc-bench-store-'));
try {
  const { runStoreBench } = await importTypeScript('test/perf/store-bench.ts', outdir);

  const events = Number(option('events', '200000'));
  const rounds = Number(option('rounds', '5'));
  const streams = option('streams', 'kind');
  if (!['kind', 'conversation'].includes(streams)) throw new Error(`--streams must be kind or conversation, not ${streams}`);
  console.log(
    `store bench: Node ${process.version}, ${events.toLocaleString('en-US')} events per round, ${rounds} rounds, ` +
      `streams per ${streams}, every selector the workspace parts read subscribed`,
  );
  const [small, large] = await runStoreBench({
    sizes: [100, 10_000],
    events,
    rounds,
    warmupEvents: Math.min(events, 100_000),
    streams,
    gc: typeof globalThis.gc === 'function' ? () => globalThis.gc() : null,
    heapUsed: () => process.memoryUsage().heapUsed,
    log: (line) => console.log(line),
  });
  const costRatio = small.eventsPerSecond / large.eventsPerSecond;
  console.log(
    `cost per event at 10,000 / at 100: ${costRatio.toFixed(3)} (target ≤ 1.5); ` +
      `events/s at 10,000: ${Math.round(large.eventsPerSecond).toLocaleString('en-US')} (target ≥ 100,000)`,
  );
  console.log(
    JSON.stringify({
      eventsPerSecond100: Math.round(small.eventsPerSecond),
      eventsPerSecond10000: Math.round(large.eventsPerSecond),
      costRatio: Number(costRatio.toFixed(3)),
    }),
  );
} finally {
  rmSync(outdir, { recursive: true, force: true });
}
