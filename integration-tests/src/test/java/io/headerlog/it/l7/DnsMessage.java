package io.headerlog.it.l7;

import java.util.List;

/** One DNS message as either side reports it; {@code origin} says where it was found, for messages. */
record DnsMessage(String origin, String transport, int srcPort, int dstPort, int id, boolean response, int opcode,
                  int rcode, int flags, boolean authoritative, boolean truncated, boolean recursionDesired,
                  boolean recursionAvailable, int questionCount, int answerCount, int authorityCount,
                  int additionalCount, List<Question> questions, List<Answer> answers) {

    DnsMessage {
        questions = List.copyOf(questions);
        answers = List.copyOf(answers);
    }

    /** Name without the trailing dot; the root is ".". */
    record Question(String name, int type, int qclass) {
    }

    /** {@code data}: the address of A/AAAA, the target name of CNAME; null for other types. */
    record Answer(String name, int type, int aclass, long ttl, String data) {
    }

    /** Matches a message of the other side: same transport, ports, id and direction. */
    String key() {
        return transport + " " + srcPort + ">" + dstPort + " id " + id + (response ? " response" : " query");
    }
}
