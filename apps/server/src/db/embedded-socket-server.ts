import { createServer, type Server, type Socket } from "node:net";
import type { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketHandler, type PGLiteSocketHandlerOptions } from "@electric-sql/pglite-socket";
import { authenticateConnection, errorResponse } from "./embedded-auth.js";

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
  private idleTimer: NodeJS.Timeout | undefined;

  /**
   * `onIdleOwner` is told the connection that held the session (in a transaction or mid-batch) without sending
   * anything for `idleOwnerMs`; it must disconnect it (which rolls its transaction back and frees the session).
   */
  constructor(
    private readonly db: PGlite,
    private readonly idleOwnerMs = 0,
    private readonly onIdleOwner: (handlerId: number) => void = () => undefined,
  ) {}

  enqueue(handlerId: number, message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      this.pending.push({ handlerId, message, onData, resolve, reject });
      if (handlerId === this.owner) this.stopIdleTimer();
      void this.pump();
    });
  }

  private stopIdleTimer(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }

  /** Starts the owner's idle clock when it holds the session and has nothing queued. */
  private watchIdleOwner(): void {
    this.stopIdleTimer();
    const owner = this.owner;
    if (owner === null || this.idleOwnerMs <= 0) return;
    if (this.pending.some((item) => item.handlerId === owner)) return;
    this.idleTimer = setTimeout(() => {
      if (this.owner === owner) this.onIdleOwner(owner);
    }, this.idleOwnerMs);
    this.idleTimer.unref();
  }

  clearQueueForHandler(handlerId: number): void {
    const dropped = this.pending.filter((item) => item.handlerId === handlerId);
    this.pending = this.pending.filter((item) => item.handlerId !== handlerId);
    for (const item of dropped) item.reject(new Error("connection closed"));
  }

  async clearTransactionIfNeeded(handlerId: number): Promise<void> {
    if (this.owner !== handlerId) return;
    this.stopIdleTimer();
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
      this.watchIdleOwner();
    }
  }
}

export interface EmbeddedSocketOptions {
  /** Connections accepted at once. */
  maxConnections: number;
  /** The password every client must give (MD5 authentication). */
  password: string;
  /** A client holding the session (in a transaction) that sends nothing for this long is disconnected. */
  idleInTransactionMs: number;
}

/**
 * Serves a PGlite instance on 127.0.0.1 (port 0 = a free one) to many postgres.js connections, each of which must
 * authenticate with the password; a client idle in a transaction is disconnected after a time limit.
 */
export class EmbeddedSocketServer {
  private readonly server: Server;
  private readonly handlers = new Map<number, { handler: PGLiteSocketHandler; socket: Socket }>();
  private readonly queue: SessionQueue;

  constructor(
    db: PGlite,
    private readonly options: EmbeddedSocketOptions,
  ) {
    this.queue = new SessionQueue(db, options.idleInTransactionMs, (handlerId) => this.cutOff(handlerId));
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
    for (const { handler } of this.handlers.values()) await handler.detach(true);
    this.handlers.clear();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Tells the client why, then disconnects it (its transaction is rolled back on detach). */
  private cutOff(handlerId: number): void {
    const entry = this.handlers.get(handlerId);
    if (!entry) return;
    const seconds = this.options.idleInTransactionMs / 1000;
    if (entry.socket.writable) {
      entry.socket.write(
        errorResponse("FATAL", "25P03", `terminating connection: idle in a transaction for more than ${seconds} s`),
      );
    }
    void entry.handler.detach(true);
  }

  private async accept(socket: Socket): Promise<void> {
    if (this.handlers.size >= this.options.maxConnections) {
      socket.end(errorResponse("FATAL", "53300", "too many connections to the embedded database"));
      return;
    }
    const startup = await authenticateConnection(socket, this.options.password);
    if (startup === undefined) return;
    const handler = new PGLiteSocketHandler({ queryQueue: this.queue as unknown as QueryQueue, closeOnDetach: true });
    this.handlers.set(handler.handlerId, { handler, socket });
    const forget = () => this.handlers.delete(handler.handlerId);
    handler.addEventListener("close", forget);
    handler.addEventListener("error", forget);
    socket.unshift(startup);
    await handler.attach(socket);
    socket.resume();
  }
}
