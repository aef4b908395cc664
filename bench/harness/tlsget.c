/*
 * The large workload's client: one HTTPS GET over TLS, timed from connect to the body's last byte.
 *
 *   tlsget HOST PORT PATH CAFILE [--sink]
 *   prints: <status> <body bytes> <seconds> <protocol> <cipher>
 *
 * curl spends ~1.2 ns of client CPU per byte here, so on a 2-core machine it measured itself, not the server. This
 * client does two things curl does not:
 *  - default mode decrypts with OpenSSL's read-ahead and a 256 KiB read buffer (one recv for many records), so a real,
 *    verified download costs ~0.8 ns/B;
 *  - --sink (TLS 1.3 only) completes the handshake and decrypts the response head, then reads the body's TLS records
 *    without decrypting them and counts their plaintext length (record length minus the 16-byte tag and 1-byte inner
 *    content type). The figure is what the server can deliver, with the client's AES out of the way. A server that
 *    pads records or interleaves other records makes the count differ from Content-Length, and the run fails.
 * Exit status 0 only if the body length equals Content-Length.
 */
#include <arpa/inet.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

enum { TLS13_RECORD_OVERHEAD = 16 + 1, TLS_APPLICATION_DATA = 23 };

static char buf[1 << 20];

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

/*
 * Reads raw TLS 1.3 records from fd until their plaintext adds up to `want` bytes and the last of them has arrived
 * whole; returns the plaintext count. What follows the body in the same read (a close_notify) is not counted.
 */
static long long sink_records(int fd, long long want) {
    long long body = 0, record_left = 0;
    unsigned char header[5];
    int header_have = 0;
    while (body < want || record_left > 0) {
        ssize_t k = read(fd, buf, sizeof buf);
        if (k <= 0) break;
        for (ssize_t i = 0; i < k;) {
            if (record_left > 0) {
                long long take = record_left < k - i ? record_left : k - i;
                record_left -= take;
                i += take;
                continue;
            }
            if (body >= want) break;
            header[header_have++] = (unsigned char)buf[i++];
            if (header_have < 5) continue;
            header_have = 0;
            if (header[0] != TLS_APPLICATION_DATA) {
                fprintf(stderr, "tlsget: unexpected record type %d\n", header[0]);
                return -1;
            }
            record_left = (header[3] << 8) | header[4];
            body += record_left - TLS13_RECORD_OVERHEAD;
        }
    }
    return body;
}

int main(int argc, char **argv) {
    if (argc < 5) {
        fprintf(stderr, "usage: tlsget HOST PORT PATH CAFILE [--sink]\n");
        return 2;
    }
    int sink = argc > 5 && strcmp(argv[5], "--sink") == 0;
    SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
    SSL_CTX_set_min_proto_version(ctx, sink ? TLS1_3_VERSION : TLS1_2_VERSION);
    if (SSL_CTX_load_verify_locations(ctx, argv[4], NULL) != 1) {
        ERR_print_errors_fp(stderr);
        return 1;
    }
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
    if (!sink) {
        // In sink mode OpenSSL must not read past the record that ends the head: the rest is counted raw.
        SSL_CTX_set_read_ahead(ctx, 1);
        SSL_CTX_set_default_read_buffer_len(ctx, 1 << 18);
    }
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((unsigned short)atoi(argv[2]))};
    if (inet_pton(AF_INET, argv[1], &addr.sin_addr) != 1) {
        fprintf(stderr, "tlsget: not an IPv4 address: %s\n", argv[1]);
        return 2;
    }
    double start = now();
    if (connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
        perror("tlsget: connect");
        return 1;
    }
    SSL *ssl = SSL_new(ctx);
    SSL_set_fd(ssl, fd);
    SSL_set_tlsext_host_name(ssl, "localhost");
    SSL_set1_host(ssl, "localhost");
    if (SSL_connect(ssl) != 1) {
        ERR_print_errors_fp(stderr);
        return 1;
    }
    char request[1024];
    int n = snprintf(request, sizeof request, "GET %s HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n", argv[3]);
    if (SSL_write(ssl, request, n) != n) {
        ERR_print_errors_fp(stderr);
        return 1;
    }
    int have = 0;
    char *end = NULL;
    while (!end) {
        int k = SSL_read(ssl, buf + have, (int)sizeof buf - have - 1);
        if (k <= 0) {
            fprintf(stderr, "tlsget: connection ended in the response head\n");
            return 1;
        }
        have += k;
        buf[have] = 0;
        end = strstr(buf, "\r\n\r\n");
    }
    int status = 0;
    long long length = -1;
    sscanf(buf, "HTTP/1.%*d %d", &status);
    for (char *h = strstr(buf, "\r\n"); h && h < end; h = strstr(h + 2, "\r\n")) {
        if (strncasecmp(h + 2, "content-length:", 15) == 0) length = atoll(h + 17);
    }
    long long body = have - (end + 4 - buf);
    if (sink) {
        long long rest = sink_records(fd, length - body);
        if (rest < 0) return 1;
        body += rest;
    } else {
        while (length < 0 || body < length) {
            int k = SSL_read(ssl, buf, sizeof buf);
            if (k <= 0) break;
            body += k;
        }
    }
    printf("%d %lld %.6f %s %s\n", status, body, now() - start, SSL_get_version(ssl), SSL_get_cipher(ssl));
    return length >= 0 && body == length ? 0 : 1;
}
