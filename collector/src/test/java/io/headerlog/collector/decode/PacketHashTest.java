package io.headerlog.collector.decode;

import static io.headerlog.collector.bpf.EventLayout.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Set;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

class PacketHashTest {

    private static final byte[] SRC = {(byte) 198, 18, 0, 1};
    private static final byte[] DST = {(byte) 198, 18, 0, 2};

    /** The test vector of bpf/capture.h: IPv4 TCP SYN 198.18.0.1:40000 > 198.18.0.2:80, IP ID 1, seq 1. */
    static long captureHVector() {
        return PacketHash.hash(4, 6, SRC, 0, DST, 0, 4, 40000, 80, 1, 1, 0, 0x02, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    @Test
    void shouldGiveTheValueDocumentedInCaptureH() {
        assertThat(captureHVector()).isEqualTo(0x5224d089a5ae55f0L);
    }

    @Test
    void shouldKeepEveryPacketAtRateOne() {
        for (long h : new long[] {0, -1, 0xffffffffL, 0x123456789abcdefL}) {
            assertThat(PacketHash.keep(h, 1)).isTrue();
        }
    }

    @Test
    void shouldKeepTheLowestCeilingOfTwoToThe32OverNValuesOfTheLowHalf() {
        assertThat(PacketHash.keep(0, 16)).isTrue();
        assertThat(PacketHash.keep((1L << 28) - 1, 16)).isTrue();
        assertThat(PacketHash.keep(1L << 28, 16)).isFalse();
        // ceil(2^32 / 3) = 1431655766 values: 0 .. 1431655765
        assertThat(PacketHash.keep(1431655765L, 3)).isTrue();
        assertThat(PacketHash.keep(1431655766L, 3)).isFalse();
        assertThat(PacketHash.keep(0xffffffffL, 1 << 20)).isFalse();
    }

    @Test
    void shouldIgnoreTheHighHalfSoASecondStageCanUseIt() {
        assertThat(PacketHash.keep(0xdeadbeef_00000005L, 1000)).isEqualTo(PacketHash.keep(5, 1000)).isTrue();
        assertThat(PacketHash.keep(0x00000001_ffff0000L, 1000)).isEqualTo(PacketHash.keep(0xffff0000L, 1000)).isFalse();
    }

    @Test
    void shouldRefuseARateBelowOne() {
        assertThatThrownBy(() -> PacketHash.keep(0, 0)).hasMessageContaining("at least 1");
    }

    @Test
    void shouldSelectAboutOneInNOfPacketsThatDifferOnlyInSequenceNumber() {
        int n = 100_000;
        for (int rate : new int[] {2, 10, 100}) {
            int kept = 0;
            for (int seq = 0; seq < n; seq++) {
                if (PacketHash.keep(PacketHash.hash(4, 6, SRC, 0, DST, 0, 4, 1, 2, 0, seq, 0, 0x10, 0, 0, 0, 0, 0, 0, 1400, 0),
                        rate)) {
                    kept++;
                }
            }
            double p = 1.0 / rate;
            double sd = Math.sqrt(n * p * (1 - p));
            assertThat((double) kept).as("rate %d", rate).isBetween(n * p - 5 * sd, n * p + 5 * sd);
        }
    }

    @Test
    void shouldDependOnEveryInput() {
        IntFunction<Long> changed = i -> PacketHash.hash(i == 0 ? 6 : 4, i == 1 ? 17 : 6, i == 2 ? DST : SRC, 0,
                i == 3 ? SRC : DST, 0, 4, i == 4 ? 41 : 40, i == 5 ? 81 : 80, i == 6 ? 2 : 1, i == 7 ? 2 : 1, i == 8 ? 2 : 1,
                i == 9 ? 0x12 : 0x10, i == 10 ? 2 : 1, i == 11 ? 2 : 1, i == 12 ? 9 : 8, i == 13 ? 1 : 0, i == 14 ? 2 : 1,
                i == 15 ? 2 : 1, i == 16 ? 101 : 100, i == 17 ? 0x4100000000000000L : 0x4200000000000000L);
        Set<Long> hashes = new HashSet<>();
        for (int i = 0; i <= 18; i++) {
            hashes.add(changed.apply(i));
        }
        assertThat(hashes).as("the base and each single change give distinct hashes").hasSize(19);
    }

    @Test
    void shouldZeroPadAnIpv4AddressToTheSixteenByteForm() {
        byte[] src16 = new byte[16];
        byte[] dst16 = new byte[16];
        System.arraycopy(SRC, 0, src16, 0, 4);
        System.arraycopy(DST, 0, dst16, 0, 4);
        assertThat(PacketHash.hash(4, 17, SRC, 0, DST, 0, 4, 1, 2, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5, 0))
                .isEqualTo(PacketHash.hash(4, 17, src16, 0, dst16, 0, 16, 1, 2, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5, 0));
        assertThatThrownBy(() -> PacketHash.hash(4, 17, SRC, 0, DST, 0, 5, 1, 2, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5, 0))
                .hasMessageContaining("4 (IPv4) or 16 (IPv6)");
    }

    @Test
    void shouldReadTheFirstPayloadBytesBigEndianAndZeroPadThem() {
        assertThat(PacketHash.prefixWord(new byte[] {0x41, 0x42}, 0, 2, 2)).isEqualTo(0x4142000000000000L);
        assertThat(PacketHash.prefixWord("GET / HTTP/1.1".getBytes(), 0, 14, 14)).isEqualTo(0x474554202f204854L);
        assertThat(PacketHash.prefixWord(new byte[0], 0, 0, 0)).isZero();
        // Payload longer than the copy, but the copy holds the 8 bytes the hash needs.
        assertThat(PacketHash.prefixWord(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}, 0, 8, 1000)).isEqualTo(0x0102030405060708L);
        assertThatThrownBy(() -> PacketHash.prefixWord(new byte[4], 0, 4, 100))
                .hasMessageContaining("needs the first 8 payload bytes, only 4 were captured");
    }

    @Test
    void shouldRecomputeTheHashFromARingRecord() throws Exception {
        byte[] payload = "hello, world".getBytes();
        HlEventBuilder r = new HlEventBuilder().addrs("fd00::1", "fd00::2").u8(IP_PROTO, 6).u16(SPORT, 443).u16(DPORT, 50000)
                .u32(IP_ID, 77).u32(TCP_SEQ, 0xfedcba98L).u32(TCP_ACK, 5).u16(TCP_FLAGS, 0x118).u32(TCP_TS_VAL, 9)
                .u32(TCP_TS_ECR, 10).u32(PAYLOAD_LEN, 1200).u16(PAYLOAD_OFF, 86).payload(payload);
        byte[] s = java.net.InetAddress.getByName("fd00::1").getAddress();
        byte[] d = java.net.InetAddress.getByName("fd00::2").getAddress();

        assertThat(PacketHash.ofRecord(r.buffer(), 0, r.length())).isEqualTo(PacketHash.hash(6, 6, s, 0, d, 0, 16, 443, 50000,
                77, 0xfedcba98L, 5, 0x118, 9, 10, 0, 0, 0, 0, 1200, PacketHash.prefixWord(payload, 0, payload.length, 1200)));
    }

    @Test
    void shouldGiveNoHashForANonIpRecordAndNoPrefixWhereThePayloadWasNotLocated() throws Exception {
        HlEventBuilder nonIp = new HlEventBuilder().u16(ETH_TYPE, 0x88b5).u32(PAYLOAD_LEN, 46).payload(new byte[46]);
        assertThat(PacketHash.ofRecord(nonIp.buffer(), 0, nonIp.length())).isZero();

        HlEventBuilder lost = new HlEventBuilder().addrs("198.18.0.1", "198.18.0.2").u8(IP_PROTO, 17)
                .u32(PAYLOAD_LEN, 100).u16(PAYLOAD_OFF, 0xffff);
        assertThat(PacketHash.ofRecord(lost.buffer(), 0, lost.length()))
                .isEqualTo(PacketHash.hash(4, 17, SRC, 0, DST, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 100, 0));
    }

    @Test
    void shouldRefuseToRecomputeFromARecordWithTooFewPayloadBytes() throws Exception {
        HlEventBuilder cut = new HlEventBuilder().addrs("198.18.0.1", "198.18.0.2").u8(IP_PROTO, 17).u32(PAYLOAD_LEN, 100)
                .u16(PAYLOAD_OFF, 42).payload(new byte[3]);
        assertThatThrownBy(() -> PacketHash.ofRecord(cut.buffer(), 0, cut.length()))
                .hasMessageContaining("capture with a snap length of at least 8");
    }

    @Test
    void shouldReadRecordsInEitherByteOrderView() throws Exception {
        HlEventBuilder r = new HlEventBuilder().addrs("198.18.0.1", "198.18.0.2").u8(IP_PROTO, 17).u16(SPORT, 1)
                .u32(PAYLOAD_LEN, 2).u16(PAYLOAD_OFF, 42).payload(new byte[] {1, 2});
        ByteBuffer other = r.buffer().duplicate().order(r.buffer().order() == java.nio.ByteOrder.BIG_ENDIAN
                ? java.nio.ByteOrder.LITTLE_ENDIAN : java.nio.ByteOrder.BIG_ENDIAN);
        assertThat(PacketHash.ofRecord(other, 0, r.length())).isEqualTo(PacketHash.ofRecord(r.buffer(), 0, r.length()));
    }
}
