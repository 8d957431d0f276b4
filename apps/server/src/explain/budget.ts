/** A run stopped because its token budget was spent. */
export class BudgetReachedError extends Error {
  override name = "BudgetReachedError";
}

/**
 * Input + output tokens a run may spend, counted from the API's usage fields. A call is only started while the budget
 * is not yet spent; calls already in flight when it runs out still finish, so a run can overshoot by at most the
 * calls of its concurrent features.
 */
export class TokenBudget {
  inputTokens = 0;
  outputTokens = 0;

  constructor(readonly limit: number) {}

  get spent(): number {
    return this.inputTokens + this.outputTokens;
  }

  get reached(): boolean {
    return this.spent >= this.limit;
  }

  spend(usage: { inputTokens: number; outputTokens: number }): void {
    this.inputTokens += usage.inputTokens;
    this.outputTokens += usage.outputTokens;
  }

  /** Throws BudgetReachedError once the budget is spent. */
  check(): void {
    if (this.reached) {
      throw new BudgetReachedError(`the token budget of ${this.limit} is spent (${this.spent} tokens used)`);
    }
  }
}
