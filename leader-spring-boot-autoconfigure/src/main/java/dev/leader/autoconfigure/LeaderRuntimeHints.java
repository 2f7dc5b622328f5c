package dev.leader.autoconfigure;

import java.lang.reflect.Method;
import dev.leader.spring.LeaderOnly;
import org.jspecify.annotations.Nullable;
import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;

/**
 * What the library loads reflectively or as a resource, for ahead-of-time processing and native
 * images: the configuration metadata and the annotation the guard reads. Each backend registers
 * its own resources, as {@code JdbcRuntimeHints} does the JDBC schema scripts. The backends'
 * configurations and properties are ordinary beans that Spring's own AOT processing covers; the
 * methods of user beans carrying {@code @LeaderOnly} are registered by
 * {@link LeaderOnlyAotProcessor}.
 */
public final class LeaderRuntimeHints implements RuntimeHintsRegistrar {

    @Override
    public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
        hints.resources().registerPattern("META-INF/spring-configuration-metadata.json");
        hints.reflection().registerType(LeaderOnly.class, MemberCategory.INVOKE_PUBLIC_METHODS);
        hints.reflection().registerType(LeaderOnly.OnNotLeader.class, MemberCategory.INVOKE_PUBLIC_METHODS);
    }

    /** Registers one guarded method for reflection: the guard reads its annotations and return type. */
    static void registerGuardedMethod(RuntimeHints hints, Method method) {
        hints.reflection().registerMethod(method, org.springframework.aot.hint.ExecutableMode.INTROSPECT);
    }
}
