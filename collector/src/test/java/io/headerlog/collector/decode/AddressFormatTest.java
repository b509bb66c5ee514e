package io.headerlog.collector.decode;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AddressFormatTest {

    @ParameterizedTest
    @CsvSource({
        "fd00::1, fd00::1",
        "::, ::",
        "::1, ::1",
        "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
        "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
        "2001:DB8:AAAA:BBBB:CCCC:DDDD:EEEE:1, 2001:db8:aaaa:bbbb:cccc:dddd:eeee:1",
        "fe80::200:86ff:fe05:80da, fe80::200:86ff:fe05:80da",
        "1:0:0:2:0:0:0:3, 1:0:0:2::3",
        "fd00:0:0:0:0:0:0:0, fd00::",
    })
    void shouldFormatIpv6InRfc5952CanonicalForm(String input, String expected) throws Exception {
        byte[] addr = InetAddress.getByName(input).getAddress();
        assertThat(AddressFormat.ipv6(addr, 0)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"198.18.0.1", "0.0.0.0", "255.255.255.255", "10.1.12.2"})
    void shouldFormatIpv4DottedQuad(String input) throws Exception {
        assertThat(AddressFormat.ipv4(InetAddress.getByName(input).getAddress(), 0)).isEqualTo(input);
    }

    @ParameterizedTest
    @CsvSource({"0a:1b:2c:3d:4e:5f", "ff:ff:ff:ff:ff:ff", "00:00:00:00:00:00"})
    void shouldFormatMacLowerCaseWithColons(String mac) {
        byte[] b = new byte[6];
        String[] parts = mac.split(":");
        for (int i = 0; i < 6; i++) {
            b[i] = (byte) Integer.parseInt(parts[i], 16);
        }
        assertThat(AddressFormat.mac(b, 0)).isEqualTo(mac);
    }
}
