/**
 * Lets the event loop run (timers, I/O, messages from other threads) before long work continues: a cancel reaches
 * compute as an event (a worker's abort signal is aborted when its heartbeat thread's message is handled), so a loop
 * that never yields cannot be stopped.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
