package io.portcullis.server.files;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.stream.ChunkedNioFile;
import io.portcullis.config.StaticConfig;
import io.portcullis.server.http.Exchange;
import io.portcullis.server.http.Handler;
import io.portcullis.server.http.Protocol;
import io.portcullis.server.http.Request;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.StandardOpenOption;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves files below a root, the way nginx's {@code root} + {@code try_files $uri $uri/ =404} does: GET and HEAD only,
 * index files but no directory listings, validators and conditional requests, single byte ranges, precompressed
 * siblings. Which file a path names, and whether it may be served, is {@link FileResolver}'s decision alone.
 *
 * <p>A request for several ranges is answered with the whole file (200): RFC 9110 allows ignoring Range, browsers and
 * media players only ask for one range, and multipart/byteranges bodies are a rarely-tested path in clients and
 * caches. Overlapping or adjacent ranges are first merged, so such lists still get a 206.
 *
 * <p>Threading: file lookups ({@code stat}, {@code realpath}, {@code open}) run on the event loop, as in nginx without
 * {@code aio threads}; on a local disk they are page-cache hits. The body streams through {@link ChunkedNioFile}, one
 * chunk at a time and only while the client accepts writes, so memory stays bounded whatever the file size,
 * identically on HTTP/1.1, HTTP/2 and HTTP/3.
 */
public final class StaticFileHandler implements Handler {
    private static final Logger log = LoggerFactory.getLogger(StaticFileHandler.class);

    /**
     * HTTP/1.1 chunk: each one costs a read system call, a pass through the pipeline and a TLS wrap, and at 64 KiB
     * those were a quarter of the server's CPU per byte of a large download (bench workload {@code large}: 0.85 ns/B
     * at 64 KiB, 0.65 at 256 KiB). One connection carries one download at a time, so the buffer is per download.
     */
    static final int CHUNK_SIZE = 256 * 1024;

    /** HTTP/2 and HTTP/3 chunk: smaller, as many streams of one connection may each hold one queued. */
    static final int MULTIPLEXED_CHUNK_SIZE = 64 * 1024;

    private static final String ALLOW = "GET, HEAD";

    private final FileResolver resolver;
    private final List<String> index;
    private final boolean precompressed;

    public StaticFileHandler(StaticConfig config) {
        for (String name : config.index()) {
            if (!FileResolver.isSafeName(name)) {
                throw new IllegalArgumentException("static.index: " + name + " (expected: a file name without / or \\)");
            }
        }
        this.resolver = new FileResolver(config.root(), config.stripPrefix(), config.followSymlinks());
        this.index = config.index();
        this.precompressed = config.precompressed();
    }

    @Override
    public void handle(Exchange exchange) {
        Request request = exchange.request();
        boolean head = HttpMethod.HEAD.equals(request.method());
        if (!head && !HttpMethod.GET.equals(request.method())) {
            HttpHeaders headers = new DefaultHttpHeaders();
            headers.set(HttpHeaderNames.ALLOW, ALLOW);
            exchange.sendError(HttpResponseStatus.METHOD_NOT_ALLOWED, headers);
            return;
        }
        try {
            serve(exchange, request, head);
        } catch (IOException | RuntimeException e) {
            // The log gets the details; the client gets a bare 500 with the request id, never the path.
            log.warn("request {}: static file for {} failed", request.requestId(), request.path(), e);
            if (exchange.headSent()) {
                exchange.abort();
            } else {
                exchange.sendError(HttpResponseStatus.INTERNAL_SERVER_ERROR);
            }
        }
    }

