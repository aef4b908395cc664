package io.portcullis.certs.acme;

import java.nio.file.FileSystemException;
import java.time.Instant;
import java.util.Optional;

import org.shredzone.acme4j.Problem;
import org.shredzone.acme4j.exception.AcmeException;
import org.shredzone.acme4j.exception.AcmeNetworkException;
import org.shredzone.acme4j.exception.AcmeRateLimitedException;
import org.shredzone.acme4j.exception.AcmeServerException;

/**
 * Why an issuance failed, in one line a person can act on: the CA's problem document (type, detail, the identifier
 * and sub-problems) when there is one, and the time the CA asked us to wait ({@code Retry-After}) if it said.
 */
public final class AcmeFailure extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient Instant retryAfter;

    AcmeFailure(String message, Instant retryAfter, Throwable cause) {
        super(message, cause);
        this.retryAfter = retryAfter;
    }

    /** The earliest retry the CA allows, when it said. */
    public Optional<Instant> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    static AcmeFailure of(String what, Throwable e) {
        if (e instanceof AcmeFailure f) {
            return f;
        }
        Instant retry = null;
        String detail;
        if (e instanceof AcmeRateLimitedException rl) {
            retry = rl.getRetryAfter().orElse(null);
            detail = "rate limited: " + describe(rl.getProblem());
        } else if (e instanceof AcmeServerException se) {
            detail = describe(se.getProblem());
        } else if (e instanceof AcmeNetworkException) {
            detail = "cannot reach the CA: " + rootCause(e);
        } else if (e instanceof FileSystemException fse) {
            detail = storage(fse);
        } else if (e instanceof AcmeException) {
            detail = e.getMessage() + (e.getCause() != null ? " (" + e.getCause() + ")" : "");
        } else {
            detail = String.valueOf(e);
        }
        return new AcmeFailure(what + ": " + detail, retry, e);
    }

    /**
     * A file-system error as "storage not writable" or "not readable", with the file and the operating system's reason
     * ({@code Operation not permitted}, {@code Read-only file system}, ...).
     */
    static String storage(FileSystemException e) {
        String reason = e.getReason() != null ? e.getReason()
                : e instanceof java.nio.file.AccessDeniedException ? "Permission denied" : e.getClass().getSimpleName();
        return "storage not usable: " + e.getFile() + ": " + reason;
    }

    /** The innermost cause that says something: {@code Connection refused}, {@code timed out}, an unknown host. */
    private static String rootCause(Throwable e) {
        String said = null;
        for (Throwable t = e.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
            if (t.getMessage() != null) {
                said = t.getClass().getSimpleName() + ": " + t.getMessage();
            } else if (said == null) {
                said = t.getClass().getSimpleName();
            }
        }
        if ("ConnectException".equals(said)) {
            said = "ConnectException: Connection refused"; // the JDK client leaves the message out for a refused connect
        }
        return said == null ? String.valueOf(e.getMessage()) : said;
    }

    static AcmeFailure problem(String what, Problem problem) {
        return new AcmeFailure(what + ": " + describe(problem), null, null);
    }

    /** {@code urn:...:connection: detail [identifier]; sub-problems: ...}. */
    static String describe(Problem p) {
        if (p == null) {
            return "no problem document";
        }
        StringBuilder sb = new StringBuilder().append(p.getType()).append(": ")
                .append(p.getDetail().or(p::getTitle).orElse("(no detail)"));
        p.getIdentifier().ifPresent(id -> sb.append(" [").append(id.getValue()).append(']'));
        for (Problem sub : p.getSubProblems()) {
            sb.append("; ").append(describe(sub));
        }
        return sb.toString();
    }
}
