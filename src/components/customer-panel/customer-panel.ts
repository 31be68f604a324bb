import { CcCustomerPanel } from './customer-panel.component.js';

export { CcCustomerPanel };

if (!customElements.get('cc-customer-panel')) customElements.define('cc-customer-panel', CcCustomerPanel);

declare global {
  interface HTMLElementTagNameMap {
    'cc-customer-panel': CcCustomerPanel;
  }
}
