package dev.nudge.common.idempotency;

import jakarta.enterprise.util.Nonbinding;
import jakarta.interceptor.InterceptorBinding;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A resource whose POSTs honour {@code Idempotency-Key}: the key's check, the endpoint's writes and
 * the stored answer commit together ({@link IdempotencyInterceptor}). {@link #value} says which
 * transaction the endpoint's services write in, so that the check joins that one.
 */
@InterceptorBinding
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface Idempotent {

  /** How the endpoint's services write. */
  enum Unit {
    /** {@code @Transactional} services (JDBC on the JTA transaction). */
    JTA,
    /** {@code Jdbc.transaction}: a plain JDBC transaction, no transaction manager. */
    JDBC
  }

  @Nonbinding
  Unit value() default Unit.JTA;
}
