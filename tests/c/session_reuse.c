/* One client session offered on many connections, as connection pools and handshake
 * benchmarks do: TLS 1.3 tickets and TLS 1.2 tickets and session ids, with client-side
 * session caching off and on. After each connection: whether it resumed, and what the
 * application's SSL_SESSION reports (resumable, ticket, lifetime hint). Client and server
 * in one process over a BIO pair, or the client alone against a real server; prints the
 * same on the system OpenSSL and on ferrossl.
 *
 *   session_reuse PKI_DIR                 (BIO pair)
 *   session_reuse PKI_DIR PORT            (against a server on 127.0.0.1:PORT: s_server -www) */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "probe_common.h"

static int server_port; /* 0: the BIO pair */

static int new_sessions;

static int count_new_session(SSL *s, SSL_SESSION *sess)
{
    (void)s;
    (void)sess;
    new_sessions++;
    return 0;
}

static time_t started;

/* The server accepts the client's name, so it acknowledges it (and the client's session
 * keeps it); a server without this callback, such as s_server's, does not. */
static int accept_name(SSL *s, int *alert, void *arg)
{
    (void)s;
    (void)alert;
    (void)arg;
    return SSL_TLSEXT_ERR_OK;
}

/* The server picks the first protocol it knows from the client's list (http/1.1). */
static int pick_protocol(SSL *s, const unsigned char **out, unsigned char *outlen, const unsigned char *in,
                         unsigned int inlen, void *arg)
{
    static const unsigned char ours[] = "\x08http/1.1";
    (void)s;
    (void)arg;
    if (SSL_select_next_proto((unsigned char **)out, outlen, ours, sizeof(ours) - 1, in, inlen) !=
        OPENSSL_NPN_NEGOTIATED)
        return SSL_TLSEXT_ERR_NOACK;
    return SSL_TLSEXT_ERR_OK;
}

static void describe(const char *what, SSL_SESSION *sess)
{
    const char *host = SSL_SESSION_get0_hostname(sess);
    long t = SSL_SESSION_get_time(sess);
    const unsigned char *alpn = NULL;
    size_t alpn_len = 0;
    SSL_SESSION_get0_alpn_selected(sess, &alpn, &alpn_len);
    printf("  %s: resumable %d, ticket %d, lifetime hint %lu\n", what, SSL_SESSION_is_resumable(sess),
           SSL_SESSION_has_ticket(sess), SSL_SESSION_get_ticket_lifetime_hint(sess));
    printf("  %s: timeout %ld, made during the run %d, max early data %u, ALPN %.*s, hostname %s\n", what,
           SSL_SESSION_get_timeout(sess), t >= started && t <= time(NULL) + 1, SSL_SESSION_get_max_early_data(sess),
           (int)alpn_len, alpn_len ? (const char *)alpn : "", host ? host : "(none)");
}

/* The same against a real server: a TCP connection, a request when data is wanted. */
static SSL_SESSION *connect_to_server(SSL_CTX *cctx, SSL_SESSION *sess, int read_data, int *reused)
{
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons(server_port)};
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct timeval tv = {10, 0};
    char buf[4096];
    SSL *s = SSL_new(cctx);
    SSL_SESSION *now = NULL;
    inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    *reused = -1;
    if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) != 0) {
        printf("connect failed\n");
        goto done;
    }
    SSL_set_fd(s, fd);
    SSL_set_tlsext_host_name(s, "localhost");
    if (sess != NULL)
        SSL_set_session(s, sess);
    if (SSL_connect(s) != 1) {
        printf("handshake failed\n");
        errors("connect");
        goto done;
    }
    if (read_data) {
        static const char request[] = "GET / HTTP/1.0\r\n\r\n";
        SSL_write(s, request, sizeof(request) - 1);
        for (int i = 0; i < 100 && SSL_read(s, buf, sizeof(buf)) > 0; i++)
            ;
    }
    *reused = SSL_session_reused(s);
    now = SSL_get1_session(s);
    SSL_shutdown(s);
done:
    SSL_free(s);
    close(fd);
    return now;
}

/* A connection offering `sess`: handshake only, or with data from the server after it
 * (which brings TLS 1.3 tickets). Returns the client's session afterwards (a reference). */
