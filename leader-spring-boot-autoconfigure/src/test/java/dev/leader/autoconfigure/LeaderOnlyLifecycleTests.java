package dev.leader.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import dev.leader.election.Election;
import dev.leader.election.ElectionState;
import dev.leader.spring.ElectionRegistry;
import dev.leader.spring.LeaderOnly;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.integration.endpoint.SourcePollingChannelAdapter;
import org.springframework.integration.channel.QueueChannel;
import org.springframework.integration.support.MessageBuilder;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.scheduling.support.PeriodicTrigger;
import org.springframework.test.context.support.TestPropertySourceUtils;

/**
 * Beans that run only on the leader: a {@code @LeaderOnly} lifecycle bean and a consumer bound by
 * hand (a Spring Integration polling adapter) run while their application leads and stop before
 * leadership moves; and an application campaigns only once it is ready.
 */
class LeaderOnlyLifecycleTests {

    /** Every start and stop of every bound lifecycle, in the order they happened. */
    static final List<String> timeline = new CopyOnWriteArrayList<>();

    @TempDir
    Path locks;

    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void clear() {
        timeline.clear();
        threads.shutdownNow();
    }

    private ConfigurableApplicationContext start(String name, Class<?>... components) {
        AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
        TestPropertySourceUtils.addInlinedPropertiesToEnvironment(context, "leader.local.directory=" + locks,
                "leader.shutdown-timeout=30s", "consumer.name=" + name);
        context.register(LeaderAutoConfiguration.class);
        context.register(components);
        context.refresh();
        return context;
    }

    private static Election election(ConfigurableApplicationContext context) {
        return context.getBean(ElectionRegistry.class).defaultElection();
    }

    @Test
    void aLeaderOnlyLifecycleRunsOnTheLeaderOnlyAndStopsBeforeTheHandOff() throws Exception {
        try (ConfigurableApplicationContext first = start("first", Consumer.class);
                ConfigurableApplicationContext second = start("second", Consumer.class)) {
            ConfigurableApplicationContext leader = election(first).isLeader() ? first : second;
            await().atMost(Duration.ofSeconds(10)).until(() -> election(first).isLeader() || election(second).isLeader());
            leader = election(first).isLeader() ? first : second;
            ConfigurableApplicationContext follower = leader == first ? second : first;
            Consumer leading = leader.getBean(Consumer.class);
            Consumer following = follower.getBean(Consumer.class);
            await().atMost(Duration.ofSeconds(5)).until(leading::isRunning);
            assertThat(following.isRunning()).as("not started with the context").isFalse();

            // A stop that takes a while: leadership must not move before it completes.
            leading.holdStop();
            Election leaderElection = election(leader);
            CompletableFuture<Void> yielding = CompletableFuture.runAsync(leaderElection::yieldLeadership, threads);
            await().atMost(Duration.ofSeconds(5)).until(leading::stopRequested);
            assertThat(election(follower).isLeader()).isFalse();
            assertThat(yielding).isNotDone();
            leading.releaseStop();
            yielding.get(10, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(10)).until(following::isRunning);
            String name = leading == first.getBean(Consumer.class) ? "first" : "second";
            String other = name.equals("first") ? "second" : "first";
            assertThat(timeline).containsSubsequence("start " + name, "stopped " + name, "start " + other);
            assertThat(leading.isRunning()).isFalse();
        }
    }

