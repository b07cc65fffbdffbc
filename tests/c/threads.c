/*
 * Thread stress: several threads share one client and one server SSL_CTX (their session
 * caches, ticket keys and statistics) and one saved session per protocol version, and run
 * full and resumed handshakes and transfers over BIO pairs at the same time.
 *
 *   threads PKI_DIR THREADS ROUNDS [race]
 *
 * With "race", the threads also bump one counter without a lock: a race planted in the
 * program itself, which a race detector must report (the check that it is watching).
 *
 * Exits 0 and prints "ok ..." when every connection carried its data intact and the
 * counters agree: what the connections saw, what the contexts' statistics say.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#define PAYLOAD 16384

static SSL_CTX *sctx, *cctx;
static int rounds;

/* The latest session per version (index 0: TLS 1.2, 1: TLS 1.3), shared by all threads. */
static pthread_mutex_t saved_lock = PTHREAD_MUTEX_INITIALIZER;
static SSL_SESSION *saved[2];

static pthread_mutex_t count_lock = PTHREAD_MUTEX_INITIALIZER;
static long handshakes, reused, new_sessions, failures;
static int plant_race;
static long unguarded;

static void fail(const char *what, int thread, int round)
{
    pthread_mutex_lock(&count_lock);
    failures++;
    fprintf(stderr, "thread %d round %d: %s\n", thread, round, what);
    ERR_print_errors_fp(stderr);
    pthread_mutex_unlock(&count_lock);
}

/* The client context's new-session callback: keeps the session for the next resumption. */
static int keep_session(SSL *ssl, SSL_SESSION *sess)
{
    int v = SSL_SESSION_get_protocol_version(sess) == TLS1_3_VERSION;
    pthread_mutex_lock(&saved_lock);
    if (saved[v] != NULL)
        SSL_SESSION_free(saved[v]);
    saved[v] = sess;
    new_sessions++;
    pthread_mutex_unlock(&saved_lock);
    (void)ssl;
    return 1; /* the session is ours now */
}

static SSL_SESSION *saved_session(int v)
{
    SSL_SESSION *s;
    pthread_mutex_lock(&saved_lock);
    s = saved[v];
    if (s != NULL)
        SSL_SESSION_up_ref(s);
    pthread_mutex_unlock(&saved_lock);
    return s;
}

static int handshake(SSL *c, SSL *s)
{
    int cdone = 0, sdone = 0;
    for (int i = 0; i < 100 && !(cdone && sdone); i++) {
        if (!cdone && SSL_do_handshake(c) == 1)
            cdone = 1;
        if (!sdone && SSL_do_handshake(s) == 1)
            sdone = 1;
    }
    return cdone && sdone;
}

/* Moves `n` bytes from `from` to `to` through the pair, both sides taking turns. */
static int transfer(SSL *from, SSL *to, const unsigned char *data, int n)
{
    unsigned char got[PAYLOAD];
    int sent = 0, received = 0;
    for (int i = 0; i < 1000 && received < n; i++) {
        if (sent < n) {
            int w = SSL_write(from, data + sent, n - sent);
            if (w > 0)
                sent += w;
            else if (SSL_get_error(from, w) != SSL_ERROR_WANT_WRITE)
                return 0;
        }
        int r = SSL_read(to, got + received, n - received);
        if (r > 0)
            received += r;
        else if (SSL_get_error(to, r) != SSL_ERROR_WANT_READ)
            return 0;
        /* The sender reads too, so TLS 1.3 tickets reach the client; nothing else comes. */
        unsigned char none[1];
        int x = SSL_read(from, none, sizeof(none));
        if (x > 0 || SSL_get_error(from, x) != SSL_ERROR_WANT_READ)
            return 0;
    }
    return received == n && memcmp(got, data, n) == 0;
}

