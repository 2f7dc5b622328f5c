package dev.leader.lan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Whether a frame is signed must not depend on what its body holds: an unsigned frame whose
 * body had a 1 where a signed frame keeps its flag was taken for a badly signed one, so peers
 * without a secret refused each other's heartbeats (found when the echoes moved the bytes).
 */
class MessageSignerTest {

    private final MessageSigner keyed = new MessageSigner("the-shared-secret");

    private final MessageSigner unkeyed = new MessageSigner(null);

    @Test
    void unsignedFramesAreReadWithoutASecretAndRefusedAsUnsignedWithOne() throws Exception {
        for (LanMessage message : messagesOfEveryLength()) {
            byte[] frame = unkeyed.frame(LanDatagram.of(message));
            assertThat(unkeyed.open(frame, frame.length).messages()).containsExactly(message);
            assertThatThrownBy(() -> keyed.open(frame, frame.length)).isInstanceOfSatisfying(
                    MessageSigner.RejectedException.class,
                    ex -> assertThat(ex.reason()).isEqualTo(MessageSigner.Rejection.UNSIGNED));
        }
    }

    @Test
    void signedFramesAreReadWithTheSecretAndRefusedWithoutIt() throws Exception {
        MessageSigner other = new MessageSigner("another-secret");
        for (LanMessage message : messagesOfEveryLength()) {
            byte[] frame = keyed.frame(LanDatagram.of(message));
            assertThat(keyed.open(frame, frame.length).messages()).containsExactly(message);
            for (MessageSigner wrong : List.of(unkeyed, other)) {
                assertThatThrownBy(() -> wrong.open(frame, frame.length)).isInstanceOfSatisfying(
                        MessageSigner.RejectedException.class,
                        ex -> assertThat(ex.reason()).isEqualTo(MessageSigner.Rejection.BAD_SIGNATURE));
            }
        }
    }

    /** Each byte value lands where a signed frame keeps its flag, in one of them. */
    private static List<LanMessage> messagesOfEveryLength() {
        List<LanMessage> messages = new ArrayList<>();
        for (int idLength = 1; idLength <= 40; idLength++) {
            String id = "p".repeat(idLength);
            for (int echoes = 0; echoes < 3; echoes++) {
                List<LanMessage.Echo> echoed = new ArrayList<>();
                for (int e = 0; e < echoes; e++) {
                    echoed.add(new LanMessage.Echo(0x0101010101010101L * (e + 1), 1_000_000_000L + e));
                }
                messages.add(new LanMessage(LanMessage.Type.HEARTBEAT, LanMessage.ELIGIBLE, "", "election", id, 7L, idLength,
                        1_780_000_000_000L, 3, id, 7L, 1, 0x0101010101010101L, echoed));
            }
        }
        return messages;
    }
}
