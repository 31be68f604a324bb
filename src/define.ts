// Registers every cc-* element under its default tag name. Hosts that need other names import the classes
// from 'cc-workspace' and call customElements.define themselves.
import './components/workspace/workspace.js';
import './components/conversation-list/conversation-list.js';
import './components/conversation/conversation.js';
