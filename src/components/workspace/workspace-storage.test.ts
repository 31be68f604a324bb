import { expect } from '@esm-bundle/chai';
import { mount } from '../../../test/helpers/desk.js';
import { waitFor } from '../../../test/helpers/events.js';
import { composerOf, typeInto } from '../../../test/helpers/workspace.js';
import { smallSeed } from '../../../test/fixtures/small-seed.js';
import { MemoryConnector } from '../../connector/memory/index.js';
import { databaseName } from '../../storage/schema.js';
import './workspace.js';
import type { CcWorkspace } from './workspace.js';

/** A workspace on a fresh in-memory backend, as after a page load. */
async function open(attributes: Record<string, string>): Promise<CcWorkspace> {
  const workspace = document.createElement('cc-workspace');
  for (const [name, value] of Object.entries(attributes)) workspace.setAttribute(name, value);
  workspace.connector = new MemoryConnector({ seed: smallSeed, traffic: false, deliveryDelayMs: 20 });
  await mount(workspace, 1100, 600);
  await waitFor(() => workspace.store?.getState().connection.sync === 'live', 'the desk to go live');
  return workspace;
}

/** The page goes away: the element leaves the document and its store stops. */
async function unload(workspace: CcWorkspace): Promise<void> {
  workspace.remove();
  await new Promise((resolve) => setTimeout(resolve, 50));
}

describe('cc-workspace storage', () => {
  const opened: CcWorkspace[] = [];
  afterEach(() => {
    for (const workspace of opened.splice(0)) workspace.remove();
  });

  it('brings the agent’s draft back after a reload', async () => {
    const namespace = `ws-${crypto.randomUUID()}`;
    const first = await open({ 'storage-namespace': namespace });
    opened.push(first);
    typeInto(await composerOf(first, 'conv-chat'), 'Let me check the tracking number');
    await unload(first);

    const second = await open({ 'storage-namespace': namespace });
    opened.push(second);
    const box = await composerOf(second, 'conv-chat');
    await waitFor(() => box.value === 'Let me check the tracking number', 'the draft in the composer');
    const names = (await indexedDB.databases()).map((database) => database.name);
    expect(names).to.include(databaseName(namespace));
  });

  it('keeps nothing with storage="none"', async () => {
    const namespace = `ws-${crypto.randomUUID()}`;
    const first = await open({ 'storage-namespace': namespace, storage: 'none' });
    opened.push(first);
    typeInto(await composerOf(first, 'conv-chat'), 'not kept');
    await unload(first);

    const second = await open({ 'storage-namespace': namespace, storage: 'none' });
    opened.push(second);
    const box = await composerOf(second, 'conv-chat');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(box.value).to.equal('');
    const names = (await indexedDB.databases()).map((database) => database.name ?? '');
    expect(names.filter((name) => name.includes(namespace))).to.deep.equal([]);
  });
});
