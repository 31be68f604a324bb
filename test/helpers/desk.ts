import { MemoryConnector, type MemoryConnectorOptions } from '../../src/connector/memory/index.js';
import { createDeskStore, type DeskStore } from '../../src/store/create-store.js';
import { workspaceStarted } from '../../src/store/actions.js';
import { smallSeed } from '../fixtures/small-seed.js';
import { waitFor } from './events.js';

/** A started store on a MemoryConnector (the small seed unless told otherwise), once it is live. */
export async function liveDesk(options: MemoryConnectorOptions = {}): Promise<{ store: DeskStore; connector: MemoryConnector }> {
  const connector = new MemoryConnector({ seed: smallSeed, traffic: false, deliveryDelayMs: 30, ...options });
  const store = createDeskStore({ connector });
  store.dispatch(workspaceStarted());
  await waitFor(() => store.getState().connection.sync === 'live', 'the store to go live');
  return { store, connector };
}

/** Attaches an element to the page and waits for its first render. */
export async function mount<E extends HTMLElement & { updateComplete?: Promise<unknown> }>(element: E, width = 900, height = 600): Promise<E> {
  element.style.display = 'block';
  element.style.width = `${width}px`;
  element.style.height = `${height}px`;
  document.body.append(element);
  await element.updateComplete;
  return element;
}

/** Lets Lit finish rendering after a store change. */
export async function settle(element: { updateComplete?: Promise<unknown> }): Promise<void> {
  await new Promise((resolve) => requestAnimationFrame(() => resolve(undefined)));
  await element.updateComplete;
}
