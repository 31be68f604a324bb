import { CcAgentStatus } from './agent-status.component.js';

export { CcAgentStatus };

if (!customElements.get('cc-agent-status')) customElements.define('cc-agent-status', CcAgentStatus);

declare global {
  interface HTMLElementTagNameMap {
    'cc-agent-status': CcAgentStatus;
  }
}
