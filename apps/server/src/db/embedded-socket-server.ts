import { createServer, type Server, type Socket } from "node:net";
import type { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketHandler, type PGLiteSocketHandlerOptions } from "@electric-sql/pglite-socket";

type QueryQueue = PGLiteSocketHandlerOptions["queryQueue"];

interface Pending {
  handlerId: number;
  message: Uint8Array;
  onData: (data: Uint8Array) => void;
  resolve: (bytes: number) => void;
  reject: (error: unknown) => void;
}

/** Extended-protocol messages that continue a batch ended by Sync: Parse, Bind, Describe, Execute, Close, Flush. */
const MID_BATCH = new Set(["P", "B", "D", "E", "C", "H"].map((letter) => letter.charCodeAt(0)));

/**
 * Runs wire-protocol messages of many connections on one PGlite session, giving one connection the session
 * from its first message until its Sync (or simple Query) completes outside a transaction. pglite-socket's own
 * queue interleaves connections message by message, so two clients' Parse/Bind/Execute batches clobber each
 * other's unnamed portal ("portal does not exist").
 */
export class SessionQueue {
  private owner: number | null = null;
  private pending: Pending[] = [];
  private pumping = false;

  constructor(private readonly db: PGlite) {}

  enqueue(handlerId: number, message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      this.pending.push({ handlerId, message, onData, resolve, reject });
      void this.pump();
    });
  }

  clearQueueForHandler(handlerId: number): void {
    const dropped = this.pending.filter((item) => item.handlerId === handlerId);
    this.pending = this.pending.filter((item) => item.handlerId !== handlerId);
    for (const item of dropped) item.reject(new Error("connection closed"));
  }

  async clearTransactionIfNeeded(handlerId: number): Promise<void> {
    if (this.owner !== handlerId) return;
    if (this.db.isInTransaction()) await this.db.exec("ROLLBACK");
    this.owner = null;
    void this.pump();
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      for (;;) {
        const index = this.owner === null ? 0 : this.pending.findIndex((item) => item.handlerId === this.owner);
        const item = index >= 0 ? this.pending.splice(index, 1)[0] : undefined;
        if (!item) break;
        this.owner = item.handlerId;
        try {
          let bytes = 0;
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(item.message, {
              onRawData: (data) => {
                bytes += data.length;
                item.onData(data);
              },
            }),
          );
          item.resolve(bytes);
        } catch (error) {
          item.reject(error);
        }
        const type = item.message[0] ?? 0;
        if (!MID_BATCH.has(type) && !this.db.isInTransaction()) this.owner = null;
      }
    } finally {
      this.pumping = false;
    }
  }
}

/** Serves a PGlite instance on 127.0.0.1 (port 0 = a free one) to many postgres.js connections. */
export class EmbeddedSocketServer {
  private readonly server: Server;
  private readonly handlers = new Set<PGLiteSocketHandler>();
  private readonly queue: SessionQueue;

  constructor(
    db: PGlite,
    private readonly maxConnections: number,
  ) {
    this.queue = new SessionQueue(db);
    this.server = createServer((socket) => {
      this.accept(socket).catch(() => socket.destroy());
    });
  }

  /** Resolves with the port listened on. */
  listen(port = 0): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(port, "127.0.0.1", () => {
        this.server.off("error", reject);
        const address = this.server.address();
        resolve(typeof address === "object" && address ? address.port : port);
      });
    });
  }

  async close(): Promise<void> {
    for (const handler of this.handlers) await handler.detach(true);
    this.handlers.clear();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async accept(socket: Socket): Promise<void> {
    if (this.handlers.size >= this.maxConnections) {
      socket.end();
      return;
    }
    const handler = new PGLiteSocketHandler({ queryQueue: this.queue as unknown as QueryQueue, closeOnDetach: true });
    this.handlers.add(handler);
    const forget = () => this.handlers.delete(handler);
    handler.addEventListener("close", forget);
    handler.addEventListener("error", forget);
    await handler.attach(socket);
  }
}
