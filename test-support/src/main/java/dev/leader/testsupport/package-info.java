/**
 * Test support shared by this project's modules (test classes do not cross modules): the one way
 * to start each server the tests, the benchmarks and the fault suite run on, as child processes
 * on free ports with kill -9, SIGSTOP and restart on the same data
 * ({@link dev.leader.testsupport.RedisServer}, {@link dev.leader.testsupport.RedisCluster},
 * {@link dev.leader.testsupport.EtcdCluster}, {@link dev.leader.testsupport.ZooKeeperEnsemble},
 * {@link dev.leader.testsupport.PostgresServer}, {@link dev.leader.testsupport.MariaDbServer}, all
 * {@link dev.leader.testsupport.ServerProcess}es, on loopback or in a network namespace as their
 * {@link dev.leader.testsupport.Placement} says) and ZooKeeper in the caller's JVM
 * ({@link dev.leader.testsupport.ZooKeeperTestServer}); a TCP proxy that cuts links
 * ({@link dev.leader.testsupport.LoopbackProxy}); network namespaces joined by a bridge, for the
 * LAN backend's tests, the sample's and the fault suite; and a test's own certificate authority
 * for the servers started with TLS ({@link dev.leader.testsupport.TestCertificates}).
 */
@NullMarked
package dev.leader.testsupport;

import org.jspecify.annotations.NullMarked;
