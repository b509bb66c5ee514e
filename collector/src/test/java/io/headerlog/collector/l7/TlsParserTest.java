package io.headerlog.collector.l7;

import static io.headerlog.collector.l7.TlsHellos.TLS12;
import static io.headerlog.collector.l7.TlsHellos.TLS13;
import static org.assertj.core.api.Assertions.assertThat;

import io.headerlog.schema.Tls;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class TlsParserTest {

    private static Tls parse(byte[] b) {
        return TlsParser.parse(ByteBuffer.wrap(b), 0, b.length);
    }

    private static int needed(byte[] b) {
        return TlsParser.bytesNeeded(ByteBuffer.wrap(b), 0, b.length);
    }

    /** The same handshake message carried by two records, the first holding {@code k} bytes of it. */
    private static byte[] splitIntoTwoRecords(byte[] record, int k) {
        int body = record.length - 5;
        ByteBuffer out = ByteBuffer.allocate(record.length + 5);
        out.put(record, 0, 3).putShort((short) k).put(record, 5, k);
        out.put(record, 0, 3).putShort((short) (body - k)).put(record, 5 + k, body - k);
        return out.array();
    }

    @Test
    void shouldDecodeCurlsClientHelloAsTsharkDid() {
        byte[] hello = CapturedMessages.curlClientHello();
        Tls t = parse(hello);

        assertThat(t.getHandshakeType()).isEqualTo("client_hello");
        assertThat(t.getRecordVersion()).isEqualTo(0x0301);
        assertThat(t.getHelloVersion()).isEqualTo(0x0303);
        assertThat(t.getSni()).isEqualTo("test.example");
        assertThat(t.getAlpn()).containsExactly("h2", "http/1.1");
        assertThat(t.getSupportedVersions()).containsExactly(0x0304, 0x0303, 0x0302, 0x0301);
        assertThat(t.getCipherSuites()).hasSize(31).startsWith(0x1302, 0x1303, 0x1301).endsWith(0x002f, 0x00ff);
        assertThat(t.getSelectedVersion()).isNull();
        assertThat(t.getCipherSuite()).isNull();
        assertThat(t.getTruncated()).isFalse();
        assertThat(needed(hello)).isEqualTo(517).isEqualTo(hello.length);
    }

    @Test
    void shouldDecodeATls13ServerHelloAndIgnoreTheRecordsAfterIt() {
        byte[] sh = CapturedMessages.bytes(CapturedMessages.SERVER_HELLO_TLS13 + "140303000101" + "1703030020" + "00".repeat(32));
        Tls t = parse(sh);

        assertThat(t.getHandshakeType()).isEqualTo("server_hello");
        assertThat(t.getRecordVersion()).isEqualTo(0x0303);
        assertThat(t.getHelloVersion()).isEqualTo(0x0303);
        assertThat(t.getSelectedVersion()).isEqualTo(TLS13);
        assertThat(t.getCipherSuite()).isEqualTo(0x1302);
        assertThat(t.getAlpn()).isEmpty(); // TLS 1.3 sends the selected protocol encrypted
        assertThat(t.getSni()).isNull();
        assertThat(t.getTruncated()).isFalse();
        assertThat(needed(sh)).isEqualTo(127);
    }

    @Test
    void shouldDecodeAnOpensslShapedClientHelloBuiltByHand() {
        Tls t = parse(TlsHellos.opensslClientHello("b.example").bytes());

        assertThat(t.getSni()).isEqualTo("b.example");
        assertThat(t.getAlpn()).containsExactly("h2", "http/1.1");
        assertThat(t.getSupportedVersions()).containsExactly(TLS13, TLS12);
        assertThat(t.getCipherSuites()).hasSize(TlsHellos.OPENSSL_SUITES.length);
        assertThat(t.getTruncated()).isFalse();
    }

    @Test
    void shouldLeaveGreaseValuesOut() {
        Tls t = parse(TlsHellos.clientHello("g.example", List.of("h2"), new int[] {TLS13}, new int[] {0x1301}, true).bytes());

        assertThat(t.getCipherSuites()).containsExactly(0x1301);
        assertThat(t.getSupportedVersions()).containsExactly(TLS13);
        assertThat(t.getAlpn()).containsExactly("h2");
        assertThat(t.getSni()).isEqualTo("g.example");
        assertThat(TlsHello.isGrease(0xdada)).isTrue();
        assertThat(TlsHello.isGrease(0x0a1a)).isFalse();
        assertThat(TlsHello.isGrease(0x1302)).isFalse();
    }

    @Test
    void shouldTakeATls12ServerHellosVersionAndAlpnFromTheHello() {
        Tls t = parse(TlsHellos.serverHello(0xc02f, null, "http/1.1").bytes());

        assertThat(t.getSelectedVersion()).isEqualTo(TLS12);
        assertThat(t.getCipherSuite()).isEqualTo(0xc02f);
        assertThat(t.getAlpn()).containsExactly("http/1.1");
    }

    @Test
    void shouldParseACutHelloAsFarAsItGoes() {
        byte[] hello = CapturedMessages.curlClientHello();
        byte[] cut = Arrays.copyOf(hello, 100); // inside the cipher suites

        Tls t = parse(cut);

        assertThat(t.getTruncated()).isTrue();
        assertThat(t.getCipherSuites()).startsWith(0x1302).hasSizeLessThan(31);
        assertThat(t.getSni()).isNull();
        assertThat(needed(cut)).isEqualTo(517);
    }

    @Test
    void shouldPutAHelloSplitOverTwoRecordsBackTogether() {
        byte[] whole = TlsHellos.opensslClientHello("split.example").bytes();
        byte[] split = splitIntoTwoRecords(whole, 60);

        Tls t = parse(split);

        assertThat(t).isEqualTo(parse(whole));
        assertThat(needed(split)).isEqualTo(split.length);
        // with only the first record there, the second one's header and remaining bytes are still needed
        byte[] firstOnly = Arrays.copyOf(split, 5 + 60);
        assertThat(needed(firstOnly)).isEqualTo(split.length);
        assertThat(parse(firstOnly).getTruncated()).isTrue();
    }

    @Test
    void shouldStopGatheringAtARecordThatIsNotHandshake() {
        byte[] whole = TlsHellos.opensslClientHello("split.example").bytes();
        byte[] split = splitIntoTwoRecords(whole, 60);
        split[65] = 23; // the second record becomes application data

        assertThat(needed(split)).isEqualTo(65);
        assertThat(parse(split).getTruncated()).isTrue();
    }

    @Test
    void shouldTellHowManyBytesItNeedsToJudgeAShortPrefix() {
        byte[] hello = CapturedMessages.curlClientHello();

        assertThat(TlsParser.bytesNeeded(ByteBuffer.wrap(hello), 0, 3)).isEqualTo(TlsParser.PREFIX);
        assertThat(TlsParser.bytesNeeded(ByteBuffer.wrap(hello), 0, 9)).isEqualTo(517);
        assertThat(TlsParser.bytesNeeded(ByteBuffer.wrap(new byte[] {23, 3, 3}), 0, 3)).isEqualTo(-1);
        assertThat(TlsParser.bytesNeeded(ByteBuffer.wrap(new byte[] {22, 3, 9}), 0, 3)).isEqualTo(-1);
        assertThat(TlsParser.bytesNeeded(ByteBuffer.wrap(hello), 0, 0)).isEqualTo(-1);
        assertThat(parse(Arrays.copyOf(hello, 10))).isNull(); // not even legacy_version
    }

    @Test
    void shouldNotTakeOtherBytesForAHello() {
        assertThat(parse("GET / HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.US_ASCII))).isNull();
        assertThat(parse(CapturedMessages.bytes("1403030001010000000000000000"))).isNull(); // ChangeCipherSpec
        byte[] certificate = TlsHellos.opensslClientHello("x").bytes();
        certificate[5] = 11;
        assertThat(parse(certificate)).isNull();
        byte[] tooShortHello = TlsHellos.opensslClientHello("x").bytes();
        tooShortHello[6] = 0;
        tooShortHello[7] = 0;
        tooShortHello[8] = 40; // below a ClientHello's minimum
        assertThat(parse(tooShortHello)).isNull();
        assertThat(TlsParser.parse(null, 0, 100)).isNull();
    }

    @Test
    void shouldReportOnlyAHostNameOfVisibleAscii() {
        Tls t = parse(TlsHellos.clientHello("bad\u0001name", null, null, new int[] {0x1301}, false).bytes());

        assertThat(t.getSni()).isNull();
        assertThat(t.getTruncated()).isFalse();
    }

    @Test
    void shouldEscapeOpaqueAlpnBytes() {
        Tls t = parse(TlsHellos.clientHello(null, List.of("h\u00003", "a\\b"), null, new int[] {0x1301}, false).bytes());

        assertThat(t.getAlpn()).containsExactly("h\\x003", "a\\x5cb");
    }

    @Test
    void shouldMarkABrokenExtensionListTruncatedButKeepWhatCameBefore() {
        Sample s = TlsHellos.opensslClientHello("b.example");
        byte[] b = s.bytes().clone();
        // the last length field opened is the key_share extension's: make it overrun the list
        int keyShareLength = s.lengthFields()[s.lengthFields().length - 1] / 4;
        b[keyShareLength] = 0x7f;

        Tls t = parse(b);

        assertThat(t.getSni()).isEqualTo("b.example");
        assertThat(t.getSupportedVersions()).containsExactly(TLS13, TLS12);
        assertThat(t.getTruncated()).isTrue();
    }

    @Test
    void shouldGiveTheSameResultAtAnOffsetInADirectLittleEndianBuffer() {
        byte[] hello = CapturedMessages.curlClientHello();
        ByteBuffer direct = ByteBuffer.allocateDirect(hello.length + 3).order(ByteOrder.LITTLE_ENDIAN);
        direct.put(3, hello);

        assertThat(TlsParser.parse(direct, 3, hello.length)).isEqualTo(parse(hello));
        assertThat(TlsParser.bytesNeeded(direct, 3, hello.length)).isEqualTo(517);
    }
}
