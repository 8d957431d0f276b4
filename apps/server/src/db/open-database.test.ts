import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import postgres from "postgres";
import { openTestPostgres, realPostgresSkipReason } from "../testing/test-databases.js";
import { openDatabase } from "./open-database.js";

let home: string;

before(async () => {
  home = await mkdtemp(join(tmpdir(), "interlace-home-"));
});

after(async () => {
  await rm(home, { recursive: true, force: true });
});

function deadPid(): number {
  const child = spawnSync(process.execPath, ["-e", ""]);
  assert.ok(child.pid);
  return child.pid;
}

test("embedded: serves PGlite on a free loopback port and records it in pglite.json while open", async () => {
  const first = await openDatabase({ home, databaseUrl: undefined });
  try {
    assert.equal(first.kind, "embedded");
    const info = JSON.parse(await readFile(join(home, "pglite.json"), "utf8")) as { port: number; pid: number };
    assert.equal(info.pid, process.pid);
    assert.ok(info.port > 0 && info.port !== 5432, `port ${info.port}`);
    await first.sql`create table notes (id int primary key, body text)`;
    await first.sql`insert into notes values (1, 'kept')`;

    const second = await openDatabase({ home, databaseUrl: undefined });
    assert.equal(second.kind, "embedded-shared");
    const [row] = await second.sql<{ body: string }[]>`select body from notes where id = 1`;
    assert.equal(row?.body, "kept");
    await second.sql`insert into notes values (2, 'through the socket')`;
    await second.close();

    const [count] = await first.sql<{ n: number }[]>`select count(*)::int as n from notes`;
    assert.equal(count?.n, 2);
  } finally {
    await first.close();
  }
  assert.equal(existsSync(join(home, "pglite.json")), false);
  assert.equal(existsSync(join(home, "pglite.lock")), false);
});

test("embedded: concurrent parameterised queries and transactions over several connections keep their results", async () => {
  const other = await mkdtemp(join(tmpdir(), "interlace-home-"));
  const owner = await openDatabase({ home: other, databaseUrl: undefined }, { poolSize: 4 });
  const sharer = await openDatabase({ home: other, databaseUrl: undefined }, { poolSize: 4 });
  try {
    await owner.sql`create table counters (id int primary key, n int not null)`;
    await owner.sql`insert into counters values (1, 0)`;
    const echoes = Array.from(
      { length: 60 },
      (_, i) =>
        (i % 2 ? owner : sharer).sql<{ v: number; t: string }[]>`select ${i}::int as v, ${`text ${i}`}::text as t`,
    );
    const increments = Array.from({ length: 20 }, (_, i) =>
      (i % 2 ? owner : sharer).sql.begin(async (tx) => {
        const [row] = await tx<{ n: number }[]>`select n from counters where id = 1`;
        await tx`update counters set n = ${(row?.n ?? 0) + 1} where id = 1`;
      }),
    );
    const results = await Promise.all(echoes);
    await Promise.all(increments);
    results.forEach((rows, i) => {
      assert.deepEqual([...rows], [{ v: i, t: `text ${i}` }]);
    });
    const [counter] = await owner.sql<{ n: number }[]>`select n from counters where id = 1`;
    assert.equal(counter?.n, 20);
  } finally {
    await sharer.close();
    await owner.close();
    await rm(other, { recursive: true, force: true });
  }
});

test("embedded: a stale pglite.json and lock from a dead process are taken over, data persists", async () => {
  const pid = deadPid();
  await writeFile(join(home, "pglite.json"), JSON.stringify({ port: 1, pid }));
  await writeFile(join(home, "pglite.lock"), `${pid}\n`);
  const database = await openDatabase({ home, databaseUrl: undefined });
  try {
    assert.equal(database.kind, "embedded");
    const info = JSON.parse(await readFile(join(home, "pglite.json"), "utf8")) as { pid: number };
    assert.equal(info.pid, process.pid);
    const rows = await database.sql<{ id: number }[]>`select id from notes order by id`;
    assert.deepEqual(
      rows.map((row) => row.id),
      [1, 2],
    );
  } finally {
    await database.close();
  }
});

