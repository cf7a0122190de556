/**
 * Milliseconds of CPU this process spends in fn. The linear-time tests bound CPU, not wall-clock
 * time: on a shared machine (CI's 2 cores, jest's other workers) another process's load stretches
 * wall-clock time several-fold and read as a slow pattern, while a backtracking regex burns CPU and
 * is still caught.
 */
export function cpuMsOf(fn: () => unknown): number {
	// eslint-disable-next-line @n8n/community-nodes/no-restricted-globals -- a test helper, not node code: the jest worker's own CPU time
	const before = process.cpuUsage();
	fn();
	// eslint-disable-next-line @n8n/community-nodes/no-restricted-globals -- as above
	const used = process.cpuUsage(before);
	return (used.user + used.system) / 1000;
}
