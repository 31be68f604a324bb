import { CcConversationList } from './conversation-list.component.js';

export { CcConversationList };

if (!customElements.get('cc-conversation-list')) customElements.define('cc-conversation-list', CcConversationList);

declare global {
  interface HTMLElementTagNameMap {
    'cc-conversation-list': CcConversationList;
  }
}
