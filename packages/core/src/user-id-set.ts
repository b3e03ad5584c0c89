import { tieKeyOf } from './allocation/tie-key.js';

/**
 * The user ids seen so far, as 53-bit hashes (tieKeyOf) with the row each came from, in typed arrays: about 12 bytes
 * per user at most twice the users' count in slots, where a Map of the ids as strings took ~100 bytes per user
 * (issue 9 §4: a population check bounded by numbers, not by strings). Equal hashes are only candidates: the
 * caller confirms a duplicate by comparing the ids themselves (re-reading the earlier row if it must).
 */
export class UserIdSet {
  private keys: Float64Array;
  private rows: Uint32Array;
  private used = 0;

  constructor(capacity = 1 << 16) {
    const c = 2 ** Math.max(4, Math.ceil(Math.log2(capacity)));
    this.keys = new Float64Array(c).fill(-1);
    this.rows = new Uint32Array(c);
  }

  get size(): number {
    return this.used;
  }

  /**
   * Adds `id` seen at `row` (< 2^32) and returns the earlier rows whose id has the same hash: usually none; a
   * duplicate of `id` is among them if there is one.
   */
  add(id: string, row: number): number[] {
    if (2 * (this.used + 1) > this.keys.length) this.grow();
    const key = tieKeyOf(id);
    const same: number[] = [];
    const mask = this.keys.length - 1;
    let slot = (key % this.keys.length) & mask;
    for (; this.keys[slot] !== -1; slot = (slot + 1) & mask) if (this.keys[slot] === key) same.push(this.rows[slot]!);
    this.keys[slot] = key;
    this.rows[slot] = row;
    this.used++;
    return same;
  }

  private grow(): void {
    const { keys, rows } = this;
    this.keys = new Float64Array(keys.length * 2).fill(-1);
    this.rows = new Uint32Array(keys.length * 2);
    const mask = this.keys.length - 1;
    for (let s = 0; s < keys.length; s++) {
      const key = keys[s]!;
      if (key === -1) continue;
      let slot = (key % this.keys.length) & mask;
      while (this.keys[slot] !== -1) slot = (slot + 1) & mask;
      this.keys[slot] = key;
      this.rows[slot] = rows[s]!;
    }
  }
}
