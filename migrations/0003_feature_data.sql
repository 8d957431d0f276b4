-- Feature pages: every feature's held-out statistics, histograms, interval groups, logit effects, decoder neighbours
-- and co-activating features; a per-feature interaction strength to order features by.

-- the study's folder (activation store, SAE, study.json), so its feature data can be computed again; null for studies
-- stored before the folder was recorded
alter table studies add column dir text;

alter table features add column mean_activation double precision not null default 0;
alter table features add column interaction_strength double precision not null default 0;
update features f set interaction_strength = coalesce((
  select max(i.strength) from interactions i
  where i.study_id = f.study_id and (i.a = f.index or i.b = f.index)), 0);
create index features_by_interaction_strength on features (study_id, interaction_strength, index);

-- position of the example's own token among its tokens (null for examples stored before feature data existed)
alter table feature_examples add column position integer check (position >= 0);

create table feature_histogram_bins (
  study_id uuid not null,
  feature_index integer not null,
  -- 'activation': non-zero activations over (0, max]; 'logit': direct logit effects over the vocabulary
  kind text not null check (kind in ('activation', 'logit')),
  bin integer not null check (bin >= 0),
  lo double precision not null,
  hi double precision not null,
  count integer not null check (count >= 0),
  primary key (study_id, feature_index, kind, bin),
  foreign key (study_id, feature_index) references features (study_id, index) on delete cascade
);

create table feature_quantiles (
  study_id uuid not null,
  feature_index integer not null,
  quantile integer not null check (quantile >= 0),
  lo double precision not null,
  hi double precision not null,
  count integer not null check (count >= 0),
  primary key (study_id, feature_index, quantile),
  foreign key (study_id, feature_index) references features (study_id, index) on delete cascade
);

create table feature_quantile_examples (
  study_id uuid not null,
  feature_index integer not null,
  quantile integer not null,
  rank integer not null check (rank >= 0),
  tokens text[] not null,
  "values" real[] not null,
  max_value real not null,
  position integer not null check (position >= 0),
  primary key (study_id, feature_index, quantile, rank),
  foreign key (study_id, feature_index, quantile)
    references feature_quantiles (study_id, feature_index, quantile) on delete cascade,
  check (cardinality(tokens) = cardinality("values"))
);

create table feature_logits (
  study_id uuid not null,
  feature_index integer not null,
  side text not null check (side in ('top', 'bottom')),
  rank integer not null check (rank >= 0),
  token text not null,
  value double precision not null,
  primary key (study_id, feature_index, side, rank),
  foreign key (study_id, feature_index) references features (study_id, index) on delete cascade
);

create table feature_neighbours (
  study_id uuid not null,
  feature_index integer not null,
  rank integer not null check (rank >= 0),
  neighbour integer not null,
  cosine double precision not null,
  primary key (study_id, feature_index, rank),
  foreign key (study_id, feature_index) references features (study_id, index) on delete cascade,
  foreign key (study_id, neighbour) references features (study_id, index) on delete cascade
);

create table feature_co_activations (
  study_id uuid not null,
  feature_index integer not null,
  rank integer not null check (rank >= 0),
  partner integer not null,
  count integer not null check (count > 0),
  lift double precision not null check (lift >= 0),
  primary key (study_id, feature_index, rank),
  foreign key (study_id, feature_index) references features (study_id, index) on delete cascade,
  foreign key (study_id, partner) references features (study_id, index) on delete cascade
);
