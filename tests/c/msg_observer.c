/* Watches a TLS connection through OpenSSL's observer callbacks and prints what they
 * report, one line each, so that the same run on the system libssl and on ferrossl can be
 * compared: the message callback (direction, content type, message type, length) and the
 * info callback (where, ret, state strings, alert strings).
 *
 * usage: msg_observer client PORT [options]   connects to 127.0.0.1:PORT
 *        msg_observer server PORTFILE [options] accepts one connection, writes its port
 * options: -tls1_2 | -tls1_3, -groups LIST, -CAfile F, -cert F -key F, -verify (server:
 *          require a client certificate), -reconnect (client: a second connection
 *          resuming the first's session), -no_info, -bytes (print message bytes too),
 *          -diagram (print ferrossl's diagram if the library has one), -hello_cb (server:
 *          a client-hello callback that suspends once, then prints what it sees),
 *          -no_msg (no message callback: the info callback alone), -echo N (server: writes
 *          the line it read back N times)
 */
#include <dlfcn.h>
#include "common.h"

static int print_bytes;

static const char *direction(int write_p) { return write_p ? "sent" : "received"; }

static void on_msg(int write_p, int version, int content_type, const void *buf, size_t len,
                   SSL *ssl, void *arg)
{
    const unsigned char *p = buf;
    int first = len > 0 ? p[0] : -1;
    (void)ssl;
    if (arg != (void *)0x5eed)
        printf("msg: wrong callback argument\n");
    /* The type of an alert is its second byte. */
    if (content_type == SSL3_RT_ALERT && len == 2)
        first = p[1];
    printf("msg %s version=%04x type=%d len=%zu first=%d", direction(write_p), version,
           content_type, len, first);
    if (print_bytes && content_type == SSL3_RT_HANDSHAKE) {
        printf(" bytes=");
        for (size_t i = 0; i < len && i < 8; i++)
            printf("%02x", p[i]);
    }
    printf("\n");
}

static void on_info(const SSL *ssl, int where, int ret)
{
    if (where & SSL_CB_ALERT) {
        printf("info alert %s %s:%s (%s)\n", (where & SSL_CB_READ) ? "read" : "write",
               SSL_alert_type_string_long(ret), SSL_alert_desc_string_long(ret),
               SSL_alert_desc_string(ret));
        return;
    }
    printf("info where=0x%04x ret=%d state=%s (%s) get_state=%d\n", where, ret,
           SSL_state_string_long(ssl), SSL_state_string(ssl), (int)SSL_get_state(ssl));
}

static void print_diagram(SSL *ssl)
{
    typedef char *(*diagram_fn)(const SSL *, int);
    diagram_fn f = (diagram_fn)dlsym(RTLD_DEFAULT, "ferrossl_handshake_diagram");
    if (f == NULL)
        return;
    char *text = f(ssl, 0);
    if (text != NULL) {
        printf("%s", text);
        free(text);
    }
}

static int hello_calls;

/* Suspends the handshake once, then prints the ClientHello as the accessors show it. */
static int on_client_hello(SSL *ssl, int *al, void *arg)
{
    const unsigned char *p;
    size_t n;
    int *exts;
    (void)al;
    if (arg != (void *)0xbeef)
        printf("hello: wrong callback argument\n");
    if (hello_calls++ == 0)
        return SSL_CLIENT_HELLO_RETRY;
    printf("hello: v2 %d, version %04x, random %zu bytes, session id %zu bytes\n", SSL_client_hello_isv2(ssl),
           SSL_client_hello_get0_legacy_version(ssl), SSL_client_hello_get0_random(ssl, &p),
           SSL_client_hello_get0_session_id(ssl, &p));
    n = SSL_client_hello_get0_ciphers(ssl, &p);
    printf("hello: ciphers");
    for (size_t i = 0; i + 1 < n; i += 2)
        printf(" %02x%02x", p[i], p[i + 1]);
    n = SSL_client_hello_get0_compression_methods(ssl, &p);
    printf("; compression methods %zu (first %d)\n", n, n ? p[0] : -1);
    if (SSL_client_hello_get1_extensions_present(ssl, &exts, &n) == 1) {
        printf("hello: extensions");
        for (size_t i = 0; i < n; i++)
            printf(" %d", exts[i]);
        printf("\n");
        OPENSSL_free(exts);
    }
    if (SSL_client_hello_get0_ext(ssl, 0, &p, &n) == 1) {
        printf("hello: server_name ext %zu bytes:", n);
        for (size_t i = 0; i < n; i++)
            printf(" %02x", p[i]);
        printf("\n");
    }
    printf("hello: ext 65000 present %d\n", SSL_client_hello_get0_ext(ssl, 65000, &p, &n));
    return SSL_CLIENT_HELLO_SUCCESS;
}