    private void serve(Exchange exchange, Request request, boolean head) throws IOException {
        String path = request.path();
        Optional<FileResolver.Resolved> target = resolver.resolve(path);
        if (target.isPresent() && target.get().isDirectory()) {
            if (!path.endsWith("/")) {
                redirectToDirectory(exchange, request);
                return;
            }
            target = findIndex(target.get());
        } else if (target.isPresent() && path.endsWith("/")) {
            target = Optional.empty(); // "/file.txt/" names a directory that does not exist
        }
        if (target.isEmpty()) {
            exchange.sendError(HttpResponseStatus.NOT_FOUND);
            return;
        }
        FileResolver.Resolved file = target.get();
        PrecompressedVariant.Selection selection = precompressed
                ? PrecompressedVariant.select(resolver, file, request.headers())
                : new PrecompressedVariant.Selection(Representation.of(file, null), false);
        Representation rep = selection.representation();

        HttpHeaders headers = new DefaultHttpHeaders();
        headers.set(HttpHeaderNames.ETAG, rep.etag());
        headers.set(HttpHeaderNames.LAST_MODIFIED, DateFormatter.format(new Date(rep.lastModifiedSeconds() * 1000L)));
        if (selection.vary()) {
            headers.set(HttpHeaderNames.VARY, HttpHeaderNames.ACCEPT_ENCODING);
        }

        long now = Math.floorDiv(System.currentTimeMillis(), 1000L);
        switch (ConditionalRequest.evaluate(request.headers(), rep.etag(), rep.lastModifiedSeconds(), now)) {
            case NOT_MODIFIED -> {
                // No Content-Length: on a 304 it would describe the 200 body, and 0 would corrupt caches.
                exchange.sendHead(HttpResponseStatus.NOT_MODIFIED, headers);
                exchange.end();
                return;
            }
            case PRECONDITION_FAILED -> {
                exchange.sendError(HttpResponseStatus.PRECONDITION_FAILED);
                return;
            }
            case PROCEED -> {
            }
        }

        // Content-Type names the original file's media type even for a br/gz variant (RFC 9110 8.4).
        headers.set(HttpHeaderNames.CONTENT_TYPE, ContentTypes.forFileName(file.fileName()));
        if (rep.contentEncoding() != null) {
            headers.set(HttpHeaderNames.CONTENT_ENCODING, rep.contentEncoding());
        }
        headers.set(HttpHeaderNames.ACCEPT_RANGES, HttpHeaderValues.BYTES);

        HttpResponseStatus status = HttpResponseStatus.OK;
        long offset = 0;
        long length = rep.size();
        // Range is defined for GET only (RFC 9110 14.2); a HEAD describes the whole representation.
        String range = request.headers().get(HttpHeaderNames.RANGE);
        if (range != null && !head && ConditionalRequest.ifRangeAllows(
                request.headers().get(HttpHeaderNames.IF_RANGE), rep.etag(), rep.lastModifiedSeconds())) {
            ByteRange.Parsed parsed = ByteRange.parse(range, rep.size());
            if (parsed.outcome() == ByteRange.Outcome.UNSATISFIABLE) {
                HttpHeaders unsatisfiable = new DefaultHttpHeaders();
                unsatisfiable.set(HttpHeaderNames.CONTENT_RANGE, "bytes */" + rep.size());
                unsatisfiable.set(HttpHeaderNames.ACCEPT_RANGES, HttpHeaderValues.BYTES);
                exchange.sendError(HttpResponseStatus.REQUESTED_RANGE_NOT_SATISFIABLE, unsatisfiable);
                return;
            }
            if (parsed.outcome() == ByteRange.Outcome.SATISFIABLE && parsed.ranges().size() == 1) {
                ByteRange only = parsed.ranges().get(0);
                status = HttpResponseStatus.PARTIAL_CONTENT;
                offset = only.first();
                length = only.length();
                headers.set(HttpHeaderNames.CONTENT_RANGE, only.contentRange(rep.size()));
            }
        }
        headers.set(HttpHeaderNames.CONTENT_LENGTH, length);
        if (head || length == 0) {
            exchange.sendHead(status, headers);
            exchange.end();
            return;
        }
        sendBody(exchange, request, rep, status, headers, offset, length);
    }

    private void sendBody(Exchange exchange, Request request, Representation rep, HttpResponseStatus status,
                          HttpHeaders headers, long offset, long length) throws IOException {
        // Opened before the head goes out, so a vanished or unreadable file still gets a clean status. NOFOLLOW: the
        // resolver checked this real path; a link swapped in since then is not followed.
        FileChannel channel = FileChannel.open(rep.file(), StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        ChunkedNioFile body;
        try {
            if (channel.size() < offset + length) {
                throw new IOException("file shrank since it was inspected");
            }
            body = new ChunkedNioFile(channel, offset, length,
                    request.protocol() == Protocol.HTTP_1_1 ? CHUNK_SIZE : MULTIPLEXED_CHUNK_SIZE);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        exchange.sendHead(status, headers);
        exchange.writeAndEnd(body).addListener(future -> {
            if (!future.isSuccess()) {
                // Usually the client went away; the writer may not have reached the input to close it.
                log.debug("request {}: file body not completed", request.requestId(), future.cause());
                closeQuietly(body);
            }
        });
    }

    private Optional<FileResolver.Resolved> findIndex(FileResolver.Resolved directory) throws IOException {
        for (String name : index) {
            Optional<FileResolver.Resolved> candidate = resolver.resolveIn(directory, name);
            if (candidate.isPresent() && !candidate.get().isDirectory()) {
                return candidate;
            }
        }
        return Optional.empty();
    }

    /**
     * 301 to the path with a trailing slash, so relative links in the index page resolve against the directory. The
     * location is rebuilt from the normalised path rather than echoing the raw one, and repeated slashes are collapsed
     * so the result can never read as {@code //host} (an open redirect).
     */
    private static void redirectToDirectory(Exchange exchange, Request request) {
        StringBuilder location = new StringBuilder();
        PathEncoding.appendEncodedPath(location, request.path().replaceAll("/{2,}", "/"));
        location.append('/');
        if (request.rawQuery() != null) {
            location.append('?').append(request.rawQuery());
        }
        HttpHeaders headers = new DefaultHttpHeaders();
        headers.set(HttpHeaderNames.LOCATION, location.toString());
        exchange.respond(HttpResponseStatus.MOVED_PERMANENTLY, headers, Unpooled.EMPTY_BUFFER);
    }

    private static void closeQuietly(ChunkedNioFile body) {
        try {
            body.close();
        } catch (Exception e) {
            log.debug("closing file body failed", e);
        }
    }
}
