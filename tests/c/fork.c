/*
 * fork(): contexts and connections made before a fork keep working in the parent and the
 * child, each process draws its own randomness, and a server context made before the fork
 * shares its ticket keys with the child, as a pre-forking server (nginx's workers) needs.
 *
 *   fork PKI_DIR
 *
 * Prints "ok" and exits 0, or says what went wrong and exits 1.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

static const char *tag = "parent";

static void die(const char *what)
{
    fprintf(stderr, "%s: %s\n", tag, what);
    ERR_print_errors_fp(stderr);
    exit(1);
}

static SSL_CTX *server_ctx(const char *pki)
{
    char cert[1024], key[1024];
    SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
    snprintf(cert, sizeof(cert), "%s/server-rsa.pem", pki);
    snprintf(key, sizeof(key), "%s/server-rsa-key.pem", pki);
    if (ctx == NULL || SSL_CTX_use_certificate_chain_file(ctx, cert) != 1 ||
        SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM) != 1)
        die("server context");
    return ctx;
}

struct pair {
    SSL *c, *s;
};

static struct pair pair_new(SSL_CTX *cctx, SSL_CTX *sctx, SSL_SESSION *resume)
{
    struct pair p;
    BIO *cb, *sb;
    if (!BIO_new_bio_pair(&cb, 0, &sb, 0))
        die("BIO pair");
    p.c = SSL_new(cctx);
    p.s = SSL_new(sctx);
    SSL_set_bio(p.c, cb, cb);
    SSL_set_bio(p.s, sb, sb);
    SSL_set_connect_state(p.c);
    SSL_set_accept_state(p.s);
    if (resume != NULL && SSL_set_session(p.c, resume) != 1)
        die("SSL_set_session");
    int cdone = 0, sdone = 0;
    for (int i = 0; i < 100 && !(cdone && sdone); i++) {
        if (!cdone && SSL_do_handshake(p.c) == 1)
            cdone = 1;
        if (!sdone && SSL_do_handshake(p.s) == 1)
            sdone = 1;
    }
    if (!(cdone && sdone))
        die("handshake over the BIO pair");
    return p;
}

/* Sends `msg` from the client to the server of the pair, then the client reads (tickets). */
static void pair_send(struct pair *p, const char *msg)
{
    char buf[64];
    int n = (int)strlen(msg);
    if (SSL_write(p->c, msg, n) != n)
        die("SSL_write");
    if (SSL_read(p->s, buf, sizeof(buf)) != n || memcmp(buf, msg, n) != 0)
        die("the server did not read what the client wrote");
    if (SSL_read(p->c, buf, sizeof(buf)) > 0 || SSL_get_error(p->c, -1) != SSL_ERROR_WANT_READ)
        die("the client read something unexpected");
}

static void pair_free(struct pair *p)
{
    SSL_free(p->c);
    SSL_free(p->s);
}

/* The client and server randoms of a new full handshake, in hex. */
static void fresh_randoms(SSL_CTX *cctx, SSL_CTX *sctx, char *hex, size_t len)
{
    unsigned char r[64];
    struct pair p = pair_new(cctx, sctx, NULL);
    if (SSL_get_client_random(p.c, r, 32) != 32 || SSL_get_server_random(p.s, r + 32, 32) != 32)
        die("randoms");
    for (int i = 0; i < 64 && 2 * i + 2 < (int)len; i++)
        sprintf(hex + 2 * i, "%02x", r[i]);
    pair_free(&p);
}

int main(int argc, char **argv)
{
    char ca[1024], mine[160], theirs[160] = {0};
    int sv[2], report[2], status;
    if (argc != 2) {
        fprintf(stderr, "usage: fork PKI_DIR\n");
        return 2;
    }
    snprintf(ca, sizeof(ca), "%s/ca.pem", argv[1]);
    SSL_CTX *sctx = server_ctx(argv[1]);
    SSL_CTX *cctx = SSL_CTX_new(TLS_client_method());
    if (cctx == NULL || SSL_CTX_load_verify_locations(cctx, ca, NULL) != 1)
        die("client context");
    SSL_CTX_set_verify(cctx, SSL_VERIFY_PEER, NULL);

    /* Made before the fork: a live connection, its session, and a server context that
     * has not served anyone yet. */
    struct pair a = pair_new(cctx, sctx, NULL);
    pair_send(&a, "before the fork");
    SSL_SESSION *sess = SSL_get1_session(a.c);
    SSL_CTX *workers = server_ctx(argv[1]);
    if (sess == NULL || socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0 || pipe(report) != 0)
        die("set-up");
    fflush(NULL);

    pid_t child = fork();
    if (child < 0)
        die("fork");
    if (child == 0)
        tag = "child";

    /* Both processes: the old connection, a resumption of its session, fresh randomness. */
    pair_send(&a, child == 0 ? "from the child" : "from the parent");
    struct pair b = pair_new(cctx, sctx, sess);
    if (!SSL_session_reused(b.c) || !SSL_session_reused(b.s))
        die("the session made before the fork was not resumed");
    pair_send(&b, "resumed");
    pair_free(&b);
    fresh_randoms(cctx, sctx, mine, sizeof(mine));

    if (child == 0) {
        /* The child serves one connection with the context made before the fork. */
        char buf[16];
        SSL *s = SSL_new(workers);
        SSL_set_fd(s, sv[1]);
        if (SSL_accept(s) != 1 || SSL_read(s, buf, sizeof(buf)) != 4 || SSL_write(s, "pong", 4) != 4)
            die("serving the parent");
        SSL_shutdown(s);
        SSL_free(s);
        if (write(report[1], mine, strlen(mine)) != (ssize_t)strlen(mine))
            die("report");
        _exit(0);
    }

    /* The parent is the child's client; the child's ticket must resume here, on the
     * parent's copy of the same context. */
    char buf[16];
    SSL *c = SSL_new(cctx);
    SSL_set_fd(c, sv[0]);
    if (SSL_connect(c) != 1 || SSL_write(c, "ping", 4) != 4 || SSL_read(c, buf, sizeof(buf)) != 4)
        die("talking to the child");
    SSL_SESSION *from_child = SSL_get1_session(c);
    SSL_shutdown(c);
    SSL_free(c);
    struct pair d = pair_new(cctx, workers, from_child);
    if (!SSL_session_reused(d.s))
        die("a ticket the child issued was not resumed by the parent (ticket keys not shared)");
    pair_free(&d);

    if (waitpid(child, &status, 0) != child || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        die("the child failed");
    if (read(report[0], theirs, sizeof(theirs) - 1) <= 0)
        die("no report from the child");
    if (strcmp(mine, theirs) == 0)
        die("the child drew the same random numbers as the parent");

    SSL_SESSION_free(from_child);
    SSL_SESSION_free(sess);
    pair_free(&a);
    SSL_CTX_free(workers);
    SSL_CTX_free(sctx);
    SSL_CTX_free(cctx);
    printf("ok\n");
    return 0;
}
