package io.headerlog.tools.view;

import io.headerlog.schema.Dns;
import io.headerlog.schema.DnsAnswer;
import io.headerlog.schema.DnsQuestion;
import io.headerlog.schema.Http;
import io.headerlog.schema.PacketHeader;
import io.headerlog.schema.Tls;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns the application-layer parts of a record (HTTP start line, DNS message, TLS hello) into the
 * one-line texts of the live view. Every text is bounded: each field from the wire is cut at
 * {@link #MAX_FIELD} characters and lists at a few items, so one odd record cannot flood the
 * terminal. Control and format characters are replaced, because the strings came off the network
 * and a terminal would act on escape sequences in them.
 */
final class AppMessages {
    /** Longest text shown for one field from the wire (target, host, name, …). */
    static final int MAX_FIELD = 120;
    /** DNS questions/answers shown before "+n more". */
    static final int MAX_DNS_ITEMS = 3;
    /** ALPN protocols and TLS versions shown before "+n more". */
    static final int MAX_TLS_ITEMS = 4;

    /** One message of a record: what kind it is, and its text without time and endpoints. */
    record Message(MessageKind kind, String text) {
    }

    private AppMessages() {
    }

    /** The messages of one record, HTTP then DNS then TLS; empty when it carries none. */
    static List<Message> of(PacketHeader header) {
        List<Message> messages = new ArrayList<>(1);
        if (header.getHttp() != null) {
            Message m = http(header.getHttp());
            if (m != null) {
                messages.add(m);
            }
        }
        if (header.getDns() != null) {
            messages.add(dns(header.getDns()));
        }
        if (header.getTls() != null) {
            Message m = tls(header.getTls());
            if (m != null) {
                messages.add(m);
            }
        }
        return messages;
    }

    /** A request or a response line; null when the record has neither a method nor a status. */
    static Message http(Http m) {
        StringBuilder text = new StringBuilder(96);
        MessageKind kind;
        if (m.getMethod() != null) {
            kind = MessageKind.HTTP_REQUEST;
            text.append(clean(m.getMethod())).append(' ').append(clean(orEmpty(m.getTarget()))).append(' ')
                    .append(clean(m.getVersion()));
            if (m.getHost() != null) {
                text.append(" host=").append(clean(m.getHost()));
            }
        } else if (m.getStatusCode() != null) {
            kind = MessageKind.HTTP_RESPONSE;
            text.append(clean(m.getVersion())).append(' ').append(m.getStatusCode());
            if (m.getReason() != null && !m.getReason().isEmpty()) {
                text.append(' ').append(clean(m.getReason()));
            }
            if (m.getContentType() != null) {
                text.append(" type=").append(clean(m.getContentType()));
            }
        } else {
            return null;
        }
        if (m.getTruncated()) {
            text.append(" [truncated]");
        }
        return new Message(kind, text.toString());
    }

    static Message dns(Dns d) {
        StringBuilder text = new StringBuilder(96).append(d.getResponse() ? "DNS response " : "DNS query ");
        List<String> questions = new ArrayList<>(d.getQuestions().size());
        for (DnsQuestion q : d.getQuestions()) {
            questions.add(clean(q.getName()) + " " + clean(q.getTypeName()));
        }
        text.append(questions.isEmpty() ? "(no question)"
                : join(questions, ", ", MAX_DNS_ITEMS, Math.max(questions.size(), d.getQuestionCount())));
        if (d.getOpcode() != 0) {
            text.append(" opcode=").append(d.getOpcode());
        }
        if (d.getResponse()) {
            text.append(' ').append(WireNames.dnsRcode(d.getRcode()));
            List<String> answers = new ArrayList<>(d.getAnswers().size());
            for (DnsAnswer a : d.getAnswers()) {
                answers.add(a.getData() == null ? clean(a.getTypeName())
                        : clean(a.getData()) + " " + clean(a.getTypeName()));
            }
            // answerCount is the header's figure; the list may be shorter when parsing stopped early.
            int total = Math.max(answers.size(), d.getAnswerCount());
            if (total > 0) {
                text.append(" -> ").append(join(answers, ", ", MAX_DNS_ITEMS, total));
            }
        }
        text.append(" (id ").append(d.getId());
        if ("tcp".equals(d.getTransport())) {
            text.append(", tcp");
        }
        if (d.getTruncated()) {
            text.append(", TC");
        }
        if (d.getMalformed()) {
            text.append(", malformed");
        }
        return new Message(d.getResponse() ? MessageKind.DNS_RESPONSE : MessageKind.DNS_QUERY,
                text.append(')').toString());
    }

    /** A ClientHello or ServerHello line; null for any other handshake type. */
    static Message tls(Tls t) {
        StringBuilder text = new StringBuilder(96);
        MessageKind kind;
        if ("client_hello".equals(t.getHandshakeType())) {
            kind = MessageKind.TLS_CLIENT_HELLO;
            text.append("TLS ClientHello");
            if (t.getSni() != null) {
                text.append(" sni=").append(clean(t.getSni()));
            }
            appendAlpn(text, t);
            if (t.getSupportedVersions().isEmpty()) {
                // No supported_versions extension: the legacy field is the highest version offered.
                text.append(" version=").append(WireNames.tlsVersion(t.getHelloVersion()));
            } else {
                List<String> versions = t.getSupportedVersions().stream().map(WireNames::tlsVersion).toList();
                text.append(" versions=").append(join(versions, ",", MAX_TLS_ITEMS, versions.size()));
            }
        } else if ("server_hello".equals(t.getHandshakeType())) {
            kind = MessageKind.TLS_SERVER_HELLO;
            int version = t.getSelectedVersion() != null ? t.getSelectedVersion() : t.getHelloVersion();
            text.append("TLS ServerHello version=").append(WireNames.tlsVersion(version));
            if (t.getCipherSuite() != null) {
                text.append(" cipher=").append(WireNames.tlsCipherSuite(t.getCipherSuite()));
            }
            appendAlpn(text, t);
        } else {
            // The schema names only these two; a record with another type is not shown rather
            // than shown and counted as a kind it is not.
            return null;
        }
        if (t.getTruncated()) {
            text.append(" [truncated]");
        }
        return new Message(kind, text.toString());
    }

    private static void appendAlpn(StringBuilder text, Tls t) {
        if (!t.getAlpn().isEmpty()) {
            List<String> alpn = t.getAlpn().stream().map(AppMessages::clean).toList();
            text.append(" alpn=").append(join(alpn, ",", MAX_TLS_ITEMS, alpn.size()));
        }
    }

    /** The first {@code max} items, then "+n more" for the rest of {@code total}. */
    static String join(List<String> items, String separator, int max, int total) {
        StringBuilder out = new StringBuilder();
        int shown = Math.min(max, items.size());
        for (int i = 0; i < shown; i++) {
            if (i > 0) {
                out.append(separator);
            }
            out.append(items.get(i));
        }
        if (total > shown) {
            out.append(shown > 0 ? separator : "").append('+').append(total - shown).append(" more");
        }
        return out.toString();
    }

    /** Replaces control and format characters with '?' and cuts at {@link #MAX_FIELD}, marking the cut. */
    static String clean(String text) {
        if (text == null) {
            return "";
        }
        int length = Math.min(text.length(), MAX_FIELD);
        StringBuilder out = new StringBuilder(length + 1);
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            out.append(Character.isISOControl(c) || Character.getType(c) == Character.FORMAT ? '?' : c);
        }
        if (text.length() > MAX_FIELD) {
            // Also drops half a surrogate pair the cut may have left at the end.
            out.setCharAt(MAX_FIELD - 1, '~');
        }
        return out.toString();
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
