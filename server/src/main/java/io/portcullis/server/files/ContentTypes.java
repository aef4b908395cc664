package io.portcullis.server.files;

import java.util.Locale;
import java.util.Map;

/**
 * Maps a file name's extension to a {@code Content-Type}. A built-in table rather than
 * {@link java.nio.file.Files#probeContentType}: the JDK's answer depends on the host's mime database, so the same site
 * would be served differently on two machines. Unknown extensions get {@code application/octet-stream}, which browsers
 * download rather than sniff and render.
 *
 * <p>Textual types carry {@code charset=utf-8}: without it browsers guess the encoding (and a guessed UTF-7 was once an
 * XSS vector). JSON and JavaScript are UTF-8 by definition, but the parameter is harmless and spares old clients a guess.
 */
public final class ContentTypes {
    public static final String DEFAULT = "application/octet-stream";

    private static final String UTF8 = "; charset=utf-8";

    private static final Map<String, String> BY_EXTENSION = Map.ofEntries(
            // documents and code
            Map.entry("html", "text/html" + UTF8),
            Map.entry("htm", "text/html" + UTF8),
            Map.entry("css", "text/css" + UTF8),
            Map.entry("js", "text/javascript" + UTF8), // RFC 9239 made text/javascript the one name
            Map.entry("mjs", "text/javascript" + UTF8),
            Map.entry("json", "application/json" + UTF8),
            Map.entry("map", "application/json" + UTF8), // source maps
            Map.entry("webmanifest", "application/manifest+json" + UTF8),
            Map.entry("txt", "text/plain" + UTF8),
            Map.entry("md", "text/markdown" + UTF8),
            Map.entry("csv", "text/csv" + UTF8),
            Map.entry("xml", "application/xml" + UTF8),
            Map.entry("rss", "application/rss+xml" + UTF8),
            Map.entry("atom", "application/atom+xml" + UTF8),
            Map.entry("svg", "image/svg+xml" + UTF8),
            Map.entry("pdf", "application/pdf"),
            Map.entry("wasm", "application/wasm"), // required for WebAssembly.instantiateStreaming
            // images
            Map.entry("png", "image/png"),
            Map.entry("jpg", "image/jpeg"),
            Map.entry("jpeg", "image/jpeg"),
            Map.entry("gif", "image/gif"),
            Map.entry("webp", "image/webp"),
            Map.entry("avif", "image/avif"),
            Map.entry("ico", "image/x-icon"),
            Map.entry("bmp", "image/bmp"),
            // fonts
            Map.entry("woff", "font/woff"),
            Map.entry("woff2", "font/woff2"),
            Map.entry("ttf", "font/ttf"),
            Map.entry("otf", "font/otf"),
            // audio and video
            Map.entry("mp4", "video/mp4"),
            Map.entry("webm", "video/webm"),
            Map.entry("mp3", "audio/mpeg"),
            Map.entry("ogg", "audio/ogg"),
            Map.entry("oga", "audio/ogg"),
            Map.entry("ogv", "video/ogg"),
            Map.entry("wav", "audio/wav"),
            Map.entry("flac", "audio/flac"),
            Map.entry("m4a", "audio/mp4"),
            // archives
            Map.entry("zip", "application/zip"),
            Map.entry("gz", "application/gzip"),
            Map.entry("tgz", "application/gzip"),
            Map.entry("br", "application/octet-stream"),
            Map.entry("tar", "application/x-tar"),
            Map.entry("7z", "application/x-7z-compressed"));

    private ContentTypes() {
    }

    /** The type for {@code fileName} (a name, not a path), {@link #DEFAULT} when its extension is unknown. */
    public static String forFileName(String fileName) {
        int dot = fileName.lastIndexOf('.');
        // A leading dot (".bashrc") names a hidden file, not an extension.
        if (dot <= 0 || dot == fileName.length() - 1) {
            return DEFAULT;
        }
        String type = BY_EXTENSION.get(fileName.substring(dot + 1).toLowerCase(Locale.ROOT));
        return type == null ? DEFAULT : type;
    }
}
