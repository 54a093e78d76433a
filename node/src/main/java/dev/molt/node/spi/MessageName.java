package dev.molt.node.spi;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The name a message class travels under in an envelope, when its derived name (the simple name in
 * kebab-case: {@code ScoreAdded} is {@code "score-added"}) will not do, e.g. to keep the name an
 * older version or a stable client already uses after a rename.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface MessageName {
  String value();
}
