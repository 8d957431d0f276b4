"use client";

import { SteerDocument, type SteerMutation } from "@interlace/schema";
import { type FormEvent, useState } from "react";
import { useMutation } from "urql";
import { describeFailure, PROXY_LABEL } from "../lib/errors";
import { displayToken, formatNumber } from "../lib/format";
import { changedTokens, DEFAULT_NEW_TOKENS, MAX_NEW_TOKENS, parseSteerForm, valuePresets } from "../lib/steering";

/** Why the steering panel is closed without a token. */
export const STEER_SIGN_IN_REASON =
  "Steering runs the model on the server and needs a token: sign in above with one an admin creates on the server's machine (`interlace token create --role analyst --name NAME`).";

const DEFAULT_PROMPT = "The people of the United States";

type Result = SteerMutation["steer"];

function Continuation({
  title,
  prompt,
  tokens,
  changed,
  testId,
}: {
  title: string;
  prompt: string;
  tokens: readonly string[];
  changed: readonly boolean[] | null;
  testId: string;
}) {
  return (
    <figure className="continuation" data-testid={testId}>
      <figcaption>{title}</figcaption>
      <p className="example-text steer-text">
        <span className="muted">{prompt}</span>
        {tokens.map((token, at) => (
          <span
            // biome-ignore lint/suspicious/noArrayIndexKey: tokens repeat; their position is their identity
            key={at}
            className={changed?.[at] ? "token token-changed" : "token"}
            data-changed={changed?.[at] ? "true" : undefined}
            title={changed?.[at] ? "differs from the baseline at this position" : undefined}
          >
            {displayToken(token)}
          </span>
        ))}
      </p>
    </figure>
  );
}

/** Steer the model with this feature (clamp or add at the study's hook) and compare with the unsteered text. */
export function SteeringPanel({
  studyId,
  featureIndex,
  maxActivation,
  canSteer,
}: {
  studyId: string;
  featureIndex: number;
  maxActivation: number;
  canSteer: boolean;
}) {
  const presets = valuePresets(maxActivation);
  const limit = presets[2]!.value;
  const [mode, setMode] = useState("clamp");
  const [value, setValue] = useState("0");
  const [prompt, setPrompt] = useState(DEFAULT_PROMPT);
  const [maxNewTokens, setMaxNewTokens] = useState(String(DEFAULT_NEW_TOKENS));
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const [shown, setShown] = useState<{ result: Result; prompt: string; label: string } | undefined>(undefined);
  const [{ fetching }, steer] = useMutation(SteerDocument);

  if (!canSteer) {
    return (
      <p className="muted" data-testid="steer-reason">
        {STEER_SIGN_IN_REASON}
      </p>
    );
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const parsed = parseSteerForm({ mode, value, prompt, maxNewTokens });
    if (!parsed.ok) {
      setProblem(parsed.message);
      return;
    }
    setProblem(undefined);
    const answer = await steer({
      studyId,
      prompt: parsed.prompt,
      features: [{ index: featureIndex, mode: parsed.mode, value: parsed.value }],
      maxNewTokens: parsed.maxNewTokens,
      seed: null,
    });
    if (answer.error) {
      setProblem(describeFailure(answer.error, PROXY_LABEL));
      return;
    }
    const result = answer.data?.steer;
    if (result) {
      setShown({ result, prompt: parsed.prompt, label: `${parsed.mode} #${featureIndex} = ${parsed.value}` });
    }
  }

  const numeric = Number(value);
  const result = shown?.result;
  const changed = result ? changedTokens(result.baseline.tokenIds, result.steered.tokenIds) : null;
  const changedCount = changed?.filter(Boolean).length ?? 0;
  return (
    <div className="steering" data-testid="steering-panel">
      <form onSubmit={submit} className="steer-form">
        <div className="form-grid">
          <label>
            Mode
            <select name="mode" value={mode} onChange={(e) => setMode(e.target.value)} data-testid="steer-mode">
              <option value="clamp">clamp (set the feature's code)</option>
              <option value="add">add (value × its decoder direction)</option>
            </select>
          </label>
          <label>
            Value
            <input
              type="number"
              name="value"
              step="any"
              value={value}
              onChange={(e) => setValue(e.target.value)}
              data-testid="steer-value"
            />
          </label>
          <label>
            Max new tokens
            <input
              type="number"
              name="maxNewTokens"
              min={1}
              max={MAX_NEW_TOKENS}
              step={1}
              value={maxNewTokens}
              onChange={(e) => setMaxNewTokens(e.target.value)}
              data-testid="steer-max-tokens"
            />
          </label>
        </div>
        <label className="steer-slider">
          <span>
            Value slider (−{formatNumber(limit, 3)} … {formatNumber(limit, 3)})
          </span>
          <input
            type="range"
            min={-limit}
            max={limit}
            step={limit / 100}
            value={Number.isFinite(numeric) ? Math.max(-limit, Math.min(limit, numeric)) : 0}
            onChange={(e) => setValue(e.target.value)}
            aria-label="Value"
          />
        </label>
        <fieldset className="presets">
          <legend className="visually-hidden">Value presets</legend>
          {presets.map((preset) => (
            <button
              key={preset.label}
              type="button"
              className="button-secondary"
              onClick={() => setValue(String(preset.value))}
              data-testid={`preset-${preset.label}`}
            >
              {preset.label}
              {preset.value !== 0 ? ` (${formatNumber(preset.value, 3)})` : ""}
            </button>
          ))}
        </fieldset>
        <label className="steer-prompt">
          Prompt
          <textarea
            name="prompt"
            rows={2}
            maxLength={2000}
            value={prompt}
            onChange={(e) => setPrompt(e.target.value)}
            data-testid="steer-prompt"
          />
        </label>
        <button type="submit" disabled={fetching} data-testid="steer-submit">
          {fetching ? "Steering…" : "Steer"}
        </button>
      </form>
      {problem ? (
        <p className="error-text" role="alert" data-testid="steer-error">
          {problem}
        </p>
      ) : null}
      {fetching ? <p className="muted">Running the model twice on the server…</p> : null}
      {!result && !fetching ? (
        <p className="muted" data-testid="steer-empty">
          Choose a value and press Steer to see the unsteered and the steered continuation side by side.
        </p>
      ) : null}
      {shown && result ? (
        <>
          <div className="continuations">
            <Continuation
              title="Baseline (unsteered)"
              prompt={shown.prompt}
              tokens={result.baseline.tokens}
              changed={null}
              testId="steer-baseline"
            />
            <Continuation
              title={`Steered: ${shown.label}`}
              prompt={shown.prompt}
              tokens={result.steered.tokens}
              changed={changed}
              testId="steer-steered"
            />
          </div>
          <p className="muted" data-testid="steer-summary">
            {changedCount === 0
              ? "The steered continuation equals the baseline."
              : `${changedCount} of ${result.steered.tokens.length} steered tokens differ from the baseline (outlined).`}{" "}
            Hook {result.hook}; {formatNumber(result.elapsedMs / 1000, 2)} s
            {result.coldStart ? " (the study was loaded first)" : ""}.
          </p>
        </>
      ) : null}
    </div>
  );
}
