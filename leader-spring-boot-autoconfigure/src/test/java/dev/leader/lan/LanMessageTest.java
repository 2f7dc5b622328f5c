package dev.leader.lan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Echoes travel in every message; a group of realistic size fits in one datagram. */
class LanMessageTest {

    private final MessageSigner signer = new MessageSigner("the-shared-secret");

    @Test
    void thirtyTwoEchoesWithRealisticIdsFitAndSurviveTheRoundTrip() throws Exception {
        String id = "app-7f9c4d2b1e-x8k2p:4711:a1b2c3";
        LanMessage message = message(id, "billing-jobs", echoes(32));
        assertThat(message.fitted()).isSameAs(message);
        byte[] frame = signer.frame(message);
        assertThat(frame.length).isLessThanOrEqualTo(LanMessage.MAX_SIZE);
        assertThat(signer.open(frame, frame.length)).isEqualTo(message);
    }

    @Test
    void echoesBeyondOneDatagramAreLeftOutFromTheEndAndTheRestFits() throws Exception {
        // The longest ids and names allowed, in three-byte characters: the largest header there is.
        String id = "\u20ac".repeat(255);
        LanMessage message = message(id, "e".repeat(128), echoes(200));
        assertThatThrownBy(() -> signer.frame(message)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("200 echoes");
        LanMessage fitted = message.fitted();
        assertThat(fitted.echoes()).isNotEmpty().isEqualTo(message.echoes().subList(0, fitted.echoes().size()));
        byte[] frame = signer.frame(fitted);
        assertThat(frame.length).isLessThanOrEqualTo(LanMessage.MAX_SIZE);
        assertThat(signer.open(frame, frame.length)).isEqualTo(fitted);
    }

    @Test
    void aTermBeyondTheLargestIsMalformed() throws Exception {
        LanMessage largest = new LanMessage(LanMessage.Type.HEARTBEAT, 0, "", "e", "z", 1L, 1L, System.currentTimeMillis(),
                LanMessage.MAX_TERM, null, 0, 0, 0, List.of());
        byte[] frame = signer.frame(largest);
        assertThat(signer.open(frame, frame.length).term()).isEqualTo(LanMessage.MAX_TERM);
        for (long term : new long[] { LanMessage.MAX_TERM + 1, Long.MAX_VALUE, -1 }) {
            LanMessage absurd = new LanMessage(LanMessage.Type.HEARTBEAT, 0, "", "e", "z", 1L, 1L,
                    System.currentTimeMillis(), term, null, 0, 0, 0, List.of());
            byte[] absurdFrame = signer.frame(absurd);
            assertThatThrownBy(() -> signer.open(absurdFrame, absurdFrame.length))
                    .isInstanceOfSatisfying(MessageSigner.RejectedException.class,
                            ex -> assertThat(ex.reason()).isEqualTo(MessageSigner.Rejection.MALFORMED))
                    .hasMessageContaining("term " + term);
        }
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
