package dev.leader.lan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * A datagram carries a header and an entry per election; echoes travel in every entry, and a
 * group of realistic size fits in one datagram.
 */
class LanDatagramTest {

    private static final String ID = "app-7f9c4d2b1e-x8k2p:4711:a1b2c3";

    private final MessageSigner signer = new MessageSigner("the-shared-secret");

    @Test
    void thirtyTwoEchoesWithRealisticIdsFitAndSurviveTheRoundTrip() throws Exception {
        LanDatagram datagram = LanDatagram.of(message(ID, "billing-jobs", echoes(32)));
        assertThat(datagram.fitted(datagram.entries().get(0))).isSameAs(datagram.entries().get(0));
        byte[] frame = signer.frame(datagram);
        assertThat(frame.length).isLessThanOrEqualTo(LanDatagram.MAX_SIZE);
        assertThat(signer.open(frame, frame.length)).isEqualTo(datagram);
    }

    @Test
    void echoesBeyondOneDatagramAreLeftOutFromTheEndAndTheRestFits() throws Exception {
        // The longest ids and names allowed, in three-byte characters: the largest header there is.
        String id = "\u20ac".repeat(255);
        LanDatagram datagram = LanDatagram.of(message(id, "e".repeat(128), echoes(200)));
        assertThatThrownBy(() -> signer.frame(datagram)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("200 echoes");
        LanDatagram.Entry entry = datagram.entries().get(0);
        LanDatagram.Entry fitted = datagram.fitted(entry);
        assertThat(fitted.echoes()).isNotEmpty().isEqualTo(entry.echoes().subList(0, fitted.echoes().size()));
        assertThat(fitted.size()).isLessThanOrEqualTo(datagram.room());
        LanDatagram.Entry oneMore = new LanDatagram.Entry(entry.type(), entry.flags(), entry.election(), entry.term(),
                entry.leaderId(), entry.leaderIncarnation(), entry.echoes().subList(0, fitted.echoes().size() + 1));
        assertThat(oneMore.size()).as("the most that fit").isGreaterThan(datagram.room());
        LanDatagram alone = withEntries(datagram, List.of(fitted));
        byte[] frame = signer.frame(alone);
        assertThat(frame.length).isLessThanOrEqualTo(LanDatagram.MAX_SIZE);
        assertThat(signer.open(frame, frame.length)).isEqualTo(alone);
    }

    @Test
    void entriesOfManyElectionsShareOneHeaderAndAreReadAsMessagesOfTheirOwn() throws Exception {
        List<LanDatagram.Entry> entries = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            entries.add(new LanDatagram.Entry(i % 2 == 0 ? LanMessage.Type.HEARTBEAT : LanMessage.Type.RESIGN,
                    i % 8, "election-" + i, i, i % 3 == 0 ? null : "leader-" + i, i % 3 == 0 ? 0 : 100 + i, echoes(i % 3)));
        }
        LanDatagram datagram = new LanDatagram("group", ID, 42L, 9L, System.currentTimeMillis(), 3, 77L, entries);
        byte[] frame = signer.frame(datagram);
        assertThat(frame.length).isLessThanOrEqualTo(LanDatagram.MAX_SIZE);
        List<LanMessage> read = signer.open(frame, frame.length).messages();
        assertThat(read).hasSize(20).allSatisfy(message -> {
            assertThat(message.group()).isEqualTo("group");
            assertThat(message.senderId()).isEqualTo(new PeerId(ID, 42L));
            assertThat(message.sequence()).isEqualTo(9L);
            assertThat(message.priority()).isEqualTo(3);
            assertThat(message.stamp()).isEqualTo(77L);
        });
        for (int i = 0; i < 20; i++) {
            LanDatagram.Entry entry = entries.get(i);
            LanMessage message = read.get(i);
            assertThat(List.of(message.type(), message.flags(), message.election(), message.term(),
                    String.valueOf(message.leaderId()), message.leaderIncarnation(), message.echoes()))
                    .containsExactly(entry.type(), entry.flags(), entry.election(), entry.term(),
                            String.valueOf(entry.leaderId()), entry.leaderIncarnation(), entry.echoes());
        }
    }

