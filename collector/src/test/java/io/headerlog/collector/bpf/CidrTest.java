package io.headerlog.collector.bpf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CidrTest {

    @Test
    void shouldStoreIpv4AsMappedIpv6InTheTrie() {
        Cidr c = Cidr.parse("198.18.0.0/15");
        assertThat(c.isIpv4()).isTrue();
        assertThat(c.prefixLength()).isEqualTo(15);
        assertThat(c.triePrefixLength()).isEqualTo(96 + 15);
        assertThat(c.trieAddress()).containsExactly(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 198, 18, 0, 0);
        assertThat(c.address()).containsExactly(198, 18, 0, 0);
        assertThat(c).hasToString("198.18.0.0/15");
    }

    @Test
    void shouldParseIpv6PrefixesInCanonicalForm() {
        Cidr c = Cidr.parse("FD00:0:0::/8");
        assertThat(c.isIpv4()).isFalse();
        assertThat(c.triePrefixLength()).isEqualTo(8);
        assertThat(c).hasToString("fd00::/8");
        assertThat(Cidr.parse("::/0")).hasToString("::/0");
    }

    @Test
    void shouldTakeASingleAddressAsAFullLengthPrefix() {
        assertThat(Cidr.parse("198.18.0.1")).hasToString("198.18.0.1/32");
        assertThat(Cidr.parse("fd00::1").prefixLength()).isEqualTo(128);
    }

    @Test
    void shouldTreatAnIpv4MappedIpv6PrefixAsIpv4() {
        assertThat(Cidr.parse("::ffff:198.18.0.0/111")).isEqualTo(Cidr.parse("198.18.0.0/15"));
    }

    @Test
    void shouldRefuseBitsBeyondThePrefixAndSayWhatWasMeant() {
        assertThatThrownBy(() -> Cidr.parse("198.18.0.1/15")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'198.18.0.1/15' has address bits set beyond its /15 prefix; did you mean 198.18.0.0/15?");
        assertThatThrownBy(() -> Cidr.parse("fd00::1/8")).hasMessageContaining("did you mean fd00::/8?");
    }

    @Test
    void shouldRefuseWhatIsNotALiteralPrefixWithoutResolvingNames() {
        assertThatThrownBy(() -> Cidr.parse("example.com/8")).hasMessageContaining("names are not resolved");
        assertThatThrownBy(() -> Cidr.parse("198.18.0.256")).hasMessageContaining("256 is not an octet");
        assertThatThrownBy(() -> Cidr.parse("198.18.0.0/33")).hasMessageContaining("prefix length '33'; it must be 0..32");
        assertThatThrownBy(() -> Cidr.parse("fd00::/129")).hasMessageContaining("0..128");
        assertThatThrownBy(() -> Cidr.parse("fd00::zz/8")).hasMessageContaining("is not an IPv6 address");
        assertThatThrownBy(() -> Cidr.parse(" ")).hasMessageContaining("empty address prefix");
        assertThatThrownBy(() -> Cidr.parse("198.18.0.0/")).hasMessageContaining("prefix length ''");
    }

    @Test
    void shouldCompareByPrefix() {
        assertThat(Cidr.parse("198.18.0.0/15")).isEqualTo(Cidr.parse(" 198.18.0.0/15 "))
                .hasSameHashCodeAs(Cidr.parse("198.18.0.0/15")).isNotEqualTo(Cidr.parse("198.18.0.0/16"));
    }
}
