-- The lease table of the leader JDBC backend, one row per election. Rows are never deleted:
-- a released election keeps its row (holder NULL) so that its fencing token never goes back.
CREATE TABLE IF NOT EXISTS leader_election (
    name        VARCHAR(128) NOT NULL PRIMARY KEY,
    holder      VARCHAR(255),
    incarnation VARCHAR(64),
    token       BIGINT       NOT NULL,
    expiry      TIMESTAMPTZ  NOT NULL
);
