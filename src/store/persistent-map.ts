/**
 * An immutable string-keyed map with structural sharing (a hash array mapped trie).
 *
 * Why: the store keeps normalized entity maps and its reducers are pure. Copying a 10,000-entry object per event
 * costs milliseconds; `set` here copies one path of at most 7 small nodes, so the cost of one update does not
 * grow with the number of entries in any way that matters (log32 n).
 */

const BITS = 5;
const MASK = (1 << BITS) - 1;

interface Leaf<V> {
  readonly kind: 0;
  readonly hash: number;
  readonly key: string;
  readonly value: V;
}
interface Branch<V> {
  readonly kind: 1;
  readonly bitmap: number;
  readonly children: readonly TrieNode<V>[];
}
/** Entries whose 32-bit hashes are equal. */
interface Collision<V> {
  readonly kind: 2;
  readonly hash: number;
  readonly leaves: readonly Leaf<V>[];
}
type TrieNode<V> = Leaf<V> | Branch<V> | Collision<V>;

const EMPTY_BRANCH: Branch<never> = { kind: 1, bitmap: 0, children: [] };

/** FNV-1a over UTF-16 code units. */
function hashKey(key: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

function bitCount(value: number): number {
  let v = value - ((value >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}

function insertAt<T>(items: readonly T[], index: number, item: T): T[] {
  const copy = items.slice(0, index);
  copy.push(item);
  for (let i = index; i < items.length; i++) copy.push(items[i] as T);
  return copy;
}

function replaceAt<T>(items: readonly T[], index: number, item: T): T[] {
  const copy = items.slice();
  copy[index] = item;
  return copy;
}

function removeAt<T>(items: readonly T[], index: number): T[] {
  const copy = items.slice(0, index);
  for (let i = index + 1; i < items.length; i++) copy.push(items[i] as T);
  return copy;
}

function nodeHash<V>(node: Leaf<V> | Collision<V>): number {
  return node.hash;
}

/** A branch holding two nodes whose hashes differ somewhere at or below `shift`. */
function pairBranch<V>(a: Leaf<V> | Collision<V>, b: Leaf<V> | Collision<V>, shift: number): TrieNode<V> {
  const hashA = nodeHash(a);
  const hashB = nodeHash(b);
  if (hashA === hashB) {
    const leavesA = a.kind === 0 ? [a] : a.leaves;
    const leavesB = b.kind === 0 ? [b] : b.leaves;
    return { kind: 2, hash: hashA, leaves: [...leavesA, ...leavesB] };
  }
  const fragA = (hashA >>> shift) & MASK;
  const fragB = (hashB >>> shift) & MASK;
  if (fragA === fragB) {
    return { kind: 1, bitmap: 1 << fragA, children: [pairBranch(a, b, shift + BITS)] };
  }
  return {
    kind: 1,
    bitmap: (1 << fragA) | (1 << fragB),
    children: fragA < fragB ? [a, b] : [b, a],
  };
}

interface SetResult {
  added: boolean;
}

function setIn<V>(node: TrieNode<V>, shift: number, leaf: Leaf<V>, result: SetResult): TrieNode<V> {
  switch (node.kind) {
    case 0:
      if (node.key === leaf.key) return Object.is(node.value, leaf.value) ? node : leaf;
      result.added = true;
      return pairBranch(node, leaf, shift);
    case 2: {
      if (node.hash !== leaf.hash) {
        result.added = true;
        return pairBranch(node, leaf, shift);
      }
      const index = node.leaves.findIndex((entry) => entry.key === leaf.key);
      if (index === -1) {
        result.added = true;
        return { kind: 2, hash: node.hash, leaves: [...node.leaves, leaf] };
      }
      if (Object.is(node.leaves[index]?.value, leaf.value)) return node;
      return { kind: 2, hash: node.hash, leaves: replaceAt(node.leaves, index, leaf) };
    }
    case 1: {
      const bit = 1 << ((leaf.hash >>> shift) & MASK);
      const index = bitCount(node.bitmap & (bit - 1));
      if ((node.bitmap & bit) === 0) {
        result.added = true;
        return { kind: 1, bitmap: node.bitmap | bit, children: insertAt(node.children, index, leaf) };
      }
      const child = node.children[index] as TrieNode<V>;
      const updated = setIn(child, shift + BITS, leaf, result);
      return updated === child ? node : { kind: 1, bitmap: node.bitmap, children: replaceAt(node.children, index, updated) };
    }
  }
}

/** Returns the node without `key`; `null` when the node became empty; the same node when `key` was absent. */
function deleteIn<V>(node: TrieNode<V>, shift: number, hash: number, key: string, isRoot: boolean): TrieNode<V> | null {
  switch (node.kind) {
    case 0:
      return node.key === key ? null : node;
    case 2: {
      const index = node.leaves.findIndex((entry) => entry.key === key);
      if (index === -1) return node;
      const leaves = removeAt(node.leaves, index);
      return leaves.length === 1 ? (leaves[0] as Leaf<V>) : { kind: 2, hash: node.hash, leaves };
    }
    case 1: {
      const bit = 1 << ((hash >>> shift) & MASK);
      if ((node.bitmap & bit) === 0) return node;
      const index = bitCount(node.bitmap & (bit - 1));
      const child = node.children[index] as TrieNode<V>;
      const updated = deleteIn(child, shift + BITS, hash, key, false);
      if (updated === child) return node;
      if (updated === null) {
        const bitmap = node.bitmap & ~bit;
        if (bitmap === 0) return isRoot ? EMPTY_BRANCH : null;
        const children = removeAt(node.children, index);
        // A lone leaf can move up: its position only depends on the hash bits of the levels above.
        if (!isRoot && children.length === 1 && (children[0] as TrieNode<V>).kind !== 1) return children[0] as TrieNode<V>;
        return { kind: 1, bitmap, children };
      }
      if (!isRoot && node.children.length === 1 && updated.kind !== 1) return updated;
      return { kind: 1, bitmap: node.bitmap, children: replaceAt(node.children, index, updated) };
    }
  }
}

function* iterate<V>(node: TrieNode<V>): Generator<Leaf<V>> {
  switch (node.kind) {
    case 0:
      yield node;
      return;
    case 2:
      yield* node.leaves;
      return;
    case 1:
      for (const child of node.children) yield* iterate(child);
  }
}

function forEachLeaf<V>(node: TrieNode<V>, visit: (leaf: Leaf<V>) => void): void {
  if (node.kind === 0) visit(node);
  else if (node.kind === 2) node.leaves.forEach(visit);
  else for (const child of node.children) forEachLeaf(child, visit);
}

function collectLeaves<V>(node: TrieNode<V> | undefined, into: Map<string, V>): void {
  if (node) forEachLeaf(node, (leaf) => into.set(leaf.key, leaf.value));
}

/** Visits what differs between two tries, skipping every subtree the two versions share by reference. */
function diffNodes<V>(
  before: TrieNode<V> | undefined,
  after: TrieNode<V> | undefined,
  visit: (key: string, before: V | undefined, after: V | undefined) => void,
): void {
  if (before === after) return;
  if (before?.kind === 1 && after?.kind === 1) {
    let bits = before.bitmap | after.bitmap;
    while (bits !== 0) {
      const bit = bits & -bits;
      bits ^= bit;
      const childBefore = before.bitmap & bit ? before.children[bitCount(before.bitmap & (bit - 1))] : undefined;
      const childAfter = after.bitmap & bit ? after.children[bitCount(after.bitmap & (bit - 1))] : undefined;
      diffNodes(childBefore, childAfter, visit);
    }
    return;
  }
  // A leaf or collision against anything: the subtrees are small (they differ where one was split), so compare entries.
  const old = new Map<string, V>();
  const current = new Map<string, V>();
  collectLeaves(before, old);
  collectLeaves(after, current);
  for (const [key, value] of old) {
    const next = current.get(key);
    if (next === undefined) visit(key, value, undefined);
    else if (!Object.is(next, value)) visit(key, value, next);
  }
  for (const [key, value] of current) if (!old.has(key)) visit(key, undefined, value);
}

export class PersistentMap<V> implements Iterable<[string, V]> {
  static empty<V>(): PersistentMap<V> {
    return EMPTY_MAP as PersistentMap<V>;
  }

  static from<V>(entries: Iterable<readonly [string, V]>): PersistentMap<V> {
    let map = PersistentMap.empty<V>();
    for (const [key, value] of entries) map = map.set(key, value);
    return map;
  }

  /** Builds a map from records keyed by their `id`. */
  static fromEntities<V extends { readonly id: string }>(records: Iterable<V>): PersistentMap<V> {
    let map = PersistentMap.empty<V>();
    for (const record of records) map = map.set(record.id, record);
    return map;
  }

  private constructor(
    private readonly root: Branch<V>,
    readonly size: number,
  ) {}

  get(key: string): V | undefined {
    const hash = hashKey(key);
    let node: TrieNode<V> = this.root;
    let shift = 0;
    for (;;) {
      if (node.kind === 0) return node.key === key ? node.value : undefined;
      if (node.kind === 2) return node.leaves.find((leaf) => leaf.key === key)?.value;
      const bit = 1 << ((hash >>> shift) & MASK);
      if ((node.bitmap & bit) === 0) return undefined;
      node = node.children[bitCount(node.bitmap & (bit - 1))] as TrieNode<V>;
      shift += BITS;
    }
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  /** Returns this map itself when the value is already stored under `key`. */
  set(key: string, value: V): PersistentMap<V> {
    const result: SetResult = { added: false };
    const root = setIn(this.root, 0, { kind: 0, hash: hashKey(key), key, value }, result) as Branch<V>;
    return root === this.root ? this : new PersistentMap(root, this.size + (result.added ? 1 : 0));
  }

  /** Applies `update` to the value under `key`, if there is one. */
  update(key: string, update: (value: V) => V): PersistentMap<V> {
    const current = this.get(key);
    return current === undefined ? this : this.set(key, update(current));
  }

  delete(key: string): PersistentMap<V> {
    const root = deleteIn(this.root, 0, hashKey(key), key, true) as Branch<V>;
    return root === this.root ? this : new PersistentMap(root, this.size - 1);
  }

  /**
   * Calls `visit` for every key whose value differs from `previous` (added, removed or replaced), in time
   * proportional to the changes, not to the size of the maps, when this map was derived from `previous`.
   */
  diff(previous: PersistentMap<V>, visit: (key: string, before: V | undefined, after: V | undefined) => void): void {
    diffNodes(previous.root, this.root, visit);
  }

  forEach(visit: (value: V, key: string) => void): void {
    forEachLeaf(this.root, (leaf) => visit(leaf.value, leaf.key));
  }

  values(): V[] {
    const values: V[] = [];
    forEachLeaf(this.root, (leaf) => values.push(leaf.value));
    return values;
  }

  keys(): string[] {
    const keys: string[] = [];
    forEachLeaf(this.root, (leaf) => keys.push(leaf.key));
    return keys;
  }

  *[Symbol.iterator](): Iterator<[string, V]> {
    for (const leaf of iterate(this.root)) yield [leaf.key, leaf.value];
  }
}

const EMPTY_MAP = new (PersistentMap as unknown as new (root: Branch<never>, size: number) => PersistentMap<never>)(
  EMPTY_BRANCH,
  0,
);
