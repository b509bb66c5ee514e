package io.headerlog.it.l7;

import io.headerlog.testing.Host;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * nginx inside a test host: one process (no daemon, no master), its own prefix, config, pid file,
 * temp and log paths under a scratch directory, so it touches nothing of the machine's nginx.
 *
 * <p>It listens on the host's IPv4 and IPv6 addresses: HTTP on {@link #HTTP_PORT} and on
 * {@link #HTTP_ALT_PORT} (a port no dissector associates with HTTP: headerlog must recognise it by
 * content), HTTPS (HTTP/2 and HTTP/1.1 by ALPN, TLS 1.2 and 1.3) on {@link #HTTPS_PORT} with a
 * self-signed certificate for {@link #SERVER_NAME}. Keep-alive is on and the header buffers take
 * 8 KB+ header blocks. Locations: {@code /missing} answers 404, {@code /post} 201 with a body,
 * everything else 200 with {@link #BODY}; any method is accepted.
 */
final class NginxServer implements AutoCloseable {
    static final int HTTP_PORT = 8080;
    static final int HTTP_ALT_PORT = 9181;
    static final int HTTPS_PORT = 8443;
    static final String SERVER_NAME = "svc.hl.test";
    static final String BODY = "hello from nginx\n";

    private final NamespaceProcess process;

    private NginxServer(NamespaceProcess process) {
        this.process = process;
    }

    /** Starts nginx on {@code host}; {@code setCookie}, when present, is sent as Set-Cookie on 2xx answers. */
    static NginxServer start(Host host, Path dir, Optional<String> setCookie) throws InterruptedException {
        SelfSignedCertificate cert = SelfSignedCertificate.create(dir, SERVER_NAME);
        Path conf = dir.resolve("nginx.conf");
        try {
            Files.createDirectories(dir.resolve("temp"));
            Files.writeString(conf, config(dir, cert, host.ipv4(), host.ipv6(), setCookie), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the nginx config into " + dir, e);
        }
        NamespaceProcess p = NamespaceProcess.start(host, "nginx",
                List.of("nginx", "-p", dir.toString(), "-c", conf.toString(), "-e", "stderr"));
        NginxServer server = new NginxServer(p);
        try {
            for (InetAddress a : List.of(host.ipv4(), host.ipv6())) {
                for (int port : List.of(HTTP_PORT, HTTP_ALT_PORT, HTTPS_PORT)) {
                    Listening.await(host, p, a, port, Duration.ofSeconds(20));
                }
            }
            return server;
        } catch (AssertionError | RuntimeException e) {
            server.close();
            throw e;
        }
    }

    private static String config(Path dir, SelfSignedCertificate cert, InetAddress v4, Inet6Address v6,
                                 Optional<String> setCookie) {
        String temp = dir.resolve("temp").toString();
        StringBuilder listen = new StringBuilder();
        for (String a : List.of(v4.getHostAddress(), "[" + v6.getHostAddress() + "]")) {
            listen.append("    listen ").append(a).append(':').append(HTTP_PORT).append(";\n");
            listen.append("    listen ").append(a).append(':').append(HTTP_ALT_PORT).append(";\n");
            listen.append("    listen ").append(a).append(':').append(HTTPS_PORT).append(" ssl http2;\n");
        }
        String cookie = setCookie.map(v -> "      add_header Set-Cookie \"" + v + "\";\n").orElse("");
        return "master_process off;\n"
                + "daemon off;\n"
                + "worker_processes 1;\n"
                + "pid " + dir.resolve("nginx.pid") + ";\n"
                + "error_log stderr warn;\n"
                + "events { worker_connections 128; }\n"
                + "http {\n"
                + "  access_log off;\n"
                + "  client_body_temp_path " + temp + "/body;\n"
                + "  proxy_temp_path " + temp + "/proxy;\n"
                + "  fastcgi_temp_path " + temp + "/fastcgi;\n"
                + "  uwsgi_temp_path " + temp + "/uwsgi;\n"
                + "  scgi_temp_path " + temp + "/scgi;\n"
                + "  large_client_header_buffers 8 16k;\n"
                + "  keepalive_requests 1000;\n"
                + "  keepalive_timeout 60s;\n"
                + "  server {\n"
                + listen
                + "    server_name " + SERVER_NAME + ";\n"
                + "    ssl_certificate " + cert.certificate() + ";\n"
                + "    ssl_certificate_key " + cert.privateKey() + ";\n"
                + "    ssl_protocols TLSv1.2 TLSv1.3;\n"
                + "    location = /missing { return 404; }\n"
                + "    location = /post {\n"
                + "      default_type application/json;\n"
                + cookie
                + "      return 201 '{\"created\":true}\\n';\n"
                + "    }\n"
                + "    location / {\n"
                + "      default_type text/plain;\n"
                + cookie
                + "      return 200 '" + BODY.replace("\n", "\\n") + "';\n"
                + "    }\n"
                + "  }\n"
                + "}\n";
    }

    @Override
    public void close() {
        process.close();
    }
}
