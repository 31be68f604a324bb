/**
 * Memoized selectors. A selector built with {@link createSelector} recomputes only when one of its inputs
 * returns a different value (by identity), so subscribing many components costs one comparison per input per
 * state change.
 */
export type Selector<State, Result> = (state: State) => Result;

/** Any selector; `never` as the state type lets selectors of any state in, and {@link StateOf} recovers it. */
type AnySelector = Selector<never, unknown>;
type StateOf<Inputs extends readonly AnySelector[]> = Parameters<Inputs[0]>[0];

type SelectorResults<Inputs extends readonly AnySelector[]> = {
  [Index in keyof Inputs]: Inputs[Index] extends (state: never) => infer Result ? Result : never;
};

export function createSelector<const Inputs extends readonly [AnySelector, ...AnySelector[]], Result>(
  inputs: Inputs,
  project: (...values: SelectorResults<Inputs>) => Result,
): Selector<StateOf<Inputs>, Result> {
  type State = StateOf<Inputs>;
  const selectors = inputs as readonly AnySelector[] as readonly Selector<State, unknown>[];
  const count = selectors.length;
  let lastInputs: unknown[] | null = null;
  let lastResult: Result;
  return (state: State): Result => {
    // Plain loops: this runs for every subscribed selector on every state change.
    let same = lastInputs !== null;
    const values = new Array<unknown>(count);
    for (let index = 0; index < count; index++) {
      const value = (selectors[index] as Selector<State, unknown>)(state);
      values[index] = value;
      if (same && !Object.is(value, (lastInputs as unknown[])[index])) same = false;
    }
    if (same) return lastResult;
    // Remember the inputs only once the projector has returned, so a projector that throws is retried.
    lastResult = project(...(values as SelectorResults<Inputs>));
    lastInputs = values;
    return lastResult;
  };
}

/**
 * A selector factory keyed by an argument (a conversation id, say), with one memoized selector per key.
 * The cache is bounded so a long session does not grow it without limit.
 */
export function selectorFamily<State, Key, Result>(
  build: (key: Key) => Selector<State, Result>,
  maxEntries = 256,
): (key: Key) => Selector<State, Result> {
  const cache = new Map<Key, Selector<State, Result>>();
  return (key: Key) => {
    let selector = cache.get(key);
    if (selector) {
      cache.delete(key);
      cache.set(key, selector);
      return selector;
    }
    selector = build(key);
    cache.set(key, selector);
    if (cache.size > maxEntries) cache.delete(cache.keys().next().value as Key);
    return selector;
  };
}
