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
 *    candidates, whatever the waitlist length n. This step is O(n log n) (one sort).
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
	const C = Math.max(0, Math.floor(capacity));
	if (C === 0 || maxCount <= 0 || items.length === 0) return { chosen: [], value: 0, considered: 0 };

	// 1. Reduction: per size, the best ⌊C/s⌋ (and at most M) by value, ties by priority (index).
	const bySize = new Map<number, number[]>();
	items.forEach((item, index) => {
		if (item.size < 1 || item.size > C || item.value <= 0) return;
		const list = bySize.get(item.size);
		if (list) list.push(index);
		else bySize.set(item.size, [index]);
	});
	const kept: number[] = [];
	for (const [size, list] of bySize) {
		list.sort((a, b) => items[b].value - items[a].value || a - b);
		kept.push(...list.slice(0, Math.min(Math.floor(C / size), maxCount)));
	}
	kept.sort((a, b) => a - b); // back to priority order
	const K = kept.length;
	const M = Math.min(maxCount, C, K);
	if (K === 0) return { chosen: [], value: 0, considered: 0 };

	// 2. F over (c, m), flattened; take[i] bit per cell.
	const W = (C + 1) * (M + 1);
	let next = new Float64Array(W); // F_{i+1}
	let cur = new Float64Array(W);
	const take = new Uint8Array(K * W);
	for (let k = K - 1; k >= 0; k--) {
		const { size, value } = items[kept[k]];
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
			c -= items[kept[k]].size;
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
