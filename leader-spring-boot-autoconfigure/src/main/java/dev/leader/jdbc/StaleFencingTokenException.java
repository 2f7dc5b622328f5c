package dev.leader.jdbc;

import java.sql.SQLException;

/**
 * A fenced write was refused: the term of {@link #fencingToken()} is no longer the current term of
 * {@link #election()} in the lease table (released, or a later term was granted). The transaction must be rolled back; the caller is no longer the leader it was.
 */
public class StaleFencingTokenException extends SQLException {

    /** The SQL state, class 40 (transaction rollback), as a serialization failure is. */
    public static final String SQL_STATE = "40L01";

    private final String election;

    private final long fencingToken;

    public StaleFencingTokenException(String election, long fencingToken) {
        super("[election=" + election + "] fencing token " + fencingToken
                + " is no longer the current term's: the lease was released or granted to a later term",
                SQL_STATE);
        this.election = election;
        this.fencingToken = fencingToken;
    }

    public String election() {
        return election;
    }

    public long fencingToken() {
        return fencingToken;
    }
}
