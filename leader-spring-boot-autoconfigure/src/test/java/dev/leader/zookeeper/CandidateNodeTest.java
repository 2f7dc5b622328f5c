package dev.leader.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CandidateNodeTest {

    @Test
    void ordersBySequenceNotByName() {
        List<CandidateNode> nodes = CandidateNode.sorted(List.of(
                "_c_ffffffff-0000-0000-0000-000000000000-n_0000000001",
                "_c_00000000-0000-0000-0000-000000000000-n_0000000002",
                "_c_77777777-0000-0000-0000-000000000000-n_0000000000"));
        assertThat(nodes).extracting(CandidateNode::sequence).containsExactly(0L, 1L, 2L);
        assertThat(nodes.get(0).guid()).isEqualTo("77777777-0000-0000-0000-000000000000");
    }

    @Test
    void ignoresChildrenThatAreNotCandidates() {
        assertThat(CandidateNode.sorted(List.of("lock", "_c_x-n_", "_c_x-n_12a", "other-n_0000000001", "_c_g-n_0000000007")))
                .extracting(CandidateNode::name).containsExactly("_c_g-n_0000000007");
    }

    @Test
    void theCreatePrefixCarriesTheGuid() {
        String guid = CandidateNode.newGuid();
        CandidateNode node = CandidateNode.parse(CandidateNode.prefix(guid) + "0000000042");
        assertThat(node).isNotNull();
        assertThat(node.guid()).isEqualTo(guid);
        assertThat(node.sequence()).isEqualTo(42);
    }
}
