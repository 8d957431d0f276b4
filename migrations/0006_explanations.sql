-- Feature explanations written by a language model, their scores, and the per-feature outcome of each explain run.

create table explanations (
  id uuid primary key default gen_random_uuid(),
  study_id uuid not null,
  feature_index integer not null,
  -- the model's reply, trimmed of surrounding whitespace, stored exactly as received (escaped only when rendered)
  text text not null,
  model text not null,
  prompt_version text not null,
  -- seed of the split between the examples the explanation was written from and the held-out ones it is scored on
  seed integer not null,
  run_id uuid references runs (id) on delete set null,
  input_tokens integer not null default 0 check (input_tokens >= 0),
  output_tokens integer not null default 0 check (output_tokens >= 0),
  created_at timestamptz not null default now(),
  search tsvector generated always as (to_tsvector('english', text)) stored,
  foreign key (study_id, feature_index) references features (study_id, index) on delete cascade
);
create index explanations_of_feature on explanations (study_id, feature_index, created_at desc);
create index explanations_search on explanations using gin (search);

create table explanation_scores (
  explanation_id uuid not null references explanations (id) on delete cascade,
  -- 'detection' or 'fuzzing' (EleutherAI's definitions, see apps/server/src/explain/scoring.ts)
  kind text not null check (kind in ('detection', 'fuzzing')),
  -- balanced accuracy, 0 … 1
  value double precision not null check (value >= 0 and value <= 1),
  prompt_version text not null,
  seed integer not null,
  true_positives integer not null check (true_positives >= 0),
  false_negatives integer not null check (false_negatives >= 0),
  true_negatives integer not null check (true_negatives >= 0),
  false_positives integer not null check (false_positives >= 0),
  n integer generated always as (true_positives + false_negatives + true_negatives + false_positives) stored,
  input_tokens integer not null default 0 check (input_tokens >= 0),
  output_tokens integer not null default 0 check (output_tokens >= 0),
  primary key (explanation_id, kind)
);

-- A random-explanation baseline: one feature scored with the explanation of another feature of the same study.
create table explanation_baselines (
  id uuid primary key default gen_random_uuid(),
  study_id uuid not null references studies (id) on delete cascade,
  kind text not null check (kind in ('detection', 'fuzzing')),
  value double precision not null check (value >= 0 and value <= 1),
  n integer not null check (n > 0),
  seed integer not null,
  feature_index integer not null,
  explanation_id uuid not null references explanations (id) on delete cascade,
  created_at timestamptz not null default now()
);
create index explanation_baselines_of_study on explanation_baselines (study_id, kind, created_at desc);

-- What happened to each feature of an explain run: explained, failed (with the API's message) or skipped (budget).
create table explain_run_features (
  run_id uuid not null references runs (id) on delete cascade,
  study_id uuid not null,
  feature_index integer not null,
  status text not null check (status in ('explained', 'failed', 'skipped')),
  error text,
  explanation_id uuid references explanations (id) on delete set null,
  input_tokens integer not null default 0 check (input_tokens >= 0),
  output_tokens integer not null default 0 check (output_tokens >= 0),
  updated_at timestamptz not null default now(),
  primary key (run_id, feature_index),
  foreign key (study_id, feature_index) references features (study_id, index) on delete cascade
);

-- What two interacting features do together.
create table pair_explanations (
  id uuid primary key default gen_random_uuid(),
  study_id uuid not null,
  a integer not null,
  b integer not null,
  text text not null,
  model text not null,
  prompt_version text not null,
  run_id uuid references runs (id) on delete set null,
  input_tokens integer not null default 0 check (input_tokens >= 0),
  output_tokens integer not null default 0 check (output_tokens >= 0),
  created_at timestamptz not null default now(),
  foreign key (study_id, a, b) references interactions (study_id, a, b) on delete cascade
);
create index pair_explanations_of_pair on pair_explanations (study_id, a, b, created_at desc);
