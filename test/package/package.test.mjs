// Checks the built package as a host would consume it: every export resolves, parts are separate chunks, and
// the embedded MemoryConnector stays out of the static graph of the components (it is loaded on demand).
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';

const root = resolve(import.meta.dirname, '../..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

/** Every file a module pulls in through static imports, within dist/. */
function staticGraph(entry) {
  const seen = new Set();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop();
    if (seen.has(file)) continue;
    seen.add(file);
    const source = readFileSync(file, 'utf8');
    for (const match of source.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s*['"](\.[^'"]+)['"]|^\s*import\s*['"](\.[^'"]+)['"]/gm)) {
      queue.push(resolve(dirname(file), match[1] ?? match[2]));
    }
  }
  return seen;
}

test('every entry of the exports map exists, with its types', () => {
  for (const [subpath, target] of Object.entries(pkg.exports)) {
    const targets = typeof target === 'string' ? { import: target } : target;
    for (const [condition, file] of Object.entries(targets)) {
      assert.ok(existsSync(join(root, file)), `exports["${subpath}"].${condition} → ${file} is missing; run npm run build`);
    }
  }
});

test('the package is ESM only and marks only registering modules as side effects', () => {
  assert.equal(pkg.type, 'module');
  assert.ok(!JSON.stringify(pkg.exports).includes('"require"'), 'no CommonJS condition');
  for (const pattern of pkg.sideEffects) assert.match(pattern, /define|components/);
});

test('each part is its own entry chunk', () => {
  for (const part of ['workspace', 'conversation-list', 'conversation']) {
    const file = join(root, pkg.exports[`./${part}`].import);
    assert.ok(readFileSync(file, 'utf8').includes('customElements.define') || staticGraph(file).size > 1, `${part} registers its element`);
  }
});

test('the MemoryConnector and its demo data are not in the static graph of the workspace', () => {
  const graph = [...staticGraph(join(root, 'dist/components/workspace.js'))];
  const withDemoData = graph.filter((file) => readFileSync(file, 'utf8').includes('class MemoryConnector'));
  assert.deepEqual(withDemoData, [], 'the workspace loads the embedded backend with a dynamic import only');
  const lazy = readFileSync(graph.find((file) => readFileSync(file, 'utf8').includes('import(')) ?? graph[0], 'utf8');
  assert.match(lazy, /import\(["']\.\/memory/, 'the embedded backend is a lazy chunk');
});

test('the declarations cover the public entry points', () => {
  for (const file of ['dist/types/index.d.ts', 'dist/types/define.d.ts', 'dist/types/testing/index.d.ts']) {
    assert.ok(existsSync(join(root, file)), `${file} is missing`);
  }
  const index = readFileSync(join(root, 'dist/types/index.d.ts'), 'utf8');
  for (const name of ['CcWorkspace', 'MemoryConnector', 'createDeskStore', 'StoreController', 'ConnectorError']) {
    assert.ok(index.includes(name), `index.d.ts exports ${name}`);
  }
});
