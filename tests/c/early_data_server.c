/*
 * A TLS 1.3 server that takes 0-RTT early data as OpenSSL's manual describes: it reads
 * with SSL_read_early_data until FINISH, answers the early data at once with
 * SSL_write_early_data (0.5-RTT), then completes the handshake and answers again.
 *
 *   early_data_server CERT KEY CONNECTIONS
 *
 * Prints "listening on PORT", then per connection what it read and the early data status.
 */
#include <signal.h>

#include "common.h"

int main(int argc, char **argv)
{
    int port = 0, lfd;
    SSL_CTX *ctx;
    if (argc != 4) {
        fprintf(stderr, "usage: early_data_server CERT KEY CONNECTIONS\n");
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);
    ctx = SSL_CTX_new(TLS_server_method());
    if (SSL_CTX_use_certificate_chain_file(ctx, argv[1]) != 1 ||
        SSL_CTX_use_PrivateKey_file(ctx, argv[2], SSL_FILETYPE_PEM) != 1) {
        print_errors("credentials");
        return 1;
    }
    SSL_CTX_set_min_proto_version(ctx, TLS1_3_VERSION);
    SSL_CTX_set_max_early_data(ctx, 16384);
    lfd = tcp_listen(&port);
    printf("listening on %d\n", port);
    fflush(stdout);
    for (int c = 0; c < atoi(argv[3]); c++) {
        char early[4096], buf[1024];
        size_t got = 0, n = 0;
        int fd = accept(lfd, NULL, NULL), r, steps = 0;
        SSL *ssl = SSL_new(ctx);
        SSL_set_fd(ssl, fd);
        SSL_set_accept_state(ssl);
        do {
            r = SSL_read_early_data(ssl, early + got, sizeof(early) - 1 - got, &n);
            if (r == SSL_READ_EARLY_DATA_SUCCESS)
                got += n;
        } while (r != SSL_READ_EARLY_DATA_FINISH && r != SSL_READ_EARLY_DATA_ERROR && ++steps < 1000);
        early[got] = '\0';
        printf("connection %d: read_early_data ended with %d, %zu early bytes: %s", c, r, got,
               got ? early : "(none)\n");
        if (got > 0) {
            size_t w = 0;
            printf("  write_early_data: %d\n", SSL_write_early_data(ssl, "early reply\n", 12, &w));
        }
        r = SSL_accept(ssl);
        printf("  accept: %d, early data status %d, reused %d\n", r, SSL_get_early_data_status(ssl),
               SSL_session_reused(ssl));
        if (r == 1) {
            SSL_write(ssl, "after handshake\n", 16);
            if (got == 0) {
                n = SSL_read(ssl, buf, sizeof(buf) - 1);
                printf("  read: %d\n", (int)n > 0 ? (int)n : -1);
            }
        } else {
            print_errors("  accept");
        }
        SSL_shutdown(ssl);
        SSL_free(ssl);
        close(fd);
        fflush(stdout);
    }
    SSL_CTX_free(ctx);
    return 0;
}
