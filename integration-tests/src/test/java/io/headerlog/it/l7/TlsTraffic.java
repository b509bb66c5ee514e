package io.headerlog.it.l7;

import io.headerlog.it.l7.Curl.Request;
import io.headerlog.it.l7.Curl.Transfer;
import io.headerlog.testing.Host;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * HTTPS from curl to {@link NginxServer} by name ({@code --resolve}, so SNI is sent and no resolver
 * is asked), certificate not verified ({@code -k}): each request is its own connection, so its
 * ClientHello and ServerHello are found by curl's local port.
 */
final class TlsTraffic {
    /** ALPN offered by curl by default: h2 then http/1.1; nginx picks h2. */
    record Sent(Transfer tls13Default, Transfer tls13Http11, Transfer tls12, Transfer tls13Ipv6) {
        List<Transfer> all() {
            return List.of(tls13Default, tls13Http11, tls12, tls13Ipv6);
        }
    }

    private TlsTraffic() {
    }

    static Sent run(Host client, Host server) {
        Transfer dflt = https(client, server.ipv4(), "/tls-default");
        Transfer http11 = https(client, server.ipv4(), "/tls-http11", "--http1.1");
        // TLS 1.2 puts the selected ALPN protocol into the ServerHello, where it can be read
        Transfer tls12 = https(client, server.ipv4(), "/tls12", "--tls-max", "1.2");
        Transfer v6 = https(client, server.ipv6(), "/tls-ipv6");
        return new Sent(dflt, http11, tls12, v6);
    }

    private static Transfer https(Host client, InetAddress server, String path, String... extra) {
        String address = server instanceof Inet6Address ? "[" + server.getHostAddress() + "]" : server.getHostAddress();
        List<String> options = new ArrayList<>(List.of("--insecure", "--resolve",
                NginxServer.SERVER_NAME + ":" + NginxServer.HTTPS_PORT + ":" + address));
        options.addAll(List.of(extra));
        String url = "https://" + NginxServer.SERVER_NAME + ":" + NginxServer.HTTPS_PORT + path;
        Transfer t = Curl.session(client, List.of(new Request(url, options))).get(0);
        if (t.httpCode() != 200) {
            throw new AssertionError("HTTPS request " + url + " " + List.of(extra) + " got " + t.httpCode());
        }
        return t;
    }
}