static int handshake(SSL *ssl, int diagram)
{
    int r = SSL_do_handshake(ssl);
    while (r != 1 && SSL_get_error(ssl, r) == SSL_ERROR_WANT_CLIENT_HELLO_CB) {
        printf("handshake: suspended by the client-hello callback\n");
        r = SSL_do_handshake(ssl);
    }
    printf("handshake: %d, version %s, reused %d\n", r, SSL_get_version(ssl),
           (int)SSL_session_reused(ssl));
    if (r != 1)
        print_errors("handshake");
    if (diagram)
        print_diagram(ssl);
    return r;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: msg_observer client|server PORT|PORTFILE [options]\n");
        return 2;
    }
    int server = strcmp(argv[1], "server") == 0, reconnect = 0, info = 1, verify = 0;
    int msg = 1, echoes = 1;
    int diagram = 0, hello_cb = 0;
    const char *groups = NULL, *cafile = NULL, *cert = NULL, *key = NULL;
    long version = 0;
    for (int i = 3; i < argc; i++) {
        if (!strcmp(argv[i], "-tls1_2")) version = TLS1_2_VERSION;
        else if (!strcmp(argv[i], "-tls1_3")) version = TLS1_3_VERSION;
        else if (!strcmp(argv[i], "-groups") && i + 1 < argc) groups = argv[++i];
        else if (!strcmp(argv[i], "-CAfile") && i + 1 < argc) cafile = argv[++i];
        else if (!strcmp(argv[i], "-cert") && i + 1 < argc) cert = argv[++i];
        else if (!strcmp(argv[i], "-key") && i + 1 < argc) key = argv[++i];
        else if (!strcmp(argv[i], "-reconnect")) reconnect = 1;
        else if (!strcmp(argv[i], "-verify")) verify = 1;
        else if (!strcmp(argv[i], "-no_info")) info = 0;
        else if (!strcmp(argv[i], "-bytes")) print_bytes = 1;
        else if (!strcmp(argv[i], "-diagram")) diagram = 1;
        else if (!strcmp(argv[i], "-hello_cb")) hello_cb = 1;
        else if (!strcmp(argv[i], "-no_msg")) msg = 0;
        else if (!strcmp(argv[i], "-echo") && i + 1 < argc) echoes = atoi(argv[++i]);
        else { fprintf(stderr, "unknown option %s\n", argv[i]); return 2; }
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    SSL_CTX *ctx = SSL_CTX_new(server ? TLS_server_method() : TLS_client_method());
    if (version) {
        SSL_CTX_set_min_proto_version(ctx, version);
        SSL_CTX_set_max_proto_version(ctx, version);
    }
    if (groups && SSL_CTX_set1_groups_list(ctx, groups) != 1) { print_errors("groups"); return 1; }
    if (cafile && SSL_CTX_load_verify_locations(ctx, cafile, NULL) != 1) { print_errors("CAfile"); return 1; }
    if (cert && SSL_CTX_use_certificate_chain_file(ctx, cert) != 1) { print_errors("cert"); return 1; }
    if (key && SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM) != 1) { print_errors("key"); return 1; }
    if (!server && cafile)
        SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
    if (server && verify)
        SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, NULL);
    if (msg) {
        SSL_CTX_set_msg_callback(ctx, on_msg);
        SSL_CTX_set_msg_callback_arg(ctx, (void *)0x5eed);
    }
    if (info)
        SSL_CTX_set_info_callback(ctx, on_info);
    if (hello_cb)
        SSL_CTX_set_client_hello_cb(ctx, on_client_hello, (void *)0xbeef);
    if (SSL_CTX_get_info_callback(ctx) != (info ? on_info : NULL))
        printf("SSL_CTX_get_info_callback disagrees\n");

    if (server) {
        int port = 0, lfd = tcp_listen(&port);
        FILE *pf = fopen(argv[2], "w");
        if (lfd < 0 || pf == NULL) { perror("listen"); return 1; }
        fprintf(pf, "%d\n", port);
        fclose(pf);
        int fd = accept(lfd, NULL, NULL);
        SSL *ssl = SSL_new(ctx);
        SSL_set_fd(ssl, fd);
        SSL_set_accept_state(ssl);
        if (handshake(ssl, diagram) == 1) {
            char buf[256];
            int n = SSL_read(ssl, buf, sizeof(buf));
            printf("read: %d\n", n);
            for (int i = 0; n > 0 && i < echoes; i++)
                SSL_write(ssl, buf, n);
            printf("shutdown: %d\n", SSL_shutdown(ssl));
        }
        SSL_free(ssl);
        close(fd);
        close(lfd);
        SSL_CTX_free(ctx);
        return 0;
    }

    SSL_SESSION *session = NULL;
    for (int round = 0; round < (reconnect ? 2 : 1); round++) {
        printf("--- connection %d\n", round + 1);
        int fd = tcp_connect("127.0.0.1", argv[2]);
        if (fd < 0) { perror("connect"); return 1; }
        SSL *ssl = SSL_new(ctx);
        SSL_set_fd(ssl, fd);
        SSL_set_connect_state(ssl);
        SSL_set_tlsext_host_name(ssl, "localhost");
        if (session)
            SSL_set_session(ssl, session);
        if (handshake(ssl, diagram) == 1) {
            static const char req[] = "GET / HTTP/1.0\r\n\r\n";
            SSL_write(ssl, req, sizeof(req) - 1);
            char buf[4096];
            int n, total = 0;
            while ((n = SSL_read(ssl, buf, sizeof(buf))) > 0)
                total += n;
            printf("read: %s\n", total > 0 ? "data" : "nothing");
            printf("shutdown: %d\n", SSL_shutdown(ssl));
            if (session)
                SSL_SESSION_free(session);
            session = SSL_get1_session(ssl);
        }
        SSL_free(ssl);
        close(fd);
    }
    if (session)
        SSL_SESSION_free(session);
    SSL_CTX_free(ctx);
    return 0;
}
