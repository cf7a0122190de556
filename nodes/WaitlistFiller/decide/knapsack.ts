/**
 * Exact choice of waitlist entries for freed seats: a 0/1 knapsack with a cardinality limit.
 *
 * maximise Σ v_i x_i  subject to  Σ size_i x_i ≤ C,  Σ x_i ≤ M,  x_i ∈ {0, 1}
 *
 * where v_i is the entry's expected filled seats as an integer in millionths of a seat (integers make
 * ties exact, so "ties broken by waiting time" is well defined and the result never depends on float
 * rounding order).
 *
 * Algorithm (why it is exact, and its bound):
 * 1. Reduction. Among entries of the same party size s, a feasible set holds at most ⌊C/s⌋ of them,
 *    and by exchange an optimal set can always use the best ones (highest value, then longest
 *    waiting). So only the top min(⌊C/s⌋, M) entries of each size are kept: K ≤ Σ_s ⌊C/s⌋ ≤ C·(1 + ln C)
 *    candidates, whatever the waitlist length n. This step is one pass, O(n · min(C, M)), keeping a
 *    small sorted buffer per size (the waiting-order sort before it is O(n log n)).
 * 2. Dynamic programme over (capacity, count), items in priority order processed from the last:
 *    F_i(c, m) = max(F_{i+1}(c, m), v_i + F_{i+1}(c − s_i, m − 1)). Time O(K · C · M'), memory
 *    O(K · C · M') bits for the decisions plus O(C · M') values, with M' = min(M, C, K).
 *    For C = 20 seats and M = 5: K ≤ 72, about 8,000 cell updates.
 * 3. Ties. Items are in priority order (longest waiting first). Taking item i wins a tie with
 *    skipping it, and the set is rebuilt from the first item on, so among all optimal sets the one
 *    chosen is the lexicographically earliest by waiting time: it includes the longest-waiting entry
 *    whenever some optimal set does, then the next, and so on.
 */

export interface KnapsackItem {
	/** Seats the entry needs (integer ≥ 1). */
	size: number;
	/** Expected filled seats in millionths (integer ≥ 0). */
	value: number;
}

export interface KnapsackResult {
	/** Indices into the input array, in priority order. */
	chosen: number[];
	value: number;
	/** Candidates the programme actually ran over after the reduction (K above). */
	considered: number;
}

/**
 * @param items already sorted by priority (index 0 = longest waiting)
 * @param capacity C, seats that may be offered
 * @param maxCount M, maximum promotions
 */
export function knapsack(items: readonly KnapsackItem[], capacity: number, maxCount: number): KnapsackResult {
	const sizes = new Int32Array(items.length);
	const values = new Float64Array(items.length);
	items.forEach((item, i) => {
		sizes[i] = item.size;
		values[i] = item.value;
	});
	return knapsackArrays(sizes, values, capacity, maxCount);
}

/** The same over parallel arrays (no object per entry: waitlists can be long). */
export function knapsackArrays(sizes: ArrayLike<number>, values: ArrayLike<number>, capacity: number, maxCount: number): KnapsackResult {
	const C = Math.max(0, Math.floor(capacity));
	const n = sizes.length;
	if (C === 0 || maxCount <= 0 || n === 0) return { chosen: [], value: 0, considered: 0 };

	// 1. Reduction: per size s, the best min(⌊C/s⌋, M) by value, ties by priority (lower index). One
	// pass with a small sorted buffer per size (insertion), O(n · k) for k ≤ C, no full sort.
	const buckets: Array<number[] | undefined> = new Array(C + 1);
	for (let i = 0; i < n; i++) {
		const size = sizes[i];
		const value = values[i];
		if (size < 1 || size > C || !(value > 0)) continue;
		const limit = Math.min(Math.floor(C / size), maxCount);
		let top = buckets[size];
		if (!top) buckets[size] = top = [];
		// Indices arrive in increasing order, so an equal value never displaces an earlier entry.
		if (top.length === limit && values[top[limit - 1]] >= value) continue;
		let at = top.length === limit ? limit - 1 : top.length;
		while (at > 0 && values[top[at - 1]] < value) {
			top[at] = top[at - 1];
			at--;
		}
		top[at] = i;
	}
	const kept: number[] = [];
	for (const top of buckets) if (top) kept.push(...top);
	kept.sort((a, b) => a - b); // back to priority order (K is small)
	const K = kept.length;
	const M = Math.min(maxCount, C, K);
	if (K === 0) return { chosen: [], value: 0, considered: 0 };

	// 2. F over (c, m), flattened; take[i] bit per cell.
	const W = (C + 1) * (M + 1);
	let next = new Float64Array(W); // F_{i+1}
	let cur = new Float64Array(W);
	const take = new Uint8Array(K * W);
	for (let k = K - 1; k >= 0; k--) {
		const size = sizes[kept[k]];
		const value = values[kept[k]];
		const base = k * W;
		for (let c = 0; c <= C; c++) {
			const row = c * (M + 1);
			for (let m = 0; m <= M; m++) {
				const skip = next[row + m];
				if (c >= size && m >= 1) {
					const withIt = value + next[(c - size) * (M + 1) + m - 1];
					if (withIt >= skip) {
						cur[row + m] = withIt;
						take[base + row + m] = 1;
						continue;
					}
				}
				cur[row + m] = skip;
			}
		}
		const t = next;
		next = cur;
		cur = t;
	}
	const best = next[C * (M + 1) + M];

	// 3. Rebuild from the longest-waiting candidate on.
	const chosen: number[] = [];
	let c = C;
	let m = M;
	for (let k = 0; k < K && m > 0; k++) {
		if (take[k * W + c * (M + 1) + m]) {
			chosen.push(kept[k]);
			c -= sizes[kept[k]];
			m -= 1;
		}
	}
	return { chosen, value: best, considered: K };
}

/**
 * Strict first-in-first-out: walk the queue in waiting order and offer every entry that still fits.
 * An entry is passed over only when its party is larger than the seats left (or M is reached), which
 * is the promise operators make ("you are number 3"): nobody is skipped to make sizes add up.
 */
export function firstFit(sizes: readonly number[], capacity: number, maxCount: number): number[] {
	const chosen: number[] = [];
	let left = Math.max(0, Math.floor(capacity));
	for (let i = 0; i < sizes.length && chosen.length < maxCount && left > 0; i++) {
		if (sizes[i] >= 1 && sizes[i] <= left) {
			chosen.push(i);
			left -= sizes[i];
		}
	}
	return chosen;
}
