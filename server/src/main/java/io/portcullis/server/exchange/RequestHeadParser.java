package io.portcullis.server.exchange;

import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.portcullis.config.LimitsConfig;
import io.portcullis.server.http.Protocol;
import io.portcullis.server.http.Request;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Checks a request head against everything that must hold before routing, and builds the {@link Request} handlers see.
 * Rejections name the status the client gets: malformed 400, URI too long 414, header section too large 431,
 * unsupported version 505. Request-smuggling defences live here so that every protocol gets them.
 */
final class RequestHeadParser {
    private RequestHeadParser() {
    }

    /** A parsed request, or the status to reject it with. */
    record Result(Request request, HttpResponseStatus rejection, String reason) {
        static Result reject(HttpResponseStatus status, String reason) {
            return new Result(null, status, reason);
        }
    }

    static HttpResponseStatus decoderFailureStatus(DecoderResult result) {
        Throwable cause = result.cause();
        if (cause instanceof TooLongHttpLineException) {
            return HttpResponseStatus.REQUEST_URI_TOO_LONG;
        }
        if (cause instanceof TooLongHttpHeaderException) {
            return HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE;
        }
        if (cause instanceof TooLongFrameException) {
            return HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE;
        }
        return HttpResponseStatus.BAD_REQUEST;
    }

    static Result parse(HttpRequest req, Protocol protocol, ConnectionInfo conn, LimitsConfig limits) {
        if (req.decoderResult().isFailure()) {
            return Result.reject(decoderFailureStatus(req.decoderResult()), String.valueOf(req.decoderResult().cause()));
        }
        String uri = req.uri();
        if (uri.length() > limits.maxUriBytes()) {
            return Result.reject(HttpResponseStatus.REQUEST_URI_TOO_LONG, "uri length " + uri.length());
        }
        HttpHeaders headers = req.headers();
        boolean http1 = protocol == Protocol.HTTP_1_1;
        if (http1 && req.protocolVersion() != HttpVersion.HTTP_1_1 && req.protocolVersion() != HttpVersion.HTTP_1_0) {
            return Result.reject(HttpResponseStatus.HTTP_VERSION_NOT_SUPPORTED, "version " + req.protocolVersion());
        }
        String bad = invalidHeader(headers);
        if (bad != null) {
            return Result.reject(HttpResponseStatus.BAD_REQUEST, bad);
        }
        if (!http1) {
            stripHttp2ExtensionHeaders(headers);
        }

        String uriAuthority = null;
        String target = uri;
        if (!uri.startsWith("/")) {
            int schemeEnd = uri.indexOf("://");
            if (schemeEnd <= 0 || !isHttpScheme(uri.substring(0, schemeEnd))) {
                return Result.reject(HttpResponseStatus.BAD_REQUEST, "request target not origin or absolute form");
            }
            int authStart = schemeEnd + 3;
            int authEnd = authStart;
            while (authEnd < uri.length() && uri.charAt(authEnd) != '/' && uri.charAt(authEnd) != '?') {
                authEnd++;
            }
            uriAuthority = uri.substring(authStart, authEnd);
            target = authEnd == uri.length() ? "/" : uri.charAt(authEnd) == '?' ? "/" + uri.substring(authEnd)
                    : uri.substring(authEnd);
        }
        if (target.indexOf('#') >= 0) {
            return Result.reject(HttpResponseStatus.BAD_REQUEST, "fragment in request target");
        }
        int q = target.indexOf('?');
        String rawPath = q < 0 ? target : target.substring(0, q);
        String rawQuery = q < 0 ? null : target.substring(q + 1);
        String path = PathNormalizer.normalize(rawPath);
        if (path == null) {
            return Result.reject(HttpResponseStatus.BAD_REQUEST, "malformed path");
        }

        List<String> hostHeaders = headers.getAll(HttpHeaderNames.HOST);
        String authority;
        if (hostHeaders.size() > 1) {
            return Result.reject(HttpResponseStatus.BAD_REQUEST, "multiple Host headers");
        }
        if (hostHeaders.isEmpty()) {
            if (http1 && req.protocolVersion() == HttpVersion.HTTP_1_1 || !http1 && uriAuthority == null) {
                return Result.reject(HttpResponseStatus.BAD_REQUEST, "missing Host");
            }
            authority = uriAuthority;
        } else {
            authority = hostHeaders.get(0);
            if (uriAuthority != null && !uriAuthority.equalsIgnoreCase(authority)) {
                return Result.reject(HttpResponseStatus.BAD_REQUEST, "Host does not match absolute-form target");
            }
        }
        String host = null;
        if (authority != null) {
            host = HostName.parse(authority);
            if (host == null) {
                return Result.reject(HttpResponseStatus.BAD_REQUEST, "invalid Host");
            }
        }

        long contentLength;
        if (!http1) {
            // HTTP/2 and HTTP/3 frame bodies themselves (their codecs reject a client's Transfer-Encoding); the
            // "chunked" seen here was added by Netty's conversion to HTTP/1 objects and means "length unknown".
            headers.remove(HttpHeaderNames.TRANSFER_ENCODING);
        }
        List<String> te = headers.getAll(HttpHeaderNames.TRANSFER_ENCODING);
        if (!te.isEmpty()) {
            // Only a single, plain "chunked" is accepted: every other spelling (TE.TE obfuscation) is a smuggling tool.
            if (te.size() != 1 || !"chunked".equalsIgnoreCase(te.get(0))) {
                return Result.reject(HttpResponseStatus.BAD_REQUEST, "unsupported Transfer-Encoding");
            }
            contentLength = -1;
        } else if (headers.contains(HttpHeaderNames.CONTENT_LENGTH)) {
            try {
                contentLength = HttpUtil.normalizeAndGetContentLength(headers.getAll(HttpHeaderNames.CONTENT_LENGTH),
                        false, false);
            } catch (IllegalArgumentException e) {
                return Result.reject(HttpResponseStatus.BAD_REQUEST, "invalid Content-Length");
            }
        } else if (http1 || req instanceof FullHttpRequest) {
            contentLength = 0;
        } else {
            contentLength = -1;
        }

        Request request = new Request(req.method(), conn.scheme(), host, authority, path, rawPath, rawQuery, headers,
                contentLength, protocol, conn.remote(), conn.local(), conn.tls(), null);
        return new Result(request, null, null);
    }

    private static boolean isHttpScheme(String scheme) {
        return scheme.equalsIgnoreCase("https") || scheme.equalsIgnoreCase("http");
    }

    /** Header injection defence: no CR, LF or NUL may reach a handler or an upstream, whatever the protocol. */
    private static String invalidHeader(HttpHeaders headers) {
        Iterator<Map.Entry<CharSequence, CharSequence>> it = headers.iteratorCharSequence();
        while (it.hasNext()) {
            Map.Entry<CharSequence, CharSequence> h = it.next();
            CharSequence v = h.getValue();
            for (int i = 0; i < v.length(); i++) {
                char c = v.charAt(i);
                if (c == '\r' || c == '\n' || c == 0) {
                    return "control character in header " + h.getKey();
                }
            }
        }
        return null;
    }

    private static void stripHttp2ExtensionHeaders(HttpHeaders headers) {
        headers.remove("x-http2-scheme");
        headers.remove("x-http2-stream-id");
        headers.remove("x-http2-path");
        headers.remove("x-http2-stream-promise-id");
        headers.remove("x-http2-stream-dependency-id");
        headers.remove("x-http2-stream-weight");
        headers.remove("x-http3-scheme");
    }
}
