// The signed-in token: kept by the dashboard in an httpOnly cookie (never readable by page scripts) and forwarded to
// the Interlace server as `Authorization: Bearer <token>` by the dashboard's own routes.
import { unreachableMessage } from "./errors";

export const SESSION_COOKIE = "interlace_token";

/** What a token can look like (the server issues ilc_ + base64url); anything else is refused before it is sent. */
const TOKEN_FORM = /^[A-Za-z0-9_-]{32,200}$/;

/** `value` when it has the form of a token, else undefined. */
export function asToken(value: string | undefined): string | undefined {
  return value !== undefined && TOKEN_FORM.test(value) ? value : undefined;
}

/** The token in a `Cookie` header, or undefined. */
export function tokenFromCookies(cookieHeader: string | null): string | undefined {
  for (const part of (cookieHeader ?? "").split(";")) {
    const [name, ...value] = part.trim().split("=");
    if (name === SESSION_COOKIE) return asToken(value.join("="));
  }
  return undefined;
}

/** `authorization` for the server when a token is given, else nothing. */
export function authorizationHeader(token: string | undefined): Record<string, string> {
  return token ? { authorization: `Bearer ${token}` } : {};
}

function cookie(value: string, maxAge: number, secure: boolean): string {
  return `${SESSION_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAge}${secure ? "; Secure" : ""}`;
}

/** True when the browser sent the request from another origin than the dashboard's (a cross-site form or script). */
export function isCrossOrigin(request: Request): boolean {
  const origin = request.headers.get("origin");
  if (origin === null) return false;
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host") ?? new URL(request.url).host;
  try {
    return new URL(origin).host !== host;
  } catch {
    return true;
  }
}

const VIEWER_QUERY = JSON.stringify({ query: "{ viewer { name role } }" });

type Viewer = { name: string; role: string };

/** POST /session {"token": "..."}: checks the token with the server, then keeps it in the httpOnly cookie. */
export async function signIn(request: Request, upstreamUrl: string): Promise<Response> {
  if (isCrossOrigin(request)) return Response.json({ error: "Sign in from the dashboard itself." }, { status: 403 });
  let token: unknown;
  try {
    token = ((await request.json()) as { token?: unknown }).token;
  } catch {
    return Response.json({ error: 'Send {"token": "<token>"} as JSON.' }, { status: 400 });
  }
  if (typeof token !== "string" || !TOKEN_FORM.test(token.trim())) {
    return Response.json(
      { error: "That is not a token: paste the last line printed by `interlace token create`." },
      { status: 400 },
    );
  }
  const clean = token.trim();
  let viewer: Viewer | null;
  try {
    const answer = await fetch(upstreamUrl, {
      method: "POST",
      headers: { "content-type": "application/json", ...authorizationHeader(clean) },
      body: VIEWER_QUERY,
      cache: "no-store",
    });
    viewer = ((await answer.json()) as { data?: { viewer?: Viewer | null } }).data?.viewer ?? null;
  } catch {
    return Response.json({ error: unreachableMessage(upstreamUrl) }, { status: 502 });
  }
  if (!viewer) {
    return Response.json(
      { error: "The server does not know this token (mistyped, or revoked); ask an admin for one." },
      { status: 401 },
    );
  }
  const secure = new URL(request.url).protocol === "https:";
  return Response.json(viewer, { headers: { "set-cookie": cookie(clean, 60 * 60 * 24 * 30, secure) } });
}

/** DELETE /session: forgets the token. */
export function signOut(request: Request): Response {
  if (isCrossOrigin(request)) return Response.json({ error: "Sign out from the dashboard itself." }, { status: 403 });
  const secure = new URL(request.url).protocol === "https:";
  return new Response(null, { status: 204, headers: { "set-cookie": cookie("", 0, secure) } });
}
