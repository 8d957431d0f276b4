"use client";

import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";

export interface SessionViewer {
  name: string;
  role: string;
}

/** The header's sign-in field (the token goes to the dashboard's /session route, which keeps it httpOnly). */
export function SessionBar({ viewer }: { viewer: SessionViewer | null }) {
  const router = useRouter();
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);

  async function signIn(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const token = String(new FormData(event.currentTarget).get("token") ?? "");
    setBusy(true);
    setProblem(undefined);
    try {
      const response = await fetch("/session", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ token }),
      });
      if (!response.ok) {
        const answer = (await response.json().catch(() => ({}))) as { error?: string };
        setProblem(answer.error ?? `Signing in failed (${response.status}).`);
        return;
      }
      router.refresh();
    } catch {
      setProblem("The dashboard did not answer; is it still running?");
    } finally {
      setBusy(false);
    }
  }

  async function signOut() {
    setBusy(true);
    await fetch("/session", { method: "DELETE" }).catch(() => undefined);
    setBusy(false);
    router.refresh();
  }

  if (viewer) {
    return (
      <div className="session" data-testid="session">
        <span>
          Signed in as <strong>{viewer.name}</strong> ({viewer.role})
        </span>
        <button type="button" className="button-secondary" onClick={signOut} disabled={busy}>
          Sign out
        </button>
      </div>
    );
  }
  return (
    <form className="session" onSubmit={signIn} data-testid="sign-in">
      <label>
        <span className="visually-hidden">API token</span>
        <input name="token" type="password" autoComplete="off" required placeholder="API token" />
      </label>
      <button type="submit" className="button-secondary" disabled={busy}>
        {busy ? "Signing in…" : "Sign in"}
      </button>
      {problem ? (
        <p className="error-text session-problem" role="alert">
          {problem}
        </p>
      ) : null}
    </form>
  );
}
