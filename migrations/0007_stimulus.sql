-- Stimulus-response analyses: a 2×2 design of prompts run through a finished study's model, SAE and NFM. A request
-- stores its analysis and queues its run in one transaction; the worker stores the result when the run succeeds.
create table stimulus_analyses (
  id uuid primary key default gen_random_uuid(),
  study_id uuid not null references studies (id) on delete cascade,
  run_id uuid references runs (id) on delete set null,
  name text not null,
  -- the design as given (factors, readout, prompts per cell, targets)
  design jsonb not null,
  measure text not null,
  anova_type smallint not null check (anova_type in (2, 3)),
  -- cells, ANOVA, contrast, discovery, pairs and chart data; null until the run succeeds
  result jsonb,
  created_at timestamptz not null default now(),
  finished_at timestamptz
);
create index stimulus_analyses_by_study on stimulus_analyses (study_id, created_at desc, id desc);
