-- The lease table of the leader JDBC backend, one row per election. Rows are never deleted:
-- a released election keeps its row (holder NULL) so that its fencing token never goes back.
-- version grows with every grant, renewal and release: a candidate takes over another's lease
-- only after it saw the same version for a whole lease (lease_micros, the holder's lease) on its
-- own clock. expiry (the database's time + lease) is for people; no decision depends on it.
-- Names compare byte for byte (election names are ASCII); expiry holds UTC_TIMESTAMP values,
-- so that no session time zone moves it.
CREATE TABLE IF NOT EXISTS leader_election (
    name        VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
    holder      VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin,
    incarnation VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin,
    token       BIGINT       NOT NULL,
    version     BIGINT       NOT NULL DEFAULT 0,
    lease_micros BIGINT      NOT NULL DEFAULT 0,
    expiry      DATETIME(6)  NOT NULL
) ENGINE = InnoDB;
