/**
 * The permutation that sorts rows by (hi, lo) ascending: an LSD radix sort on four 16-bit digits, O(n) and
 * stable, far cheaper than a comparison sort of 10M index pairs (the lookup index is built once per allocation).
 */
export function radixOrder(hi: Uint32Array, lo: Uint32Array): Uint32Array {
  const n = hi.length;
  let order = new Uint32Array(n);
  let next = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const count = new Uint32Array(65537);
  const digits: [Uint32Array, number][] = [
    [lo, 0],
    [lo, 16],
    [hi, 0],
    [hi, 16],
  ];
  for (const [word, shift] of digits) {
    count.fill(0);
    for (let i = 0; i < n; i++) count[((word[i]! >>> shift) & 0xffff) + 1]!++;
    for (let k = 0; k < 65536; k++) count[k + 1]! += count[k]!;
    for (let i = 0; i < n; i++) {
      const row = order[i]!;
      next[count[(word[row]! >>> shift) & 0xffff]!++] = row;
    }
    [order, next] = [next, order];
  }
  return order;
}
