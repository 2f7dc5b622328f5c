/**
 * The JDBC backend: elects through the relational database the application already has.
 * DRAFT - completed with the measured figures below.
 */
@NullMarked
package dev.leader.jdbc;

import org.jspecify.annotations.NullMarked;