    @Test
    void moreEntriesThanADatagramHoldsAreRefusedWhenFramed() {
        List<LanDatagram.Entry> entries = new ArrayList<>();
        LanDatagram.Entry entry = LanDatagram.of(message(ID, "billing-jobs", echoes(2))).entries().get(0);
        LanDatagram probe = new LanDatagram("", ID, 1L, 1L, 0, 0, 0, List.of(entry));
        int fit = probe.room() / entry.size();
        for (int i = 0; i <= fit; i++) {
            entries.add(entry);
        }
        assertThat(signer.frame(withEntries(probe, entries.subList(0, fit))).length).isLessThanOrEqualTo(LanDatagram.MAX_SIZE);
        assertThatThrownBy(() -> signer.frame(withEntries(probe, entries))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining((fit + 1) + " entries");
    }

    @Test
    void aTermBeyondTheLargestIsMalformed() throws Exception {
        LanMessage largest = new LanMessage(LanMessage.Type.HEARTBEAT, 0, "", "e", "z", 1L, 1L, System.currentTimeMillis(),
                LanMessage.MAX_TERM, null, 0, 0, 0, List.of());
        byte[] frame = signer.frame(LanDatagram.of(largest));
        assertThat(signer.open(frame, frame.length).messages().get(0).term()).isEqualTo(LanMessage.MAX_TERM);
        for (long term : new long[] { LanMessage.MAX_TERM + 1, Long.MAX_VALUE, -1 }) {
            LanMessage absurd = new LanMessage(LanMessage.Type.HEARTBEAT, 0, "", "e", "z", 1L, 1L,
                    System.currentTimeMillis(), term, null, 0, 0, 0, List.of());
            byte[] absurdFrame = signer.frame(LanDatagram.of(absurd));
            assertMalformed(() -> signer.open(absurdFrame, absurdFrame.length), "term " + term);
        }
    }

    @Test
    void truncatedPaddedEmptyAndOlderDatagramsAreMalformed() throws Exception {
        MessageSigner unsigned = new MessageSigner(null);
        LanDatagram datagram = new LanDatagram("", ID, 1L, 1L, 0, 0, 0, List.of(
                LanDatagram.of(message(ID, "a", echoes(2))).entries().get(0),
                LanDatagram.of(message(ID, "b", echoes(1))).entries().get(0)));
        byte[] frame = unsigned.frame(datagram);
        assertThat(unsigned.open(frame, frame.length)).isEqualTo(datagram);
        for (int length = 2; length < frame.length; length++) {
            int cut = length;
            assertMalformed(() -> unsigned.open(frame, cut), null);
        }
        byte[] padded = Arrays.copyOf(frame, frame.length + 1);
        assertMalformed(() -> unsigned.open(padded, padded.length), "bytes after the last of 2 entries");
        // The header of a datagram with no entry.
        byte[] empty = Arrays.copyOf(frame, frame.length - datagram.entries().get(0).size() - datagram.entries().get(1).size());
        empty[empty.length - 1] = 0;
        assertMalformed(() -> unsigned.open(empty, empty.length), "no entries");
        ByteArrayOutputStream version3 = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(version3)) {
            out.writeByte(0);
            out.writeInt(0x4C445233);
            out.write(new byte[64]);
        }
        byte[] old = version3.toByteArray();
        assertMalformed(() -> unsigned.open(old, old.length), "not a leader datagram");
    }

    private static void assertMalformed(ThrowingCallable open, String detail) {
        var thrown = assertThatThrownBy(open).isInstanceOfSatisfying(MessageSigner.RejectedException.class,
                ex -> assertThat(ex.reason()).isEqualTo(MessageSigner.Rejection.MALFORMED));
        if (detail != null) {
            thrown.hasMessageContaining(detail);
        }
    }

    private static LanDatagram withEntries(LanDatagram header, List<LanDatagram.Entry> entries) {
        return new LanDatagram(header.group(), header.sender(), header.incarnation(), header.sequence(),
                header.timestampMillis(), header.priority(), header.stamp(), entries);
    }

    private static LanMessage message(String id, String election, List<LanMessage.Echo> echoes) {
        return new LanMessage(LanMessage.Type.HEARTBEAT, LanMessage.ELIGIBLE, election, election, id, 42L, 9L,
                System.currentTimeMillis(), 12, id, 42L, 0, System.nanoTime(), echoes);
    }

    private static List<LanMessage.Echo> echoes(int count) {
        List<LanMessage.Echo> echoes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            echoes.add(new LanMessage.Echo(1000L + i, System.nanoTime() - i));
        }
        return echoes;
    }
}
