package io.headerlog.collector.l7;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** Builds TLS ClientHello and ServerHello records shaped like OpenSSL's. */
final class TlsHellos {
    static final int TLS13 = 0x0304;
    static final int TLS12 = 0x0303;
    /** OpenSSL 3.0's default list (as curl 7.88 sends it), without the renegotiation SCSV. */
    static final int[] OPENSSL_SUITES = {
        0x1302, 0x1303, 0x1301, 0xc02c, 0xc030, 0x009f, 0xcca9, 0xcca8, 0xccaa, 0xc02b, 0xc02f, 0x009e,
        0xc024, 0xc028, 0x006b, 0xc023, 0xc027, 0x0067, 0xc00a, 0xc014, 0x0039, 0xc009, 0xc013, 0x0033,
        0x009d, 0x009c, 0x003d, 0x003c, 0x0035, 0x002f, 0x00ff
    };

    private TlsHellos() {}

    /**
     * @param grease add GREASE values (as browsers do) to suites, versions, ALPN and extensions
     */
    static Sample clientHello(String sni, List<String> alpn, int[] versions, int[] suites, boolean grease) {
        Wire w = new Wire();
        w.u8(22).u16(0x0301);
        int record = w.open(2);
        w.u8(1);
        int hello = w.open(3);
        w.u16(TLS12);
        for (int i = 0; i < 32; i++) {
            w.u8(i * 7 + 3);
        }
        w.u8(32);
        for (int i = 0; i < 32; i++) {
            w.u8(0x70 + i);
        }
        int suitesLen = w.open(2);
        if (grease) {
            w.u16(0x2a2a);
        }
        for (int s : suites) {
            w.u16(s);
        }
        w.close(suitesLen);
        w.u8(1).u8(0);
        int exts = w.open(2);
        if (grease) {
            w.u16(0x3a3a).u16(0);
        }
        if (sni != null) {
            w.u16(0);
            int ext = w.open(2);
            int list = w.open(2);
            w.u8(0);
            int name = w.open(2);
            w.ascii(sni);
            w.close(name).close(list).close(ext);
        }
        w.u16(11).hex("000403000102"); // ec_point_formats: 3 formats
        w.u16(10);
        int groups = w.open(2);
        w.hex("0008001d00170018001e");
        w.close(groups);
        if (alpn != null) {
            w.u16(16);
            int ext = w.open(2);
            int list = w.open(2);
            if (grease) {
                w.u8(2).u16(0x5a5a);
            }
            for (String p : alpn) {
                int pl = w.open(1);
                w.bytes(p.getBytes(StandardCharsets.ISO_8859_1));
                w.close(pl);
            }
            w.close(list).close(ext);
        }
        w.u16(23).u16(0); // extended_master_secret
        w.u16(13);
        int sig = w.open(2);
        w.hex("00080403050306030804");
        w.close(sig);
        if (versions != null) {
            w.u16(43);
            int ext = w.open(2);
            int list = w.open(1);
            if (grease) {
                w.u16(0x7a7a);
            }
            for (int v : versions) {
                w.u16(v);
            }
            w.close(list).close(ext);
        }
        w.u16(51);
        int keyShare = w.open(2);
        w.u16(36).u16(29).u16(32);
        for (int i = 0; i < 32; i++) {
            w.u8(0xb0 + i);
        }
        w.close(keyShare);
        w.close(exts).close(hello).close(record);
        return new Sample("client_hello", w.toBytes(), w.lengthFields(), new int[0]);
    }

    static Sample opensslClientHello(String sni) {
        return clientHello(sni, List.of("h2", "http/1.1"), new int[] {TLS13, TLS12}, OPENSSL_SUITES, false);
    }

    /** A ServerHello; selectedVersion null leaves out supported_versions (TLS 1.2 style). */
    static Sample serverHello(int suite, Integer selectedVersion, String alpn) {
        Wire w = new Wire();
        w.u8(22).u16(TLS12);
        int record = w.open(2);
        w.u8(2);
        int hello = w.open(3);
        w.u16(TLS12);
        for (int i = 0; i < 32; i++) {
            w.u8(0x90 + i);
        }
        w.u8(32);
        for (int i = 0; i < 32; i++) {
            w.u8(0x70 + i);
        }
        w.u16(suite).u8(0);
        int exts = w.open(2);
        if (selectedVersion != null) {
            w.u16(43).u16(2).u16(selectedVersion);
        }
        if (alpn != null) {
            w.u16(16);
            int ext = w.open(2);
            int list = w.open(2);
            int pl = w.open(1);
            w.ascii(alpn);
            w.close(pl).close(list).close(ext);
        }
        w.u16(51);
        int keyShare = w.open(2);
        w.u16(29).u16(32);
        for (int i = 0; i < 32; i++) {
            w.u8(0x20 + i);
        }
        w.close(keyShare);
        w.close(exts).close(hello).close(record);
        return new Sample("server_hello", w.toBytes(), w.lengthFields(), new int[0]);
    }
}
