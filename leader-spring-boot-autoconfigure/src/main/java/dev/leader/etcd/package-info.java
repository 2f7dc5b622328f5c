/**
 * The etcd v3 backend, spoken through etcd's JSON gateway over the JDK's HTTP client (no
 * client library). Each candidate holds a lease and a key {@code <prefix><election>/<lease id>};
 * the key with the lowest create revision leads, and that revision is the fencing token.
 */
@NullMarked
package dev.leader.etcd;

import org.jspecify.annotations.NullMarked;
