/*
 * ferrossl benchmark: client and server in one process over a BIO pair (no sockets),
 * written against the OpenSSL API and compiled against the system headers, so the same
 * binary measures whichever libssl.so.3 it is run with.
 *
 *   bench SCENARIO PKI_DIR SECONDS
 *
 * Prints one line: "SCENARIO UNIT VALUE [client-share]".
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

static const char *pki;
static char path_buf[4][1024];
static int path_i;

static const char *path(const char *name)
{
    path_i = (path_i + 1) % 4;
    snprintf(path_buf[path_i], sizeof(path_buf[path_i]), "%s/%s", pki, name);
    return path_buf[path_i];
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

struct config {
    int version;
    const char *suite; /* a TLS 1.2 cipher string or a TLS 1.3 suite */
    const char *cert, *key;
    int library_defaults; /* the library's own groups and certificate compression */
    int one_session;      /* resume every connection from the first one's session */
};

/* OpenSSL 3.2's options; 3.0 keeps the bits and has no certificate compression. */
#ifndef SSL_OP_NO_TX_CERTIFICATE_COMPRESSION
#define SSL_OP_NO_TX_CERTIFICATE_COMPRESSION ((uint64_t)1 << 32)
#define SSL_OP_NO_RX_CERTIFICATE_COMPRESSION ((uint64_t)1 << 33)
#endif

static SSL_CTX *make_ctx(const struct config *c, int server)
{
    SSL_CTX *ctx = SSL_CTX_new(server ? TLS_server_method() : TLS_client_method());
    SSL_CTX_set_min_proto_version(ctx, c->version);
    SSL_CTX_set_max_proto_version(ctx, c->version);
    if (c->version == TLS1_3_VERSION)
        SSL_CTX_set_ciphersuites(ctx, c->suite);
    else
        SSL_CTX_set_cipher_list(ctx, c->suite);
    /* Like for like: X25519 on both libraries, no certificate compression. P-256 is
     * listed after it because a TLS 1.2 client must name the curve of an ECDSA server
     * certificate. With library_defaults, what a program gets by default: X25519 on
     * OpenSSL 3.0, X25519MLKEM768 with compressed certificates on ferrossl. */
    if (!c->library_defaults) {
        SSL_CTX_set1_groups_list(ctx, "X25519:P-256");
        SSL_CTX_set_options(ctx, SSL_OP_NO_TX_CERTIFICATE_COMPRESSION | SSL_OP_NO_RX_CERTIFICATE_COMPRESSION);
    }
    if (server) {
        if (SSL_CTX_use_certificate_chain_file(ctx, path(c->cert)) != 1 ||
            SSL_CTX_use_PrivateKey_file(ctx, path(c->key), SSL_FILETYPE_PEM) != 1) {
            ERR_print_errors_fp(stderr);
            exit(1);
        }
    } else {
        SSL_CTX_load_verify_locations(ctx, path("ca.pem"), NULL);
        SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
        /* Client caching on makes a TLS 1.3 session single-use (OpenSSL's rule): off
         * when one session serves every connection. */
        SSL_CTX_set_session_cache_mode(ctx, c->one_session ? SSL_SESS_CACHE_OFF : SSL_SESS_CACHE_CLIENT);
    }
    return ctx;
}

struct pair {
    SSL *c, *s;
};

/* Joins a client and a server through a BIO pair of `size`-byte buffers (0: the default). */
static struct pair new_pair(SSL_CTX *cctx, SSL_CTX *sctx, size_t size)
{
    struct pair p;
    BIO *cb, *sb;
    BIO_new_bio_pair(&cb, size, &sb, size);
    p.c = SSL_new(cctx);
    p.s = SSL_new(sctx);
    SSL_set_bio(p.c, cb, cb);
    SSL_set_bio(p.s, sb, sb);
    SSL_set_connect_state(p.c);
    SSL_set_accept_state(p.s);
    return p;
}

