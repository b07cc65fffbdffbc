/*
 * A non-blocking TLS client driven by poll(): every SSL call may answer WANT_READ or
 * WANT_WRITE, and the loop waits for exactly that before calling again.
 *
 *   nonblocking_client HOST PORT CAFILE SERVERNAME
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>

#include <signal.h>

#include "common.h"

/* Waits (at most 5 s) for what SSL_get_error asked for; returns 0 on anything else. */
static int wait_for(SSL *ssl, int fd, int ret)
{
    struct pollfd p = {.fd = fd};
    int e = SSL_get_error(ssl, ret);
    if (e == SSL_ERROR_WANT_READ) p.events = POLLIN;
    else if (e == SSL_ERROR_WANT_WRITE) p.events = POLLOUT;
    else {
        printf("SSL error %d\n", e);
        print_errors("nonblocking");
        return 0;
    }
    return poll(&p, 1, 5000) == 1;
}

int main(int argc, char **argv)
{
    SSL_CTX *ctx;
    SSL *ssl;
    int fd, ret, waits = 0;
    char buf[4096];
    const char *req = "GET / HTTP/1.0\r\n\r\n";
    size_t total = 0;

    /* A peer that hangs up must show as an error, not kill the process. */
    signal(SIGPIPE, SIG_IGN);
    if (argc < 5) {
        fprintf(stderr, "usage: %s HOST PORT CAFILE SERVERNAME\n", argv[0]);
        return 2;
    }
    ctx = SSL_CTX_new(TLS_client_method());
    SSL_CTX_load_verify_locations(ctx, argv[3], NULL);
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
    fd = tcp_connect(argv[1], argv[2]);
    if (fd < 0) { perror("connect"); return 1; }
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    ssl = SSL_new(ctx);
    SSL_set_fd(ssl, fd);
    SSL_set_tlsext_host_name(ssl, argv[4]);
    SSL_set1_host(ssl, argv[4]);
    SSL_set_connect_state(ssl);

    while ((ret = SSL_do_handshake(ssl)) != 1) {
        if (!wait_for(ssl, fd, ret)) return 1;
        waits++;
    }
    printf("handshake done after %s\n", waits > 0 ? "waiting" : "no wait");
    print_negotiated(ssl);
    while ((ret = SSL_write(ssl, req, (int)strlen(req))) <= 0)
        if (!wait_for(ssl, fd, ret)) return 1;
    for (;;) {
        ret = SSL_read(ssl, buf, sizeof(buf));
        if (ret > 0) {
            fwrite(buf, 1, (size_t)ret, stdout);
            total += (size_t)ret;
            continue;
        }
        if (SSL_get_error(ssl, ret) == SSL_ERROR_ZERO_RETURN) {
            printf("\nclosed by peer after %zu bytes\n", total);
            break;
        }
        if (!wait_for(ssl, fd, ret)) break;
    }
    SSL_free(ssl);
    SSL_CTX_free(ctx);
    close(fd);
    return 0;
}
