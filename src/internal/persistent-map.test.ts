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
});
