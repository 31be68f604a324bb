import { expect } from '@esm-bundle/chai';
import { PersistentMap } from './persistent-map.js';

describe('PersistentMap', () => {
  it('behaves like a Map under random sets and deletes, and never changes an older version', () => {
    let seed = 42;
    const random = (): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 2 ** 32;
    };
    const reference = new Map<string, number>();
    let map = PersistentMap.empty<number>();
    const snapshots: Array<[PersistentMap<number>, Map<string, number>]> = [];
    for (let step = 0; step < 20000; step++) {
      const key = `k-${Math.floor(random() * 3000)}`;
      if (random() < 0.3) {
        reference.delete(key);
        map = map.delete(key);
      } else {
        reference.set(key, step);
        map = map.set(key, step);
      }
      if (step % 2500 === 0) snapshots.push([map, new Map(reference)]);
    }
    expect(map.size).to.equal(reference.size);
    for (const [key, value] of reference) expect(map.get(key)).to.equal(value);
    expect(new Map(map)).to.deep.equal(reference);
    for (const [old, expected] of snapshots) {
      expect(old.size).to.equal(expected.size);
      expect(new Map(old)).to.deep.equal(expected);
    }
  });

  it('keeps keys whose hashes collide apart', () => {
    // "costarring" and "liquid" collide under 32-bit FNV-1a.
    const map = PersistentMap.empty<number>().set('costarring', 1).set('liquid', 2).set('other', 3);
    expect(map.get('costarring')).to.equal(1);
    expect(map.get('liquid')).to.equal(2);
    const fewer = map.delete('costarring');
    expect(fewer.get('costarring')).to.equal(undefined);
    expect(fewer.get('liquid')).to.equal(2);
    expect(fewer.size).to.equal(2);
  });

  it('returns the same map when nothing changes', () => {
    const map = PersistentMap.empty<string>().set('a', 'x');
    expect(map.set('a', 'x')).to.equal(map);
    expect(map.delete('missing')).to.equal(map);
    expect(map.update('missing', () => 'y')).to.equal(map);
  });

  it('empties completely', () => {
    let map = PersistentMap.empty<number>();
    for (let i = 0; i < 500; i++) map = map.set(String(i), i);
    for (let i = 0; i < 500; i++) map = map.delete(String(i));
    expect(map.size).to.equal(0);
    expect(map.values()).to.deep.equal([]);
  });

  it('diffs two versions by their changes only', () => {
    let base = PersistentMap.empty<number>();
    for (let i = 0; i < 5000; i++) base = base.set(`k-${i}`, i);
    const next = base.set('k-1', -1).delete('k-2').set('new', 7).set('costarring', 1).set('liquid', 2);
    const seen: Array<[string, number | undefined, number | undefined]> = [];
    next.diff(base, (key, before, after) => seen.push([key, before, after]));
    expect(seen.sort()).to.deep.equal(
      [
        ['costarring', undefined, 1],
        ['k-1', 1, -1],
        ['k-2', 2, undefined],
        ['liquid', undefined, 2],
        ['new', undefined, 7],
      ].sort(),
    );
    const none: string[] = [];
    base.diff(base, (key) => none.push(key));
    expect(none).to.deep.equal([]);
    // Against an unrelated map it still reports every difference.
    const other = PersistentMap.from([['k-1', 1], ['x', 9]]);
    const all: string[] = [];
    other.diff(PersistentMap.from([['k-1', 1], ['y', 3]]), (key) => all.push(key));
    expect(all.sort()).to.deep.equal(['x', 'y']);
  });
});
