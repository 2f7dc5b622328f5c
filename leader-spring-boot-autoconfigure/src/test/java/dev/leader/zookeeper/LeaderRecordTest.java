package dev.leader.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LeaderRecordTest {

    private static final String NODE = "_c_0f5c1d2e-9a8b-4c3d-8e7f-123456789abc-n_0000000042";

    @Test
    void encodedRecordParsesBackWithAnIdThatHoldsNewlines() {
        LeaderRecord record = new LeaderRecord(NODE, "app-1\nsecond line");

        assertThat(LeaderRecord.parse(record.encode())).isEqualTo(record);
    }

    @Test
    void dataThatIsNotARecordParsesToNull() {
        assertThat(LeaderRecord.parse(null)).isNull();
        assertThat(LeaderRecord.parse(new byte[0])).isNull();
        assertThat(LeaderRecord.parse("app-1".getBytes(StandardCharsets.UTF_8))).isNull();
        assertThat(LeaderRecord.parse("not-a-node\napp-1".getBytes(StandardCharsets.UTF_8))).isNull();
    }
}
