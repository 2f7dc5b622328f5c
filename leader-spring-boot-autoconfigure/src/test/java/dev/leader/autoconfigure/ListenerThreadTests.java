package dev.leader.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import dev.leader.election.ElectionListener;
import dev.leader.election.Leadership;
import dev.leader.spring.ElectionCustomizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Which threads call the listeners: the shared pool, or virtual threads when Boot enables them. */
class ListenerThreadTests {

    @TempDir
    Path locks;

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(LeaderAutoConfiguration.class))
                .withUserConfiguration(GrantedThread.class)
                .withPropertyValues("leader.local.directory=" + locks);
    }

    @Test
    void listenersRunOnTheSharedPoolByDefault() {
        runner().run(context -> {
            Thread thread = context.getBean(GrantedThread.class).awaitGranted();
            assertThat(thread.getName()).startsWith("leader-events");
            assertThat(isVirtual(thread)).isFalse();
        });
    }

    @Test
    @EnabledForJreRange(min = JRE.JAVA_21)
    void listenersRunOnVirtualThreadsWhenBootUsesThem() {
        runner().withPropertyValues("spring.threads.virtual.enabled=true").run(context -> {
            Thread thread = context.getBean(GrantedThread.class).awaitGranted();
            assertThat(thread.getName()).startsWith("leader-events-");
            assertThat(isVirtual(thread)).isTrue();
        });
    }

    /** {@code Thread.isVirtual()}, which the Java 17 API this module compiles against lacks. */
    private static boolean isVirtual(Thread thread) throws ReflectiveOperationException {
        try {
            return (boolean) Thread.class.getMethod("isVirtual").invoke(thread);
        }
        catch (NoSuchMethodException ex) {
            return false;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class GrantedThread {

        private final AtomicReference<Thread> granted = new AtomicReference<>();

        @Bean
        ElectionCustomizer grantedThreadRecorder() {
            return election -> election.addListener(new ElectionListener() {
                @Override
                public void granted(Leadership leadership) {
                    granted.set(Thread.currentThread());
                }
            });
        }

        Thread awaitGranted() {
            return await().atMost(Duration.ofSeconds(10)).until(granted::get, t -> t != null);
        }
    }
}
