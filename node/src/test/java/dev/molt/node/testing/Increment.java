package dev.molt.node.testing;

/** What stable code sends as an {@code "increment"} envelope (schema 1). */
public record Increment(long seq) {}
