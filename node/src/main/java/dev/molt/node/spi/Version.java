package dev.molt.node.spi;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The version of a {@link MoltBehaviour}, for code that wants it next to the class. Optional: the
 * release descriptor gives it anyway; when both do and they differ, the bundle is refused at
 * unpack.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Version {
  int value();
}
