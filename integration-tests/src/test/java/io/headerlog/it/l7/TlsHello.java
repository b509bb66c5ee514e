package io.headerlog.it.l7;

import java.util.List;

/**
 * A ClientHello or ServerHello as either side reports it. For a ClientHello: offered ALPN,
 * supported versions and cipher suites (GREASE left out); for a ServerHello: the selected ALPN
 * protocol (TLS 1.2 only: TLS 1.3 encrypts it), the selected version and cipher suite.
 */
record TlsHello(String origin, String stream, String handshakeType, int recordVersion, int helloVersion, String sni,
                List<String> alpn, List<Integer> supportedVersions, Integer selectedVersion, List<Integer> cipherSuites,
                Integer cipherSuite) {

    static final String CLIENT_HELLO = "client_hello";
    static final String SERVER_HELLO = "server_hello";

    TlsHello {
        alpn = List.copyOf(alpn);
        supportedVersions = List.copyOf(supportedVersions);
        cipherSuites = List.copyOf(cipherSuites);
    }

    /** GREASE values (RFC 8701) are 0x?a?a with both bytes equal. */
    static boolean isGrease(int v) {
        return (v & 0x0f0f) == 0x0a0a && (v >> 8) == (v & 0xff);
    }

    String key() {
        return stream + " " + handshakeType;
    }
}
