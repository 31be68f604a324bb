// Checks the built package as a host consumes it: every export resolves, and bundling an entry point the way a
// host's bundler does (honouring `sideEffects`) registers exactly the elements that entry promises.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { build } from 'esbuild';

const root = resolve(import.meta.dirname, '../..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const ALL_TAGS = ['cc-agent-status', 'cc-conversation', 'cc-conversation-list', 'cc-customer-panel', 'cc-knowledge-search', 'cc-softphone', 'cc-ticket-pane', 'cc-workspace'];

/** A host project with this package installed (as a symlink, like `npm link`) and one source file. */
function hostProject(source) {
  const dir = mkdtempSync(join(tmpdir(), 'cc-host-'));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(root, join(dir, 'node_modules', 'cc-workspace'), 'dir');
  writeFileSync(join(dir, 'host.js'), source);
  return dir;
}

/** Bundles a host file the way a host's bundler does: through the exports map, honouring `sideEffects`. */
async function bundle(dir) {
  const result = await build({
    entryPoints: [join(dir, 'host.js')],
    bundle: true,
    write: false,
    format: 'esm',
    splitting: true,
    outdir: join(dir, 'out'),
    logLevel: 'silent',
  });
  return result.outputFiles;
}

async function bundleAsHost(source) {
  const dir = hostProject(source);
  try {
    return (await bundle(dir)).map((file) => file.text).join('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The cc-* elements a bundle registers (dependencies such as lit-virtualizer register their own). */
function definedTags(bundle) {
  const tags = [...bundle.matchAll(/customElements\.define\(\s*["'](cc-[a-z-]+)["']/g)].map((match) => match[1]);
  return [...new Set(tags)].sort();
}

/** Whether code holds the MemoryConnector class, however the bundler spelled its declaration. */
const holdsMemoryConnector = (text) => /class MemoryConnector\b|MemoryConnector = class\b/.test(text);

test('every entry of the exports map exists', () => {
  for (const [subpath, target] of Object.entries(pkg.exports)) {
    const targets = typeof target === 'string' ? { import: target } : target;
    for (const [condition, file] of Object.entries(targets)) {
      assert.ok(existsSync(join(root, file)), `exports["${subpath}"].${condition} → ${file} is missing; run npm run build`);
    }
  }
});

test('the package is ESM only', () => {
  assert.equal(pkg.type, 'module');
  assert.ok(!JSON.stringify(pkg.exports).includes('"require"'), 'no CommonJS condition');
});

test('cc-workspace/define registers every element', async () => {
  assert.deepEqual(definedTags(await bundleAsHost("import 'cc-workspace/define';")), ALL_TAGS);
});

test('cc-workspace/workspace registers the workspace and every part it holds', async () => {
  assert.deepEqual(definedTags(await bundleAsHost("import 'cc-workspace/workspace';")), ALL_TAGS);
});

test('cc-workspace/conversation-list registers that part alone', async () => {
  assert.deepEqual(definedTags(await bundleAsHost("import 'cc-workspace/conversation-list';")), ['cc-conversation-list']);
});

test('the main entry registers nothing, so a host can choose its own tag names', async () => {
  const bundle = await bundleAsHost("import { CcWorkspace, CcConversation } from 'cc-workspace';\nconsole.log(CcWorkspace, CcConversation);");
  assert.deepEqual(definedTags(bundle), []);
});

test('the embedded MemoryConnector is a lazy chunk of the workspace, not part of its static graph', async () => {
  const dir = hostProject("import 'cc-workspace/workspace';");
  try {
    const files = await bundle(dir);
    const entry = files.find((file) => file.path.endsWith('host.js'));
    assert.ok(entry, 'the host entry is in the output');
    assert.ok(!holdsMemoryConnector(entry.text), 'the entry chunk does not contain the MemoryConnector');
    assert.ok(files.some((file) => file !== entry && holdsMemoryConnector(file.text)), 'a separate chunk does');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** Whether code holds sip.js (its WebSocket transport's own error text, however the bundler renamed things). */
const holdsSipJs = (text) => text.includes('Invalid WebSocket Server URL');

for (const [what, source] of [
  ['the main entry (loadSipTelephony exported)', "import { loadSipTelephony } from 'cc-workspace';\nloadSipTelephony().then((phone) => console.log(phone));"],
  ['the workspace', "import 'cc-workspace/workspace';"],
]) {
  test(`sip.js is a lazy chunk of ${what}, not part of its static graph`, async () => {
    const dir = hostProject(source);
    try {
      const files = await bundle(dir);
      const entry = files.find((file) => file.path.endsWith('host.js'));
      assert.ok(entry, 'the host entry is in the output');
      assert.ok(!holdsSipJs(entry.text), 'the entry chunk does not contain sip.js');
      assert.ok(files.some((file) => file !== entry && holdsSipJs(file.text)), 'a separate chunk does');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

test('the declarations cover the public entry points', () => {
  const index = readFileSync(join(root, pkg.exports['.'].types), 'utf8');
  for (const name of ['CcWorkspace', 'MemoryConnector', 'createDeskStore', 'StoreController', 'ConnectorError', 'loadSipTelephony', 'SipTelephonyOptions']) {
    assert.ok(index.includes(name), `the main declarations export ${name}`);
  }
  assert.ok(existsSync(join(root, pkg.exports['./testing'].types)), 'the testing entry has declarations');
});
