package dev.leader.bench.startup;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Starts, prints {@code @@ STARTED <ms since JVM start> <heap bytes after GC> <classes loaded>}
 * and exits. Run by {@code StartupCost} on class paths with and without the starter. With
 * {@code -Dstartup.steps=true} it also prints the main thread's CPU time, {@code @@ CPU <ns>}, and
 * each start-up step's share of it, {@code @@ STEP <ns> <step>} ({@link MainThreadCpu}), for
 * {@code StartupSteps}.
 */
@SpringBootApplication
public class MinimalApplication {

    public static void main(String[] args) {
        SpringApplication application = new SpringApplication(MinimalApplication.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        @Nullable MainThreadCpu steps = Boolean.getBoolean("startup.steps") ? new MainThreadCpu() : null;
        if (steps != null) {
            application.setApplicationStartup(steps);
        }
        ConfigurableApplicationContext context = application.run(args);
        long uptime = ManagementFactory.getRuntimeMXBean().getUptime();
        if (steps != null) {
            System.out.println("@@ CPU " + ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime());
            steps.exclusiveNanos().forEach((step, nanos) -> System.out.println("@@ STEP " + nanos + " " + step));
        }
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        // Two full collections so that the figure is live data, not garbage from start-up.
        System.gc();
        System.gc();
        long heap = memory.getHeapMemoryUsage().getUsed();
        int classes = ManagementFactory.getClassLoadingMXBean().getLoadedClassCount();
        System.out.println("@@ STARTED " + uptime + " " + heap + " " + classes);
        System.out.flush();
        context.close();
        System.exit(0);
    }
}