/* Runs both handshakes to the end; adds the time each side spent to *tc and *ts. */
static void handshake(struct pair *p, double *tc, double *ts)
{
    int cdone = 0, sdone = 0;
    for (int i = 0; i < 100 && !(cdone && sdone); i++) {
        double t0 = now();
        if (!cdone && SSL_do_handshake(p->c) == 1)
            cdone = 1;
        double t1 = now();
        if (!sdone && SSL_do_handshake(p->s) == 1)
            sdone = 1;
        double t2 = now();
        *tc += t1 - t0;
        *ts += t2 - t1;
    }
    if (!(cdone && sdone)) {
        fprintf(stderr, "handshake failed\n");
        ERR_print_errors_fp(stderr);
        exit(1);
    }
}

static void close_pair(struct pair *p)
{
    char buf[16];
    SSL_shutdown(p->c);
    SSL_read(p->s, buf, sizeof(buf));
    SSL_shutdown(p->s);
    SSL_shutdown(p->c);
    SSL_free(p->c);
    SSL_free(p->s);
}

static void handshakes(const char *name, const struct config *c, int resume, double seconds)
{
    SSL_CTX *sctx = make_ctx(c, 1), *cctx = make_ctx(c, 0);
    SSL_SESSION *sess = NULL;
    double tc = 0, ts = 0, start, elapsed;
    long n = 0;
    if (resume) {
        struct pair p = new_pair(cctx, sctx, 0);
        char buf[16];
        double a = 0, b = 0;
        handshake(&p, &a, &b);
        SSL_write(p.s, "x", 1);
        SSL_read(p.c, buf, sizeof(buf));
        sess = SSL_get1_session(p.c);
        close_pair(&p);
    }
    start = now();
    do {
        struct pair p = new_pair(cctx, sctx, 0);
        if (sess)
            SSL_set_session(p.c, sess);
        handshake(&p, &tc, &ts);
        if (resume && !SSL_session_reused(p.c)) {
            fprintf(stderr, "%s: not resumed\n", name);
            exit(1);
        }
        if (resume && !c->one_session) {
            /* TLS 1.3 tickets are single-use in some libraries: keep the freshest session. */
            char buf[16];
            SSL_write(p.s, "x", 1);
            SSL_read(p.c, buf, sizeof(buf));
            SSL_SESSION *fresh = SSL_get1_session(p.c);
            if (fresh) {
                SSL_SESSION_free(sess);
                sess = fresh;
            }
        }
        close_pair(&p);
        n++;
        elapsed = now() - start;
    } while (elapsed < seconds);
    /* Each side on its own: the handshakes per second its own work alone would allow. */
    printf("%s handshakes/s %.1f\n", name, n / elapsed);
    printf("%s:client handshakes/s %.1f\n", name, n / tc);
    printf("%s:server handshakes/s %.1f\n", name, n / ts);
    SSL_SESSION_free(sess);
    SSL_CTX_free(sctx);
    SSL_CTX_free(cctx);
}

static void bulk(const char *name, const struct config *c, double seconds)
{
    SSL_CTX *sctx = make_ctx(c, 1), *cctx = make_ctx(c, 0);
    struct pair p;
    static char data[16384], sink[16384];
    double tc = 0, ts = 0, tw = 0, tr = 0, start, elapsed;
    long long bytes = 0;
    memset(data, 'x', sizeof(data));
    p = new_pair(cctx, sctx, 1 << 17);
    handshake(&p, &tc, &ts);
    start = now();
    do {
        for (int i = 0; i < 64; i++) {
            double t0 = now();
            int w = SSL_write(p.c, data, sizeof(data));
            double t1 = now();
            if (w <= 0) {
                fprintf(stderr, "write failed\n");
                exit(1);
            }
            int got = 0;
            while (got < w) {
                int r = SSL_read(p.s, sink, sizeof(sink));
                if (r <= 0) {
                    fprintf(stderr, "read failed\n");
                    exit(1);
                }
                got += r;
            }
            tw += t1 - t0;
            tr += now() - t1;
            bytes += w;
        }
        elapsed = now() - start;
    } while (elapsed < seconds);
    /* Both ends together, then each direction on its own: the client's SSL_write calls
     * (sending) and the server's SSL_read calls (receiving). */
    printf("%s MB/s %.1f\n", name, bytes / elapsed / 1e6);
    printf("%s:send MB/s %.1f\n", name, bytes / tw / 1e6);
    printf("%s:receive MB/s %.1f\n", name, bytes / tr / 1e6);
    close_pair(&p);
    SSL_CTX_free(sctx);
    SSL_CTX_free(cctx);
}

