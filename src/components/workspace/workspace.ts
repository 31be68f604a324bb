// The workspace's registration registers the parts it holds; the class module registers nothing.
import '../agent-status/agent-status.js';
import '../conversation-list/conversation-list.js';
import '../conversation/conversation.js';
import '../customer-panel/customer-panel.js';
import '../knowledge-search/knowledge-search.js';
import '../ticket-pane/ticket-pane.js';
import '../softphone/softphone.js';
import { CcWorkspace } from './workspace.component.js';

export { CcWorkspace };

if (!customElements.get('cc-workspace')) customElements.define('cc-workspace', CcWorkspace);

declare global {
  interface HTMLElementTagNameMap {
    'cc-workspace': CcWorkspace;
  }
}
