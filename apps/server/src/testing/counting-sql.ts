import type { Sql } from "../db/sql.js";

/**
 * The same client, counting the SQL statements it sends: a tagged-template call counts once it is awaited (a
 * fragment embedded in another statement is never awaited, so it does not count).
 */
export function countingSql(sql: Sql): { sql: Sql; statements: () => number; reset: () => void } {
  let statements = 0;
  const proxy = new Proxy(sql, {
    apply(target, self, args: unknown[]) {
      const result = Reflect.apply(target, self, args) as unknown;
      const template = Array.isArray(args[0]) && "raw" in (args[0] as object);
      if (template && result && typeof (result as PromiseLike<unknown>).then === "function") {
        const query = result as PromiseLike<unknown>;
        const then = query.then;
        const counted = function (this: unknown, ...rest: Parameters<typeof then>) {
          statements += 1;
          Reflect.deleteProperty(query, "then");
          return then.apply(this, rest);
        };
        // biome-ignore lint/suspicious/noThenProperty: wraps the query's own `then`, to count it when it is awaited
        Reflect.defineProperty(query, "then", { value: counted, configurable: true, writable: true });
      }
      return result;
    },
  });
  return { sql: proxy, statements: () => statements, reset: () => (statements = 0) };
}
