package io.headerlog.streams.filter;

import io.headerlog.schema.PacketHeader;

/**
 * Rough per-record cost of {@link RecordFilter#evaluate} (not a test, no JMH): warms up, then times a
 * loop per expression and prints ns/record. Run from streams-app with the test classpath:
 *
 * <pre>{@code
 * mvn -q -o dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt
 * java -cp target/classes:target/test-classes:$(cat /tmp/cp.txt) io.headerlog.streams.filter.RecordFilterCost
 * }</pre>
 */
public final class RecordFilterCost {
    private RecordFilterCost() {
    }

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 2_000_000;
        PacketHeader[] records = {Records.httpGet(), Records.tcpAck(), Records.dnsQuery("www.example.com")};
        String[] expressions = {
            "true",
            "header.ip.src == \"198.18.0.1\" && header.tcp.dstPort == 80", // errors on the DNS record
            "has(header.tcp) && header.ip.src == \"198.18.0.1\" && header.tcp.dstPort == 80",
            "has(header.http) && header.http.method == \"GET\"",
            "has(header.tcp) && math.bitAnd(header.tcp.flags, 2) != 0",
            "has(header.dns) && header.dns.questions.exists(q, q.name.endsWith(\".example.com\"))",
            "has(header.http) && header.http.headers.exists(h, h.name.lowerAscii() == \"x-request-id\")",
            "header.http.method == \"GET\"", // errors on 2 of 3 records: the cost of the error path
        };
        RecordFilter[] filters = new RecordFilter[expressions.length];
        for (int e = 0; e < expressions.length; e++) {
            filters[e] = RecordFilter.compile(expressions[e]);
        }
        for (int round = 1; round <= 3; round++) { // rounds 1 and 2 warm up
            for (int e = 0; e < expressions.length; e++) {
                long sink = 0;
                long start = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    sink += filters[e].evaluate(records[i % 3]).outcome().ordinal();
                }
                double ns = (System.nanoTime() - start) / (double) n;
                if (round == 3) {
                    System.out.printf("%8.0f ns/record  %s  (%d)%n", ns, expressions[e], sink);
                }
            }
        }
    }
}
