/*
 * A hostile TLS client, run on the system OpenSSL, that misbehaves after the handshake:
 *
 *   late-data    sends close_notify and then, contrary to RFC 8446 section 6.1, one more
 *                application-data record (OpenSSL refuses to write after its own
 *                close_notify, so the shutdown state is cleared to make it do so);
 *   renegotiate  starts a TLS 1.2 renegotiation, which the server must refuse.
 *
 *   hostile_client PORT MODE [-tls1_2]
 */
#include "common.h"

int main(int argc, char **argv)
{
    char buf[1024];
    int fd, n;
    SSL_CTX *ctx;
    SSL *ssl;
    if (argc < 3) {
        fprintf(stderr, "usage: hostile_client PORT MODE [-tls1_2]\n");
        return 2;
    }
    ctx = SSL_CTX_new(TLS_client_method());
    if (argc > 3 && strcmp(argv[3], "-tls1_2") == 0)
        SSL_CTX_set_max_proto_version(ctx, TLS1_2_VERSION);
    fd = tcp_connect("127.0.0.1", argv[1]);
    if (fd < 0) {
        perror("connect");
        return 1;
    }
    ssl = SSL_new(ctx);
    SSL_set_fd(ssl, fd);
    if (SSL_connect(ssl) != 1) {
        print_errors("SSL_connect");
        return 1;
    }
    n = SSL_read(ssl, buf, sizeof(buf)); /* the server's greeting */
    printf("greeting: %s", n > 0 ? "received\n" : "missing\n");
    if (strcmp(argv[2], "renegotiate") == 0) {
        int r = SSL_renegotiate(ssl);
        printf("SSL_renegotiate: %d\n", r);
        r = SSL_do_handshake(ssl);
        printf("renegotiation: %d, SSL_get_error: %d\n", r, SSL_get_error(ssl, r));
        print_errors("renegotiation");
    } else {
        SSL_shutdown(ssl);
        SSL_set_shutdown(ssl, 0);
        printf("late write: %d\n", SSL_write(ssl, "late\n", 5));
    }
    /* Wait for the server to close (its close_notify, then the end of the stream). */
    while ((n = SSL_read(ssl, buf, sizeof(buf))) > 0)
        ;
    SSL_free(ssl);
    SSL_CTX_free(ctx);
    close(fd);
    return 0;
}
