/*
 * A client and a server in one process, joined by memory BIOs and no socket: the
 * pattern of event loops and of Python's SSLObject. Bytes each side writes to its
 * write BIO are carried by hand to the other side's read BIO.
 *
 *   memory_bio CERT KEY CAFILE
 */
#include "common.h"

struct side {
    SSL *ssl;
    BIO *in, *out; /* in: what the peer sent us; out: what we send */
};

/* Moves everything one side wrote to the other side's input. */
static void carry(struct side *from, struct side *to)
{
    char buf[4096];
    int n;
    while ((n = BIO_read(from->out, buf, sizeof(buf))) > 0)
        BIO_write(to->in, buf, n);
}

static void make_side(struct side *s, SSL_CTX *ctx)
{
    s->ssl = SSL_new(ctx);
    s->in = BIO_new(BIO_s_mem());
    s->out = BIO_new(BIO_s_mem());
    SSL_set_bio(s->ssl, s->in, s->out);
}

int main(int argc, char **argv)
{
    SSL_CTX *sctx, *cctx;
    struct side client, server;
    int cdone = 0, sdone = 0, rounds = 0, n;
    char buf[256];

    if (argc < 4) {
        fprintf(stderr, "usage: %s CERT KEY CAFILE\n", argv[0]);
        return 2;
    }
    sctx = SSL_CTX_new(TLS_server_method());
    cctx = SSL_CTX_new(TLS_client_method());
    if (SSL_CTX_use_certificate_chain_file(sctx, argv[1]) != 1 ||
        SSL_CTX_use_PrivateKey_file(sctx, argv[2], SSL_FILETYPE_PEM) != 1 ||
        SSL_CTX_load_verify_locations(cctx, argv[3], NULL) != 1) {
        print_errors("set-up");
        return 1;
    }
    SSL_CTX_set_verify(cctx, SSL_VERIFY_PEER, NULL);
    make_side(&client, cctx);
    make_side(&server, sctx);
    SSL_set_connect_state(client.ssl);
    SSL_set_accept_state(server.ssl);
    SSL_set1_host(client.ssl, "localhost");

    while (!(cdone && sdone) && rounds++ < 50) {
        int r;
        if (!cdone) {
            r = SSL_do_handshake(client.ssl);
            if (r == 1) cdone = 1;
            else if (SSL_get_error(client.ssl, r) != SSL_ERROR_WANT_READ) { print_errors("client"); return 1; }
        }
        carry(&client, &server);
        if (!sdone) {
            r = SSL_do_handshake(server.ssl);
            if (r == 1) sdone = 1;
            else if (SSL_get_error(server.ssl, r) != SSL_ERROR_WANT_READ) { print_errors("server"); return 1; }
        }
        carry(&server, &client);
    }
    printf("handshake finished in %d rounds\n", rounds);
    print_negotiated(client.ssl);

    SSL_write(client.ssl, "ping over memory", 16);
    carry(&client, &server);
    n = SSL_read(server.ssl, buf, sizeof(buf));
    printf("server got: %.*s\n", n > 0 ? n : 0, buf);
    SSL_write(server.ssl, "pong", 4);
    carry(&server, &client);
    n = SSL_read(client.ssl, buf, sizeof(buf));
    printf("client got: %.*s\n", n > 0 ? n : 0, buf);

    printf("client shutdown: %d\n", SSL_shutdown(client.ssl));
    carry(&client, &server);
    n = SSL_read(server.ssl, buf, sizeof(buf));
    printf("server read after close: %d (error %d)\n", n, SSL_get_error(server.ssl, n));
    printf("server shutdown: %d\n", SSL_shutdown(server.ssl));
    carry(&server, &client);
    printf("client shutdown: %d\n", SSL_shutdown(client.ssl));

    SSL_free(client.ssl);
    SSL_free(server.ssl);
    SSL_CTX_free(sctx);
    SSL_CTX_free(cctx);
    return 0;
}
