package io.portcullis.config;

/** The handler of a route: exactly one kind per route. */
public sealed interface HandlerConfig permits ProxyConfig, StaticConfig, RedirectConfig, RespondConfig {
}
