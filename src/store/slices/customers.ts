import type { Customer } from '../../connector/model.js';
import { PersistentMap } from '../persistent-map.js';
import type { Action } from '../action.js';
import * as actions from '../actions.js';
import * as accessActions from '../actions-access.js';
import * as customer360 from '../actions-customer360.js';
import type { AppliedEvent } from './applied-event.js';

export interface CustomersSlice {
  readonly entities: PersistentMap<Customer>;
}

export const initialCustomers: CustomersSlice = { entities: PersistentMap.empty() };

function upsertAll(entities: PersistentMap<Customer>, customers: readonly Customer[]): PersistentMap<Customer> {
  let next = entities;
  for (const customer of customers) next = next.set(customer.id, customer);
  return next;
}

const withEntities = (slice: CustomersSlice, entities: PersistentMap<Customer>): CustomersSlice =>
  entities === slice.entities ? slice : { entities };

export function customersReducer(slice: CustomersSlice, action: Action, event: AppliedEvent): CustomersSlice {
  if (event?.type === 'customer.updated') return withEntities(slice, slice.entities.set(event.customer.id, event.customer));
  if (event?.type === 'customer.merged') return withEntities(slice, slice.entities.delete(event.sourceId));
  if (actions.customersLoaded.match(action)) return withEntities(slice, upsertAll(slice.entities, action.payload.customers));
  if (actions.snapshotLoaded.match(action)) return withEntities(slice, upsertAll(slice.entities, action.payload.snapshot.customers));
  // The answers of the panel's own commands carry the customer as saved, ahead of (or without) an event.
  if (customer360.customerProfileLoaded.match(action) || customer360.customerSaved.match(action)) {
    return withEntities(slice, slice.entities.set(action.payload.customer.id, action.payload.customer));
  }
  if (customer360.customersMerged.match(action)) {
    const { customer, sourceId } = action.payload;
    return withEntities(slice, slice.entities.delete(sourceId).set(customer.id, customer));
  }
  if (accessActions.accessChanged.match(action) && !action.payload.viewPii) return initialCustomers;
  if (actions.workspaceStopped.match(action)) return initialCustomers;
  return slice;
}
