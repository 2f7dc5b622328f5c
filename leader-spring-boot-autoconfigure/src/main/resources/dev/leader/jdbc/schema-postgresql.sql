-- The lease table of the leader JDBC backend, one row per election. Rows are never deleted:
-- a released election keeps its row (holder NULL) so that its fencing token never goes back.
-- version grows with every grant, renewal and release: a candidate takes over another's lease
-- only after it saw the same version for a whole lease (lease_micros, the holder's lease) on its
-- own clock. expiry (the database's time + lease) is for people; no decision depends on it.
CREATE TABLE IF NOT EXISTS leader_election (
    name        VARCHAR(128) NOT NULL PRIMARY KEY,
    holder      VARCHAR(255),
    incarnation VARCHAR(64),
    token       BIGINT       NOT NULL,
    version     BIGINT       NOT NULL DEFAULT 0,
    lease_micros BIGINT      NOT NULL DEFAULT 0,
    expiry      TIMESTAMPTZ  NOT NULL
);
