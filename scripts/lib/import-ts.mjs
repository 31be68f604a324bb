// Runs a TypeScript module of the repo in Node: bundles it with esbuild into `outdir` and imports it.
// Used by the benchmarks and the fault runs, which drive the real store and connectors outside the browser.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = join(import.meta.dirname, '../..');

export async function importTypeScript(entry, outdir) {
  const outfile = join(outdir, entry.replace(/[^a-z0-9]+/giu, '-').replace(/-ts$/u, '.mjs'));
  await build({
    entryPoints: [join(root, entry)],
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    outfile,
    sourcemap: 'inline',
    tsconfig: join(root, 'tsconfig.json'),
    logLevel: 'warning',
  });
  return import(pathToFileURL(outfile).href);
}
