-- First schema: studies of one model hook with their SAE features, NFM interaction pairs, and the run queue.

create table models (
  id uuid primary key default gen_random_uuid(),
  name text not null unique,
  model_type text not null,
  created_at timestamptz not null default now()
);

create table studies (
  id uuid primary key default gen_random_uuid(),
  name text not null,
  model_id uuid not null references models (id),
  -- the model name or path as the user gave it
  model text not null,
  hook text not null,
  metrics jsonb not null,
  report jsonb,
  created_at timestamptz not null default now()
);
create index studies_newest_first on studies (created_at desc, id desc);

create table saes (
  id uuid primary key default gen_random_uuid(),
  study_id uuid not null unique references studies (id) on delete cascade,
  hook text not null,
  d_in integer not null check (d_in > 0),
  d_sae integer not null check (d_sae > 0),
  created_at timestamptz not null default now()
);

create table nfms (
  id uuid primary key default gen_random_uuid(),
  study_id uuid not null unique references studies (id) on delete cascade,
  sae_id uuid not null references saes (id) on delete cascade,
  k integer check (k > 0),
  error_reduction double precision,
  created_at timestamptz not null default now()
);

create table features (
  study_id uuid not null references studies (id) on delete cascade,
  index integer not null check (index >= 0),
  density double precision not null check (density >= 0 and density <= 1),
  max_activation double precision not null,
  primary key (study_id, index)
);
create index features_by_density on features (study_id, density, index);
create index features_by_max_activation on features (study_id, max_activation, index);

create table feature_examples (
  study_id uuid not null,
  feature_index integer not null,
  rank integer not null check (rank >= 0),
  tokens text[] not null,
  "values" real[] not null,
  max_value real not null,
  primary key (study_id, feature_index, rank),
  foreign key (study_id, feature_index) references features (study_id, index) on delete cascade,
  check (cardinality(tokens) = cardinality("values"))
);

create table interactions (
  study_id uuid not null,
  a integer not null,
  b integer not null,
  strength double precision not null,
  co_activations integer not null check (co_activations >= 0),
  primary key (study_id, a, b),
  foreign key (study_id, a) references features (study_id, index) on delete cascade,
  foreign key (study_id, b) references features (study_id, index) on delete cascade,
  check (a <> b)
);
create index interactions_strongest on interactions (study_id, strength desc, a, b);
create index interactions_by_a on interactions (study_id, a, strength desc);
create index interactions_by_b on interactions (study_id, b, strength desc);

create table runs (
  id uuid primary key default gen_random_uuid(),
  kind text not null,
  status text not null default 'queued'
    check (status in ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
  params jsonb not null default '{}',
  progress double precision not null default 0 check (progress >= 0 and progress <= 1),
  message text,
  error text,
  study_id uuid references studies (id) on delete set null,
  cancel_requested boolean not null default false,
  attempts integer not null default 0,
  worker_id text,
  heartbeat_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  started_at timestamptz,
  finished_at timestamptz
);
create index runs_queued on runs (created_at, id) where status = 'queued';
create index runs_running on runs (heartbeat_at) where status = 'running';
create index runs_newest_first on runs (created_at desc, id desc);
