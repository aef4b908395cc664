package io.portcullis.server.proxy;

/**
 * Receives the fields of the request head sent upstream, in order. The head is computed once, in
 * {@link UpstreamRequest#fields}, and either collected into Netty headers (requests with a body, which the HTTP codec
 * frames) or written straight to bytes (the common bodiless request: no header map, no encoder pass).
 */
@FunctionalInterface
interface HeadFieldSink {
    void field(CharSequence name, CharSequence value);
}
