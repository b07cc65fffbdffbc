/*
 * A blocking TLS server on 127.0.0.1: serves CONNECTIONS clients, one at a time; each
 * gets a greeting naming what was negotiated, then an echo of its first line.
 *
 *   server PORT CERT KEY [-CAfile FILE -verify] [-alpn LIST] [-connections N]
 *
 * It prints "listening on PORT" once ready (PORT 0 picks a free port).
 */
#include <signal.h>
#include <sys/time.h>

#include "common.h"

static const unsigned char *alpn_list;
static unsigned int alpn_len;

static int select_alpn(SSL *ssl, const unsigned char **out, unsigned char *outlen, const unsigned char *in,
                       unsigned int inlen, void *arg)
{
    (void)ssl;
    (void)arg;
    if (SSL_select_next_proto((unsigned char **)out, outlen, alpn_list, alpn_len, in, inlen) !=
        OPENSSL_NPN_NEGOTIATED)
        return SSL_TLSEXT_ERR_NOACK;
    return SSL_TLSEXT_ERR_OK;
}

int main(int argc, char **argv)
{
    const char *cafile = NULL, *alpn = NULL;
    int port, verify = 0, connections = 1, lfd;
    unsigned char wire[256];
    SSL_CTX *ctx;

    /* A peer that hangs up must show as an error, not kill the process. */
    signal(SIGPIPE, SIG_IGN);
    if (argc < 4) {
        fprintf(stderr, "usage: %s PORT CERT KEY [options]\n", argv[0]);
        return 2;
    }
    port = atoi(argv[1]);
    for (int i = 4; i < argc; i++) {
        if (!strcmp(argv[i], "-CAfile") && i + 1 < argc) cafile = argv[++i];
        else if (!strcmp(argv[i], "-verify")) verify = 1;
        else if (!strcmp(argv[i], "-alpn") && i + 1 < argc) alpn = argv[++i];
        else if (!strcmp(argv[i], "-connections") && i + 1 < argc) connections = atoi(argv[++i]);
    }
    ctx = SSL_CTX_new(TLS_server_method());
    if (SSL_CTX_use_certificate_chain_file(ctx, argv[2]) != 1 ||
        SSL_CTX_use_PrivateKey_file(ctx, argv[3], SSL_FILETYPE_PEM) != 1 || SSL_CTX_check_private_key(ctx) != 1) {
        print_errors("credentials");
        return 1;
    }
    if (cafile != NULL && SSL_CTX_load_verify_locations(ctx, cafile, NULL) != 1) {
        print_errors("CA");
        return 1;
    }
    if (verify)
        SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, NULL);
    if (alpn != NULL) {
        char *list = strdup(alpn), *tok, *save = NULL;
        alpn_len = 0;
        for (tok = strtok_r(list, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
            wire[alpn_len++] = (unsigned char)strlen(tok);
            memcpy(wire + alpn_len, tok, strlen(tok));
            alpn_len += (unsigned int)strlen(tok);
        }
        free(list);
        alpn_list = wire;
        SSL_CTX_set_alpn_select_cb(ctx, select_alpn, NULL);
    }
    lfd = tcp_listen(&port);
    if (lfd < 0) { perror("listen"); return 1; }
    printf("listening on %d\n", port);
    fflush(stdout);

    for (int served = 0; served < connections; served++) {
        char line[1024], reply[2048];
        const unsigned char *proto;
        unsigned int proto_len;
        int fd = accept(lfd, NULL, NULL), ret, n;
        X509 *peer;
        SSL *ssl;
        if (fd < 0) { perror("accept"); return 1; }
        ssl = SSL_new(ctx);
        SSL_set_fd(ssl, fd);
        ret = SSL_accept(ssl);
        if (ret != 1) {
            printf("SSL_accept: %d, SSL_get_error: %d\n", ret, SSL_get_error(ssl, ret));
            print_errors("SSL_accept");
            fflush(stdout);
            SSL_free(ssl);
            close(fd);
            continue;
        }
        SSL_get0_alpn_selected(ssl, &proto, &proto_len);
        peer = SSL_get1_peer_certificate(ssl);
        snprintf(reply, sizeof(reply), "hello from ferrossl example: %s %s alpn=%.*s sni=%s client-cert=%s\n",
                 SSL_get_version(ssl), SSL_CIPHER_get_name(SSL_get_current_cipher(ssl)), (int)proto_len,
                 proto_len ? (const char *)proto : "none",
                 SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name) ? SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name) : "none",
                 peer != NULL ? "yes" : "no");
        X509_free(peer);
        printf("%s", reply);
        fflush(stdout);
        SSL_write(ssl, reply, (int)strlen(reply));
        n = SSL_read(ssl, line, sizeof(line) - 1);
        if (n > 0) {
            line[n] = '\0';
            snprintf(reply, sizeof(reply), "echo: %s", line);
            SSL_write(ssl, reply, (int)strlen(reply));
        } else {
            printf("SSL_read: %d, SSL_get_error: %d\n", n, SSL_get_error(ssl, n));
            fflush(stdout);
            print_errors("SSL_read");
        }
        /* A bidirectional close: wait (at most 2 s) for the client's close_notify, so that
         * nothing it sent is left unread, which would make close() reset the connection. */
        if (SSL_shutdown(ssl) == 0) {
            struct timeval tv = {.tv_sec = 2};
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
            SSL_shutdown(ssl);
        }
        ERR_clear_error();
        SSL_free(ssl);
        close(fd);
    }
    SSL_CTX_free(ctx);
    close(lfd);
    return 0;
}
