package org.splitnve.testsupport;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The certificates of an EAP-TLS lab, made with the openssl command in a private temporary directory: a CA, the
 * bridge's certificate (hostapd's EAP server), one client certificate per station identity (its common name), and a
 * second CA that signed nothing the lab uses, for a supplicant that must not trust the bridge. RSA 2048, valid two
 * days: a lab, not a deployment.
 */
public final class Dot1xCertificates implements AutoCloseable {

    private static final Duration OPENSSL_TIMEOUT = Duration.ofSeconds(60);

    private final Path dir;

    private Dot1xCertificates(Path dir) {
        this.dir = dir;
    }

    /** Makes the CA, the bridge's certificate ({@code CN=nve}) and a client certificate for each identity. */
    public static Dot1xCertificates create(String... identities) {
        Dot1xCertificates c = new Dot1xCertificates(TempDirs.create("snv-certs-"));
        try {
            c.selfSigned("ca", "splitnve lab CA");
            c.selfSigned("other-ca", "a CA nobody in the lab trusts");
            c.signed("nve", "nve");
            for (String id : identities) {
                c.signed(id, id);
            }
            return c;
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
    }

    public Path caCert() {
        return dir.resolve("ca.pem");
    }

    /** A CA that signed neither the bridge's certificate nor any station's. */
    public Path untrustedCaCert() {
        return dir.resolve("other-ca.pem");
    }

    public Path bridgeCert() {
        return dir.resolve("nve.pem");
    }

    public Path bridgeKey() {
        return dir.resolve("nve.key");
    }

    public Path clientCert(String identity) {
        return dir.resolve(identity + ".pem");
    }

    public Path clientKey(String identity) {
        return dir.resolve(identity + ".key");
    }

    /** The directory, for files the daemons' configurations live next to. */
    public Path directory() {
        return dir;
    }

    private void selfSigned(String name, String cn) {
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", dir.resolve(name + ".key").toString(),
                "-out", dir.resolve(name + ".pem").toString(), "-days", "2", "-subj", "/CN=" + cn);
    }

    private void signed(String name, String cn) {
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", dir.resolve(name + ".key").toString(),
                "-out", dir.resolve(name + ".csr").toString(), "-subj", "/CN=" + cn);
        openssl("x509", "-req", "-in", dir.resolve(name + ".csr").toString(), "-CA", caCert().toString(),
                "-CAkey", dir.resolve("ca.key").toString(), "-CAcreateserial", "-out", dir.resolve(name + ".pem").toString(),
                "-days", "2");
    }

    private static void openssl(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Executables.resolve("openssl"));
        cmd.addAll(List.of(args));
        Commands.exec(cmd, OPENSSL_TIMEOUT);
    }

    @Override
    public void close() {
        TempDirs.deleteRecursively(dir);
    }
}
