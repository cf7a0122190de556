/** The Waitlist Filler's decision core: pure TypeScript, no n8n runtime imports, deterministic. */
export * from './types';
export { decide, entryValue, acceptanceUsed, bandMidpoint, waitingOrder, heldSeats, emptyRound, VALUE_SCALE } from './decide';
export { knapsack, knapsackArrays, firstFit } from './knapsack';
export { overbookingAllowance, noShowSeatDistribution } from './overbooking';
export type { OverbookingArithmetic, ConfirmedParty } from './overbooking';
export { routeChoices, isBlackedOut } from './governance';
export type { ApprovalRules, Routed } from './governance';
export { readEntries, readConfirmed, readSeats, parsePartySize } from './entries';
export type { Invalid } from './entries';
