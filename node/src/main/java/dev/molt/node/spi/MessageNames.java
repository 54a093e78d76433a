package dev.molt.node.spi;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Message type names derived from classes, so that no list written by hand can miss a class a
 * version sends: a sealed message interface names all of its messages through its permitted
 * subclasses.
 */
public final class MessageNames {
  private MessageNames() {}

  /** {@link MessageName} when present, else the simple name in kebab-case. */
  public static String nameOf(Class<?> type) {
    MessageName declared = type.getAnnotation(MessageName.class);
    if (declared != null) {
      if (declared.value().isBlank()) {
        throw new IllegalArgumentException("@MessageName of " + type.getName() + " is blank");
      }
      return declared.value();
    }
    return kebab(type.getSimpleName());
  }

  /** {@code ScoreAdded} becomes {@code score-added}, {@code HTTPCall} becomes {@code http-call}. */
  public static String kebab(String simpleName) {
    StringBuilder out = new StringBuilder(simpleName.length() + 4);
    for (int i = 0; i < simpleName.length(); i++) {
      char c = simpleName.charAt(i);
      if (Character.isUpperCase(c)) {
        boolean wordStart = i > 0 && (Character.isLowerCase(simpleName.charAt(i - 1))
            || (i + 1 < simpleName.length() && Character.isLowerCase(simpleName.charAt(i + 1))));
        if (wordStart && out.length() > 0 && out.charAt(out.length() - 1) != '-') {
          out.append('-');
        }
        out.append(Character.toLowerCase(c));
      } else {
        out.append(c == '_' || c == '$' ? '-' : c);
      }
    }
    return out.toString();
  }

  /**
   * Every concrete class below the sealed {@code root}, by name. Refuses a root that is not sealed
   * (its messages cannot be enumerated), a non-sealed branch, and two classes with one name, naming
   * the classes.
   */
  public static <M> Map<String, Class<? extends M>> of(Class<M> root) {
    if (!root.isSealed()) {
      throw new IllegalArgumentException("message type " + root.getName()
          + " is not sealed: make it a sealed interface (its records are then named by their simple names),"
          + " or list messageTypes() by hand");
    }
    Map<String, Class<? extends M>> names = new LinkedHashMap<>();
    Deque<Class<?>> todo = new ArrayDeque<>(java.util.List.of(root.getPermittedSubclasses()));
    while (!todo.isEmpty()) {
      Class<?> type = todo.pop();
      if (type.isSealed()) {
        todo.addAll(java.util.List.of(type.getPermittedSubclasses()));
        continue;
      }
      if (type.isInterface() || java.lang.reflect.Modifier.isAbstract(type.getModifiers())) {
        throw new IllegalArgumentException(type.getName() + " under " + root.getName()
            + " is neither sealed nor concrete: its messages cannot be named");
      }
      String name = nameOf(type);
      Class<? extends M> clash = names.put(name, type.asSubclass(root));
      if (clash != null) {
        throw new IllegalArgumentException("message classes " + clash.getName() + " and " + type.getName()
            + " both travel as '" + name + "': rename one or give it @MessageName");
      }
    }
    return Map.copyOf(names);
  }
}
