// Registers every cc-* element under its default tag name. Hosts that need other names import the classes
// from 'cc-workspace' and call customElements.define themselves.
import './components/workspace/workspace.js';
import './components/conversation-list/conversation-list.js';
import './components/agent-status/agent-status.js';
import './components/conversation/conversation.js';
import './components/customer-panel/customer-panel.js';
import './components/knowledge-search/knowledge-search.js';
import './components/ticket-pane/ticket-pane.js';
import './components/softphone/softphone.js';
