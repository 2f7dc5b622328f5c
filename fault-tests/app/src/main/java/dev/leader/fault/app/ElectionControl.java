package dev.leader.fault.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import dev.leader.election.Election;
import dev.leader.spring.ElectionRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * How the suite steps this app out of an election and back in (the app has no web endpoint):
 * it writes {@code withdraw <election>} or {@code join <election>} into {@code fault.control-file};
 * the app calls {@link Election#withdraw()} (which returns once leadership, if held, is released)
 * or {@link Election#start()}, then writes {@code done}. Idle without the property.
 */
@Component
class ElectionControl implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(ElectionControl.class);

    private static final Pattern ORDER = Pattern.compile("(withdraw|join) (\\S+)");

    private final ElectionRegistry registry;

    private final String file;

    private volatile boolean running = true;

    ElectionControl(ElectionRegistry registry, @Value("${fault.control-file:}") String file) {
        this.registry = registry;
        this.file = file;
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
        if (file.isEmpty()) {
            return;
        }
        Thread thread = new Thread(() -> watch(Path.of(file)), "election-control");
        thread.setDaemon(true);
        thread.start();
    }

    private void watch(Path orders) {
        while (running) {
            try {
                String order = Files.isRegularFile(orders) ? Files.readString(orders).strip() : "";
                Matcher matcher = ORDER.matcher(order);
                if (matcher.matches()) {
                    Election election = registry.election(matcher.group(2));
                    log.info("election control: {}", order);
                    if (matcher.group(1).equals("withdraw")) {
                        election.withdraw();
                    }
                    else {
                        election.start();
                    }
                    Files.writeString(orders, "done\n");
                }
                Thread.sleep(50);
            }
            catch (InterruptedException ex) {
                return;
            }
            catch (IOException | RuntimeException ex) {
                log.warn("election control: {}", ex.toString());
            }
        }
    }

    @Override
    public void destroy() {
        running = false;
    }
}
