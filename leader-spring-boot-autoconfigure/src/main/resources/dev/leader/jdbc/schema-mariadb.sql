-- The lease table of the leader JDBC backend, one row per election. Rows are never deleted:
-- a released election keeps its row (holder NULL) so that its fencing token never goes back.
-- Names compare byte for byte (election names are ASCII); expiry holds UTC_TIMESTAMP values,
-- so that no session time zone moves it.
CREATE TABLE IF NOT EXISTS leader_election (
    name        VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
    holder      VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin,
    incarnation VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin,
    token       BIGINT       NOT NULL,
    expiry      DATETIME(6)  NOT NULL
) ENGINE = InnoDB;