static SSL_SESSION *connect_with(SSL_CTX *cctx, SSL_CTX *sctx, SSL_SESSION *sess, int read_data, int *reused)
{
    if (server_port != 0)
        return connect_to_server(cctx, sess, read_data, reused);
    struct pair p = connect_pair(cctx, sctx);
    char buf[8];
    SSL_set_tlsext_host_name(p.client, "localhost");
    if (sess != NULL)
        SSL_set_session(p.client, sess);
    if (!handshake(&p)) {
        free_pair(&p);
        *reused = -1;
        return NULL;
    }
    if (read_data) {
        SSL_write(p.server, "x", 1);
        SSL_read(p.client, buf, sizeof(buf));
    }
    *reused = SSL_session_reused(p.client);
    SSL_SESSION *now = SSL_get1_session(p.client);
    bidirectional_shutdown(&p);
    free_pair(&p);
    return now;
}

static void reuse_case(int version, long client_cache, int tickets)
{
    SSL_CTX *sctx = server_ctx("server-ecdsa.pem", "server-ecdsa-key.pem");
    SSL_CTX *cctx = client_ctx("ca.pem", SSL_VERIFY_PEER);
    SSL_CTX_set_min_proto_version(cctx, version);
    SSL_CTX_set_max_proto_version(cctx, version);
    SSL_CTX_set_session_cache_mode(cctx, client_cache);
    SSL_CTX_sess_set_new_cb(cctx, count_new_session);
    SSL_CTX_set_alpn_protos(cctx, (const unsigned char *)"\x02h2\x08http/1.1", 12);
    SSL_CTX_set_alpn_select_cb(sctx, pick_protocol, NULL);
    SSL_CTX_set_tlsext_servername_callback(sctx, accept_name);
    if (!tickets)
        SSL_CTX_set_options(sctx, SSL_OP_NO_TICKET);
    printf("-- %s, client cache %s, %s\n", version == TLS1_3_VERSION ? "TLSv1.3" : "TLSv1.2",
           client_cache == SSL_SESS_CACHE_OFF ? "off" : "client", tickets ? "tickets" : "session ids");
    new_sessions = 0;
    int reused;
    SSL_SESSION *sess = connect_with(cctx, sctx, NULL, 1, &reused);
    if (sess == NULL) {
        printf("no session\n");
        goto done;
    }
    printf("first: reused %d, new-session callbacks %d\n", reused, new_sessions);
    describe("session", sess);
    int resumed = 0;
    for (int i = 0; i < 10; i++) {
        SSL_SESSION *after = connect_with(cctx, sctx, sess, 0, &reused);
        resumed += reused == 1;
        printf("handshake %d: reused %d, same session %d\n", i + 1, reused, after == sess);
        describe("offered session", sess);
        SSL_SESSION_free(after);
    }
    printf("resumed %d of 10\n", resumed);
    /* A resumed connection that reads: newer tickets arrive as new sessions. */
    new_sessions = 0;
    SSL_SESSION *newer = connect_with(cctx, sctx, sess, 1, &reused);
    printf("with data: reused %d, new-session callbacks %d, same session %d\n", reused, new_sessions,
           newer == sess);
    if (newer != NULL) {
        describe("its session", newer);
        SSL_SESSION_free(newer);
    }
    describe("offered session", sess);
    SSL_SESSION_free(sess);
done:
    SSL_CTX_free(sctx);
    SSL_CTX_free(cctx);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: session_reuse PKI_DIR [PORT]\n");
        return 2;
    }
    pki = argv[1];
    started = time(NULL);
    server_port = argc > 2 ? atoi(argv[2]) : 0;
    for (int v = 0; v < 2; v++) {
        int version = v == 0 ? TLS1_3_VERSION : TLS1_2_VERSION;
        reuse_case(version, SSL_SESS_CACHE_OFF, 1);
        reuse_case(version, SSL_SESS_CACHE_CLIENT, 1);
    }
    /* Session ids need the server's cache, which only the BIO pair's server is told to
     * use alone. */
    if (server_port == 0) {
        reuse_case(TLS1_2_VERSION, SSL_SESS_CACHE_OFF, 0);
        reuse_case(TLS1_2_VERSION, SSL_SESS_CACHE_CLIENT, 0);
    }
    return 0;
}