    @Test
    void aRevokedTermStopsTheLifecycleAndShutdownStopsItBeforeReleasing() {
        ConfigurableApplicationContext first = start("first", Consumer.class);
        try (ConfigurableApplicationContext second = start("second", Consumer.class)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> election(first).isLeader());
            Consumer consumer = first.getBean(Consumer.class);
            await().atMost(Duration.ofSeconds(5)).until(consumer::isRunning);
            first.close();
            assertThat(consumer.isRunning()).isFalse();
            await().atMost(Duration.ofSeconds(10)).until(second.getBean(Consumer.class)::isRunning);
            assertThat(timeline).containsSubsequence("start first", "stopped first", "start second");
        }
    }

    @Test
    void aPollingConsumerBoundByHandPollsOnlyOnTheLeader() throws Exception {
        try (ConfigurableApplicationContext first = start("first", Polling.class);
                ConfigurableApplicationContext second = start("second", Polling.class)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> election(first).isLeader() || election(second).isLeader());
            ConfigurableApplicationContext leader = election(first).isLeader() ? first : second;
            ConfigurableApplicationContext follower = leader == first ? second : first;
            Polling leading = leader.getBean(Polling.class);
            Polling following = follower.getBean(Polling.class);
            await().atMost(Duration.ofSeconds(10)).until(() -> leading.polls.get() >= 3);
            assertThat(following.polls.get()).isZero();
            assertThat(following.adapter.isRunning()).isFalse();

            leader.close();
            assertThat(leading.adapter.isRunning()).isFalse();
            await().atMost(Duration.ofSeconds(10)).until(() -> following.polls.get() >= 3);
        }
    }

    @Test
    void anApplicationCampaignsOnlyOnceItIsReady() throws Exception {
        CountDownLatch runnerMayFinish = new CountDownLatch(1);
        AtomicBoolean campaigningWhileStarting = new AtomicBoolean(true);
        AtomicInteger runnerCalls = new AtomicInteger();
        CompletableFuture<ConfigurableApplicationContext> starting = CompletableFuture.supplyAsync(() ->
                new SpringApplicationBuilder(ReadyApp.class).web(WebApplicationType.NONE)
                        .properties("leader.local.directory=" + locks, "spring.docker.compose.enabled=false")
                        .initializers(context -> context.getBeanFactory().registerSingleton("slowRunner",
                                (ApplicationRunner) args -> {
                                    runnerCalls.incrementAndGet();
                                    Election election = context.getBean(ElectionRegistry.class).defaultElection();
                                    campaigningWhileStarting.set(election.state() != ElectionState.LATENT);
                                    runnerMayFinish.await(30, TimeUnit.SECONDS);
                                }))
                        .run(), threads);
        await().atMost(Duration.ofSeconds(30)).until(() -> runnerCalls.get() == 1);
        runnerMayFinish.countDown();
        try (ConfigurableApplicationContext context = starting.get(30, TimeUnit.SECONDS)) {
            assertThat(campaigningWhileStarting).as("campaigning before the application was ready").isFalse();
            await().atMost(Duration.ofSeconds(10)).until(() -> context.getBean(ElectionRegistry.class).defaultElection().isLeader());
        }
    }

    /** A consumer that may only run on the leader; its stop can be held to make it slow. */
    @LeaderOnly
    static class Consumer implements SmartLifecycle {

        final AtomicBoolean running = new AtomicBoolean();

        final AtomicBoolean stopRequested = new AtomicBoolean();

        final AtomicBoolean holdStop = new AtomicBoolean();

        final CountDownLatch stopReleased = new CountDownLatch(1);

        final String name;

        Consumer(org.springframework.core.env.Environment environment) {
            this.name = environment.getProperty("consumer.name");
        }

        @Override
        public void start() {
            timeline.add("start " + name);
            running.set(true);
        }

        @Override
        public void stop() {
            running.set(false);
            timeline.add("stopped " + name);
        }

        @Override
        public void stop(Runnable callback) {
            stopRequested.set(true);
            if (!holdStop.get()) {
                stop();
                callback.run();
                return;
            }
            new Thread(() -> {
                try {
                    stopReleased.await(30, TimeUnit.SECONDS);
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
                stop();
                callback.run();
            }).start();
        }

        @Override
        public boolean isRunning() {
            return running.get();
        }

        // Accessors: the bean is a class proxy, whose own fields are never set.
        public boolean stopRequested() {
            return stopRequested.get();
        }

        public void holdStop() {
            holdStop.set(true);
        }

        public void releaseStop() {
            stopReleased.countDown();
        }
    }

    /** A Spring Integration polling adapter, bound by hand to the default election. */
    @Configuration(proxyBeanMethods = false)
    static class Polling {

        final AtomicInteger polls = new AtomicInteger();

        final SourcePollingChannelAdapter adapter = new SourcePollingChannelAdapter();

        @Bean
        ThreadPoolTaskScheduler pollingScheduler() {
            ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
            scheduler.setThreadNamePrefix("poll-");
            return scheduler;
        }

        @Bean
        SourcePollingChannelAdapter pollingAdapter(ThreadPoolTaskScheduler pollingScheduler, ElectionRegistry registry) {
            adapter.setSource(() -> MessageBuilder.<Object>withPayload(polls.incrementAndGet()).build());
            adapter.setOutputChannel(new QueueChannel());
            adapter.setTrigger(new PeriodicTrigger(Duration.ofMillis(20)));
            adapter.setTaskScheduler(pollingScheduler);
            adapter.setAutoStartup(false);
            adapter.setBeanName("pollingAdapter");
            registry.bind("", adapter);
            return adapter;
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(LeaderAutoConfiguration.class)
    static class ReadyApp {
    }
}
