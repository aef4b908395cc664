package io.portcullis.server.files;

import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * The bytes a response carries: the file itself or one of its precompressed siblings. Validators (ETag, Last-Modified)
 * and ranges all refer to this, not to the original file, as RFC 9110 requires for a content-coded representation.
 *
 * @param file                the real path to open
 * @param size                length in bytes
 * @param lastModifiedSeconds mtime in epoch seconds (HTTP-date resolution)
 * @param etag                quoted strong entity tag
 * @param contentEncoding     {@code br} or {@code gzip}, or {@code null} for the identity representation
 */
public record Representation(Path file, long size, long lastModifiedSeconds, String etag, String contentEncoding) {

    /**
     * Builds the representation of a resolved file. The ETag is nginx's {@code "<hex mtime>-<hex size>"}: no hashing, so
     * no read of the file, and it changes whenever a deploy rewrites the file. An encoded variant appends its coding,
     * so a cache can never confuse it with the identity bytes even if sizes and mtimes coincide.
     */
    public static Representation of(FileResolver.Resolved resolved, String contentEncoding) {
        BasicFileAttributes attributes = resolved.attributes();
        long mtime = Math.floorDiv(attributes.lastModifiedTime().toMillis(), 1000L);
        long size = attributes.size();
        String etag = '"' + Long.toHexString(mtime) + '-' + Long.toHexString(size)
                + (contentEncoding == null ? "" : '-' + contentEncoding) + '"';
        return new Representation(resolved.real(), size, mtime, etag, contentEncoding);
    }
}
