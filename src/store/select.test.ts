import { expect } from '@esm-bundle/chai';
import { createSelector, selectorFamily, type Selector } from './select.js';

interface State {
  readonly items: readonly number[];
  readonly filter: 'even' | 'odd';
  readonly other: number;
}

const selectItems = (state: State) => state.items;
const selectFilter = (state: State) => state.filter;

describe('createSelector', () => {
  it('recomputes only when an input changes by identity', () => {
    let runs = 0;
    const selectVisible = createSelector([selectItems, selectFilter], (items, filter) => {
      runs += 1;
      return items.filter((item) => (filter === 'even' ? item % 2 === 0 : item % 2 === 1));
    });
    const items = [1, 2, 3, 4];
    const state: State = { items, filter: 'even', other: 0 };
    const first = selectVisible(state);
    expect(first).to.deep.equal([2, 4]);
    expect(runs).to.equal(1);

    // A new state whose inputs are the same objects: the same result, not recomputed.
    expect(selectVisible({ ...state, other: 1 })).to.equal(first);
    expect(runs).to.equal(1);

    // Equal content in a new array is a change (inputs compare by identity).
    const next = selectVisible({ ...state, items: [...items] });
    expect(next).to.not.equal(first);
    expect(next).to.deep.equal([2, 4]);
    expect(runs).to.equal(2);

    expect(selectVisible({ ...state, items: [...items], filter: 'odd' })).to.deep.equal([1, 3]);
    expect(runs).to.equal(3);
  });

  it('remembers one result: going back to earlier inputs recomputes', () => {
    let runs = 0;
    const selectDouble = createSelector([(state: { value: number }) => state.value], (value) => {
      runs += 1;
      return { doubled: value * 2 };
    });
    const one = selectDouble({ value: 1 });
    selectDouble({ value: 2 });
    const oneAgain = selectDouble({ value: 1 });
    expect(oneAgain).to.deep.equal(one);
    expect(oneAgain).to.not.equal(one);
    expect(runs).to.equal(3);
  });

  it('composes: a selector built on a memoized selector reruns only when that one changes', () => {
    let outerRuns = 0;
    const selectVisible = createSelector([selectItems, selectFilter], (items, filter) =>
      items.filter((item) => (filter === 'even' ? item % 2 === 0 : item % 2 === 1)),
    );
    const selectCount = createSelector([selectVisible], (visible) => {
      outerRuns += 1;
      return visible.length;
    });
    const state: State = { items: [1, 2, 3, 4], filter: 'even', other: 0 };
    expect(selectCount(state)).to.equal(2);
    expect(selectCount({ ...state, other: 5 })).to.equal(2);
    expect(outerRuns).to.equal(1);
    expect(selectCount({ ...state, filter: 'odd' })).to.equal(2);
    expect(outerRuns).to.equal(2);
  });

  it('treats NaN as unchanged and +0/-0 as different (Object.is)', () => {
    let runs = 0;
    const select = createSelector([(state: { value: number }) => state.value], (value) => {
      runs += 1;
      return value;
    });
    select({ value: Number.NaN });
    select({ value: Number.NaN });
    expect(runs).to.equal(1);
    select({ value: 0 });
    select({ value: -0 });
    expect(runs).to.equal(3);
  });

  it('does not cache a projector that threw', () => {
    let fail = true;
    const select = createSelector([(state: { value: number }) => state.value], (value) => {
      if (fail) throw new Error('not yet');
      return value + 1;
    });
    const state = { value: 1 };
    expect(() => select(state)).to.throw('not yet');
    fail = false;
    expect(select(state)).to.equal(2);
  });
});

describe('selectorFamily', () => {
  it('builds one memoized selector per key and returns the same one for the same key', () => {
    const built: string[] = [];
    const selectItem = selectorFamily<Record<string, number>, string, number | undefined>((key) => {
      built.push(key);
      return (state) => state[key];
    });
    const a = selectItem('a');
    expect(selectItem('a')).to.equal(a);
    expect(selectItem('b')).to.not.equal(a);
    expect(built).to.deep.equal(['a', 'b']);
    expect(a({ a: 1, b: 2 })).to.equal(1);
    expect(selectItem('b')({ a: 1, b: 2 })).to.equal(2);
  });

  it('is bounded: it forgets the least recently used key beyond the limit', () => {
    const built: number[] = [];
    const family = selectorFamily<number, number, number>((key) => {
      built.push(key);
      return (state) => state + key;
    }, 3);
    const one = family(1);
    family(2);
    family(3);
    expect(family(1)).to.equal(one); // 1 is now the most recently used; 2 is the oldest
    family(4); // evicts 2
    expect(built).to.deep.equal([1, 2, 3, 4]);
    expect(family(1)).to.equal(one);
    family(3);
    expect(built).to.deep.equal([1, 2, 3, 4]);
    family(2); // rebuilt: it was evicted
    expect(built).to.deep.equal([1, 2, 3, 4, 2]);
    // Adding 2 back evicted the least recently used of 4, 1, 3, namely 4.
    const sizeBefore = built.length;
    family(4);
    expect(built.length).to.equal(sizeBefore + 1);
  });

  it('keeps each key’s memo apart', () => {
    let runs = 0;
    const family = selectorFamily<{ readonly values: Readonly<Record<string, readonly number[]>> }, string, number>((key) =>
      createSelector([(state: { readonly values: Readonly<Record<string, readonly number[]>> }) => state.values[key]], (values) => {
        runs += 1;
        return (values ?? []).reduce((sum, value) => sum + value, 0);
      }),
    );
    const a = [1, 2];
    const b = [10];
    const state = { values: { a, b } };
    expect(family('a')(state)).to.equal(3);
    expect(family('b')(state)).to.equal(10);
    expect(family('a')({ values: { a, b: [20] } })).to.equal(3);
    expect(runs).to.equal(2);
  });

  it('returns selectors usable as plain functions of the state', () => {
    const family = selectorFamily<number, number, number>((key) => (state) => state * key);
    const triple: Selector<number, number> = family(3);
    expect(triple(5)).to.equal(15);
  });
});
