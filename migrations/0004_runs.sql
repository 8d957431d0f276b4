-- Runs: a study made by a run names it (at most one study per run, so a re-queued run cannot store a second one);
-- studies made directly by the CLI have none. A run records its current stage and the tail of its log.

alter table studies add column run_id uuid unique references runs (id) on delete set null;

alter table runs add column stage text;
alter table runs add column log text[] not null default '{}';
