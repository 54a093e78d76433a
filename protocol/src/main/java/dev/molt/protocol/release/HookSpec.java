package dev.molt.protocol.release;

/**
 * A named hook an {@code apply} instruction runs (OTP's {@code {apply, {M, F, A}}}): a class in
 * the release implementing the node's {@code UpgradeHook}.
 */
public record HookSpec(String name, String entryClass) {}
