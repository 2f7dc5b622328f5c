package dev.leader.jdbc;

/**
 * When the backend creates its lease table, as Spring Boot's {@code DatabaseInitializationMode}
 * decides for the Batch and Session schemas. Creation is {@code CREATE TABLE IF NOT EXISTS} with
 * the dialect's script from {@code dev/leader/jdbc/schema-<dialect>.sql}, so it never touches
 * a table that exists.
 */
public enum SchemaInitialization {

    /** Only for an embedded, in-memory database (an H2 {@code jdbc:h2:mem:} URL), which starts empty. */
    EMBEDDED,

    /** Always, whatever the database. */
    ALWAYS,

    /** Never: the table is created by the application's migrations from the shipped script. */
    NEVER
}
