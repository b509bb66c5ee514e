package io.headerlog.it.l7;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import io.headerlog.collector.cli.CollectorProcess;
import io.headerlog.it.l7.Dig.Lookup;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * DNS between dig and dnsmasq in two test hosts, over UDP and TCP, IPv4 and IPv6, logged by the
 * real collector on the server's veth end while tshark captures the same interface: every query
 * and response is compared with tshark's dissection field by field (header, flags, counts,
 * questions, answers with TTL and A/AAAA/CNAME data).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DnsIT {
    private L7Lab lab;
    private List<Lookup> lookups;
    private List<DnsMessage> oracle;
    private List<DnsMessage> logged;
    private List<JsonNode> records;

    @BeforeAll
    void captureRealDnsTraffic() throws Exception {
        lab = L7Lab.create("dns");
        lab.startDns();
        // the collector JVM starts while tshark does
        CollectorProcess collector = lab.launchCollector(lab.server(), "dns-it-server", List.of("--sink", "stdout"));
        TsharkCapture tshark = lab.startTshark();
        collector.awaitCapturing(L7Lab.STARTUP);
        lookups = DnsTraffic.run(lab.client(), lab.server());
        tshark.stop();
        records = HeaderlogViews.parseLines(L7Lab.stop(collector));
        oracle = TsharkViews.dns(tshark);
        logged = HeaderlogViews.dns(records);
    }

    @AfterAll
    void cleanUp() {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void shouldLogEveryDnsMessageWithTheFieldsTsharkDissects() {
        assertThat(oracle).as("tshark: a query and a response per lookup").hasSize(2 * lookups.size());
        Mismatches m = Compare.dns(oracle, logged);
        m.assertNone();
        assertThat(m.checks()).as("field comparisons").isGreaterThan(200);
    }

    @Test
    void shouldFollowTheCnameChainToTheAddress() {
        DnsMessage response = response(lookups.get(0));
        assertThat(response.answers()).extracting(DnsMessage.Answer::name, DnsMessage.Answer::type, DnsMessage.Answer::data)
                .containsExactly(tuple(TestZone.WWW, 5, TestZone.ALIAS),
                        tuple(TestZone.ALIAS, 5, TestZone.SERVICE),
                        tuple(TestZone.SERVICE, 1, TestZone.SERVICE_V4));
        assertThat(response.answers()).allSatisfy(a -> assertThat(a.ttl()).isEqualTo(TestZone.TTL));
        assertThat(response.authoritative()).isTrue();
        assertThat(response.rcode()).isZero();
    }

    @Test
    void shouldDecodeDnsOverTcpAfterItsLengthPrefix() {
        List<DnsMessage> tcp = logged.stream().filter(m -> m.transport().equals("tcp")).toList();
        assertThat(tcp).as("2 TCP lookups: query and response each").hasSize(4);
        DnsMessage aaaa = response(lookups.get(2));
        assertThat(aaaa.transport()).isEqualTo("tcp");
        assertThat(aaaa.answers()).last().extracting(DnsMessage.Answer::type, DnsMessage.Answer::data)
                .containsExactly(28, TestZone.SERVICE_V6);
    }

    @Test
    void shouldReportNxdomainAndTheQuestionOfAnUnknownName() {
        DnsMessage nx = response(lookups.get(4));
        assertThat(nx.rcode()).isEqualTo(3);
        assertThat(nx.answers()).isEmpty();
        assertThat(nx.questions()).containsExactly(new DnsMessage.Question(TestZone.MISSING, 1, 1));
    }

    @Test
    void shouldNotMarkWellFormedMessagesMalformed() {
        assertThat(HeaderlogViews.withField(records, "dns")).extracting(r -> r.path("dns").path("malformed").asBoolean())
                .isNotEmpty().containsOnly(false);
        assertThat(logged).filteredOn(m -> !m.response()).allSatisfy(q -> assertThat(q.recursionDesired()).isTrue());
    }

    /** headerlog's record of the response dig got, found by dig's id and transport. */
    private DnsMessage response(Lookup l) {
        return logged.stream().filter(m -> m.response() && m.id() == l.id() && m.transport().equals(l.transport()))
                .findFirst().orElseThrow(() -> new AssertionError("headerlog logged no response for " + l));
    }
}