static void *worker(void *arg)
{
    int t = (int)(long)arg;
    unsigned char data[PAYLOAD];
    long my_handshakes = 0, my_reused = 0;
    for (int r = 0; r < rounds; r++) {
        int v13 = (r + t) % 2;
        BIO *cb, *sb;
        SSL *c = SSL_new(cctx), *s = SSL_new(sctx);
        if (c == NULL || s == NULL || !BIO_new_bio_pair(&cb, 0, &sb, 0)) {
            fail("SSL_new", t, r);
            break;
        }
        SSL_set_bio(c, cb, cb);
        SSL_set_bio(s, sb, sb);
        SSL_set_connect_state(c);
        SSL_set_accept_state(s);
        SSL_set_max_proto_version(c, v13 ? TLS1_3_VERSION : TLS1_2_VERSION);
        SSL_set_tlsext_host_name(c, "localhost");
        if (!v13 && r % 4 == 1)
            SSL_set_options(s, SSL_OP_NO_TICKET); /* TLS 1.2 session-id resumption */
        if (r % 3 != 0) {
            SSL_SESSION *sess = saved_session(v13);
            if (sess != NULL) {
                SSL_set_session(c, sess);
                SSL_SESSION_free(sess);
            }
        }
        if (!handshake(c, s)) {
            fail("handshake", t, r);
        } else {
            if (SSL_session_reused(c) != SSL_session_reused(s))
                fail("client and server disagree on resumption", t, r);
            if (SSL_version(c) != (v13 ? TLS1_3_VERSION : TLS1_2_VERSION))
                fail("unexpected version", t, r);
            if (SSL_get_verify_result(c) != X509_V_OK)
                fail("verification", t, r);
            for (int i = 0; i < PAYLOAD; i++)
                data[i] = (unsigned char)(i * 7 + t * 13 + r);
            if (!transfer(c, s, data, PAYLOAD) || !transfer(s, c, data, PAYLOAD / 2))
                fail("transfer", t, r);
            my_handshakes++;
            if (plant_race)
                unguarded++;
            my_reused += SSL_session_reused(c);
            char buf[8];
            SSL_shutdown(c);
            SSL_read(s, buf, sizeof(buf));
            SSL_shutdown(s);
            SSL_shutdown(c);
        }
        SSL_free(c);
        SSL_free(s);
        ERR_clear_error();
    }
    pthread_mutex_lock(&count_lock);
    handshakes += my_handshakes;
    reused += my_reused;
    pthread_mutex_unlock(&count_lock);
    return NULL;
}

int main(int argc, char **argv)
{
    char cert[1024], key[1024], ca[1024];
    int threads;
    if (argc != 4 && !(argc == 5 && strcmp(argv[4], "race") == 0)) {
        fprintf(stderr, "usage: threads PKI_DIR THREADS ROUNDS [race]\n");
        return 2;
    }
    plant_race = argc == 5;
    threads = atoi(argv[2]);
    rounds = atoi(argv[3]);
    if (threads < 1 || threads > 64 || rounds < 1)
        return 2;
    snprintf(cert, sizeof(cert), "%s/server-rsa.pem", argv[1]);
    snprintf(key, sizeof(key), "%s/server-rsa-key.pem", argv[1]);
    snprintf(ca, sizeof(ca), "%s/ca.pem", argv[1]);

    sctx = SSL_CTX_new(TLS_server_method());
    cctx = SSL_CTX_new(TLS_client_method());
    if (SSL_CTX_use_certificate_chain_file(sctx, cert) != 1 ||
        SSL_CTX_use_PrivateKey_file(sctx, key, SSL_FILETYPE_PEM) != 1 ||
        SSL_CTX_load_verify_locations(cctx, ca, NULL) != 1) {
        ERR_print_errors_fp(stderr);
        return 1;
    }
    SSL_CTX_set_session_id_context(sctx, (const unsigned char *)"threads", 7);
    SSL_CTX_set_verify(cctx, SSL_VERIFY_PEER, NULL);
    SSL_CTX_set_session_cache_mode(cctx, SSL_SESS_CACHE_CLIENT | SSL_SESS_CACHE_NO_INTERNAL_STORE);
    SSL_CTX_sess_set_new_cb(cctx, keep_session);

    pthread_t tid[64];
    for (long t = 0; t < threads; t++)
        pthread_create(&tid[t], NULL, worker, (void *)t);
    for (int t = 0; t < threads; t++)
        pthread_join(tid[t], NULL);

    long total = (long)threads * rounds;
    long accept_good = SSL_CTX_sess_accept_good(sctx), hits = SSL_CTX_sess_hits(sctx);
    long connect_good = SSL_CTX_sess_connect_good(cctx);
    printf("threads=%d handshakes=%ld reused=%ld new_sessions=%ld accept_good=%ld "
           "connect_good=%ld hits=%ld failures=%ld\n",
           threads, handshakes, reused, new_sessions, accept_good, connect_good, hits, failures);
    int ok = failures == 0 && handshakes == total && accept_good == total &&
             connect_good == total && hits == reused && reused >= total / 4 &&
             new_sessions >= total - reused;
    if (plant_race)
        printf("unguarded=%ld\n", unguarded);
    for (int v = 0; v < 2; v++)
        SSL_SESSION_free(saved[v]);
    SSL_CTX_free(sctx);
    SSL_CTX_free(cctx);
    if (!ok) {
        printf("counters disagree\n");
        return 1;
    }
    printf("ok\n");
    return 0;
}
