import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { Socket } from "node:net";

const SSL_REQUEST = 80877103;
const CANCEL_REQUEST = 80877102;
const PROTOCOL_3 = 196608;
/** Startup and password messages are small; anything bigger is not a Postgres client. */
const MAX_MESSAGE = 10_000;

/** A new random password for the embedded database (base64url, 256 bits). */
export function newEmbeddedPassword(): string {
  return randomBytes(32).toString("base64url");
}

const md5 = (data: Buffer | string) => createHash("md5").update(data).digest("hex");

/** What a client sends for `password` under MD5 authentication with `salt` (Postgres' md5 scheme). */
export function md5Response(password: string, user: string, salt: Buffer): string {
  return `md5${md5(Buffer.concat([Buffer.from(md5(password + user)), salt]))}`;
}

/** A wire-protocol ErrorResponse. */
export function errorResponse(severity: "FATAL" | "ERROR", code: string, message: string): Buffer {
  const fields = Buffer.from(`S${severity}\0V${severity}\0C${code}\0M${message}\0\0`);
  const header = Buffer.alloc(5);
  header.write("E", 0);
  header.writeInt32BE(4 + fields.length, 1);
  return Buffer.concat([header, fields]);
}

function startupUser(message: Buffer): string {
  const parts = message.subarray(8).toString("utf8").split("\0");
  for (let i = 0; i + 1 < parts.length; i += 2) if (parts[i] === "user") return parts[i + 1] ?? "";
  return "";
}

/**
 * Runs the start of a Postgres connection up to authentication: answers an SSL request with "no", reads the startup
 * message, asks for an MD5 password and checks it. Resolves with the startup message (to replay to PGlite, which
 * then says AuthenticationOk) with the socket paused, or undefined after refusing and closing the socket.
 */
export function authenticateConnection(
  socket: Socket,
  password: string,
  timeoutMs = 10_000,
): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    let buffer = Buffer.alloc(0);
    let startup: Buffer | undefined;
    let user = "";
    const salt = randomBytes(4);
    const finish = (result: Buffer | undefined, closed = false) => {
      clearTimeout(timer);
      socket.off("data", onData);
      socket.off("error", onClose);
      socket.off("close", onClose);
      if (result !== undefined) socket.pause();
      else if (!closed) socket.destroy();
      resolve(result);
    };
    /** Says why (the client shows it), then closes. */
    const refuse = (code: string, message: string) => {
      socket.on("error", () => socket.destroy());
      socket.end(errorResponse("FATAL", code, message));
      finish(undefined, true);
    };
    const timer = setTimeout(() => refuse("08P01", "authentication timed out"), timeoutMs);
    const onClose = () => finish(undefined);
    const onData = (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        if (startup === undefined) {
          if (buffer.length < 8) return;
          const length = buffer.readInt32BE(0);
          const code = buffer.readInt32BE(4);
          if (length < 8 || length > MAX_MESSAGE) return refuse("08P01", "invalid startup packet");
          if (length === 8 && code === SSL_REQUEST) {
            socket.write("N");
            buffer = buffer.subarray(8);
            continue;
          }
          if (code === CANCEL_REQUEST) return finish(undefined);
          if (code !== PROTOCOL_3) return refuse("08P01", "unsupported frontend protocol");
          if (buffer.length < length) return;
          startup = Buffer.from(buffer.subarray(0, length));
          buffer = buffer.subarray(length);
          user = startupUser(startup);
          const request = Buffer.alloc(13);
          request.write("R", 0);
          request.writeInt32BE(12, 1);
          request.writeInt32BE(5, 5);
          salt.copy(request, 9);
          socket.write(request);
          continue;
        }
        if (buffer.length < 5) return;
        const length = buffer.readInt32BE(1);
        if (buffer[0] !== "p".charCodeAt(0) || length < 5 || length > MAX_MESSAGE)
          return refuse("08P01", "expected a password message");
        if (buffer.length < 1 + length) return;
        const given = Buffer.from(
          buffer
            .subarray(5, 1 + length)
            .toString("utf8")
            .replace(/\0$/, ""),
        );
        const expected = Buffer.from(md5Response(password, user, salt));
        if (given.length === expected.length && timingSafeEqual(given, expected)) return finish(startup);
        return refuse("28P01", `password authentication failed for user "${user}"`);
      }
    };
    socket.on("data", onData);
    socket.on("error", onClose);
    socket.on("close", onClose);
  });
}
