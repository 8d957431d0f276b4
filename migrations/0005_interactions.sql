-- Interactions as first-class objects: signed pair strengths with their held-out evidence (co-activation lift,
-- contribution, share of the interaction output, replication across seeds, top contexts), every feature's row of the
-- NFM's embedding V, the NFM's K dimensions, and the study-wide checks of its pairs.

-- strength is now the signed <v_a, v_b> (older rows hold |<v_a, v_b>|, which equals their ordering key below)
alter table interactions add column lift double precision check (lift >= 0);
alter table interactions add column contribution double precision check (contribution >= 0);
alter table interactions add column contribution_rows integer not null default 0 check (contribution_rows >= 0);
alter table interactions add column share double precision;
alter table interactions add column seed_strengths real[] not null default '{}';
alter table interactions add column replicated_seeds integer check (replicated_seeds >= 0);
-- true when the held-out columns above were measured (co_activations then counts held-out rows); false for older rows
alter table interactions add column measured boolean not null default false;
create index interactions_by_magnitude on interactions (study_id, abs(strength) desc, a, b);
create index interactions_by_contribution on interactions (study_id, contribution desc nulls last, a, b);
create index interactions_by_lift on interactions (study_id, lift desc nulls last, a, b);

create table interaction_examples (
  study_id uuid not null,
  a integer not null,
  b integer not null,
  rank integer not null check (rank >= 0),
  tokens text[] not null,
  a_values real[] not null,
  b_values real[] not null,
  contribution real not null,
  primary key (study_id, a, b, rank),
  foreign key (study_id, a, b) references interactions (study_id, a, b) on delete cascade,
  check (cardinality(tokens) = cardinality(a_values) and cardinality(tokens) = cardinality(b_values))
);

-- a feature's row of V and its summed |strength| to every other feature (what the interaction map ranks by)
create table feature_embeddings (
  study_id uuid not null,
  feature_index integer not null,
  v real[] not null,
  mass double precision not null check (mass >= 0),
  primary key (study_id, feature_index),
  foreign key (study_id, feature_index) references features (study_id, index) on delete cascade
);
create index feature_embeddings_by_mass on feature_embeddings (study_id, mass desc, feature_index);

create table k_dimensions (
  study_id uuid not null references studies (id) on delete cascade,
  index integer not null check (index >= 0),
  l0 integer not null check (l0 >= 0),
  l1 double precision not null,
  l2 double precision not null,
  max double precision not null,
  gini double precision not null,
  effective_rank double precision not null,
  variance_explained double precision,
  -- [{feature, loading}] by |loading| descending
  top_features jsonb not null,
  -- [{a, b, load}] stored pairs by |v_a,k v_b,k| descending
  top_pairs jsonb not null,
  primary key (study_id, index)
);
create index k_dimensions_by_variance on k_dimensions (study_id, variance_explained desc nulls last, index);
create index k_dimensions_by_effective_rank on k_dimensions (study_id, effective_rank desc, index);

-- {cooccurrence: {spearman, pairs}, replication: {top, depth, seeds: [{seed, spearman, overlap}]}}
alter table nfms add column inspection jsonb;