/* Resident memory of this process, in bytes. */
static long resident_bytes(void)
{
    long pages = 0, resident = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (f == NULL || fscanf(f, "%ld %ld", &pages, &resident) != 2) {
        fprintf(stderr, "cannot read /proc/self/statm\n");
        exit(1);
    }
    fclose(f);
    return resident * 4096;
}

/* Memory per connection pair (client and server, joined by a 4 KiB BIO pair) held after
 * its handshake and a short exchange: the slope of resident memory between 1,000 and
 * 5,000 pairs held at once. */
static void memory(const char *name, const struct config *c)
{
    enum { LOW = 1000, HIGH = 5000 };
    SSL_CTX *sctx = make_ctx(c, 1), *cctx = make_ctx(c, 0);
    static struct pair pairs[HIGH];
    long low = 0;
    double tc = 0, ts = 0;
    for (int i = 0; i < HIGH; i++) {
        char buf[16];
        pairs[i] = new_pair(cctx, sctx, 4096);
        handshake(&pairs[i], &tc, &ts);
        SSL_write(pairs[i].s, "x", 1);
        SSL_read(pairs[i].c, buf, sizeof(buf));
        if (i + 1 == LOW)
            low = resident_bytes();
    }
    long high = resident_bytes();
    printf("%s KiB/pair %.2f\n", name, (high - low) / (double)(HIGH - LOW) / 1024);
    for (int i = 0; i < HIGH; i++)
        close_pair(&pairs[i]);
    SSL_CTX_free(sctx);
    SSL_CTX_free(cctx);
}

struct handshake_worker {
    SSL_CTX *cctx, *sctx;
    double seconds;
    long count;
};

static void *handshake_thread(void *arg)
{
    struct handshake_worker *w = arg;
    double tc = 0, ts = 0, start = now();
    do {
        struct pair p = new_pair(w->cctx, w->sctx, 0);
        handshake(&p, &tc, &ts);
        close_pair(&p);
        w->count++;
    } while (now() - start < w->seconds);
    return NULL;
}

/* Full handshakes per second with `threads` threads sharing one client and one server
 * context. */
static void threaded_handshakes(const char *name, const struct config *c, int threads, double seconds)
{
    SSL_CTX *sctx = make_ctx(c, 1), *cctx = make_ctx(c, 0);
    struct handshake_worker w[8];
    pthread_t t[8];
    long total = 0;
    double start = now();
    for (int i = 0; i < threads; i++) {
        w[i] = (struct handshake_worker){cctx, sctx, seconds, 0};
        pthread_create(&t[i], NULL, handshake_thread, &w[i]);
    }
    for (int i = 0; i < threads; i++) {
        pthread_join(t[i], NULL);
        total += w[i].count;
    }
    printf("%s handshakes/s %.1f\n", name, total / (now() - start));
    SSL_CTX_free(sctx);
    SSL_CTX_free(cctx);
}