test("embedded: the socket asks for the random password kept in pglite.json, readable by its owner only", async () => {
  const other = await mkdtemp(join(tmpdir(), "interlace-home-"));
  const database = await openDatabase({ home: other, databaseUrl: undefined });
  const client = (password: string | undefined) =>
    postgres({
      host: "127.0.0.1",
      port: info.port,
      user: "postgres",
      database: "postgres",
      max: 1,
      connect_timeout: 5,
      onnotice: () => {},
      ...(password === undefined ? {} : { password }),
    });
  const file = join(other, "pglite.json");
  const info = JSON.parse(await readFile(file, "utf8")) as { port: number; password: string };
  try {
    assert.equal((await stat(file)).mode & 0o777, 0o600);
    assert.match(info.password, /^[A-Za-z0-9_-]{43}$/);
    for (const password of [undefined, "", "wrong", `${info.password}x`]) {
      const intruder = client(password);
      await assert.rejects(intruder`select 1`, /password authentication failed|password/, String(password));
      await intruder.end({ timeout: 1 });
    }
    const raw = await new Promise<string>((resolve) => {
      const socket = connect(info.port, "127.0.0.1", () => socket.write("GET / HTTP/1.1\r\n\r\n"));
      let answer = "";
      socket.on("data", (chunk) => {
        answer += chunk.toString("latin1");
      });
      socket.on("close", () => resolve(answer));
    });
    assert.match(raw, /invalid startup packet|unsupported frontend protocol/);
    const friend = client(info.password);
    assert.deepEqual([...(await friend`select 1 as one`)], [{ one: 1 }]);
    await friend.end({ timeout: 1 });
    assert.deepEqual([...(await database.sql`select 2 as two`)], [{ two: 2 }]);
  } finally {
    await database.close();
    await rm(other, { recursive: true, force: true });
  }
});

test("embedded: a client idle in a transaction is cut off and rolled back, and the others go on", {
  timeout: 60_000,
}, async () => {
  const other = await mkdtemp(join(tmpdir(), "interlace-home-"));
  const database = await openDatabase({ home: other, databaseUrl: undefined }, { idleInTransactionMs: 300 });
  const info = JSON.parse(await readFile(join(other, "pglite.json"), "utf8")) as { port: number; password: string };
  const stalling = postgres({
    host: "127.0.0.1",
    port: info.port,
    user: "postgres",
    password: info.password,
    database: "postgres",
    max: 1,
    onnotice: () => {},
  });
  try {
    await database.sql`create table held (id int primary key)`;
    const reserved = await stalling.reserve();
    await reserved`begin`;
    await reserved`insert into held values (1)`;
    const [row] = await database.sql<{ n: number }[]>`select count(*)::int as n from held`;
    assert.equal(row?.n, 0, "the held transaction was rolled back");
    await assert.rejects(reserved`insert into held values (2)`);
    await database.sql`insert into held values (3)`;
    const ids = await database.sql<{ id: number }[]>`select id from held order by id`;
    assert.deepEqual(
      ids.map((held) => held.id),
      [3],
    );
  } finally {
    await stalling.end({ timeout: 1 });
    await database.close();
    await rm(other, { recursive: true, force: true });
  }
});

test("embedded: a live holder that never answers makes open fail with the lock's path", async () => {
  const other = await mkdtemp(join(tmpdir(), "interlace-home-"));
  await writeFile(join(other, "pglite.lock"), `${process.ppid}\n`);
  await assert.rejects(openDatabase({ home: other, databaseUrl: undefined }, { waitForHolderMs: 300 }), /pglite\.lock/);
  await rm(other, { recursive: true, force: true });
});

test("DATABASE_URL: connects to that Postgres", { skip: realPostgresSkipReason() }, async () => {
  const database = await openTestPostgres();
  try {
    const [row] = await database.sql<{ v: string }[]>`select current_database() as v`;
    assert.match(row?.v ?? "", /^interlace_test_/);
  } finally {
    await database.close();
  }
});
