package dev.leader.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A test's own certificate authority, made by {@code openssl}: a CA, a server certificate for
 * {@code 127.0.0.1} and {@code localhost}, and a client certificate, all signed by the CA, as
 * PEM files (EC P-256 keys in PKCS#8). Valid for a day; nothing outside the directory is used.
 *
 * @param caCertificate the CA's certificate, which servers and clients trust
 * @param serverCertificate the server's certificate (SAN {@code IP:127.0.0.1, DNS:localhost})
 * @param serverKey the server's private key
 * @param clientCertificate a client certificate ({@code CN=leader-client})
 * @param clientKey the client's private key
 */
public record TestCertificates(Path caCertificate, Path serverCertificate, Path serverKey, Path clientCertificate,
        Path clientKey) {

    /** Makes a CA, a server and a client certificate in {@code directory}. */
    public static TestCertificates generate(Path directory) throws IOException {
        Path caKey = directory.resolve("ca.key");
        TestCertificates certificates = new TestCertificates(directory.resolve("ca.crt"), directory.resolve("server.crt"),
                directory.resolve("server.key"), directory.resolve("client.crt"), directory.resolve("client.key"));
        newKey(caKey);
        Shell.must(List.of("openssl", "req", "-x509", "-new", "-key", caKey.toString(), "-sha256", "-days", "1",
                "-subj", "/CN=leader-test-ca", "-out", certificates.caCertificate.toString()));
        certificates.sign(directory, caKey, "server", "/CN=127.0.0.1",
                "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth,clientAuth\n",
                certificates.serverKey, certificates.serverCertificate);
        certificates.sign(directory, caKey, "client", "/CN=leader-client", "extendedKeyUsage=clientAuth\n",
                certificates.clientKey, certificates.clientCertificate);
        return certificates;
    }

    private static void newKey(Path key) throws IOException {
        Shell.must(List.of("openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", key.toString()));
    }

    private void sign(Path directory, Path caKey, String name, String subject, String extensions, Path key, Path certificate)
            throws IOException {
        Path request = directory.resolve(name + ".csr");
        Path extensionFile = Files.writeString(directory.resolve(name + ".ext"), extensions);
        newKey(key);
        Shell.must(List.of("openssl", "req", "-new", "-key", key.toString(), "-subj", subject, "-out", request.toString()));
        Shell.must(List.of("openssl", "x509", "-req", "-in", request.toString(), "-CA", caCertificate.toString(), "-CAkey",
                caKey.toString(), "-CAcreateserial", "-days", "1", "-sha256", "-extfile", extensionFile.toString(), "-out",
                certificate.toString()));
    }

    /**
     * A self-signed server certificate for {@code 127.0.0.1} alone (SAN {@code IP:127.0.0.1}),
     * with its key, in {@code directory}: a server reached by another name, even one that resolves
     * to it, fails the client's host name check.
     */
    public static SelfSigned selfSigned(Path directory) throws IOException {
        SelfSigned made = new SelfSigned(directory.resolve("self-signed.crt"), directory.resolve("self-signed.key"));
        Shell.must(List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", made.key().toString(), "-out",
                made.certificate().toString(), "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"));
        return made;
    }

    /** A self-signed certificate and its key, as PEM files. */
    public record SelfSigned(Path certificate, Path key) {

        /** A context trusting this certificate alone. */
        public SSLContext trust() throws IOException, GeneralSecurityException {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setCertificateEntry("server", TestCertificates.certificate(certificate));
            TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trustManagers.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trustManagers.getTrustManagers(), null);
            return context;
        }
    }

    /** A context trusting the CA and, when {@code withClientCertificate}, presenting the client certificate. */
    public SSLContext sslContext(boolean withClientCertificate) throws IOException, GeneralSecurityException {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", certificate(caCertificate));
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trust);
        KeyManagerFactory keyManagers = null;
        if (withClientCertificate) {
            char[] password = "test".toCharArray();
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("client", privateKey(clientKey), password, new Certificate[] { certificate(clientCertificate) });
            keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(keys, password);
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers == null ? null : keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
        return context;
    }

    private static Certificate certificate(Path pem) throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(pem)) {
            return CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    private static PrivateKey privateKey(Path pem) throws IOException, GeneralSecurityException {
        String base64 = Files.readString(pem).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
    }
}
