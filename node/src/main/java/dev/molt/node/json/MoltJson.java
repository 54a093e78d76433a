package dev.molt.node.json;

import akka.actor.typed.ActorRefResolver;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.TypeFactory;
import com.fasterxml.jackson.databind.util.LRUMap;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The one JSON configuration Molt uses for application state and messages. It is pinned here, not
 * taken from Akka's {@code jackson-json} settings, because it decides the JSON shape of state: a
 * config change must not change what a migration reads.
 */
public final class MoltJson {

  private MoltJson() {}

  /**
   * A mapper for one release: its own type factory, bound to the release's class loader, with its
   * own cache, so that nothing shared by every release ever holds one of its classes.
   */
  public static ObjectMapper forRelease(ClassLoader releaseLoader, ActorRefResolver resolver) {
    TypeFactory types =
        TypeFactory.defaultInstance().withClassLoader(releaseLoader).withCache(new LRUMap<>(16, 1000));
    return configured(JsonMapper.builder().typeFactory(types), resolver);
  }

  /** A mapper for stable code (tests, routes, load clients): never given release classes. */
  public static ObjectMapper stable(ActorRefResolver resolver) {
    return configured(JsonMapper.builder(), resolver);
  }

  private static ObjectMapper configured(JsonMapper.Builder builder, ActorRefResolver resolver) {
    return builder
        .addModule(new Jdk8Module())
        .addModule(new JavaTimeModule())
        .addModule(new ActorRefModule(resolver))
        // Neighbouring schema versions: a newer writer's extra fields are ignored, not fatal.
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
        .build();
  }
}
