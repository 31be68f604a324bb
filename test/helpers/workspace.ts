import { waitFor } from './events.js';

/** An element inside a part's shadow root. */
export function inner(root: Element | null | undefined, selector: string): HTMLElement | null {
  return root?.shadowRoot?.querySelector<HTMLElement>(selector) ?? null;
}

/** Opens a conversation from a workspace's list and returns its reply box. */
export async function composerOf(workspace: Element, conversationId: string): Promise<HTMLTextAreaElement> {
  const list = inner(workspace, 'cc-conversation-list');
  const row = await waitFor(() => list?.shadowRoot?.querySelector<HTMLElement>(`[data-conversation-id="${conversationId}"]`), 'the row');
  row.click();
  const conversation = inner(workspace, 'cc-conversation');
  return waitFor(() => conversation?.shadowRoot?.querySelector('textarea'), 'the composer');
}

/** Types into a reply box as the agent would (an input event follows). */
export function typeInto(box: HTMLTextAreaElement, text: string): void {
  box.value = text;
  box.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
}
