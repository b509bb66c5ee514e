package io.headerlog.collector.decode;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Vectors from corelight/community-id-spec baseline/baseline_deflt.json (seed 0, base64). */
class CommunityIdTest {

    static Stream<Arguments> baselineVectors() {
        return Stream.of(
                Arguments.of(58, "fe80::200:86ff:fe05:80da", "fe80::260:97ff:fe07:69ea", 135, 136, "1:dGHyGvjMfljg6Bppwm3bg0LO8TY="),
                Arguments.of(58, "fe80::260:97ff:fe07:69ea", "fe80::200:86ff:fe05:80da", 136, 135, "1:dGHyGvjMfljg6Bppwm3bg0LO8TY="),
                Arguments.of(58, "fe80::260:97ff:fe07:69ea", "fe80::200:86ff:fe05:80da", 135, 136, "1:zavyT/cezQr1fmImYCwYnMXbgck="),
                Arguments.of(58, "fe80::200:86ff:fe05:80da", "fe80::260:97ff:fe07:69ea", 136, 135, "1:zavyT/cezQr1fmImYCwYnMXbgck="),
                Arguments.of(58, "3ffe:501:1800:2345::2", "3ffe:507:0:1:200:86ff:fe05:80da", 3, 0, "1:2ObVBgIn28oZvibYZhZMBgh7WdQ="),
                Arguments.of(58, "3ffe:501:410:0:2c0:dfff:fe47:33e", "3ffe:507:0:1:200:86ff:fe05:80da", 1, 4, "1:hLZd0XGWojozrvxqE0dWB1iM6R0="),
                Arguments.of(58, "3ffe:507:0:1:200:86ff:fe05:80da", "3ffe:501:0:1001::2", 128, 129, "1:+TW+HtLHvV1xnGhV1lv7XoJrqQg="),
                Arguments.of(58, "3ffe:501:0:1001::2", "3ffe:507:0:1:200:86ff:fe05:80da", 129, 128, "1:+TW+HtLHvV1xnGhV1lv7XoJrqQg="),
                Arguments.of(58, "fe80::200:86ff:fe05:80da", "ff02::2", 133, 134, "1:hO+sN4H+MG5MY/8hIrXPqc4ZQz0="),
                Arguments.of(58, "fe80::260:97ff:fe07:69ea", "ff02::1", 134, 133, "1:pkvHqCL88/tg1k4cPigmZXUtL00="),
                Arguments.of(1, "192.168.0.89", "192.168.0.1", 8, 0, "1:X0snYXpgwiv9TZtqg64sgzUn6Dk="),
                Arguments.of(1, "192.168.0.1", "192.168.0.89", 0, 8, "1:X0snYXpgwiv9TZtqg64sgzUn6Dk="),
                Arguments.of(1, "10.0.0.1", "10.0.0.2", 11, 0, "1:YHxtAirCG//0OzkcVAukqKQN9xM="),
                Arguments.of(6, "2001:470:e5bf:dead:4957:2174:e82c:4887", "2607:f8b0:400c:c03::1a", 63943, 25, "1:/qFaeAR+gFe1KYjMzVDsMv+wgU4="),
                Arguments.of(6, "2607:f8b0:400c:c03::1a", "2001:470:e5bf:dead:4957:2174:e82c:4887", 25, 63943, "1:/qFaeAR+gFe1KYjMzVDsMv+wgU4="),
                Arguments.of(132, "192.168.170.8", "192.168.170.56", 7, 7, "1:MP2EtRCAUIZvTw6MxJHLV7N7JDs="),
                Arguments.of(132, "192.168.170.56", "192.168.170.8", 7, 7, "1:MP2EtRCAUIZvTw6MxJHLV7N7JDs="),
                Arguments.of(6, "128.232.110.120", "66.35.250.204", 34855, 80, "1:LQU9qZlK+B5F3KDmev6m5PMibrg="),
                Arguments.of(6, "66.35.250.204", "128.232.110.120", 80, 34855, "1:LQU9qZlK+B5F3KDmev6m5PMibrg="),
                Arguments.of(17, "192.168.1.52", "8.8.8.8", 54585, 53, "1:d/FP5EW3wiY1vCndhwleRRKHowQ="),
                Arguments.of(17, "8.8.8.8", "192.168.1.52", 53, 54585, "1:d/FP5EW3wiY1vCndhwleRRKHowQ="),
                Arguments.of(46, "10.1.12.1", "10.1.12.2", null, null, "1:KHlLkgoJW7ifUTyTSgyVfkFHzKw="),
                Arguments.of(46, "10.1.12.2", "10.1.12.1", null, null, "1:KHlLkgoJW7ifUTyTSgyVfkFHzKw="));
    }

    @ParameterizedTest(name = "{0} {1}:{3} → {2}:{4}")
    @MethodSource("baselineVectors")
    void shouldMatchSpecBaseline(int proto, String saddr, String daddr, Integer sport, Integer dport,
                                 String expected) throws Exception {
        byte[] s = InetAddress.getByName(saddr).getAddress();
        byte[] d = InetAddress.getByName(daddr).getAddress();
        boolean ports = sport != null;
        String id = new CommunityId().flow(s, 0, d, 0, s.length, proto, ports,
                ports ? sport : 0, ports ? dport : 0);
        assertThat(id).isEqualTo(expected);
    }

    static Stream<Arguments> icmpMessages() {
        return Stream.of(
                // echo request and its reply share the flow id
                Arguments.of(1, "192.168.0.89", "192.168.0.1", 8, 0, "1:X0snYXpgwiv9TZtqg64sgzUn6Dk="),
                Arguments.of(1, "192.168.0.1", "192.168.0.89", 0, 0, "1:X0snYXpgwiv9TZtqg64sgzUn6Dk="),
                // time exceeded is one-way: ports are type and code
                Arguments.of(1, "10.0.0.1", "10.0.0.2", 11, 0, "1:YHxtAirCG//0OzkcVAukqKQN9xM="),
                Arguments.of(58, "fe80::200:86ff:fe05:80da", "fe80::260:97ff:fe07:69ea", 135, 0, "1:dGHyGvjMfljg6Bppwm3bg0LO8TY="),
                Arguments.of(58, "fe80::260:97ff:fe07:69ea", "fe80::200:86ff:fe05:80da", 136, 0, "1:dGHyGvjMfljg6Bppwm3bg0LO8TY="),
                Arguments.of(58, "fe80::260:97ff:fe07:69ea", "ff02::1", 134, 0, "1:pkvHqCL88/tg1k4cPigmZXUtL00="),
                Arguments.of(58, "3ffe:501:1800:2345::2", "3ffe:507:0:1:200:86ff:fe05:80da", 3, 0, "1:2ObVBgIn28oZvibYZhZMBgh7WdQ="));
    }

    @ParameterizedTest(name = "proto {0} type {3} {1} → {2}")
    @MethodSource("icmpMessages")
    void shouldMapIcmpTypesToPortsAsZeekDoes(int proto, String saddr, String daddr, int type, int code,
                                             String expected) throws Exception {
        byte[] s = InetAddress.getByName(saddr).getAddress();
        byte[] d = InetAddress.getByName(daddr).getAddress();
        assertThat(new CommunityId().icmp(s, 0, d, 0, s.length, proto, type, code)).isEqualTo(expected);
    }
}
