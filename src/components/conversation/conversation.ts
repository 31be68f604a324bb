import { CcConversation } from './conversation.component.js';

export { CcConversation };

if (!customElements.get('cc-conversation')) customElements.define('cc-conversation', CcConversation);

declare global {
  interface HTMLElementTagNameMap {
    'cc-conversation': CcConversation;
  }
}
