import { ContextConsumer } from '@lit/context';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Subscription } from 'rxjs';
import type { Action } from '../store/action.js';
import type { DeskStore } from '../store/create-store.js';
import type { Selector } from '../store/select.js';
import type { DeskState } from '../store/state.js';
import { deskStoreContext } from './desk-context.js';

/**
 * Subscribes its host to one selector of the desk store and re-renders it when the selected value changes.
 *
 * The store comes from `<cc-workspace>` through context, or from {@link StoreController.setStore} when a
 * part is used on its own with an explicit `store` property (which then wins over context).
 */
export class StoreController<Result> implements ReactiveController {
  /** The selected value; `initial` until a store is known. */
  value: Result;
  private contextStore: DeskStore | undefined;
  private explicitStore: DeskStore | undefined;
  private subscribedStore: DeskStore | undefined;
  private subscription: Subscription | undefined;
  private connected = false;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly selector: Selector<DeskState, Result>,
    initial: Result,
  ) {
    this.value = initial;
    host.addController(this);
    new ContextConsumer(host, {
      context: deskStoreContext,
      subscribe: true,
      callback: (store) => {
        this.contextStore = store;
        this.resubscribe();
      },
    });
  }

  /** The store in use, if any. */
  get store(): DeskStore | undefined {
    return this.explicitStore ?? this.contextStore;
  }

  /** Uses this store instead of the one from context; `undefined` goes back to context. */
  setStore(store: DeskStore | undefined): void {
    this.explicitStore = store;
    this.resubscribe();
  }

  /** Dispatches an intent to the store in use; without one there is nobody to tell, so it is dropped. */
  dispatch(action: Action): void {
    this.store?.dispatch(action);
  }

  hostConnected(): void {
    this.connected = true;
    this.resubscribe();
  }

  hostDisconnected(): void {
    this.connected = false;
    this.unsubscribe();
  }

  private resubscribe(): void {
    const store = this.connected ? this.store : undefined;
    if (store === this.subscribedStore && this.subscription) return;
    this.unsubscribe();
    if (!store) return;
    this.subscribedStore = store;
    this.subscription = store.select(this.selector).subscribe((value) => {
      if (Object.is(value, this.value)) return;
      this.value = value;
      this.host.requestUpdate();
    });
  }

  private unsubscribe(): void {
    this.subscription?.unsubscribe();
    this.subscription = undefined;
    this.subscribedStore = undefined;
  }
}
