import { CcTicketPane } from './ticket-pane.component.js';

export { CcTicketPane };

if (!customElements.get('cc-ticket-pane')) customElements.define('cc-ticket-pane', CcTicketPane);

declare global {
  interface HTMLElementTagNameMap {
    'cc-ticket-pane': CcTicketPane;
  }
}
