/**
 * Test support shared by this project's modules (test classes do not cross modules): network
 * namespaces joined by a bridge, for the LAN backend's tests, the sample's and the fault suite.
 */
@NullMarked
package dev.leader.testsupport;

import org.jspecify.annotations.NullMarked;
