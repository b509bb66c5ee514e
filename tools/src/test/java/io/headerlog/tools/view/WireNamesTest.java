package io.headerlog.tools.view;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WireNamesTest {
    @Test
    void shouldNameTheRcodesOfRfc1035AndNumberTheRest() {
        assertThat(WireNames.dnsRcode(0)).isEqualTo("NOERROR");
        assertThat(WireNames.dnsRcode(1)).isEqualTo("FORMERR");
        assertThat(WireNames.dnsRcode(2)).isEqualTo("SERVFAIL");
        assertThat(WireNames.dnsRcode(3)).isEqualTo("NXDOMAIN");
        assertThat(WireNames.dnsRcode(4)).isEqualTo("NOTIMP");
        assertThat(WireNames.dnsRcode(5)).isEqualTo("REFUSED");
        assertThat(WireNames.dnsRcode(6)).isEqualTo("RCODE6");
        assertThat(WireNames.dnsRcode(15)).isEqualTo("RCODE15");
        assertThat(WireNames.dnsRcode(-1)).isEqualTo("RCODE-1");
    }

    @Test
    void shouldNameTlsVersionsOneZeroToOneThreeAndShowOthersInHex() {
        assertThat(WireNames.tlsVersion(0x0304)).isEqualTo("1.3");
        assertThat(WireNames.tlsVersion(0x0303)).isEqualTo("1.2");
        assertThat(WireNames.tlsVersion(0x0302)).isEqualTo("1.1");
        assertThat(WireNames.tlsVersion(0x0301)).isEqualTo("1.0");
        assertThat(WireNames.tlsVersion(0x0300)).isEqualTo("0x0300");
        assertThat(WireNames.tlsVersion(0x7f1c)).isEqualTo("0x7f1c");
    }

    @Test
    void shouldNameCommonCipherSuitesAndShowOthersInHex() {
        assertThat(WireNames.tlsCipherSuite(0x1301)).isEqualTo("TLS_AES_128_GCM_SHA256");
        assertThat(WireNames.tlsCipherSuite(0x1302)).isEqualTo("TLS_AES_256_GCM_SHA384");
        assertThat(WireNames.tlsCipherSuite(0x1303)).isEqualTo("TLS_CHACHA20_POLY1305_SHA256");
        assertThat(WireNames.tlsCipherSuite(0x1304)).isEqualTo("TLS_AES_128_CCM_SHA256");
        assertThat(WireNames.tlsCipherSuite(0x1305)).isEqualTo("TLS_AES_128_CCM_8_SHA256");
        assertThat(WireNames.tlsCipherSuite(0xc02b)).isEqualTo("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
        assertThat(WireNames.tlsCipherSuite(0xc02c)).isEqualTo("TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384");
        assertThat(WireNames.tlsCipherSuite(0xc02f)).isEqualTo("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
        assertThat(WireNames.tlsCipherSuite(0xc030)).isEqualTo("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384");
        assertThat(WireNames.tlsCipherSuite(0xcca8)).isEqualTo("TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");
        assertThat(WireNames.tlsCipherSuite(0xcca9)).isEqualTo("TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256");
        assertThat(WireNames.tlsCipherSuite(0x009c)).isEqualTo("0x009c");
        assertThat(WireNames.tlsCipherSuite(0xfafa)).isEqualTo("0xfafa");
    }
}
