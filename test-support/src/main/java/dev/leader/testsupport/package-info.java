/**
 * Test support shared by this project's modules (test classes do not cross modules): network
 * namespaces joined by a bridge, for the LAN backend's tests, the sample's and the fault suite;
 * and the one way to start each database server the JDBC backend is tested on
 * ({@link dev.leader.testsupport.PostgresServer}, {@link dev.leader.testsupport.MariaDbServer}); and a
 * test's own certificate authority for the servers started with TLS
 * ({@link dev.leader.testsupport.TestCertificates}).
 */
@NullMarked
package dev.leader.testsupport;

import org.jspecify.annotations.NullMarked;
