package io.headerlog.it.l7;

import io.headerlog.testing.Exec;
import java.nio.file.Path;
import java.time.Duration;

/** A throw-away certificate and key for a test server name, made with openssl at test time. */
record SelfSignedCertificate(String serverName, Path certificate, Path privateKey) {

    static SelfSignedCertificate create(Path dir, String serverName) {
        Path cert = dir.resolve(serverName + ".crt");
        Path key = dir.resolve(serverName + ".key");
        // P-256: generated in milliseconds, unlike RSA, and modern clients offer ECDSA suites
        Exec.run(Duration.ofSeconds(30), "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:P-256", "-nodes", "-days", "1", "-subj", "/CN=" + serverName,
                "-addext", "subjectAltName=DNS:" + serverName, "-keyout", key.toString(), "-out", cert.toString())
                .orThrow();
        return new SelfSignedCertificate(serverName, cert, key);
    }
}
