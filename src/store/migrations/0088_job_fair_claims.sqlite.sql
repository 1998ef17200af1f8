-- keel migration: jobs: fair claims, round-robin across tenants and users (the order of their last claims)
-- One row per (tenant, user) that has had a job claimed: `turn` is the claim counter's value at its
-- last claim (1, 2, 3... across the store), so the claimer serves first the tenant, then the user,
-- whose last claim is the oldest (never claimed: 0). docs/server.md, "Fair share".
CREATE TABLE job_turns (
  tenant TEXT NOT NULL,
  username TEXT NOT NULL,
  turn INTEGER NOT NULL,
  PRIMARY KEY (tenant, username)
);
