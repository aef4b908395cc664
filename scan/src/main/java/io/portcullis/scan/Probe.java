package io.portcullis.scan;

import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;

import io.portcullis.tls.wire.AlertException;
import io.portcullis.tls.wire.HandshakeMessage;
import io.portcullis.tls.wire.HandshakeReader;
import io.portcullis.tls.wire.NotTlsException;
import io.portcullis.tls.wire.ServerHello;
import io.portcullis.tls.wire.ServerHelloParser;
import io.portcullis.tls.wire.SslV2Hello;
import io.portcullis.tls.wire.TlsDecodeException;

/**
 * Sends one hand-built hello per connection and classifies the answer. Each connection takes a permit from the
 * target's semaphore, so however many checks run in parallel, a target never sees more than
 * {@link ScanOptions#maxConnections()} of our sockets at once. Plain blocking sockets with short timeouts: a probe
 * is one write and a few reads, and Java 17 has no virtual threads to make anything else cheaper.
 */
final class Probe {
    private final InetSocketAddress address;
    private final ScanOptions options;
    private final Semaphore permits;

    Probe(InetSocketAddress address, ScanOptions options, Semaphore permits) {
        this.address = address;
        this.options = options;
        this.permits = permits;
    }

    InetSocketAddress address() {
        return address;
    }

    ScanOptions options() {
        return options;
    }

    /**
     * Sends {@code hello}; reads the ServerHello and, when {@code wholeFlight}, the plaintext messages after it up
     * to ServerHelloDone (Certificate, ServerKeyExchange, CertificateStatus of TLS 1.2 and older).
     */
    HelloResult hello(byte[] hello, boolean wholeFlight) {
        return withSocket(s -> {
            s.getOutputStream().write(hello);
            HandshakeReader reader = new HandshakeReader(s.getInputStream());
            HandshakeMessage first = reader.next();
            if (first == null || first.type() != HandshakeMessage.SERVER_HELLO) {
                return HelloResult.refused(null, "unexpected handshake message instead of ServerHello");
            }
            ServerHello sh = ServerHelloParser.parse(first);
            List<HandshakeMessage> flight = new ArrayList<>();
            boolean tls13 = sh.version() == 0x0304;
            while (wholeFlight && !tls13) {
                HandshakeMessage m = reader.next();
                if (m == null) {
                    break;
                }
                flight.add(m);
                if (m.type() == HandshakeMessage.SERVER_HELLO_DONE) {
                    break;
                }
            }
            return HelloResult.accepted(sh, flight);
        });
    }

    /** SSLv2 has its own record format; an answer in any other format means "no SSLv2". */
    SslV2Hello.ServerHello sslV2() {
        SslV2Hello.ServerHello[] result = new SslV2Hello.ServerHello[1];
        withSocket(s -> {
            s.getOutputStream().write(SslV2Hello.clientHello());
            result[0] = SslV2Hello.readServerHello(s.getInputStream());
            return null;
        });
        return result[0];
    }

    /** Opens a plain TCP connection (under the cap) to check reachability; returns null or the failure. */
    HelloResult reachable() {
        return withSocket(s -> null);
    }

    interface SocketWork {
        HelloResult run(Socket s) throws IOException;
    }

    /** Runs {@code work} on a fresh connection under the cap; failures become a {@link HelloResult}. */
    HelloResult withSocket(SocketWork work) {
        try {
            permits.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return HelloResult.failed(HelloResult.Kind.TIMEOUT, "interrupted");
        }
        try (Socket s = new Socket()) {
            s.setTcpNoDelay(true);
            s.setSoLinger(true, 0); // probes end abruptly anyway; do not leave TIME_WAIT sockets by the thousand
            try {
                s.connect(address, (int) options.connectTimeout().toMillis());
            } catch (SocketTimeoutException e) {
                return HelloResult.failed(HelloResult.Kind.UNREACHABLE, "connect timed out after "
                        + options.connectTimeout().toMillis() + " ms");
            } catch (ConnectException | NoRouteToHostException e) {
                return HelloResult.failed(HelloResult.Kind.UNREACHABLE, "connection refused");
            }
            s.setSoTimeout((int) options.readTimeout().toMillis());
            return work.run(s);
        } catch (AlertException e) {
            return HelloResult.refused(e.alert(), e.alert().name());
        } catch (NotTlsException e) {
            return HelloResult.failed(HelloResult.Kind.NOT_TLS, e.getMessage());
        } catch (SocketTimeoutException e) {
            return HelloResult.failed(HelloResult.Kind.TIMEOUT, "no answer within "
                    + options.readTimeout().toMillis() + " ms");
        } catch (EOFException e) {
            return HelloResult.refused(null, "connection closed");
        } catch (SocketException e) {
            return HelloResult.refused(null, "connection reset");
        } catch (TlsDecodeException e) {
            return HelloResult.refused(null, "undecodable answer: " + e.getMessage());
        } catch (IOException e) {
            return HelloResult.refused(null, e.getClass().getSimpleName() + ": " + e.getMessage());
        } finally {
            permits.release();
        }
    }
}
