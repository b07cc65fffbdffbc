/*
 * What the differential probes share: the PKI directory, error printing, contexts, and a
 * client and server joined by a BIO pair, stepped through their handshakes.
 */
#ifndef FERROSSL_PROBE_COMMON_H
#define FERROSSL_PROBE_COMMON_H

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

static const char *pki;

static const char *path(const char *name)
{
    static char buf[4][1024];
    static int i;
    i = (i + 1) % 4;
    snprintf(buf[i], sizeof(buf[i]), "%s/%s", pki, name);
    return buf[i];
}

/* Prints the SSL-level (last) reason on the queue, and the first error's library, then clears. */
static void errors(const char *what)
{
    unsigned long first = ERR_peek_error(), last = ERR_peek_last_error();
    if (first == 0) {
        printf("%s: no error\n", what);
    } else {
        const char *r = ERR_reason_error_string(last);
        printf("%s: lib %d ... reason %s\n", what, ERR_GET_LIB(first), r ? r : "(null)");
    }
    ERR_clear_error();
}

static SSL_CTX *server_ctx(const char *cert, const char *key)
{
    SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
    if (SSL_CTX_use_certificate_chain_file(ctx, path(cert)) != 1 ||
        SSL_CTX_use_PrivateKey_file(ctx, path(key), SSL_FILETYPE_PEM) != 1) {
        errors("server credentials");
    }
    return ctx;
}

static SSL_CTX *client_ctx(const char *ca, int mode)
{
    SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
    if (ca != NULL && SSL_CTX_load_verify_locations(ctx, path(ca), NULL) != 1)
        errors("load CA");
    SSL_CTX_set_verify(ctx, mode, NULL);
    return ctx;
}

struct pair {
    SSL *client, *server;
};

/* Joins a client and a server through a BIO pair (each side's rbio and wbio are one end)
 * whose buffers hold `size` bytes each (0: the default). */
static struct pair connect_pair_sized(SSL_CTX *cctx, SSL_CTX *sctx, size_t size)
{
    struct pair p;
    BIO *cb, *sb;
    BIO_new_bio_pair(&cb, size, &sb, size);
    p.client = SSL_new(cctx);
    p.server = SSL_new(sctx);
    SSL_set_bio(p.client, cb, cb);
    SSL_set_bio(p.server, sb, sb);
    SSL_set_connect_state(p.client);
    SSL_set_accept_state(p.server);
    return p;
}

static struct pair connect_pair(SSL_CTX *cctx, SSL_CTX *sctx)
{
    return connect_pair_sized(cctx, sctx, 0);
}

static inline void free_pair(struct pair *p)
{
    SSL_free(p->client);
    SSL_free(p->server);
}

/* Both sides send close_notify and the server reads the client's. */
static inline void bidirectional_shutdown(struct pair *p)
{
    char buf[16];
    SSL_shutdown(p->client);
    SSL_read(p->server, buf, sizeof(buf));
    SSL_shutdown(p->server);
    SSL_shutdown(p->client);
}

/* Steps both handshakes until both finish or one fails; prints what each side saw. */
static int handshake(struct pair *p)
{
    int cdone = 0, sdone = 0, cfail = 0, sfail = 0, seen_c = 0, seen_s = 0;
    for (int i = 0; i < 100 && !(cdone && sdone) && !cfail && !sfail; i++) {
        if (!cdone) {
            int r = SSL_do_handshake(p->client);
            int e = SSL_get_error(p->client, r);
            if (r == 1) cdone = 1;
            else if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) seen_c |= 1 << e;
            else { cfail = 1; printf("client handshake: ret %d error %d\n", r, e); errors("client"); }
        }
        if (!sdone && !cfail) {
            int r = SSL_do_handshake(p->server);
            int e = SSL_get_error(p->server, r);
            if (r == 1) sdone = 1;
            else if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) seen_s |= 1 << e;
            else { sfail = 1; printf("server handshake: ret %d error %d\n", r, e); errors("server"); }
        }
    }
    printf("client: done %d, waited for read %d; server: done %d, waited for read %d\n", cdone,
           !!(seen_c & (1 << SSL_ERROR_WANT_READ)), sdone, !!(seen_s & (1 << SSL_ERROR_WANT_READ)));
    printf("client verify result %ld, in_init %d/%d\n", SSL_get_verify_result(p->client),
           SSL_in_init(p->client), SSL_is_init_finished(p->client));
    return cdone && sdone;
}

#endif
