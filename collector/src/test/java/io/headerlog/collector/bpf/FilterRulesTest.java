package io.headerlog.collector.bpf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FilterRulesTest {

    @Test
    void shouldStorePrefixesInCanonicalFormWithoutDuplicates() {
        FilterRules r = new FilterRules(List.of("198.18.0.0/15", "FD00::/8", "198.18.0.0/15"), List.of("198.18.5.1"),
                Set.of(80), Set.of(), Set.of(6), null);
        assertThat(r.allowCidrs()).containsExactly("198.18.0.0/15", "fd00::/8");
        assertThat(r.denyCidrs()).containsExactly("198.18.5.1/32");
        assertThat(r.denyProtocols()).isEmpty();
        assertThat(r.isEmpty()).isFalse();
        assertThat(FilterRules.NONE.isEmpty()).isTrue();
    }

    @Test
    void shouldRefuseAnEntryThatIsBothAllowedAndDenied() {
        assertThatThrownBy(() -> new FilterRules(List.of("198.18.0.0/15"), List.of("198.18.0.0/15"), null, null, null, null))
                .hasMessage("address prefix 198.18.0.0/15 is both allowed and denied; keep it in one list");
        assertThatThrownBy(() -> new FilterRules(null, null, Set.of(53), Set.of(53), null, null))
                .hasMessageContaining("port 53 is both allowed and denied");
        assertThatThrownBy(() -> new FilterRules(null, null, null, null, Set.of(17), Set.of(17)))
                .hasMessageContaining("protocol 17 is both allowed and denied");
    }

    @Test
    void shouldRefuseOutOfRangeNumbersAndBadPrefixes() {
        assertThatThrownBy(() -> new FilterRules(null, null, Set.of(65536), null, null, null))
                .hasMessage("port 65536 is out of range; ports are 0..65535");
        assertThatThrownBy(() -> new FilterRules(null, null, null, null, null, Set.of(-1)))
                .hasMessageContaining("protocols are 0..255");
        assertThatThrownBy(() -> new FilterRules(List.of("198.18.0.1/15"), null, null, null, null, null))
                .hasMessageStartingWith("bad allowed address prefix: '198.18.0.1/15' has address bits set");
    }

    @Test
    void shouldNameProtocols() {
        assertThat(FilterRules.protocolNumber("TCP")).isEqualTo(6);
        assertThat(FilterRules.protocolNumber("icmpv6")).isEqualTo(58);
        assertThat(FilterRules.protocolNumber("132")).isEqualTo(132);
        assertThatThrownBy(() -> FilterRules.protocolNumber("quic")).hasMessageContaining("unknown protocol 'quic'");
        assertThatThrownBy(() -> FilterRules.protocolNumber("300")).hasMessageContaining("unknown protocol '300'");
    }

    @Test
    void shouldCombineRuleSetsAndStillRefuseConflicts() {
        FilterRules cli = new FilterRules(List.of("198.18.0.0/15"), null, Set.of(80), null, null, null);
        FilterRules file = new FilterRules(null, List.of("198.18.5.0/24"), Set.of(443), Set.of(22), null, null);
        FilterRules both = cli.plus(file);
        assertThat(both.allowCidrs()).containsExactly("198.18.0.0/15");
        assertThat(both.denyCidrs()).containsExactly("198.18.5.0/24");
        assertThat(both.allowPorts()).containsExactlyInAnyOrder(80, 443);
        assertThatThrownBy(() -> cli.plus(new FilterRules(null, null, null, Set.of(80), null, null)))
                .hasMessageContaining("port 80 is both allowed and denied");
    }
}
