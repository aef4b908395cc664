package io.portcullis.server.proxy;

/** Receives the events of an upstream connection for whoever owns it now: a request in flight, or the idle pool. */
interface UpstreamListener {
    /** A decoded message ({@code HttpObject}, or raw {@code ByteBuf} after a 101); the listener owns it. */
    void onMessage(Object msg);

    void onReadComplete();

    void onWritable();

    /** No response head started within the time given to {@link UpstreamConnection#awaitHead}. */
    default void onHeadTimeout() {
    }

    /** The connection closed, failed, or went idle for the idle timeout ({@code idle} true). */
    void onClosed(Throwable cause, boolean idle);
}
