package dev.leader.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.context.PropertyMapping;

/**
 * Makes the application's leader elections deterministic in a test: the test backend replaces
 * the configured one and a {@link LeadershipControl} bean is available to grant, revoke and
 * yield. Equivalent to setting the property {@code leader.test.mode}.
 *
 * <pre>{@code
 * @SpringBootTest
 * @AutoConfigureLeaderElection(LeadershipMode.MANUAL)
 * class BillingJobTests { @Autowired LeadershipControl leadership; ... }
 * }</pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ImportAutoConfiguration
@PropertyMapping("leader.test")
public @interface AutoConfigureLeaderElection {

    /** How elections are decided; {@link LeadershipMode#ALWAYS} makes this node leader of all. */
    @PropertyMapping("mode")
    LeadershipMode value() default LeadershipMode.ALWAYS;
}
