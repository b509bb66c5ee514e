package io.headerlog.collector.bpf;

import static io.headerlog.testing.Protocols.TH_ACK;
import static io.headerlog.testing.Protocols.TH_SYN;
import static org.assertj.core.api.Assertions.assertThat;

import io.headerlog.collector.decode.HttpMessages;
import io.headerlog.collector.decode.PacketDecoder;
import io.headerlog.collector.pipeline.ApplicationLayer;
import io.headerlog.collector.policy.HeaderPolicy;
import io.headerlog.collector.policy.HeaderPolicyConfig;
import io.headerlog.collector.policy.SecretTokenizer;
import io.headerlog.collector.reassembly.ReassemblyLimits;
import io.headerlog.collector.time.WallClock;
import io.headerlog.schema.PacketHeader;
import io.headerlog.testing.CaptureRig;
import io.headerlog.testing.RawEvent;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Kernel records of real traffic through the production {@link PacketDecoder} (and, for the HTTP
 * request, the {@link ApplicationLayer}): the struct the kernel wrote and the Avro record the
 * collector publishes agree.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DecodedCaptureIT {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private CaptureRig rig;
    private PacketDecoder decoder;
    private final ApplicationLayer application = new ApplicationLayer(new HttpMessages(new HeaderPolicy(
            HeaderPolicyConfig.defaults(), new SecretTokenizer(new byte[32]))), ReassemblyLimits.defaults());

    @BeforeAll
    void start() {
        assertThat(LibC.INSTANCE.geteuid()).as("these tests load eBPF programs and create namespaces: run as root").isZero();
        rig = CaptureRig.start(new CaptureConfig(512, 1 << 22, 0));
        String ifName = rig.eb().name();
        int ifIndex = rig.eb().ifindex();
        decoder = new PacketDecoder("host-b", i -> i == ifIndex ? ifName : "if" + i, WallClock.system(Duration.ofSeconds(5), Duration.ZERO));
    }

    @AfterAll
    void stop() {
        if (rig != null) {
            rig.close();
        }
    }

    private PacketHeader decode(RawEvent e) {
        return decoder.decode(ByteBuffer.wrap(e.raw()), 0, e.raw().length);
    }

    /** Through the application layer too, as the collector publishes it (one record here). */
    private PacketHeader decodeWithApplicationLayer(RawEvent e) {
        List<PacketHeader> out = new ArrayList<>();
        application.process(decoder.decodePacket(ByteBuffer.wrap(e.raw()), 0, e.raw().length), out::add);
        assertThat(out).hasSize(1);
        return out.get(0);
    }

    @Test
    void shouldDecodeAHandshakeAndAnHttpRequestLine() throws Exception {
        int port = 8081;
        byte[] request = "GET /decoded?x=1 HTTP/1.1\r\nHost: b\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        ServerSocket server = rig.b().call(() -> {
            ServerSocket s = new ServerSocket();
            s.bind(new InetSocketAddress(rig.eb().ipv4(), port));
            return s;
        });
        CompletableFuture<Void> served = CompletableFuture.runAsync(() -> {
            try (server; Socket s = server.accept(); InputStream in = s.getInputStream()) {
                in.readAllBytes();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        long before = System.currentTimeMillis() * 1_000_000L;
        try (Socket client = rig.a().call(() -> {
            Socket c = new Socket();
            c.connect(new InetSocketAddress(rig.eb().ipv4(), port), 5000);
            return c;
        })) {
            client.getOutputStream().write(request);
        }
        served.get(10, TimeUnit.SECONDS);

        RawEvent synRaw = rig.events().awaitOne(e -> e.ingress() && e.dport() == port && e.tcpFlags() == TH_SYN, WAIT);
        RawEvent synAckRaw = rig.events().awaitOne(e -> e.egress() && e.sport() == port && e.tcpFlags() == (TH_SYN | TH_ACK), WAIT);
        RawEvent dataRaw = rig.events().awaitOne(e -> e.ingress() && e.dport() == port && e.payloadLen() > 0, WAIT);
        PacketHeader syn = decode(synRaw);
        PacketHeader synAck = decode(synAckRaw);
        PacketHeader data = decodeWithApplicationLayer(dataRaw);

        assertThat(syn.getHost()).isEqualTo("host-b");
        assertThat(syn.getIfName()).isEqualTo(rig.eb().name());
        assertThat(syn.getIfIndex()).isEqualTo(rig.eb().ifindex());
        assertThat(syn.getDirection()).isEqualTo("ingress");
        assertThat(synAck.getDirection()).isEqualTo("egress");
        assertThat(syn.getMonoTimeNs()).isEqualTo(synRaw.monoNs());
        assertThat(syn.getCaptureTimeNs()).isBetween(before - 5_000_000_000L, before + 5_000_000_000L);
        assertThat(syn.getPacketLength()).isEqualTo(synRaw.pktLen());
        assertThat(syn.getEthernet().getSrcMac()).isEqualTo(rig.ea().mac());
        assertThat(syn.getEthernet().getDstMac()).isEqualTo(rig.eb().mac());
        assertThat(syn.getIp().getSrc()).isEqualTo(rig.ea().ipv4().getHostAddress());
        assertThat(syn.getIp().getDst()).isEqualTo(rig.eb().ipv4().getHostAddress());
        assertThat(syn.getIp().getTtl()).isEqualTo(synRaw.ipTtl());
        assertThat(syn.getIp().getIpId()).isEqualTo(synRaw.ipId());
        assertThat(syn.getIp().getDontFragment()).isTrue();
        assertThat(syn.getTcp().getDstPort()).isEqualTo(port);
        assertThat(syn.getTcp().getSeq()).isEqualTo(synRaw.tcpSeq());
        assertThat(syn.getTcp().getFlags()).isEqualTo(TH_SYN);
        assertThat(syn.getTcp().getOptions().getMss()).isEqualTo(1460);
        assertThat(syn.getTcp().getOptions().getSackPermitted()).isTrue();
        assertThat(syn.getTcp().getOptions().getTsVal()).isEqualTo(synRaw.tcpTsVal());
        assertThat(synAck.getTcp().getAck()).isEqualTo((syn.getTcp().getSeq() + 1) & 0xffffffffL);
        assertThat(syn.getCommunityId()).as("both directions of a flow share its community id")
                .isNotNull().isEqualTo(synAck.getCommunityId()).isEqualTo(data.getCommunityId());
        assertThat(data.getPayloadLength()).isEqualTo(request.length);
        assertThat(data.getCapturedPayloadLength()).isEqualTo(request.length);
        assertThat(data.getHttp()).isNotNull();
        assertThat(data.getHttp().getMethod()).isEqualTo("GET");
        assertThat(data.getHttp().getTarget()).isEqualTo("/decoded?x=1");
        assertThat(data.getParseFlags()).isEmpty();
    }

    @Test
    void shouldDecodePingRequestsAndReplies() throws Exception {
        assertThat(rig.a().exec(Duration.ofSeconds(20), "ping", "-6", "-c", "1", "-W", "2", rig.eb().ipv6().getHostAddress()).ok()).isTrue();

        RawEvent requestRaw = rig.events().awaitOne(e -> e.ingress() && e.icmpType() == 128, WAIT);
        RawEvent replyRaw = rig.events().awaitOne(e -> e.egress() && e.icmpType() == 129 && e.icmpId() == requestRaw.icmpId(), WAIT);
        PacketHeader request = decode(requestRaw);
        PacketHeader reply = decode(replyRaw);

        assertThat(request.getIp().getVersion()).isEqualTo(6);
        assertThat(java.net.InetAddress.getByName(request.getIp().getSrc())).isEqualTo(rig.ea().ipv6());
        assertThat(request.getIp().getFlowLabel()).isEqualTo(requestRaw.ipFlowLabel());
        assertThat(request.getIcmp().getType()).isEqualTo(128);
        assertThat(request.getIcmp().getEchoId()).isEqualTo(requestRaw.icmpId());
        assertThat(request.getIcmp().getEchoSeq()).isEqualTo(1);
        assertThat(reply.getIcmp().getType()).isEqualTo(129);
        assertThat(reply.getIcmp().getEchoSeq()).isEqualTo(1);
        assertThat(request.getPayloadLength()).isEqualTo(56);
    }
}