int main(int argc, char **argv)
{
    static const struct config tls13_ecdsa = {TLS1_3_VERSION, "TLS_AES_128_GCM_SHA256", "server-ecdsa.pem", "server-ecdsa-key.pem"};
    static const struct config tls13_defaults = {TLS1_3_VERSION, "TLS_AES_128_GCM_SHA256", "server-ecdsa.pem", "server-ecdsa-key.pem", 1};
    static const struct config tls13_rsa = {TLS1_3_VERSION, "TLS_AES_128_GCM_SHA256", "server-rsa.pem", "server-rsa-key.pem"};
    static const struct config tls12_ecdsa = {TLS1_2_VERSION, "ECDHE-ECDSA-AES128-GCM-SHA256", "server-ecdsa.pem", "server-ecdsa-key.pem"};
    static const struct config tls12_rsa = {TLS1_2_VERSION, "ECDHE-RSA-AES128-GCM-SHA256", "server-rsa.pem", "server-rsa-key.pem"};
    static const struct config bulk_aes128 = {TLS1_2_VERSION, "ECDHE-RSA-AES128-GCM-SHA256", "server-rsa.pem", "server-rsa-key.pem"};
    static const struct config bulk_chacha = {TLS1_2_VERSION, "ECDHE-RSA-CHACHA20-POLY1305", "server-rsa.pem", "server-rsa-key.pem"};
    static const struct config bulk_aes256 = {TLS1_3_VERSION, "TLS_AES_256_GCM_SHA384", "server-rsa.pem", "server-rsa-key.pem"};
    static const struct config bulk13_chacha = {TLS1_3_VERSION, "TLS_CHACHA20_POLY1305_SHA256", "server-rsa.pem", "server-rsa-key.pem"};
    static const struct config tls13_one_session = {TLS1_3_VERSION, "TLS_AES_128_GCM_SHA256", "server-ecdsa.pem", "server-ecdsa-key.pem", 0, 1};
    const char *s;
    double seconds;
    if (argc < 4) {
        fprintf(stderr, "usage: bench SCENARIO PKI_DIR SECONDS\n");
        return 2;
    }
    s = argv[1];
    pki = argv[2];
    seconds = atof(argv[3]);
    if (!strcmp(s, "handshake-tls13-ecdsa")) handshakes(s, &tls13_ecdsa, 0, seconds);
    else if (!strcmp(s, "handshake-tls13-rsa")) handshakes(s, &tls13_rsa, 0, seconds);
    else if (!strcmp(s, "handshake-tls13-defaults")) handshakes(s, &tls13_defaults, 0, seconds);
    else if (!strcmp(s, "handshake-tls12-ecdsa")) handshakes(s, &tls12_ecdsa, 0, seconds);
    else if (!strcmp(s, "handshake-tls12-rsa")) handshakes(s, &tls12_rsa, 0, seconds);
    else if (!strcmp(s, "resume-tls13")) handshakes(s, &tls13_ecdsa, 1, seconds);
    else if (!strcmp(s, "resume-tls12")) handshakes(s, &tls12_ecdsa, 1, seconds);
    else if (!strcmp(s, "resume-tls13-one-session")) handshakes(s, &tls13_one_session, 1, seconds);
    else if (!strcmp(s, "bulk-tls12-aes128gcm")) bulk(s, &bulk_aes128, seconds);
    else if (!strcmp(s, "bulk-tls12-chacha20")) bulk(s, &bulk_chacha, seconds);
    else if (!strcmp(s, "bulk-tls13-aes256gcm")) bulk(s, &bulk_aes256, seconds);
    else if (!strcmp(s, "bulk-tls13-chacha20")) bulk(s, &bulk13_chacha, seconds);
    else if (!strcmp(s, "memory-tls13-ecdsa")) memory(s, &tls13_ecdsa);
    else if (!strcmp(s, "threads1-tls13-ecdsa")) threaded_handshakes(s, &tls13_ecdsa, 1, seconds);
    else if (!strcmp(s, "threads2-tls13-ecdsa")) threaded_handshakes(s, &tls13_ecdsa, 2, seconds);
    else {
        fprintf(stderr, "unknown scenario %s\n", s);
        return 2;
    }
    return 0;
}
