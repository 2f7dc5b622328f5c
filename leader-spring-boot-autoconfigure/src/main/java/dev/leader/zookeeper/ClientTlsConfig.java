package dev.leader.zookeeper;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.zookeeper.client.ZKClientConfig;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client configuration of TLS to the servers, from store files or from key material in
 * memory.
 *
 * <p>ZooKeeper 3.9's Netty client builds its TLS context from key and trust store <em>files</em>
 * only ({@code ClientX509Util.createNettySslContextForClient}; its
 * {@code zookeeper.ssl.context.supplier.class} is read by the servers' sockets, not by this
 * client). Key material held in memory, such as an SSL bundle's, is therefore written to PKCS12
 * files in a directory only this user can read, under a random password, for as long as the
 * session lives, and deleted on {@link #close()}. The files are read again on every new session.
 */
final class ClientTlsConfig implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ClientTlsConfig.class);

    private static final String PREFIX = "zookeeper.ssl.";

    private final Map<String, String> properties;

    private final @Nullable Path directory;

    private ClientTlsConfig(Map<String, String> properties, @Nullable Path directory) {
        this.properties = Collections.unmodifiableMap(properties);
        this.directory = directory;
    }

    /**
     * The configuration for {@code settings}, or null for plain TCP.
     *
     * @throws IllegalArgumentException if in-memory key material cannot be written
     */
    static @Nullable ClientTlsConfig of(ZooKeeperBackendSettings settings) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put(ZKClientConfig.SECURE_CLIENT, "true");
        properties.put(ZKClientConfig.ZOOKEEPER_CLIENT_CNXN_SOCKET, "org.apache.zookeeper.ClientCnxnSocketNetty");
        ZooKeeperBackendSettings.Tls tls = settings.tls();
        ZooKeeperBackendSettings.SslStores ssl = settings.ssl();
        if (tls != null) {
            putIfPresent(properties, "keyStore.location", tls.keyStore() == null ? null : tls.keyStore().toString());
            putIfPresent(properties, "keyStore.password", tls.keyStorePassword());
            putIfPresent(properties, "trustStore.location", tls.trustStore() == null ? null : tls.trustStore().toString());
            putIfPresent(properties, "trustStore.password", tls.trustStorePassword());
            return new ClientTlsConfig(properties, null);
        }
        if (ssl == null) {
            return null;
        }
        try {
            return written(properties, ssl);
        }
        catch (IOException | GeneralSecurityException ex) {
            throw new IllegalArgumentException("cannot write the key material of leader.zookeeper.ssl.bundle for ZooKeeper's"
                    + " client: " + ex, ex);
        }
    }

    private static ClientTlsConfig written(Map<String, String> properties, ZooKeeperBackendSettings.SslStores ssl)
            throws IOException, GeneralSecurityException {
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        Path directory = posix
                ? Files.createTempDirectory("leader-zookeeper-tls", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")))
                : Files.createTempDirectory("leader-zookeeper-tls");
        ClientTlsConfig config = new ClientTlsConfig(properties, directory);
        try {
            String password = randomPassword();
            KeyStore keyStore = ssl.keyStore();
            if (keyStore != null) {
                Path file = store(directory.resolve("key.p12"), keys(keyStore, ssl.keyPassword(), ssl.keyAlias(), password), password);
                properties.put(PREFIX + "keyStore.location", file.toString());
                properties.put(PREFIX + "keyStore.password", password);
                properties.put(PREFIX + "keyStore.type", "PKCS12");
            }
            KeyStore trustStore = ssl.trustStore();
            if (trustStore != null) {
                Path file = store(directory.resolve("trust.p12"), certificates(trustStore), password);
                properties.put(PREFIX + "trustStore.location", file.toString());
                properties.put(PREFIX + "trustStore.password", password);
                properties.put(PREFIX + "trustStore.type", "PKCS12");
            }
            putIfPresent(properties, "enabledProtocols", join(ssl.protocols()));
            putIfPresent(properties, "ciphersuites", join(ssl.ciphers()));
            return config;
        }
        catch (IOException | GeneralSecurityException | RuntimeException ex) {
            config.close();
            throw ex;
        }
    }

    /** The key entries (or the one named {@code alias}) under {@code password}. */
    private static KeyStore keys(KeyStore source, @Nullable String keyPassword, @Nullable String alias, String password)
            throws GeneralSecurityException, IOException {
        KeyStore target = emptyStore();
        char[] sourcePassword = keyPassword == null ? null : keyPassword.toCharArray();
        for (String each : Collections.list(source.aliases())) {
            if ((alias == null || alias.equals(each)) && source.isKeyEntry(each)) {
                target.setKeyEntry(each, source.getKey(each, sourcePassword), password.toCharArray(), source.getCertificateChain(each));
            }
        }
        return target;
    }

    private static KeyStore certificates(KeyStore source) throws GeneralSecurityException, IOException {
        KeyStore target = emptyStore();
        for (String each : Collections.list(source.aliases())) {
            if (source.isCertificateEntry(each)) {
                target.setCertificateEntry(each, source.getCertificate(each));
            }
        }
        return target;
    }

    private static KeyStore emptyStore() throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        return store;
    }

    private static Path store(Path file, KeyStore store, String password) throws IOException, GeneralSecurityException {
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, password.toCharArray());
        }
        return file;
    }

    private static String randomPassword() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static @Nullable String join(@Nullable List<String> values) {
        return values == null ? null : String.join(",", values);
    }

    private static void putIfPresent(Map<String, String> properties, String key, @Nullable String value) {
        if (value != null) {
            properties.put(PREFIX + key, value);
        }
    }

    void applyTo(ZKClientConfig config) {
        properties.forEach(config::setProperty);
    }

    /** Deletes the files written for in-memory key material. */
    @Override
    public void close() {
        if (directory == null) {
            return;
        }
        for (String name : List.of("key.p12", "trust.p12")) {
            try {
                Files.deleteIfExists(directory.resolve(name));
            }
            catch (IOException ex) {
                log.warn("cannot delete {}: {}", directory.resolve(name), ex.toString());
            }
        }
        try {
            Files.deleteIfExists(directory);
        }
        catch (IOException ex) {
            log.warn("cannot delete {}: {}", directory, ex.toString());
        }
    }
}
