package io.headerlog.streams.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headerlog.schema.Dns;
import io.headerlog.schema.Http;
import io.headerlog.schema.Ip;
import io.headerlog.schema.PacketHeader;
import io.headerlog.schema.Tcp;
import io.headerlog.schema.TcpOptions;
import io.headerlog.schema.Tls;
import io.headerlog.schema.Udp;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ConsistentSamplerTest {
    private static final int SAMPLES = 100_000;
    private static final long KEPT_BY_ANY_RATE = 0x0000_0000_ffff_ffffL;    // high word 0
    private static final long DROPPED_BY_RATE_ABOVE_1 = 0xffff_ffff_0000_0000L; // high word max

    @Test
    void rateBelowOneOrAboveTheKernelMaximumIsRejected() {
        assertThatThrownBy(() -> new ConsistentSampler(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got 0");
        assertThatThrownBy(() -> new ConsistentSampler(-4)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ConsistentSampler(ConsistentSampler.MAX_RATE + 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new ConsistentSampler(ConsistentSampler.MAX_RATE).rate()).isEqualTo(1 << 20);
    }

    @Test
    void rateOneKeepsEveryRecordAtItsOwnRate() {
        ConsistentSampler sampler = new ConsistentSampler(1);
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < 1000; i++) {
            SampleDecision d = sampler.decide(udp(random.nextLong(), "a", 64, 4));
            assertThat(d.keep()).isTrue();
            assertThat(d.sampleRate()).isEqualTo(4);
        }
    }

    @Test
    void everyHostsCopyOfAPacketGetsTheSameDecision() {
        ConsistentSampler sampler = new ConsistentSampler(4);
        SplittableRandom random = new SplittableRandom(2);
        int kept = 0;
        for (int i = 0; i < 10_000; i++) {
            long hash = random.nextLong();
            PacketHeader atA = udp(hash, "a", 64, 2);
            PacketHeader atB = udp(hash, "b", 63, 2);
            atB.setDirection("ingress");
            atB.setIfName("eth1");
            atB.setCaptureTimeNs(atA.getCaptureTimeNs() + 123_456);

            SampleDecision a = sampler.decide(atA);
            SampleDecision b = sampler.decide(atB);

            assertThat(b).isEqualTo(a);
            kept += a.keep() ? 1 : 0;
        }
        assertThat(kept).isBetween(1, 9_999); // both outcomes occurred
    }

    @Test
    void keptFractionIsOneInRateWithinStatisticalBounds() {
        for (int rate : new int[] {2, 3, 4, 10, 64, 100}) {
            ConsistentSampler sampler = new ConsistentSampler(rate);
            SplittableRandom random = new SplittableRandom(rate);
            int kept = 0;
            for (int i = 0; i < SAMPLES; i++) {
                kept += sampler.decide(udp(random.nextLong(), "a", 64, 1)).keep() ? 1 : 0;
            }
            assertWithinFiveSigma(kept, SAMPLES, 1.0 / rate, "rate " + rate);
        }
    }

    @Test
    void streamDecisionIsIndependentOfTheKernelsLowBitDecision() {
        // (kernel rate, stream rate): equal, stream below kernel (same low bits would keep all), above.
        int[][] rates = {{4, 4}, {4, 2}, {2, 8}, {16, 16}};
        for (int[] kn : rates) {
            int kernelRate = kn[0];
            int streamRate = kn[1];
            SplittableRandom random = new SplittableRandom(31L * kernelRate + streamRate);
            int kernelKept = 0;
            int bothKept = 0;
            int kernelDropped = 0;
            int streamKeptOfKernelDropped = 0;
            for (int i = 0; i < SAMPLES; i++) {
                long hash = random.nextLong();
                boolean kernel = kernelKeeps(hash, kernelRate);
                boolean stream = ConsistentSampler.selects(hash, streamRate);
                if (kernel) {
                    kernelKept++;
                    bothKept += stream ? 1 : 0;
                } else {
                    kernelDropped++;
                    streamKeptOfKernelDropped += stream ? 1 : 0;
                }
            }
            String what = "kernel 1/" + kernelRate + ", stream 1/" + streamRate;
            assertWithinFiveSigma(bothKept, kernelKept, 1.0 / streamRate, what + ", among kernel-kept");
            assertWithinFiveSigma(streamKeptOfKernelDropped, kernelDropped, 1.0 / streamRate, what + ", among kernel-dropped");
            assertWithinFiveSigma(bothKept, SAMPLES, 1.0 / ((double) kernelRate * streamRate), what + ", overall");
        }
    }

    @Test
    void independenceHoldsForHashesOfSequentialInputs() {
        // Real labels come from murmur3's fmix64 over header words (PacketHash); consecutive inputs,
        // like consecutive TCP sequence numbers, must not line the two halves up either.
        int kernelKept = 0;
        int bothKept = 0;
        for (long i = 0; i < SAMPLES * 4L; i++) {
            long hash = fmix64(0x9e37_79b9_7f4a_7c15L + i);
            if (kernelKeeps(hash, 4)) {
                kernelKept++;
                bothKept += ConsistentSampler.selects(hash, 4) ? 1 : 0;
            }
        }
        assertWithinFiveSigma(bothKept, kernelKept, 0.25, "fmix64 of a counter, among kernel-kept");
    }

    @Test
    void decidingOnTheLowBitsInsteadWouldBeFullyCorrelated() {
        // The reason for the high bits, shown: at stream rate 2 after kernel rate 4 the low bits keep
        // every kernel-kept hash, while the sampler keeps about half.
        SplittableRandom random = new SplittableRandom(7);
        int kernelKept = 0;
        int lowBitsKept = 0;
        int samplerKept = 0;
        while (kernelKept < 10_000) {
            long hash = random.nextLong();
            if (!kernelKeeps(hash, 4)) {
                continue;
            }
            kernelKept++;
            lowBitsKept += kernelKeeps(hash, 2) ? 1 : 0;
            samplerKept += ConsistentSampler.selects(hash, 2) ? 1 : 0;
        }
        assertThat(lowBitsKept).isEqualTo(kernelKept);
        assertWithinFiveSigma(samplerKept, kernelKept, 0.5, "sampler among kernel-kept");
    }

    @Test
    void keptRecordCarriesKernelRateTimesStreamRate() {
        ConsistentSampler sampler = new ConsistentSampler(8);

        SampleDecision kept = sampler.decide(udp(KEPT_BY_ANY_RATE, "a", 64, 4));
        SampleDecision dropped = sampler.decide(udp(DROPPED_BY_RATE_ABOVE_1, "a", 64, 4));

        assertThat(kept).isEqualTo(new SampleDecision(true, 32, SampleDecision.Reason.SAMPLED_IN));
        assertThat(dropped.keep()).isFalse();
        assertThat(dropped.reason()).isEqualTo(SampleDecision.Reason.SAMPLED_OUT);
        assertThat(dropped.sampleRate()).isZero();
    }

    @Test
    void combinedRateBeyondAnIntIsReportedExactly() {
        ConsistentSampler sampler = new ConsistentSampler(ConsistentSampler.MAX_RATE);

        SampleDecision kept = sampler.decide(udp(KEPT_BY_ANY_RATE, "a", 64, 1 << 20));

        assertThat(kept.sampleRate()).isEqualTo(1L << 40);
    }

    @Test
    void tcpControlRecordsAreKeptRegardlessAtTheirOwnRateByDefault() {
        ConsistentSampler sampler = new ConsistentSampler(1000);
        for (int flags : new int[] {0x02, 0x12, 0x01, 0x11, 0x04, 0x14}) {
            SampleDecision d = sampler.decide(tcp(DROPPED_BY_RATE_ABOVE_1, flags));
            assertThat(d).isEqualTo(new SampleDecision(true, 1, SampleDecision.Reason.TCP_CONTROL));
        }
        assertThat(sampler.decide(tcp(DROPPED_BY_RATE_ABOVE_1, 0x10)).keep()).isFalse(); // plain ACK
        // A SYN the hash would keep anyway is still TCP_CONTROL, at its own rate (it was certain to be kept).
        assertThat(sampler.decide(tcp(KEPT_BY_ANY_RATE, 0x02)).sampleRate()).isEqualTo(1);
    }

    @Test
    void tcpControlRecordsAreSampledWhenKeepTcpControlIsOff() {
        ConsistentSampler sampler = new ConsistentSampler(1000, false, true);

        assertThat(sampler.decide(tcp(DROPPED_BY_RATE_ABOVE_1, 0x02)).keep()).isFalse();
        assertThat(sampler.decide(tcp(KEPT_BY_ANY_RATE, 0x02)))
                .isEqualTo(new SampleDecision(true, 1000, SampleDecision.Reason.SAMPLED_IN));
    }

    @Test
    void l7RecordsAreKeptRegardlessByDefaultAndSampledWhenKeepL7IsOff() {
        PacketHeader http = tcp(DROPPED_BY_RATE_ABOVE_1, 0x18);
        http.setHttp(Http.newBuilder().setMethod("GET").setTarget("/").setVersion("HTTP/1.1")
                .setHeaders(List.of()).build());
        PacketHeader dns = udp(DROPPED_BY_RATE_ABOVE_1, "a", 64, 1);
        dns.setDns(Dns.newBuilder().setTransport("udp").setId(1).setResponse(false).setOpcode(0).setRcode(0)
                .setFlags(0x100).setAuthoritative(false).setTruncated(false).setRecursionDesired(true)
                .setRecursionAvailable(false).setQuestionCount(0).setAnswerCount(0).setAuthorityCount(0)
                .setAdditionalCount(0).setQuestions(List.of()).setAnswers(List.of()).build());
        PacketHeader tls = tcp(DROPPED_BY_RATE_ABOVE_1, 0x18);
        tls.setTls(Tls.newBuilder().setHandshakeType("client_hello").setRecordVersion(0x0301).setHelloVersion(0x0303)
                .setAlpn(List.of()).setSupportedVersions(List.of()).setCipherSuites(List.of()).build());

        ConsistentSampler keepL7 = new ConsistentSampler(16);
        ConsistentSampler sampleL7 = new ConsistentSampler(16, true, false);

        for (PacketHeader record : List.of(http, dns, tls)) {
            assertThat(keepL7.decide(record)).isEqualTo(new SampleDecision(true, 1, SampleDecision.Reason.L7));
            assertThat(sampleL7.decide(record).keep()).isFalse();
        }
    }

    @Test
    void recordWithoutPacketHashIsKeptAtItsRate() {
        ConsistentSampler sampler = new ConsistentSampler(1000);
        PacketHeader nonIp = udp(0, "a", 64, 1);
        nonIp.setPacketHash(null);
        nonIp.setIp(null);
        nonIp.setUdp(null);

        assertThat(sampler.decide(nonIp)).isEqualTo(new SampleDecision(true, 1, SampleDecision.Reason.NO_HASH));
        nonIp.setSampleRate(3);
        assertThat(sampler.decide(nonIp).sampleRate()).isEqualTo(3);
    }

    @Test
    void selectionKeepsCeilingOfTwoToThe32OverRateHighWords() {
        // The boundary of the formula: high word h is kept at rate N iff h < ceil(2^32 / N).
        assertThat(ConsistentSampler.selects(0x5555_5555_0000_0000L, 3)).isTrue();   // ceil(2^32/3) - 1
        assertThat(ConsistentSampler.selects(0x5555_5556_0000_0000L, 3)).isFalse();  // ceil(2^32/3)
        assertThat(ConsistentSampler.selects(0x3fff_ffff_ffff_ffffL, 4)).isTrue();
        assertThat(ConsistentSampler.selects(0x4000_0000_0000_0000L, 4)).isFalse();
        assertThat(ConsistentSampler.selects(-1L, 1)).isTrue();
    }

    /** The kernel's first stage (bpf/capture.bpf.c hl_keep, PacketHash.keep): the low 32 bits. */
    private static boolean kernelKeeps(long hash, int rate) {
        return ((hash & 0xffff_ffffL) * rate) >>> 32 == 0;
    }

    /** murmur3's 64-bit finalizer, the last step of the packet hash. */
    private static long fmix64(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }

    private static void assertWithinFiveSigma(int kept, int n, double p, String what) {
        double expected = n * p;
        double sigma = Math.sqrt(n * p * (1 - p));
        assertThat((double) kept).as("%s: kept %d of %d, expected %.1f ± 5×%.1f", what, kept, n, expected, sigma)
                .isBetween(expected - 5 * sigma, expected + 5 * sigma);
    }

    private static PacketHeader udp(long hash, String host, int ttl, int sampleRate) {
        return base(hash, host, ttl, sampleRate, 17)
                .setUdp(Udp.newBuilder().setSrcPort(40000).setDstPort(9999).setLength(20).build())
                .build();
    }

    private static PacketHeader tcp(long hash, int flags) {
        return base(hash, "a", 64, 1, 6)
                .setTcp(Tcp.newBuilder().setSrcPort(40000).setDstPort(80).setSeq(1L).setAck(0L).setFlags(flags)
                        .setFlagNames("").setWindow(100).setHeaderLength(20)
                        .setOptions(TcpOptions.newBuilder().build()).build())
                .build();
    }

    private static PacketHeader.Builder base(long hash, String host, int ttl, int sampleRate, int protocol) {
        return PacketHeader.newBuilder()
                .setHost(host).setIfName("veth0").setIfIndex(7).setDirection("egress")
                .setMonoTimeNs(1_000L).setCaptureTimeNs(1_700_000_000_000_000_000L)
                .setPacketLength(60).setGsoSegs(1).setPayloadLength(12).setCapturedPayloadLength(12)
                .setParseFlags(List.of())
                .setIp(Ip.newBuilder().setVersion(4).setSrc("198.18.0.1").setDst("198.18.0.2").setProtocol(protocol)
                        .setTtl(ttl).setDscp(0).setEcn(0).setIpId(7L).setTotalLength(40).setDontFragment(true)
                        .setMoreFragments(false).setFragmentOffset(0).build())
                .setCommunityId("1:abc")
                .setPacketHash(hash)
                .setSampleRate(sampleRate);
    }
}
