package dev.leader.sample;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * A real coordination server as a child process on a free loopback port, and the arguments
 * that point a sample instance at it.
 */
final class BackendServer implements AutoCloseable {

    private final Process process;

    private final List<String> sampleArguments;

    private BackendServer(Process process, List<String> sampleArguments) {
        this.process = process;
        this.sampleArguments = sampleArguments;
    }

    List<String> sampleArguments() {
        return sampleArguments;
    }

    static BackendServer start(String backend, Path work) throws IOException, InterruptedException {
        Files.createDirectories(work);
        int port = freePort();
        return switch (backend) {
            case "zookeeper" -> {
                List<String> command = List.of(java(), "-Xmx128m", "-cp", System.getProperty("java.class.path"),
                        "-Dzookeeper.admin.enableServer=false", "org.apache.zookeeper.server.ZooKeeperServerMain",
                        String.valueOf(port), work.resolve("zk").toString(), "100");
                yield started(command, work, port, List.of("--leader.backend=zookeeper",
                        "--leader.zookeeper.connect-string=127.0.0.1:" + port));
            }
            case "redis" -> started(List.of(binary("/usr/bin/redis-server", "redis-server"), "--port", String.valueOf(port),
                    "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", work.toString()), work, port,
                    List.of("--leader.backend=redis", "--leader.redis.url=redis://127.0.0.1:" + port));
            case "etcd" -> {
                int peer = freePort();
                String client = "http://127.0.0.1:" + port;
                String peers = "http://127.0.0.1:" + peer;
                yield started(List.of(binary("/usr/bin/etcd", "etcd-server"), "--name", "n1", "--data-dir",
                        work.resolve("etcd").toString(), "--listen-client-urls", client, "--advertise-client-urls", client,
                        "--listen-peer-urls", peers, "--initial-advertise-peer-urls", peers, "--initial-cluster", "n1=" + peers),
                        work, port, List.of("--leader.backend=etcd", "--leader.etcd.endpoints=" + client));
            }
            case "lan" -> {
                enableLoopbackMulticast();
                // No server: peers on the loopback interface only, TTL 1, signed.
                yield new BackendServer(null, List.of("--leader.backend=lan", "--leader.lan.interface=lo",
                        "--leader.lan.secret=sample-secret", "--leader.lan.port=" + (20_000 + port % 20_000)));
            }
            default -> new BackendServer(null, List.of("--leader.backend=local",
                    "--leader.local.directory=" + work.resolve("locks")));
        };
    }

    private static BackendServer started(List<String> command, Path work, int port, List<String> arguments)
            throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(work.resolve("server.log").toFile()).start();
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> accepts(port) || !process.isAlive());
        if (!process.isAlive()) {
            throw new IllegalStateException("server did not start: " + command + "; see " + work.resolve("server.log"));
        }
        return new BackendServer(process, new ArrayList<>(arguments));
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        }
        catch (IOException ex) {
            return false;
        }
    }

    private static void enableLoopbackMulticast() throws IOException, InterruptedException {
        Process ip = new ProcessBuilder("ip", "link", "set", "lo", "multicast", "on").redirectErrorStream(true).start();
        if (!ip.waitFor(10, TimeUnit.SECONDS) || ip.exitValue() != 0) {
            throw new IllegalStateException("'ip link set lo multicast on' failed: run as root with iproute2 installed");
        }
    }

    private static String binary(String path, String debianPackage) {
        if (!Files.isExecutable(Path.of(path))) {
            throw new IllegalStateException(path + " is missing: install the Debian package " + debianPackage
                    + " (./scripts/test.sh does)");
        }
        return path;
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        if (process != null) {
            process.destroyForcibly();
        }
    }
}
