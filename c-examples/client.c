/*
 * A blocking TLS client: connects, verifies the server, sends one HTTP/1.0 request and
 * prints what was negotiated and what came back.
 *
 *   client HOST PORT [-CAfile FILE] [-servername NAME] [-alpn LIST] [-tls1_2|-tls1_3]
 *          [-cert FILE -key FILE] [-noverify]
 */
#include <signal.h>

#include "common.h"

int main(int argc, char **argv)
{
    const char *cafile = NULL, *sni = NULL, *alpn = NULL, *cert = NULL, *key = NULL;
    int version = 0, verify = 1, fd, ret, n;
    char buf[4096];
    SSL_CTX *ctx;
    SSL *ssl;

    /* A peer that hangs up must show as an error, not kill the process. */
    signal(SIGPIPE, SIG_IGN);
    if (argc < 3) {
        fprintf(stderr, "usage: %s HOST PORT [options]\n", argv[0]);
        return 2;
    }
    for (int i = 3; i < argc; i++) {
        if (!strcmp(argv[i], "-CAfile") && i + 1 < argc) cafile = argv[++i];
        else if (!strcmp(argv[i], "-servername") && i + 1 < argc) sni = argv[++i];
        else if (!strcmp(argv[i], "-alpn") && i + 1 < argc) alpn = argv[++i];
        else if (!strcmp(argv[i], "-cert") && i + 1 < argc) cert = argv[++i];
        else if (!strcmp(argv[i], "-key") && i + 1 < argc) key = argv[++i];
        else if (!strcmp(argv[i], "-tls1_2")) version = TLS1_2_VERSION;
        else if (!strcmp(argv[i], "-tls1_3")) version = TLS1_3_VERSION;
        else if (!strcmp(argv[i], "-noverify")) verify = 0;
    }

    ctx = SSL_CTX_new(TLS_client_method());
    if (ctx == NULL) { print_errors("SSL_CTX_new"); return 1; }
    if (version != 0) {
        SSL_CTX_set_min_proto_version(ctx, version);
        SSL_CTX_set_max_proto_version(ctx, version);
    }
    if (cafile != NULL && !SSL_CTX_load_verify_locations(ctx, cafile, NULL)) {
        print_errors("load CA");
        return 1;
    }
    SSL_CTX_set_verify(ctx, verify ? SSL_VERIFY_PEER : SSL_VERIFY_NONE, NULL);
    if (cert != NULL && (SSL_CTX_use_certificate_chain_file(ctx, cert) != 1 ||
                         SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM) != 1)) {
        print_errors("client certificate");
        return 1;
    }
    if (alpn != NULL) {
        /* "h2,http/1.1" -> wire format */
        unsigned char wire[256];
        size_t len = 0;
        char *list = strdup(alpn), *tok, *save = NULL;
        for (tok = strtok_r(list, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
            wire[len++] = (unsigned char)strlen(tok);
            memcpy(wire + len, tok, strlen(tok));
            len += strlen(tok);
        }
        free(list);
        SSL_CTX_set_alpn_protos(ctx, wire, (unsigned int)len);
    }

    fd = tcp_connect(argv[1], argv[2]);
    if (fd < 0) { perror("connect"); return 1; }
    ssl = SSL_new(ctx);
    SSL_set_fd(ssl, fd);
    if (sni != NULL) {
        SSL_set_tlsext_host_name(ssl, sni);
        SSL_set1_host(ssl, sni);
    }
    ret = SSL_connect(ssl);
    if (ret != 1) {
        printf("SSL_connect: %d, SSL_get_error: %d\n", ret, SSL_get_error(ssl, ret));
        printf("verify result: %ld (%s)\n", SSL_get_verify_result(ssl),
               X509_verify_cert_error_string(SSL_get_verify_result(ssl)));
        print_errors("SSL_connect");
        return 1;
    }
    print_negotiated(ssl);

    snprintf(buf, sizeof(buf), "GET / HTTP/1.0\r\nHost: %s\r\n\r\n", argv[1]);
    if (SSL_write(ssl, buf, (int)strlen(buf)) <= 0) { print_errors("SSL_write"); return 1; }
    while ((n = SSL_read(ssl, buf, sizeof(buf) - 1)) > 0) {
        buf[n] = '\0';
        printf("%s", buf);
    }
    printf("\nread ended: SSL_get_error %d\n", SSL_get_error(ssl, n));
    ERR_clear_error();
    SSL_shutdown(ssl);
    SSL_free(ssl);
    SSL_CTX_free(ctx);
    close(fd);
    return 0;
}
