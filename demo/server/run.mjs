// Runs the reference server: `node demo/server/run.mjs [options]` (`--help` lists them).
//
// The server is TypeScript (demo/server/*.ts, reusing src/connector/memory/ as its engine). This script bundles
// it with esbuild into .cache/server/main-<hash>.mjs (packages stay imports from node_modules) and runs it. The
// file name is the hash of its content and it is written by rename, so servers started at the same time (tests)
// never read a half-written bundle.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const outdir = join(root, '.cache', 'server');

const result = await build({
  entryPoints: [join(root, 'demo/server/main.ts')],
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: 'inline',
  tsconfig: join(root, 'demo/server/tsconfig.json'),
  write: false,
  logLevel: 'warning',
});
const code = result.outputFiles[0].contents;
const hash = createHash('sha256').update(code).digest('hex').slice(0, 16);
const outfile = join(outdir, `main-${hash}.mjs`);
mkdirSync(outdir, { recursive: true });
if (!existsSync(outfile)) {
  const temporary = `${outfile}.${process.pid}.tmp`;
  writeFileSync(temporary, code);
  renameSync(temporary, outfile);
}
// Older bundles go after a day (not at once: another server may be about to import one).
for (const name of readdirSync(outdir)) {
  const file = join(outdir, name);
  if (/^main-[0-9a-f]{16}\.mjs$/.test(name) && file !== outfile && Date.now() - statSync(file).mtimeMs > 86_400_000) rmSync(file, { force: true });
}

const { main } = await import(pathToFileURL(outfile).href);
await main(process.argv.slice(2), { root });
