package dev.leader.lan;

/**
 * One candidate of one election, as the protocol tells candidates apart: its candidate id and the
 * random incarnation of the backend (process) that runs it. Two processes given one candidate id
 * (a misconfiguration, or a restart seen next to the last messages of the process it replaces)
 * are two peers: each confirms, ranks and backs the other as it would any peer, so they can never
 * both lead on each other's word.
 */
record PeerId(String candidateId, long incarnation) {

    /** The protocol's order among equals in priority: lower candidate id, then lower incarnation. */
    boolean ranksBefore(PeerId other) {
        int byId = candidateId.compareTo(other.candidateId);
        return byId != 0 ? byId < 0 : incarnation < other.incarnation;
    }

    @Override
    public String toString() {
        return candidateId + "/" + Long.toHexString(incarnation);
    }
}
