/*
 * Differential probe: one scenario per run, printing a transcript of return values,
 * SSL_get_error codes, verify results, names and error reasons. The test suite runs it
 * with the system libssl and with ferrossl and requires identical output.
 *
 *   probe SCENARIO PKI_DIR
 */
#include "probe_common.h"

static void negotiated(SSL *s, const char *who)
{
    const unsigned char *alpn;
    unsigned int alpn_len;
    const SSL_CIPHER *c = SSL_get_current_cipher(s);
    X509 *peer = SSL_get1_peer_certificate(s);
    STACK_OF(X509) *chain = SSL_get_peer_cert_chain(s);
    int bits = 0;
    SSL_get0_alpn_selected(s, &alpn, &alpn_len);
    printf("%s: %s %s (%s, %s, %d bits, alg %d, id %08lx) alpn '%.*s' peer cert %s chain %d server %d\n", who,
           SSL_get_version(s), SSL_CIPHER_get_name(c), SSL_CIPHER_standard_name(c),
           SSL_CIPHER_get_version(c), SSL_CIPHER_get_bits(c, &bits), bits, (unsigned long)SSL_CIPHER_get_id(c),
           (int)alpn_len, alpn_len ? (const char *)alpn : "", peer ? "yes" : "no",
           chain ? sk_X509_num(chain) : -1, SSL_is_server(s));
    if (peer != NULL) {
        char name[256];
        X509_NAME_oneline(X509_get_subject_name(peer), name, sizeof(name));
        printf("%s: peer subject %s\n", who, name);
    }
    X509_free(peer);
}

static int select_alpn(SSL *s, const unsigned char **out, unsigned char *outlen, const unsigned char *in,
                       unsigned int inlen, void *arg)
{
    static const unsigned char ours[] = "\x08http/1.1\x02h2";
    (void)s;
    (void)arg;
    if (SSL_select_next_proto((unsigned char **)out, outlen, ours, sizeof(ours) - 1, in, inlen) !=
        OPENSSL_NPN_NEGOTIATED)
        return SSL_TLSEXT_ERR_ALERT_FATAL;
    return SSL_TLSEXT_ERR_OK;
}

/* A full exchange: handshake, data both ways, pending/peek, bidirectional shutdown. */
static void exchange(int version, const char *cert, const char *key)
{
    SSL_CTX *sctx = server_ctx(cert, key), *cctx = client_ctx("ca.pem", SSL_VERIFY_PEER);
    struct pair p;
    char buf[64];
    int r;
    SSL_CTX_set_min_proto_version(cctx, version);
    SSL_CTX_set_max_proto_version(cctx, version);
    SSL_CTX_set_alpn_protos(cctx, (const unsigned char *)"\x02h2\x08http/1.1", 12);
    SSL_CTX_set_alpn_select_cb(sctx, select_alpn, NULL);
    p = connect_pair(cctx, sctx);
    SSL_set_tlsext_host_name(p.client, "localhost");
    SSL_set1_host(p.client, "localhost");
    printf("before: client version %s server %d in_before %d\n", SSL_get_version(p.client),
           SSL_is_server(p.client), SSL_in_before(p.client));
    if (!handshake(&p))
        return;
    negotiated(p.client, "client");
    negotiated(p.server, "server");
    printf("server saw SNI '%s', client asked '%s'\n", SSL_get_servername(p.server, TLSEXT_NAMETYPE_host_name),
           SSL_get_servername(p.client, TLSEXT_NAMETYPE_host_name));

    r = SSL_read(p.server, buf, sizeof(buf));
    printf("server read before data: %d error %d\n", r, SSL_get_error(p.server, r));
    r = SSL_write(p.client, "hello, server", 13);
    printf("client write: %d\n", r);
    r = SSL_peek(p.server, buf, 5);
    printf("server peek: %d '%.*s' pending %d has_pending %d\n", r, r > 0 ? r : 0, buf, SSL_pending(p.server),
           SSL_has_pending(p.server));
    r = SSL_read(p.server, buf, 5);
    printf("server read: %d '%.*s' pending %d\n", r, r > 0 ? r : 0, buf, SSL_pending(p.server));
    {
        size_t n = 0;
        r = SSL_read_ex(p.server, buf, sizeof(buf), &n);
        printf("server read_ex: %d %zu '%.*s'\n", r, n, (int)n, buf);
    }
    {
        size_t n = 0;
        r = SSL_write_ex(p.server, "hi, client", 10, &n);
        printf("server write_ex: %d %zu\n", r, n);
    }
    r = SSL_read(p.client, buf, sizeof(buf));
    printf("client read: %d '%.*s'\n", r, r > 0 ? r : 0, buf);

    r = SSL_shutdown(p.client);
    printf("client shutdown 1: %d shutdown flags %d\n", r, SSL_get_shutdown(p.client));
    r = SSL_read(p.server, buf, sizeof(buf));
    printf("server read after close_notify: %d error %d flags %d\n", r, SSL_get_error(p.server, r),
           SSL_get_shutdown(p.server));
    r = SSL_shutdown(p.server);
    printf("server shutdown: %d flags %d\n", r, SSL_get_shutdown(p.server));
    r = SSL_shutdown(p.client);
    printf("client shutdown 2: %d flags %d\n", r, SSL_get_shutdown(p.client));
    r = SSL_write(p.client, "late", 4);
    printf("client write after shutdown: %d error %d\n", r, SSL_get_error(p.client, r));
    errors("late write");
    free_pair(&p);
    SSL_CTX_free(sctx);
    SSL_CTX_free(cctx);
}

/* A handshake whose verification must fail (or pass with VERIFY_NONE). */
static void verify_case(const char *cert, const char *key, const char *ca, const char *host, int mode)
{
    SSL_CTX *sctx = server_ctx(cert, key), *cctx = client_ctx(ca, mode);
    struct pair p = connect_pair(cctx, sctx);
    if (host != NULL)
        SSL_set1_host(p.client, host);
    printf("-- %s with CA %s host %s mode %d\n", cert, ca, host ? host : "(none)", mode);
    handshake(&p);
    const char *matched = SSL_get0_peername(p.client);
    printf("matched name %s\n", matched ? matched : "(none)");
    free_pair(&p);
    SSL_CTX_free(sctx);
    SSL_CTX_free(cctx);
}

static void defaults(void)
{
    SSL_CTX *ctx = SSL_CTX_new(TLS_method());
    SSL_CTX *cctx = SSL_CTX_new(TLS_client_method());
    SSL *s = SSL_new(ctx), *c = SSL_new(cctx);
    printf("options %#llx mode %#lx min %ld max %ld verify %d depth %d\n",
           (unsigned long long)SSL_CTX_get_options(ctx), SSL_CTX_get_mode(ctx),
           SSL_CTX_get_min_proto_version(ctx), SSL_CTX_get_max_proto_version(ctx), SSL_CTX_get_verify_mode(ctx),
           SSL_CTX_get_verify_depth(ctx));
    printf("server %d/%d version %s/%d in_init %d finished %d want %d\n", SSL_is_server(s), SSL_is_server(c),
           SSL_get_version(s), SSL_version(s), SSL_in_init(s), SSL_is_init_finished(s), SSL_want(s));
    printf("get_error(-1) %d get_error(0) %d get_error(1) %d\n", SSL_get_error(s, -1), SSL_get_error(s, 0),
           SSL_get_error(s, 1));
    printf("read without state: %d\n", SSL_read(s, NULL, 0));
    errors("read without state");
    printf("handshake without state: %d\n", SSL_do_handshake(s));
    errors("handshake without state");
    printf("shutdown before handshake: %d\n", SSL_shutdown(c));
    errors("shutdown before handshake");
    printf("set_min(TLS1_2) %d", (int)SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION));
    printf(" set_max(0x305) %d", (int)SSL_CTX_set_max_proto_version(ctx, 0x305));
    printf(" set_max(TLS1_3) %d", (int)SSL_CTX_set_max_proto_version(ctx, TLS1_3_VERSION));
    printf(" get %ld/%ld\n", SSL_CTX_get_min_proto_version(ctx), SSL_CTX_get_max_proto_version(ctx));
    printf("set_mode %#lx", SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE));
    printf(" clear_mode %#lx\n", SSL_CTX_clear_mode(ctx, SSL_MODE_AUTO_RETRY));
    printf("options set %#llx", (unsigned long long)SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET));
    printf(" clear %#llx\n", (unsigned long long)SSL_CTX_clear_options(ctx, SSL_OP_NO_TICKET));
    printf("alpn good %d", SSL_CTX_set_alpn_protos(ctx, (const unsigned char *)"\x02h2", 3));
    printf(" bad %d", SSL_CTX_set_alpn_protos(ctx, (const unsigned char *)"\x05h2", 3));
    printf(" empty-len %d\n", SSL_CTX_set_alpn_protos(ctx, (const unsigned char *)"\x00", 1));
    ERR_clear_error();
    printf("sni set %ld", SSL_set_tlsext_host_name(c, "example.test"));
    printf(" get '%s'", SSL_get_servername(c, TLSEXT_NAMETYPE_host_name));
    printf(" clear %ld", SSL_set_tlsext_host_name(c, NULL));
    printf(" get %p\n", (void *)SSL_get_servername(c, TLSEXT_NAMETYPE_host_name));
    printf("ctx of ssl matches %d", SSL_get_SSL_CTX(s) == ctx);
    printf(" up_ref %d", SSL_CTX_up_ref(ctx));
    printf(" %d\n", SSL_up_ref(s));
    SSL_free(s);
    SSL_CTX_free(ctx);
    {
        int idx = SSL_get_ex_new_index(0, NULL, NULL, NULL, NULL);
        int cidx = SSL_CTX_get_ex_new_index(0, NULL, NULL, NULL, NULL);
        static int token;
        printf("ex_data set %d", SSL_set_ex_data(c, idx, &token));
        printf(" get %d", SSL_get_ex_data(c, idx) == &token);
        printf(" ctx set %d", SSL_CTX_set_ex_data(cctx, cidx, &token));
        printf(" get %d\n", SSL_CTX_get_ex_data(cctx, cidx) == &token);
    }
    {
        unsigned char *out;
        unsigned char outlen;
        const unsigned char srv[] = "\x02h2\x08http/1.1", cli[] = "\x08http/1.1\x03foo";
        int r = SSL_select_next_proto(&out, &outlen, srv, sizeof(srv) - 1, cli, sizeof(cli) - 1);
        printf("select_next_proto %d '%.*s'\n", r, outlen, out);
        r = SSL_select_next_proto(&out, &outlen, srv, sizeof(srv) - 1, (const unsigned char *)"\x03foo", 4);
        printf("select_next_proto no overlap %d '%.*s'\n", r, outlen, out);
    }
    SSL_free(s);
    SSL_free(c);
    SSL_CTX_free(ctx);
    SSL_CTX_free(cctx);
}

static void bad_files(void)
{
    SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
    printf("missing cert: %d\n", SSL_CTX_use_certificate_file(ctx, path("nope.pem"), SSL_FILETYPE_PEM));
    errors("missing cert");
    printf("missing chain: %d\n", SSL_CTX_use_certificate_chain_file(ctx, path("nope.pem")));
    errors("missing chain");
    printf("malformed cert: %d\n", SSL_CTX_use_certificate_file(ctx, path("malformed.pem"), SSL_FILETYPE_PEM));
    errors("malformed cert");
    printf("key as cert: %d\n", SSL_CTX_use_certificate_file(ctx, path("ca-key.pem"), SSL_FILETYPE_PEM));
    errors("key as cert");
    printf("missing key: %d\n", SSL_CTX_use_PrivateKey_file(ctx, path("nope.pem"), SSL_FILETYPE_PEM));
    errors("missing key");
    printf("check without cert: %d\n", SSL_CTX_check_private_key(ctx));
    errors("check without cert");
    printf("cert: %d\n", SSL_CTX_use_certificate_file(ctx, path("server-rsa.pem"), SSL_FILETYPE_PEM));
    printf("check without key: %d\n", SSL_CTX_check_private_key(ctx));
    errors("check without key");
    printf("wrong key: %d\n", SSL_CTX_use_PrivateKey_file(ctx, path("client-key.pem"), SSL_FILETYPE_PEM));
    errors("wrong key");
    printf("right key: %d", SSL_CTX_use_PrivateKey_file(ctx, path("server-rsa-key.pem"), SSL_FILETYPE_PEM));
    printf(" check %d\n", SSL_CTX_check_private_key(ctx));
    printf("bad filetype: %d\n", SSL_CTX_use_certificate_file(ctx, path("server-rsa.pem"), 7));
    errors("bad filetype");
    printf("missing CA file: %d\n", SSL_CTX_load_verify_locations(ctx, path("nope.pem"), NULL));
    errors("missing CA file");
    printf("no CA at all: %d\n", SSL_CTX_load_verify_locations(ctx, NULL, NULL));
    errors("no CA at all");
    printf("CA dir: %d default paths: %d\n", SSL_CTX_load_verify_locations(ctx, NULL, path("ca-dir")),
           SSL_CTX_set_default_verify_paths(ctx));
    SSL_CTX_free(ctx);
}

/* The peer hangs up mid-handshake, or sends garbage. */
static void hangup(int ignore_eof)
{
    SSL_CTX *cctx = client_ctx(NULL, SSL_VERIFY_NONE);
    SSL *c = SSL_new(cctx);
    BIO *rb = BIO_new(BIO_s_mem()), *wb = BIO_new(BIO_s_mem());
    int r;
    if (ignore_eof)
        SSL_set_options(c, SSL_OP_IGNORE_UNEXPECTED_EOF);
    BIO_set_mem_eof_return(rb, 0);
    SSL_set_bio(c, rb, wb);
    /* A stale error from earlier work must not survive into the handshake's report. */
    ERR_raise(ERR_LIB_PEM, PEM_R_NO_START_LINE);
    r = SSL_connect(c);
    printf("eof mid-handshake (ignore %d): ret %d error %d wrote hello %d\n", ignore_eof, r, SSL_get_error(c, r),
           BIO_pending(wb) > 0);
    errors("eof");
    SSL_free(c);
    SSL_CTX_free(cctx);
}

static void garbage(void)
{
    SSL_CTX *cctx = client_ctx(NULL, SSL_VERIFY_NONE);
    SSL *c = SSL_new(cctx);
    BIO *rb = BIO_new(BIO_s_mem()), *wb = BIO_new(BIO_s_mem());
    const char *http = "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n";
    int r;
    SSL_set_bio(c, rb, wb);
    r = SSL_connect(c);
    printf("first step: ret %d error %d\n", r, SSL_get_error(c, r));
    BIO_write(rb, http, (int)strlen(http));
    r = SSL_connect(c);
    printf("after garbage: ret %d error %d\n", r, SSL_get_error(c, r));
    errors("garbage");
    SSL_free(c);
    SSL_CTX_free(cctx);
}

/* Non-blocking writes: a small BIO pair fills up and SSL_write must be retried. */
static void write_retry(void)
{
    SSL_CTX *sctx = server_ctx("server-rsa.pem", "server-rsa-key.pem"), *cctx = client_ctx("ca.pem", SSL_VERIFY_PEER);
    struct pair p;
    static char big[100000], sink[16384];
    size_t got = 0;
    int r, e, retries = 0, total = 0;
    memset(big, 'x', sizeof(big));
    p = connect_pair_sized(cctx, sctx, 4096);
    r = SSL_write(p.client, big, 10);
    e = SSL_get_error(p.client, r);
    printf("write before handshake: ret %d error %d\n", r, e);
    if (!handshake(&p))
        return;
    for (int i = 0; i < 10000; i++) {
        r = SSL_write(p.client, big, sizeof(big));
        if (r > 0) { total = r; break; }
        e = SSL_get_error(p.client, r);
        if (e != SSL_ERROR_WANT_WRITE) { printf("write failed: %d\n", e); errors("write"); break; }
        retries++;
        while ((r = SSL_read(p.server, sink, sizeof(sink))) > 0)
            got += (size_t)r;
    }
    for (int i = 0; i < 1000 && got < sizeof(big); i++) {
        r = SSL_read(p.server, sink, sizeof(sink));
        if (r > 0) got += (size_t)r;
        else break;
    }
    printf("write: total %d retried %d received %zu\n", total, retries > 0, got);
    SSL_set_mode(p.client, SSL_MODE_ENABLE_PARTIAL_WRITE);
    r = SSL_write(p.client, big, sizeof(big));
    printf("partial write: short %d\n", r > 0 && r < (int)sizeof(big));
    free_pair(&p);
    SSL_CTX_free(sctx);
    SSL_CTX_free(cctx);
}

/* A verify callback that looks at everything OpenSSL hands it, then accepts or rejects. */
static int callback_verdict;

static int verify_cb(int preverify_ok, X509_STORE_CTX *x)
{
    SSL *ssl = X509_STORE_CTX_get_ex_data(x, SSL_get_ex_data_X509_STORE_CTX_idx());
    X509 *cert = X509_STORE_CTX_get_current_cert(x);
    char name[256] = "";
    if (cert != NULL)
        X509_NAME_oneline(X509_get_subject_name(cert), name, sizeof(name));
    printf("  callback: ok %d depth %d error %d cert %s ssl %s ctx %s\n", preverify_ok,
           X509_STORE_CTX_get_error_depth(x), X509_STORE_CTX_get_error(x), name, ssl ? "yes" : "no",
           ssl && SSL_get_SSL_CTX(ssl) ? "yes" : "no");
    return callback_verdict < 0 ? preverify_ok : callback_verdict;
}

static void verify_callback_case(const char *ca, int verdict)
{
    SSL_CTX *sctx = server_ctx("server-rsa-chain.pem", "server-rsa-key.pem"), *cctx = client_ctx(ca, SSL_VERIFY_NONE);
    struct pair p;
    callback_verdict = verdict;
    SSL_CTX_set_verify(cctx, SSL_VERIFY_PEER, verify_cb);
    p = connect_pair(cctx, sctx);
    printf("-- callback answering %d, CA %s\n", verdict, ca);
    handshake(&p);
    free_pair(&p);
    SSL_CTX_free(sctx);
    SSL_CTX_free(cctx);
}

static void verify_callbacks(void)
{
    verify_callback_case("ca.pem", -1);
    verify_callback_case("other-ca.pem", 1);
    verify_callback_case("ca.pem", 0);
}

/* A trust anchor the application adds to the context's own X509_STORE. */
static void store_added_anchor(void)
{
    SSL_CTX *sctx = server_ctx("server-rsa.pem", "server-rsa-key.pem"), *cctx = client_ctx(NULL, SSL_VERIFY_PEER);
    FILE *f = fopen(path("ca.pem"), "r");
    X509 *ca = PEM_read_X509(f, NULL, NULL, NULL);
    struct pair p;
    fclose(f);
    printf("add to store: %d\n", X509_STORE_add_cert(SSL_CTX_get_cert_store(cctx), ca));
    X509_free(ca);
    p = connect_pair(cctx, sctx);
    handshake(&p);
    free_pair(&p);
    SSL_CTX_free(sctx);
    SSL_CTX_free(cctx);
}

/* A custom BIO (like libcurl's) whose reads fail without asking for a retry. */
static int failing_read(BIO *b, char *buf, int len)
{
    (void)buf;
    (void)len;
    BIO_clear_retry_flags(b);
    return -1;
}

static int sink_write(BIO *b, const char *buf, int len)
{
    (void)b;
    (void)buf;
    return len;
}

static long plain_ctrl(BIO *b, int cmd, long num, void *ptr)
{
    (void)b;
    (void)num;
    (void)ptr;
    return cmd == BIO_CTRL_FLUSH ? 1 : 0;
}

static void custom_bio(void)
{
    BIO_METHOD *m = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "failing");
    SSL_CTX *cctx = client_ctx(NULL, SSL_VERIFY_NONE);
    SSL *c = SSL_new(cctx);
    BIO *b;
    int r;
    BIO_meth_set_read(m, failing_read);
    BIO_meth_set_write(m, sink_write);
    BIO_meth_set_ctrl(m, plain_ctrl);
    b = BIO_new(m);
    BIO_set_init(b, 1);
    SSL_set_bio(c, b, b);
    r = SSL_connect(c);
    printf("custom BIO read failure: ret %d error %d\n", r, SSL_get_error(c, r));
    errors("custom BIO");
    SSL_free(c);
    SSL_CTX_free(cctx);
    BIO_meth_free(m);
}

/* Retrying a blocked SSL_write with a different buffer, without and with the moving-buffer mode. */
static void moving_buffer(int allow)
{
    SSL_CTX *sctx = server_ctx("server-rsa.pem", "server-rsa-key.pem"), *cctx = client_ctx("ca.pem", SSL_VERIFY_PEER);
    struct pair p;
    static char a[50000], b2[50000], sink[16384];
    int r;
    memset(a, 'a', sizeof(a));
    memset(b2, 'a', sizeof(b2));
    p = connect_pair_sized(cctx, sctx, 4096);
    if (allow)
        SSL_set_mode(p.client, SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
    if (!handshake(&p))
        return;
    r = SSL_write(p.client, a, sizeof(a));
    printf("moving buffer (allowed %d): first write %d error %d\n", allow, r, SSL_get_error(p.client, r));
    while (SSL_read(p.server, sink, sizeof(sink)) > 0)
        ;
    r = SSL_write(p.client, b2, sizeof(b2));
    printf("  retry with another buffer: %d error %d\n", r, r > 0 ? 0 : SSL_get_error(p.client, r));
    errors("  retry");
    r = SSL_write(p.client, a, 10);
    printf("  then a short write: %d\n", r);
    errors("  short write");
    free_pair(&p);
    SSL_CTX_free(sctx);
    SSL_CTX_free(cctx);
}

/* Whether a suite is one ferrossl offers (the transcript lists only those). */
static int offered_by_ferrossl(const char *name)
{
    static const char *ours[] = {"TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256", "TLS_AES_128_GCM_SHA256",
                                 "ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-RSA-AES256-GCM-SHA384",
                                 "ECDHE-ECDSA-CHACHA20-POLY1305", "ECDHE-RSA-CHACHA20-POLY1305",
                                 "ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256"};
    for (size_t i = 0; i < sizeof(ours) / sizeof(ours[0]); i++)
        if (!strcmp(name, ours[i]))
            return 1;
    return 0;
}

static void print_ciphers(const char *label, STACK_OF(SSL_CIPHER) *sk)
{
    printf("%s:", label);
    for (int i = 0; i < sk_SSL_CIPHER_num(sk); i++) {
        const char *n = SSL_CIPHER_get_name(sk_SSL_CIPHER_value(sk, i));
        if (offered_by_ferrossl(n))
            printf(" %s", n);
    }
    printf("\n");
}

static void cipher_strings(void)
{
    static const char *strings[] = {
        "ALL", "DEFAULT", "HIGH", "HIGH:!aNULL:!MD5", "ECDHE", "kEECDH", "EECDH+AESGCM", "aRSA", "aECDSA",
        "ECDSA", "AESGCM", "CHACHA20", "AES128", "AES256", "TLSv1.2", "CHACHA20:AESGCM",
        "ECDHE+AESGCM:ECDHE+CHACHA20", "AESGCM:-aECDSA:CHACHA20", "ECDHE:!AES128", "AES128:+aECDSA",
        "AES128:AES256:@STRENGTH", "CHACHA20:AES128:@STRENGTH", "ECDHE:-AES256:AES", "foo:ECDHE",
        "ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384", "aRSA+AESGCM+AES256",
        "ECDHE-RSA-AES128-GCM-SHA256+aRSA", "CHACHA20:DEFAULT", "DEFAULT:!aECDSA", "@SECLEVEL=1:ECDHE",
        "ECDHE::AES,CHACHA20 ;aRSA", "foo", "ECDHE+FOO", "ECDHE+", "ECDHE:@FOO", "ECDHE:@SECLEVEL=9", ""};
    SSL_CTX *ctx = SSL_CTX_new(TLS_method());
    char label[128];
    for (size_t i = 0; i < sizeof(strings) / sizeof(strings[0]); i++) {
        int r = SSL_CTX_set_cipher_list(ctx, strings[i]);
        snprintf(label, sizeof(label), "'%s' -> %d", strings[i], r);
        print_ciphers(label, SSL_CTX_get_ciphers(ctx));
        errors(label);
    }
    printf("security level %d\n", SSL_CTX_get_security_level(ctx));
    printf("ciphersuites: %d\n", SSL_CTX_set_ciphersuites(ctx, "TLS_CHACHA20_POLY1305_SHA256:FOO:TLS_AES_128_GCM_SHA256"));
    SSL_CTX_set_cipher_list(ctx, "AES128");
    print_ciphers("after ciphersuites", SSL_CTX_get_ciphers(ctx));
    printf("empty ciphersuites: %d\n", SSL_CTX_set_ciphersuites(ctx, ""));
    print_ciphers("no TLS 1.3", SSL_CTX_get_ciphers(ctx));
    {
        SSL *s = SSL_new(ctx);
        const unsigned char id[2] = {0xc0, 0x2f};
        print_ciphers("ssl inherits", SSL_get_ciphers(s));
        printf("ssl set: %d\n", SSL_set_cipher_list(s, "CHACHA20"));
        print_ciphers("ssl list", SSL_get_ciphers(s));
        print_ciphers("ctx unchanged", SSL_CTX_get_ciphers(ctx));
        printf("cipher_list(0) %s (1) %s (100) %p\n", SSL_get_cipher_list(s, 0), SSL_get_cipher_list(s, 1), (void *)SSL_get_cipher_list(s, 100));
        printf("find c02f: %s\n", SSL_CIPHER_get_name(SSL_CIPHER_find(s, id)));
        SSL_free(s);
    }
    SSL_CTX_free(ctx);
    ctx = SSL_CTX_new(TLS_method());
    {
        STACK_OF(SSL_CIPHER) *sk = SSL_CTX_get_ciphers(ctx);
        char buf[256];
        for (int i = 0; i < sk_SSL_CIPHER_num(sk); i++) {
            const SSL_CIPHER *c = sk_SSL_CIPHER_value(sk, i);
            if (!offered_by_ferrossl(SSL_CIPHER_get_name(c)))
                continue;
            printf("%s", SSL_CIPHER_description(c, buf, sizeof(buf)));
            printf("  kx %d auth %d cipher %d digest %d aead %d id %08lx proto %04x\n", SSL_CIPHER_get_kx_nid(c),
                   SSL_CIPHER_get_auth_nid(c), SSL_CIPHER_get_cipher_nid(c), SSL_CIPHER_get_digest_nid(c),
                   SSL_CIPHER_is_aead(c), (unsigned long)SSL_CIPHER_get_id(c), SSL_CIPHER_get_protocol_id(c));
        }
        printf("description into a small buffer: %p\n", (void *)SSL_CIPHER_description(sk_SSL_CIPHER_value(sk, 0), buf, 10));
    }
    SSL_CTX_free(ctx);
}

/* Handshakes restricted by cipher strings and suite lists. */
static void restricted(const char *cert, const char *key, int version, const char *client_list, const char *server_list)
{
    SSL_CTX *sctx = server_ctx(cert, key), *cctx = client_ctx("ca.pem", SSL_VERIFY_PEER);
    struct pair p;
    SSL_CTX_set_min_proto_version(cctx, version);
    SSL_CTX_set_max_proto_version(cctx, version);
    if (version == TLS1_3_VERSION) {
        SSL_CTX_set_ciphersuites(cctx, client_list);
        SSL_CTX_set_ciphersuites(sctx, server_list);
    } else {
        SSL_CTX_set_cipher_list(cctx, client_list);
        SSL_CTX_set_cipher_list(sctx, server_list);
    }
    ERR_clear_error();
    p = connect_pair(cctx, sctx);
    printf("-- %s, client '%s', server '%s'\n", cert, client_list, server_list);
    if (handshake(&p))
        printf("negotiated %s\n", SSL_CIPHER_get_name(SSL_get_current_cipher(p.client)));
    free_pair(&p);
    SSL_CTX_free(sctx);
    SSL_CTX_free(cctx);
}

static void restricted_handshakes(void)
{
    restricted("server-ecdsa.pem", "server-ecdsa-key.pem", TLS1_2_VERSION, "ECDHE-ECDSA-CHACHA20-POLY1305", "ALL");
    restricted("server-rsa.pem", "server-rsa-key.pem", TLS1_2_VERSION, "AES128:AES256", "AES256:AES128");
    restricted("server-rsa.pem", "server-rsa-key.pem", TLS1_2_VERSION, "CHACHA20:AES128", "ALL");
    restricted("server-ecdsa.pem", "server-ecdsa-key.pem", TLS1_2_VERSION, "aRSA", "ALL");
    restricted("server-rsa.pem", "server-rsa-key.pem", TLS1_2_VERSION, "AES128", "AES256");
    restricted("server-rsa.pem", "server-rsa-key.pem", TLS1_3_VERSION, "TLS_CHACHA20_POLY1305_SHA256", "TLS_AES_128_GCM_SHA256:TLS_CHACHA20_POLY1305_SHA256");
    restricted("server-rsa.pem", "server-rsa-key.pem", TLS1_3_VERSION, "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384");
}

/* Session tickets before application data, read with and without SSL_MODE_AUTO_RETRY. */
static void auto_retry_case(int version, int auto_retry)
{
    SSL_CTX *sctx = server_ctx("server-rsa.pem", "server-rsa-key.pem"), *cctx = client_ctx("ca.pem", SSL_VERIFY_PEER);
    struct pair p;
    char buf[64];
    SSL_CTX_set_min_proto_version(cctx, version);
    SSL_CTX_set_max_proto_version(cctx, version);
    if (!auto_retry)
        SSL_CTX_clear_mode(cctx, SSL_MODE_AUTO_RETRY);
    /* One ticket: how servers pack several into records differs, and is not the point. */
    SSL_CTX_set_num_tickets(sctx, 1);
    p = connect_pair(cctx, sctx);
    printf("-- %s, auto retry %d\n", version == TLS1_3_VERSION ? "TLSv1.3" : "TLSv1.2", auto_retry);
    if (!handshake(&p))
        return;
    SSL_write(p.server, "data", 4);
    for (int i = 0; i < 10; i++) {
        int r = SSL_read(p.client, buf, sizeof(buf));
        int e = SSL_get_error(p.client, r);
        printf("read %d: ret %d error %d\n", i, r, e);
        if (r > 0 || e != SSL_ERROR_WANT_READ)
            break;
    }
    free_pair(&p);
    SSL_CTX_free(sctx);
    SSL_CTX_free(cctx);
}

static void auto_retry(void)
{
    auto_retry_case(TLS1_3_VERSION, 1);
    auto_retry_case(TLS1_3_VERSION, 0);
    auto_retry_case(TLS1_2_VERSION, 0);
}

/* Client sessions: handed out after a handshake, resumed by SSL_set_session and by SSL_clear. */
static int new_sessions;

static int count_session(SSL *s, SSL_SESSION *sess)
{
    (void)s;
    (void)sess;
    new_sessions++;
    return 0; /* not kept: the library frees it */
}

static void session_case(int version, int clean, int server_cache)
{
    SSL_CTX *sctx = server_ctx("server-rsa.pem", "server-rsa-key.pem"), *cctx = client_ctx("ca.pem", SSL_VERIFY_PEER);
    struct pair p;
    SSL_SESSION *sess;
    char buf[16];
    SSL_CTX_set_min_proto_version(cctx, version);
    SSL_CTX_set_max_proto_version(cctx, version);
    SSL_CTX_set_session_cache_mode(cctx, SSL_SESS_CACHE_CLIENT);
    SSL_CTX_sess_set_new_cb(cctx, count_session);
    if (!server_cache) {
        /* No server-side cache and no tickets: nothing can be resumed. */
        SSL_CTX_set_session_cache_mode(sctx, SSL_SESS_CACHE_OFF);
        SSL_CTX_set_options(sctx, SSL_OP_NO_TICKET);
    }
    new_sessions = 0;
    p = connect_pair(cctx, sctx);
    printf("-- %s, %s close, server cache %d\n", version == TLS1_3_VERSION ? "TLSv1.3" : "TLSv1.2",
           clean ? "clean" : "no", server_cache);
    handshake(&p);
    SSL_write(p.server, "x", 1);
    /* The tickets arrive with the data: the new-session callback runs, the data still comes back. */
    printf("read with tickets: %d\n", SSL_read(p.client, buf, sizeof(buf)));
    sess = SSL_get1_session(p.client);
    printf("first: reused %d, session %s, new-session callbacks %d\n", SSL_session_reused(p.client),
           sess ? "yes" : "no", new_sessions);
    if (sess != NULL) {
        unsigned int len;
        SSL_SESSION_get_id(sess, &len);
        printf("session: version %x resumable %d id length %u ticket %d\n", SSL_SESSION_get_protocol_version(sess),
               SSL_SESSION_is_resumable(sess), len, SSL_SESSION_has_ticket(sess));
        /* rustls keeps TLS 1.3's ticket lifetime and resumption secret to itself. */
        if (version == TLS1_2_VERSION) {
            unsigned char key[64];
            size_t klen = SSL_SESSION_get_master_key(sess, key, sizeof(key));
            SSL_SESSION *server_sess = SSL_get_session(p.server);
            unsigned char skey[64];
            size_t sklen = server_sess ? SSL_SESSION_get_master_key(server_sess, skey, sizeof(skey)) : 0;
            printf("session: lifetime hint %lu, master key %zu bytes (asked for none: %zu), the server's %s\n",
                   SSL_SESSION_get_ticket_lifetime_hint(sess), klen, SSL_SESSION_get_master_key(sess, NULL, 0),
                   klen == sklen && !memcmp(key, skey, klen) ? "the same" : "different");
        }
    }
    /* OpenSSL stops resuming sessions of connections that were not shut down. */
    if (clean)
        bidirectional_shutdown(&p);
    free_pair(&p);
    p = connect_pair(cctx, sctx);
    printf("set_session %d\n", SSL_set_session(p.client, sess));
    handshake(&p);
    printf("second: client reused %d, server reused %d\n", SSL_session_reused(p.client), SSL_session_reused(p.server));
    {
        X509 *peer = SSL_get1_peer_certificate(p.client);
        printf("second: peer certificate %s, verify result %ld\n", peer ? "yes" : "no", SSL_get_verify_result(p.client));
        X509_free(peer);
    }
    free_pair(&p);
    SSL_SESSION_free(sess);
    SSL_CTX_free(sctx);
    SSL_CTX_free(cctx);
}

static void sessions(void)
{
    session_case(TLS1_2_VERSION, 1, 1);
    session_case(TLS1_3_VERSION, 1, 1);
    session_case(TLS1_3_VERSION, 0, 1);
    session_case(TLS1_2_VERSION, 1, 0);
}

/* Both contexts shared by every thread; each thread runs its own handshakes and exchanges. */
static SSL_CTX *shared_sctx, *shared_cctx;

static void *thread_body(void *arg)
{
    long ok = 0;
    (void)arg;
    for (int i = 0; i < 20; i++) {
        struct pair p = connect_pair(shared_cctx, shared_sctx);
        char buf[16];
        int done = 0;
        for (int step = 0; step < 50 && done != 3; step++) {
            if (!(done & 1) && SSL_do_handshake(p.client) == 1) done |= 1;
            if (!(done & 2) && SSL_do_handshake(p.server) == 1) done |= 2;
        }
        if (done == 3 && SSL_write(p.client, "ping", 4) == 4 && SSL_read(p.server, buf, sizeof(buf)) == 4)
            ok++;
        free_pair(&p);
    }
    return (void *)ok;
}

static void threads(void)
{
    pthread_t t[4];
    long total = 0;
    shared_sctx = server_ctx("server-ecdsa.pem", "server-ecdsa-key.pem");
    shared_cctx = client_ctx("ca.pem", SSL_VERIFY_PEER);
    for (int i = 0; i < 4; i++)
        pthread_create(&t[i], NULL, thread_body, NULL);
    for (int i = 0; i < 4; i++) {
        void *r;
        pthread_join(t[i], &r);
        total += (long)r;
    }
    printf("threads: %ld of 80 exchanges succeeded\n", total);
    SSL_CTX_free(shared_sctx);
    SSL_CTX_free(shared_cctx);
}

/* Prints one call's result, SSL_get_error's answer, and what the queue holds (then keeps it). */
static void queue_after(const char *what, SSL *s, int r)
{
    unsigned long e = ERR_peek_error();
    printf("%s: ret %d error %d queue %s\n", what, r, SSL_get_error(s, r),
           e == 0 ? "empty" : ERR_reason_error_string(ERR_peek_last_error()));
}

/* Error-queue hygiene: no call leaves an error behind that changes a later SSL_get_error,
 * and stale errors are treated exactly as OpenSSL treats them (a handshake step starts
 * from an empty queue; a read or write after the handshake does not clear it, so
 * SSL_get_error reports the stale error as SSL_ERROR_SSL). */
static void error_queue(void)
{
    SSL_CTX *sctx = server_ctx("server-rsa.pem", "server-rsa-key.pem");
    SSL_CTX *cctx = client_ctx("ca.pem", SSL_VERIFY_PEER);
    SSL_CTX *wrong = client_ctx("other-ca.pem", SSL_VERIFY_PEER);
    struct pair p = connect_pair(cctx, sctx);
    char buf[64];
    int r;

    /* Stale errors from a failed call the application did not clear. */
    r = SSL_CTX_use_certificate_file(sctx, "/nonexistent/cert.pem", SSL_FILETYPE_PEM);
    printf("missing file: ret %d, queue %s\n", r, ERR_peek_error() ? "has errors" : "empty");
    r = SSL_do_handshake(p.client);
    queue_after("first client step over stale errors", p.client, r);
    r = SSL_do_handshake(p.server);
    queue_after("first server step", p.server, r);
    handshake(&p);
    printf("after the handshake: queue %s\n", ERR_peek_error() ? "has errors" : "empty");

    r = SSL_read(p.client, buf, sizeof(buf));
    queue_after("read with nothing to read", p.client, r);
    r = SSL_get_error(p.client, r);
    printf("asked again: %d\n", r);
    r = SSL_write(p.client, "ping", 4);
    queue_after("write", p.client, r);
    r = SSL_read(p.server, buf, sizeof(buf));
    queue_after("server read", p.server, r);

    /* A stale error makes a would-block read report SSL_ERROR_SSL, as in OpenSSL. */
    ERR_raise(ERR_LIB_SSL, SSL_R_BAD_LENGTH);
    r = SSL_read(p.client, buf, sizeof(buf));
    queue_after("read over a stale error", p.client, r);
    ERR_clear_error();
    r = SSL_read(p.client, buf, sizeof(buf));
    queue_after("read after clearing", p.client, r);

    /* A stale errno does not turn a would-block into SSL_ERROR_SYSCALL. */
    errno = ECONNRESET;
    r = SSL_read(p.client, buf, sizeof(buf));
    queue_after("read over a stale errno", p.client, r);

    /* A failed connection's errors, left on the queue, do not leak into another one. */
    struct pair bad = connect_pair(wrong, sctx);
    for (int i = 0; i < 20; i++) {
        r = SSL_do_handshake(bad.client);
        if (r != -1 || SSL_get_error(bad.client, r) != SSL_ERROR_WANT_READ)
            break;
        SSL_do_handshake(bad.server);
    }
    printf("failed handshake: ret %d error %d\n", r, SSL_get_error(bad.client, r));
    printf("failed handshake left: %s\n",
           ERR_peek_error() ? ERR_reason_error_string(ERR_peek_last_error()) : "nothing");
    r = SSL_write(p.client, "pong", 4);
    queue_after("other connection's write after the failure", p.client, r);
    ERR_clear_error();
    r = SSL_read(p.server, buf, sizeof(buf));
    queue_after("other connection's read", p.server, r);
    struct pair again = connect_pair(cctx, sctx);
    ERR_raise(ERR_LIB_SSL, SSL_R_BAD_LENGTH);
    handshake(&again);
    printf("new handshake over a stale error: queue %s\n", ERR_peek_error() ? "has errors" : "empty");

    /* Shutdown in both directions leaves nothing behind. */
    r = SSL_shutdown(p.client);
    queue_after("client shutdown", p.client, r);
    r = SSL_read(p.server, buf, sizeof(buf));
    queue_after("server reads close_notify", p.server, r);
    r = SSL_shutdown(p.server);
    queue_after("server shutdown", p.server, r);
    r = SSL_shutdown(p.client);
    queue_after("client shutdown again", p.client, r);
    r = SSL_read(p.client, buf, sizeof(buf));
    queue_after("client read after close", p.client, r);
    errors("end");
    free_pair(&again);
    free_pair(&bad);
    free_pair(&p);
    SSL_CTX_free(wrong);
    SSL_CTX_free(cctx);
    SSL_CTX_free(sctx);
}

/* The application frees its context references while the connections still use them. */
static void ctx_freed_early(void)
{
    SSL_CTX *sctx = server_ctx("server-rsa.pem", "server-rsa-key.pem"), *cctx = client_ctx("ca.pem", SSL_VERIFY_PEER);
    struct pair p = connect_pair(cctx, sctx);
    char buf[16];
    int r;
    SSL_CTX_free(sctx);
    SSL_CTX_free(cctx);
    handshake(&p);
    SSL_write(p.client, "still here", 10);
    r = SSL_read(p.server, buf, sizeof(buf));
    printf("after freeing both contexts: read %d '%.*s'\n", r, r > 0 ? r : 0, buf);
    free_pair(&p);
}

/* Prints a name stack's size and names. */
static void print_names(const char *what, const STACK_OF(X509_NAME) *sk)
{
    char buf[256];
    if (sk == NULL) {
        printf("%s: NULL\n", what);
        return;
    }
    printf("%s: %d names", what, sk_X509_NAME_num(sk));
    for (int i = 0; i < sk_X509_NAME_num(sk); i++)
        printf(" %s", X509_NAME_oneline(sk_X509_NAME_value(sk, i), buf, sizeof(buf)));
    printf("\n");
}

/* What servers configure: client CA lists, session timeouts, SSL_CONF commands, early
 * data limits, and the answers for kTLS and early data that ferrossl does not do. */
static void server_config(void)
{
    SSL_CTX *ctx = server_ctx("server-rsa.pem", "server-rsa-key.pem");
    STACK_OF(X509_NAME) *names = SSL_load_client_CA_file(path("ca.pem"));
    print_names("load_client_CA_file(ca)", names);
    printf("add_file_cert_subjects(ca again): %d\n", SSL_add_file_cert_subjects_to_stack(names, path("ca.pem")));
    printf("add_file_cert_subjects(other-ca): %d\n", SSL_add_file_cert_subjects_to_stack(names, path("other-ca.pem")));
    print_names("after adding", names);
    STACK_OF(X509_NAME) *copy = SSL_dup_CA_list(names);
    print_names("dup", copy);
    sk_X509_NAME_pop_free(copy, X509_NAME_free);
    print_names("ctx list before", SSL_CTX_get_client_CA_list(ctx));
    SSL_CTX_set_client_CA_list(ctx, names);
    print_names("ctx list after", SSL_CTX_get_client_CA_list(ctx));
    SSL *ssl = SSL_new(ctx);
    print_names("ssl list (inherited)", SSL_get_client_CA_list(ssl));
    SSL_set_client_CA_list(ssl, SSL_load_client_CA_file(path("other-ca.pem")));
    print_names("ssl list (own)", SSL_get_client_CA_list(ssl));
    printf("load_client_CA_file(missing): %s\n", SSL_load_client_CA_file(path("missing.pem")) ? "stack" : "NULL");
    errors("load missing");

    printf("timeout: %ld\n", SSL_CTX_get_timeout(ctx));
    printf("set_timeout(300): %ld\n", SSL_CTX_set_timeout(ctx, 300));
    printf("timeout: %ld\n", SSL_CTX_get_timeout(ctx));
    printf("max_early_data: %u\n", SSL_CTX_get_max_early_data(ctx));
    printf("set_max_early_data: %d\n", SSL_CTX_set_max_early_data(ctx, 16384));
    printf("max_early_data: %u\n", SSL_CTX_get_max_early_data(ctx));
    printf("sendfile: %ld\n", (long)SSL_sendfile(ssl, 0, 0, 10, 0));
    errors("sendfile");
    SSL_free(ssl);

    SSL_CONF_CTX *cctx = SSL_CONF_CTX_new();
    printf("conf flags: %u\n", SSL_CONF_CTX_set_flags(cctx, SSL_CONF_FLAG_FILE | SSL_CONF_FLAG_SERVER));
    SSL_CONF_CTX_set_ssl_ctx(cctx, ctx);
    static const char *cmds[][2] = {
        {"CipherString", "ECDHE+AESGCM"}, {"Ciphersuites", "TLS_AES_128_GCM_SHA256"},
        {"MinProtocol", "TLSv1.2"}, {"MaxProtocol", "TLSv1.3"}, {"MinProtocol", "TLSv9"},
        {"Groups", "X25519:P-256"}, {"Options", "ServerPreference,-SessionTicket"},
        {"CipherString", "NOTHING-MATCHES"}, {"NoSuchCommand", "x"}, {"-cipher", "HIGH"},
        {"MinProtocol", NULL}, {"Certificate", "x.pem"},
    };
    for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
        printf("SSL_CONF_cmd(%s, %s): %d, type %d\n", cmds[i][0], cmds[i][1] ? cmds[i][1] : "NULL",
               SSL_CONF_cmd(cctx, cmds[i][0], cmds[i][1]), SSL_CONF_cmd_value_type(cctx, cmds[i][0]));
        errors("  queue");
    }
    printf("SSL_CONF_cmd(NULL): %d\n", SSL_CONF_cmd(cctx, NULL, "x"));
    errors("  queue");
    SSL_CONF_CTX_set_flags(cctx, SSL_CONF_FLAG_SHOW_ERRORS | SSL_CONF_FLAG_CERTIFICATE);
    printf("shown, bad value: %d\n", SSL_CONF_cmd(cctx, "MinProtocol", "TLSv9"));
    errors("  queue");
    printf("shown, unknown: %d\n", SSL_CONF_cmd(cctx, "NoSuchCommand", "x"));
    errors("  queue");
    printf("certificate: %d\n", SSL_CONF_cmd(cctx, "Certificate", path("server-ecdsa.pem")));
    printf("private key: %d\n", SSL_CONF_cmd(cctx, "PrivateKey", path("server-ecdsa-key.pem")));
    printf("conf finish: %d\n", SSL_CONF_CTX_finish(cctx));
    SSL_CONF_CTX_free(cctx);
    printf("options: server preference %d, no ticket %d\n",
           (SSL_CTX_get_options(ctx) & SSL_OP_CIPHER_SERVER_PREFERENCE) != 0,
           (SSL_CTX_get_options(ctx) & SSL_OP_NO_TICKET) != 0);
    printf("min/max proto: %lx/%lx\n", (long)SSL_CTX_get_min_proto_version(ctx), (long)SSL_CTX_get_max_proto_version(ctx));

    /* The configured context serves: ECDSA certificate, TLS 1.3 suite, X25519. */
    SSL_CTX *cctx2 = client_ctx("ca.pem", SSL_VERIFY_PEER);
    struct pair p = connect_pair(cctx2, ctx);
    handshake(&p);
    printf("negotiated: %s %s, server key %s\n", SSL_get_version(p.client),
           SSL_CIPHER_get_name(SSL_get_current_cipher(p.client)),
           OBJ_nid2sn(EVP_PKEY_get_base_id(X509_get0_pubkey(SSL_get0_peer_certificate(p.client)))));
    {
        /* The client's suites as the server received them; none on the client. */
        const unsigned char *raw = NULL, *none = NULL;
        size_t len = SSL_get0_raw_cipherlist(p.server, &raw);
        printf("raw cipher list: entry size %d, server has %s list, client %d\n",
               (int)SSL_get0_raw_cipherlist(p.server, NULL), len > 0 && len % 2 == 0 && raw ? "a" : "no",
               (int)SSL_get0_raw_cipherlist(p.client, &none));
    }
    SSL_SESSION *sess = SSL_get1_session(p.client);
    printf("session timeout (client ctx default): %ld, hostname %s\n", SSL_SESSION_get_timeout(sess),
           SSL_SESSION_get0_hostname(sess) ? SSL_SESSION_get0_hostname(sess) : "NULL");
    size_t n = 1;
    printf("write_early_data (client, after handshake): %d\n", SSL_write_early_data(p.client, "x", 1, &n));
    errors("  queue");
    printf("read_early_data on a client: %d\n", SSL_read_early_data(p.client, NULL, 0, &n));
    errors("  queue");
    printf("early data status: %d\n", SSL_get_early_data_status(p.server));
    {
        unsigned char k1[32], k2[32];
        static const unsigned char ctxt[] = "context";
        printf("export: %d", SSL_export_keying_material(p.client, k1, sizeof(k1), "EXPERIMENTAL probe", 18, ctxt, 7, 1));
        printf(" %d", SSL_export_keying_material(p.server, k2, sizeof(k2), "EXPERIMENTAL probe", 18, ctxt, 7, 1));
        printf(", both ends agree %d\n", !memcmp(k1, k2, sizeof(k1)));
        printf("key update: %d, type %d, bad type %d\n", SSL_key_update(p.client, SSL_KEY_UPDATE_REQUESTED),
               SSL_get_key_update_type(p.server), SSL_key_update(p.client, 7));
        errors("  queue");
        SSL_do_handshake(p.client);
        char kb[8];
        SSL_write(p.client, "after", 5);
        int kr = SSL_read(p.server, kb, sizeof(kb));
        printf("after key update: read %d '%.*s'\n", kr, kr > 0 ? kr : 0, kb);
        printf("is_dtls %d, matching session id (none) %d\n", SSL_is_dtls(p.server),
               SSL_has_matching_session_id(p.server, (const unsigned char *)"x", 1));
        SSL_SESSION *cs = SSL_get1_session(p.client);
        BIO *mem = BIO_new(BIO_s_mem());
        printf("PEM session: write %d", PEM_write_bio_SSL_SESSION(mem, cs));
        SSL_SESSION *back = PEM_read_bio_SSL_SESSION(mem, NULL, NULL, NULL);
        printf(", read back %s\n", back ? "yes" : "no");
        printf("session cipher %s, peer %s\n", SSL_CIPHER_get_name(SSL_SESSION_get0_cipher(cs)),
               SSL_SESSION_get0_peer(cs) ? "yes" : "no");
        SSL_SESSION_free(back);
        SSL_SESSION_free(cs);
        BIO_free(mem);
        const SSL_CIPHER *c = SSL_get_current_cipher(p.client);
        printf("handshake digest %s, OPENSSL_cipher_name %s / %s\n",
               EVP_MD_get0_name(SSL_CIPHER_get_handshake_digest(c)),
               OPENSSL_cipher_name("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"), OPENSSL_cipher_name("NOPE"));
        char shared[512];
        printf("shared ciphers: %s\n", SSL_get_shared_ciphers(p.server, shared, sizeof(shared)) ? shared : "NULL");
        printf("shared ciphers on a client: %s\n", SSL_get_shared_ciphers(p.client, shared, sizeof(shared)) ? "buf" : "NULL");
        STACK_OF(SSL_CIPHER) *sup = SSL_get1_supported_ciphers(p.client);
        printf("supported ciphers: %d\n", sk_SSL_CIPHER_num(sup));
        sk_SSL_CIPHER_free(sup);
        printf("renegotiate: %d\n", SSL_renegotiate(p.client));
        errors("  queue");
        printf("ct %d, srtp %s, dane %d\n", SSL_ct_is_enabled(p.client), SSL_get_selected_srtp_profile(p.client) ? "yes" : "NULL",
               SSL_get0_dane_authority(p.client, NULL, NULL));
    }
    {
        SSL_SESSION *ss = SSL_get1_session(p.client);
        int idx = SSL_SESSION_get_ex_new_index(0, NULL, NULL, NULL, NULL);
        void *data;
        size_t len;
        printf("session ex_data: set %d", SSL_SESSION_set_ex_data(ss, idx, (void *)"slot"));
        printf(", get %s\n", (char *)SSL_SESSION_get_ex_data(ss, idx));
        printf("ticket appdata: set %d", SSL_SESSION_set1_ticket_appdata(ss, "app", 3));
        printf(", get %d", SSL_SESSION_get0_ticket_appdata(ss, &data, &len));
        printf(" '%.*s'\n", (int)len, (char *)data);
        SSL_SESSION_free(ss);
        STACK_OF(X509_NAME) *dir_names = sk_X509_NAME_new_null();
        printf("add_dir_cert_subjects(ca-dir): %d\n", SSL_add_dir_cert_subjects_to_stack(dir_names, path("ca-dir")));
        print_names("  dir names", dir_names);
        sk_X509_NAME_pop_free(dir_names, X509_NAME_free);
    }
    {
        unsigned char cr[2][32], sr[2][32], zero[32] = {0};
        size_t n = 0;
        printf("random sizes: %zu %zu\n", SSL_get_client_random(p.client, NULL, 0), SSL_get_server_random(p.server, NULL, 0));
        SSL_get_client_random(p.client, cr[0], 32);
        SSL_get_client_random(p.server, cr[1], 32);
        SSL_get_server_random(p.client, sr[0], 32);
        SSL_get_server_random(p.server, sr[1], 32);
        printf("client randoms agree %d, server randoms agree %d, set %d\n", !memcmp(cr[0], cr[1], 32),
               !memcmp(sr[0], sr[1], 32), memcmp(cr[0], zero, 32) && memcmp(sr[0], zero, 32));
        printf("first 8 bytes of the client random: %zu\n", SSL_get_client_random(p.client, cr[0], 8));
        printf("async fds: %d, %zu; waiting %d; renegotiation pending %d\n", SSL_get_all_async_fds(p.server, NULL, &n),
               n, SSL_waiting_for_async(p.server), SSL_renegotiate_pending(p.server));
    }
    SSL_SESSION_free(sess);
    free_pair(&p);
    SSL_CTX_free(cctx2);
    SSL_CTX_free(ctx);
}

/* The application's external server session cache: serialised sessions by id. */
static struct {
    unsigned char id[32], der[4096];
    unsigned int id_len;
    int der_len;
} ext_cache[8];
static int ext_count, new_calls, get_calls, remove_calls;

static int ext_new(SSL *ssl, SSL_SESSION *sess)
{
    unsigned int len;
    const unsigned char *id = SSL_SESSION_get_id(sess, &len);
    (void)ssl;
    new_calls++;
    if (ext_count < 8 && len <= 32) {
        unsigned char *p = ext_cache[ext_count].der;
        memcpy(ext_cache[ext_count].id, id, len);
        ext_cache[ext_count].id_len = len;
        ext_cache[ext_count].der_len = i2d_SSL_SESSION(sess, NULL) < 4096 ? i2d_SSL_SESSION(sess, &p) : 0;
        ext_count++;
    }
    return 0;
}

static SSL_SESSION *ext_get(SSL *ssl, const unsigned char *id, int len, int *copy)
{
    (void)ssl;
    get_calls++;
    *copy = 0;
    for (int i = 0; i < ext_count; i++) {
        if ((int)ext_cache[i].id_len == len && memcmp(ext_cache[i].id, id, len) == 0) {
            const unsigned char *p = ext_cache[i].der;
            return d2i_SSL_SESSION(NULL, &p, ext_cache[i].der_len);
        }
    }
    return NULL;
}

static void ext_remove(SSL_CTX *ctx, SSL_SESSION *sess)
{
    (void)ctx;
    (void)sess;
    remove_calls++;
}

/* One client connection offering `offer` (may be NULL); returns the client's session. */
static SSL_SESSION *session_round(SSL_CTX *cctx, SSL_CTX *sctx, SSL_SESSION *offer, const char *what,
                                  SSL_SESSION **server_session)
{
    struct pair p = connect_pair(cctx, sctx);
    if (offer)
        SSL_set_session(p.client, offer);
    handshake(&p);
    SSL_shutdown(p.client);
    SSL_shutdown(p.server);
    printf("%s: reused %d/%d, new %d get %d remove %d, cached %ld hits %ld cb_hits %ld misses %ld\n", what,
           SSL_session_reused(p.client), SSL_session_reused(p.server), new_calls, get_calls, remove_calls,
           SSL_CTX_sess_number(sctx), SSL_CTX_sess_hits(sctx), SSL_CTX_sess_cb_hits(sctx),
           SSL_CTX_sess_misses(sctx));
    SSL_SESSION *s = SSL_get1_session(p.client);
    if (server_session)
        *server_session = SSL_get1_session(p.server);
    free_pair(&p);
    return s;
}

/* A server's session cache: internal, external through the get/new/remove callbacks,
 * removal, and the statistics, for TLS 1.2 session ids. */
static void server_sessions(void)
{
    SSL_CTX *sctx = server_ctx("server-rsa.pem", "server-rsa-key.pem");
    SSL_CTX *cctx = client_ctx("ca.pem", SSL_VERIFY_PEER);
    SSL_CTX_set_max_proto_version(cctx, TLS1_2_VERSION);
    SSL_CTX_set_options(sctx, SSL_OP_NO_TICKET);
    SSL_CTX_set_session_id_context(sctx, (const unsigned char *)"probe", 5);
    SSL_CTX_sess_set_new_cb(sctx, ext_new);
    SSL_CTX_sess_set_get_cb(sctx, ext_get);
    SSL_CTX_sess_set_remove_cb(sctx, ext_remove);
    printf("cache size %ld, mode %ld\n", SSL_CTX_sess_get_cache_size(sctx), SSL_CTX_get_session_cache_mode(sctx));
    SSL_SESSION *server_side = NULL;
    SSL_SESSION *s1 = session_round(cctx, sctx, NULL, "full", &server_side);
    unsigned int len;
    SSL_SESSION_get_id(server_side, &len);
    printf("server session: id length %u, version %x, resumable %d\n", len,
           SSL_SESSION_get_protocol_version(server_side), SSL_SESSION_is_resumable(server_side));
    SSL_SESSION *s2 = session_round(cctx, sctx, s1, "resumed from the cache", NULL);
    printf("remove: %d\n", SSL_CTX_remove_session(sctx, server_side));
    printf("remove again: %d\n", SSL_CTX_remove_session(sctx, server_side));
    SSL_SESSION *s3 = session_round(cctx, sctx, s1, "resumed through get_cb", NULL);
    SSL_CTX_set_session_cache_mode(sctx, SSL_SESS_CACHE_SERVER | SSL_SESS_CACHE_NO_INTERNAL);
    SSL_SESSION *s4 = session_round(cctx, sctx, s1, "no internal cache", NULL);
    SSL_CTX_set_session_cache_mode(sctx, SSL_SESS_CACHE_OFF);
    SSL_SESSION *s5 = session_round(cctx, sctx, s1, "cache off", NULL);
    printf("accepts %ld good %ld, connects %ld good %ld\n", SSL_CTX_sess_accept(sctx), SSL_CTX_sess_accept_good(sctx),
           SSL_CTX_sess_connect(cctx), SSL_CTX_sess_connect_good(cctx));
    SSL_SESSION_free(server_side);
    SSL_SESSION_free(s1);
    SSL_SESSION_free(s2);
    SSL_SESSION_free(s3);
    SSL_SESSION_free(s4);
    SSL_SESSION_free(s5);
    SSL_CTX_free(sctx);
    SSL_CTX_free(cctx);
}

static int cert_cb_calls, cert_cb_mode;

/* Suspends once, then sets the connection's certificate (mode 0), or fails (mode 1). */
static int cert_cb(SSL *ssl, void *arg)
{
    cert_cb_calls++;
    printf("cert_cb call %d, arg %s, servername %s\n", cert_cb_calls, (char *)arg,
           SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name) ? SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name) : "none");
    if (cert_cb_mode == 1)
        return 0;
    if (cert_cb_calls == 1)
        return -1;
    if (SSL_use_certificate_file(ssl, path("server-ecdsa.pem"), SSL_FILETYPE_PEM) != 1 ||
        SSL_use_PrivateKey_file(ssl, path("server-ecdsa-key.pem"), SSL_FILETYPE_PEM) != 1)
        errors("cert_cb credentials");
    return 1;
}

/* SSL_CTX_set_cert_cb on a server without a certificate of its own. */
static void cert_callback(void)
{
    for (cert_cb_mode = 0; cert_cb_mode < 2; cert_cb_mode++) {
        SSL_CTX *sctx = SSL_CTX_new(TLS_server_method()), *cctx = client_ctx("ca.pem", SSL_VERIFY_PEER);
        cert_cb_calls = 0;
        SSL_CTX_set_cert_cb(sctx, cert_cb, "the-arg");
        struct pair p = connect_pair(cctx, sctx);
        SSL_set_tlsext_host_name(p.client, "localhost");
        int cdone = 0, sdone = 0;
        for (int i = 0; i < 20 && !(cdone && sdone); i++) {
            int r = SSL_do_handshake(p.client);
            int e = SSL_get_error(p.client, r);
            if (r == 1) cdone = 1;
            else if (e != SSL_ERROR_WANT_READ) { printf("client: ret %d error %d\n", r, e); errors("client"); break; }
            r = SSL_do_handshake(p.server);
            e = SSL_get_error(p.server, r);
            if (r == 1) sdone = 1;
            else if (e == SSL_ERROR_WANT_X509_LOOKUP) printf("server: want x509 lookup\n");
            else if (e != SSL_ERROR_WANT_READ) { printf("server: ret %d error %d\n", r, e); errors("server"); }
        }
        printf("mode %d: client %d server %d, calls %d\n", cert_cb_mode, cdone, sdone, cert_cb_calls);
        if (cdone && sdone)
            printf("server key: %s\n", OBJ_nid2sn(EVP_PKEY_get_base_id(X509_get0_pubkey(SSL_get0_peer_certificate(p.client)))));
        free_pair(&p);
        SSL_CTX_free(sctx);
        SSL_CTX_free(cctx);
    }
}

#include <openssl/core_names.h>
#include <openssl/rand.h>

static int ticket_enc_calls, ticket_dec_calls, ticket_unknown;

/* Tickets under one fixed application key (AES-256-CBC + HMAC-SHA256), as servers that
 * share ticket keys configure them. */
static int ticket_key_cb(SSL *s, unsigned char key_name[16], unsigned char *iv, EVP_CIPHER_CTX *ctx,
                         EVP_MAC_CTX *hctx, int enc)
{
    static const unsigned char name[16] = "ferrossl-ticket";
    unsigned char aes[32], mac[32];
    OSSL_PARAM params[2];
    (void)s;
    memset(aes, 7, sizeof(aes));
    memset(mac, 9, sizeof(mac));
    params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, "SHA256", 0);
    params[1] = OSSL_PARAM_construct_end();
    if (enc) {
        ticket_enc_calls++;
        memcpy(key_name, name, 16);
        if (RAND_bytes(iv, 16) != 1) return -1;
        EVP_EncryptInit_ex(ctx, EVP_aes_256_cbc(), NULL, aes, iv);
        EVP_MAC_init(hctx, mac, sizeof(mac), params);
        return 1;
    }
    ticket_dec_calls++;
    if (ticket_unknown || memcmp(key_name, name, 16) != 0)
        return 0;
    EVP_DecryptInit_ex(ctx, EVP_aes_256_cbc(), NULL, aes, iv);
    EVP_MAC_init(hctx, mac, sizeof(mac), params);
    return 1;
}

/* Resumption through tickets made with the application's keys, by the same context and
 * by a second context holding the same keys; an unknown key means a full handshake. */
static void ticket_keys(void)
{
    for (int version = TLS1_2_VERSION; version <= TLS1_3_VERSION; version++) {
        SSL_CTX *a = server_ctx("server-rsa.pem", "server-rsa-key.pem");
        SSL_CTX *b = server_ctx("server-rsa.pem", "server-rsa-key.pem");
        SSL_CTX *cctx = client_ctx("ca.pem", SSL_VERIFY_PEER);
        SSL_CTX_set_max_proto_version(cctx, version);
        SSL_CTX_set_session_cache_mode(a, SSL_SESS_CACHE_OFF);
        SSL_CTX_set_session_cache_mode(b, SSL_SESS_CACHE_OFF);
        printf("-- %s: set cb %d %d\n", version == TLS1_3_VERSION ? "TLSv1.3" : "TLSv1.2",
               (int)SSL_CTX_set_tlsext_ticket_key_evp_cb(a, ticket_key_cb), (int)SSL_CTX_set_tlsext_ticket_key_evp_cb(b, ticket_key_cb));
        ticket_enc_calls = ticket_dec_calls = ticket_unknown = 0;
        SSL_SESSION *s1 = session_round(cctx, a, NULL, "full from a", NULL);
        printf("  enc %d dec %d\n", ticket_enc_calls > 0, ticket_dec_calls);
        SSL_SESSION *s2 = session_round(cctx, b, s1, "resumed by b", NULL);
        printf("  dec %d\n", ticket_dec_calls);
        ticket_unknown = 1;
        SSL_SESSION *s3 = session_round(cctx, a, s2, "unknown key at a", NULL);
        SSL_SESSION_free(s1);
        SSL_SESSION_free(s2);
        SSL_SESSION_free(s3);
        SSL_CTX_free(a);
        SSL_CTX_free(b);
        SSL_CTX_free(cctx);
    }
}

/* RSA and ECDSA certificates side by side on one server context: the client's
 * signature algorithms and suites choose between them. (A ferrossl client cannot narrow
 * its signature algorithms, so the RSA-only case is tested with nginx and s_client.) */
static void two_certificates(void)
{
    SSL_CTX *sctx = server_ctx("server-rsa.pem", "server-rsa-key.pem");
    if (SSL_CTX_use_certificate_file(sctx, path("server-ecdsa.pem"), SSL_FILETYPE_PEM) != 1 ||
        SSL_CTX_use_PrivateKey_file(sctx, path("server-ecdsa-key.pem"), SSL_FILETYPE_PEM) != 1)
        errors("second certificate");
    printf("current certificate key: %s, check %d\n",
           OBJ_nid2sn(EVP_PKEY_get_base_id(X509_get0_pubkey(SSL_CTX_get0_certificate(sctx)))),
           SSL_CTX_check_private_key(sctx));
    static const struct { const char *what, *sigalgs, *ciphers; int max; } cases[] = {
        {"default", NULL, NULL, 0},
        {"ecdsa sigalgs", "ecdsa_secp256r1_sha256", NULL, 0},
        {"tls1.2 rsa suite", NULL, "ECDHE-RSA-AES128-GCM-SHA256", TLS1_2_VERSION},
        {"tls1.2 ecdsa suite", NULL, "ECDHE-ECDSA-AES128-GCM-SHA256", TLS1_2_VERSION},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        SSL_CTX *cctx = client_ctx("ca.pem", SSL_VERIFY_PEER);
        if (cases[i].sigalgs) SSL_CTX_set1_sigalgs_list(cctx, cases[i].sigalgs);
        if (cases[i].ciphers) SSL_CTX_set_cipher_list(cctx, cases[i].ciphers);
        if (cases[i].max) SSL_CTX_set_max_proto_version(cctx, cases[i].max);
        struct pair p = connect_pair(cctx, sctx);
        if (handshake(&p))
            printf("%s: %s, server key %s\n", cases[i].what, SSL_CIPHER_get_name(SSL_get_current_cipher(p.client)),
                   OBJ_nid2sn(EVP_PKEY_get_base_id(X509_get0_pubkey(SSL_get0_peer_certificate(p.client)))));
        free_pair(&p);
        SSL_CTX_free(cctx);
    }
    SSL_CTX_free(sctx);
}

/* What else a handshake settled: the peer's ephemeral key share (SSL_get_peer_tmp_key), the
 * peer's signature scheme (SSL_get_peer_signature_nid, _type_nid) and the Finished messages
 * (SSL_get_finished, SSL_get_peer_finished). With `observe`, the message callback keeps every
 * handshake message each side received, and the values reported must appear in them. */
static unsigned char received[2][16384];
static size_t received_len[2];

static void keep_received(int write_p, int version, int content_type, const void *buf, size_t len, SSL *ssl,
                          void *arg)
{
    int side = SSL_is_server(ssl);
    (void)version;
    (void)arg;
    if (write_p || content_type != SSL3_RT_HANDSHAKE || received_len[side] + len > sizeof(received[side]))
        return;
    memcpy(received[side] + received_len[side], buf, len);
    received_len[side] += len;
}

static int in_received(int side, const unsigned char *b, size_t n)
{
    for (size_t i = 0; n > 0 && i + n <= received_len[side]; i++)
        if (!memcmp(received[side] + i, b, n))
            return 1;
    return 0;
}

static void print_details(SSL *s, int observe)
{
    const char *who = SSL_is_server(s) ? "server" : "client";
    EVP_PKEY *k = NULL;
    int nid = 0;
    if (SSL_get_peer_tmp_key(s, &k) == 1 && k != NULL) {
        char group[64] = "-";
        size_t glen = 0;
        unsigned char *pub = NULL;
        size_t publen;
        if (EVP_PKEY_get_id(k) == EVP_PKEY_EC)
            EVP_PKEY_get_group_name(k, group, sizeof(group), &glen);
        publen = EVP_PKEY_get1_encoded_public_key(k, &pub);
        printf("%s: peer temp key %s %s, %d bits, %zu bytes", who, OBJ_nid2sn(EVP_PKEY_get_id(k)), group,
               EVP_PKEY_get_bits(k), publen);
        if (observe)
            printf(", as received %d", in_received(SSL_is_server(s), pub, publen));
        printf("\n");
        OPENSSL_free(pub);
        EVP_PKEY_free(k);
    } else {
        printf("%s: no peer temp key\n", who);
    }
    if (SSL_get_peer_signature_nid(s, &nid) == 1)
        printf("%s: peer signing digest %s\n", who, OBJ_nid2sn(nid));
    else
        printf("%s: no peer signing digest\n", who);
    if (SSL_get_peer_signature_type_nid(s, &nid) == 1)
        printf("%s: peer signature type %s\n", who, OBJ_nid2sn(nid));
    else
        printf("%s: no peer signature type\n", who);
    if (!SSL_is_server(s)) {
        STACK_OF(X509_NAME) *cas = SSL_get_client_CA_list(s);
        const STACK_OF(X509_NAME) *peer = SSL_get0_peer_CA_list(s);
        printf("client: CA names asked for %d, peer CA list %d", cas ? sk_X509_NAME_num(cas) : -1,
               peer ? sk_X509_NAME_num(peer) : -1);
        if (cas != NULL && sk_X509_NAME_num(cas) > 0) {
            char name[256];
            X509_NAME_oneline(sk_X509_NAME_value(cas, 0), name, sizeof(name));
            printf(", first %s", name);
        }
        printf("\n");
    }
}

static void compare_finished(struct pair *p, int observe)
{
    unsigned char cf[64], sf[64], cpf[64], spf[64];
    size_t cn = SSL_get_finished(p->client, cf, sizeof(cf)), sn = SSL_get_finished(p->server, sf, sizeof(sf));
    size_t cpn = SSL_get_peer_finished(p->client, cpf, sizeof(cpf));
    size_t spn = SSL_get_peer_finished(p->server, spf, sizeof(spf));
    unsigned char small[4];
    printf("finished lengths: client %zu/%zu, server %zu/%zu; truncated copy reports %zu\n", cn, cpn, sn, spn,
           SSL_get_finished(p->client, small, sizeof(small)));
    printf("client's Finished as the server got it %d, server's as the client got it %d, the two differ %d\n",
           cn == spn && cn <= sizeof(cf) && !memcmp(cf, spf, cn), sn == cpn && sn <= sizeof(sf) && !memcmp(sf, cpf, sn),
           cn != sn || memcmp(cf, sf, cn) != 0);
    if (observe)
        printf("peer Finished among the received messages: client %d, server %d\n",
               in_received(0, cpf, cpn < sizeof(cpf) ? cpn : sizeof(cpf)),
               in_received(1, spf, spn < sizeof(spf) ? spn : sizeof(spf)));
}

static void details_case(int version, const char *cert, const char *key, const char *client_groups,
                         const char *server_groups, int client_auth, int observe, const char *ciphers)
{
    SSL_CTX *sctx = server_ctx(cert, key), *cctx = client_ctx("ca.pem", SSL_VERIFY_PEER);
    SSL_SESSION *sess = NULL;
    printf("-- %s %s, groups %s / %s, client certificate %d, observed %d, ciphers %s\n",
           version == TLS1_3_VERSION ? "TLSv1.3" : "TLSv1.2", cert, client_groups, server_groups, client_auth,
           observe, ciphers ? ciphers : "default");
    if (ciphers != NULL && (version == TLS1_3_VERSION ? SSL_CTX_set_ciphersuites(cctx, ciphers)
                                                      : SSL_CTX_set_cipher_list(cctx, ciphers)) != 1)
        errors("ciphers");
    SSL_CTX_set_min_proto_version(cctx, version);
    SSL_CTX_set_max_proto_version(cctx, version);
    if (SSL_CTX_set1_groups_list(cctx, client_groups) != 1 || SSL_CTX_set1_groups_list(sctx, server_groups) != 1)
        errors("groups");
    if (client_auth) {
        if (SSL_CTX_use_certificate_file(cctx, path("client.pem"), SSL_FILETYPE_PEM) != 1 ||
            SSL_CTX_use_PrivateKey_file(cctx, path("client-key.pem"), SSL_FILETYPE_PEM) != 1 ||
            SSL_CTX_load_verify_locations(sctx, path("ca.pem"), NULL) != 1)
            errors("client credentials");
        SSL_CTX_set_verify(sctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, NULL);
        SSL_CTX_set_session_id_context(sctx, (const unsigned char *)"details", 7);
        {
            FILE *f = fopen(path("ca.pem"), "r");
            X509 *ca = f ? PEM_read_X509(f, NULL, NULL, NULL) : NULL;
            if (f)
                fclose(f);
            if (ca == NULL || SSL_CTX_add_client_CA(sctx, ca) != 1)
                errors("client CA");
            X509_free(ca);
        }
    }
    for (int round = 0; round < 2; round++) {
        struct pair p = connect_pair(cctx, sctx);
        char buf[16];
        if (observe) {
            received_len[0] = received_len[1] = 0;
            SSL_set_msg_callback(p.client, keep_received);
            SSL_set_msg_callback(p.server, keep_received);
        }
        if (round == 0) {
            EVP_PKEY *k = NULL;
            unsigned char f[64];
            printf("before the handshake: temp key %ld, finished %zu/%zu\n", SSL_get_peer_tmp_key(p.client, &k),
                   SSL_get_finished(p.client, f, sizeof(f)), SSL_get_peer_finished(p.server, f, sizeof(f)));
        } else {
            SSL_set_session(p.client, sess);
        }
        if (handshake(&p)) {
            printf("round %d: reused %d, %s\n", round, SSL_session_reused(p.client), SSL_get_cipher_name(p.client));
            print_details(p.client, observe);
            print_details(p.server, observe);
            compare_finished(&p, observe);
            /* Tickets come after the handshake (TLS 1.3); one read takes them. */
            SSL_write(p.server, "x", 1);
            SSL_read(p.client, buf, sizeof(buf));
        }
        if (round == 0)
            sess = SSL_get1_session(p.client);
        bidirectional_shutdown(&p);
        free_pair(&p);
    }
    SSL_SESSION_free(sess);
    SSL_CTX_free(sctx);
    SSL_CTX_free(cctx);
}

static void handshake_details(void)
{
    for (int observe = 0; observe < 2; observe++) {
        details_case(TLS1_3_VERSION, "server-ecdsa.pem", "server-ecdsa-key.pem", "X25519", "X25519", 0, observe,
                     NULL);
        details_case(TLS1_3_VERSION, "server-rsa.pem", "server-rsa-key.pem", "P-256", "P-256", 1, observe,
                     "TLS_AES_128_GCM_SHA256");
        details_case(TLS1_3_VERSION, "server-rsa.pem", "server-rsa-key.pem", "X25519:P-384", "P-384", 0, observe,
                     "TLS_CHACHA20_POLY1305_SHA256");
        details_case(TLS1_2_VERSION, "server-ecdsa.pem", "server-ecdsa-key.pem", "P-384:P-256", "P-384", 0, observe,
                     "ECDHE-ECDSA-CHACHA20-POLY1305");
        details_case(TLS1_2_VERSION, "server-rsa.pem", "server-rsa-key.pem", "X25519", "X25519", 1, observe, NULL);
        details_case(TLS1_2_VERSION, "server-rsa.pem", "server-rsa-key.pem", "P-256", "P-256", 0, observe,
                     "ECDHE-RSA-AES128-GCM-SHA256");
    }
}

/* Signature-algorithm lists: what they accept, and what each side then signs with. */
static void sigalgs_case(const char *what, int version, const char *client_list, const char *server_list,
                         const char *server_client_list)
{
    SSL_CTX *sctx = server_ctx("server-rsa.pem", "server-rsa-key.pem"), *cctx = client_ctx("ca.pem", SSL_VERIFY_PEER);
    struct pair p;
    printf("-- %s\n", what);
    SSL_CTX_set_min_proto_version(cctx, version);
    SSL_CTX_set_max_proto_version(cctx, version);
    /* The groups OpenSSL 3.0 offers: ferrossl's default hybrid group has no peer temp key. */
    SSL_CTX_set1_groups_list(cctx, "X25519:P-256:P-384");
    if (client_list != NULL)
        printf("client list %ld\n", SSL_CTX_set1_sigalgs_list(cctx, client_list));
    if (server_list != NULL)
        printf("server list %ld\n", SSL_CTX_set1_sigalgs_list(sctx, server_list));
    if (server_client_list != NULL) {
        printf("server client list %ld\n", SSL_CTX_set1_client_sigalgs_list(sctx, server_client_list));
        if (SSL_CTX_use_certificate_file(cctx, path("client.pem"), SSL_FILETYPE_PEM) != 1 ||
            SSL_CTX_use_PrivateKey_file(cctx, path("client-key.pem"), SSL_FILETYPE_PEM) != 1 ||
            SSL_CTX_load_verify_locations(sctx, path("ca.pem"), NULL) != 1)
            errors("client credentials");
        SSL_CTX_set_verify(sctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, NULL);
    }
    p = connect_pair(cctx, sctx);
    if (handshake(&p)) {
        print_details(p.client, 0);
        print_details(p.server, 0);
    }
    free_pair(&p);
    SSL_CTX_free(sctx);
    SSL_CTX_free(cctx);
}

static void sigalgs(void)
{
    SSL_CTX *ctx = SSL_CTX_new(TLS_method());
    printf("lists: good %ld, unknown hash %ld, unknown name %ld, repeated %ld, client list %ld\n",
           SSL_CTX_set1_sigalgs_list(ctx, "RSA+SHA256:ECDSA+SHA256:ed25519"),
           SSL_CTX_set1_sigalgs_list(ctx, "RSA+MD5"), SSL_CTX_set1_sigalgs_list(ctx, "bogus"),
           SSL_CTX_set1_sigalgs_list(ctx, "ed25519:ed25519"),
           SSL_CTX_set1_client_sigalgs_list(ctx, "ECDSA+SHA384"));
    errors("lists");
    {
        SSL_CONF_CTX *cctx = SSL_CONF_CTX_new();
        SSL_CONF_CTX_set_flags(cctx, SSL_CONF_FLAG_FILE | SSL_CONF_FLAG_SERVER);
        SSL_CONF_CTX_set_ssl_ctx(cctx, ctx);
        printf("conf: SignatureAlgorithms %d, ClientSignatureAlgorithms %d, bad %d\n",
               SSL_CONF_cmd(cctx, "SignatureAlgorithms", "RSA-PSS+SHA256:ECDSA+SHA256"),
               SSL_CONF_cmd(cctx, "ClientSignatureAlgorithms", "RSA+SHA256"),
               SSL_CONF_cmd(cctx, "SignatureAlgorithms", "RSA+MD4"));
        errors("conf");
        SSL_CONF_CTX_free(cctx);
    }
    SSL_CTX_free(ctx);
    sigalgs_case("TLSv1.3, client offers RSA-PSS with SHA-384 first", TLS1_3_VERSION,
                 "rsa_pss_rsae_sha384:ecdsa_secp256r1_sha256", NULL, NULL);
    sigalgs_case("TLSv1.2, client offers PKCS#1 with SHA-512", TLS1_2_VERSION, "RSA+SHA512", NULL, NULL);
    sigalgs_case("TLSv1.2, server signs only PKCS#1 with SHA-256", TLS1_2_VERSION, NULL, "RSA+SHA256", NULL);
    sigalgs_case("TLSv1.3, client takes only ECDSA from an RSA server", TLS1_3_VERSION, "ECDSA+SHA256", NULL, NULL);
    sigalgs_case("TLSv1.2, server asks for a PKCS#1 SHA-384 client signature", TLS1_2_VERSION, NULL, NULL,
                 "RSA+SHA384");
}

int main(int argc, char **argv)
{
    const char *s;
    if (argc < 3) {
        fprintf(stderr, "usage: probe SCENARIO PKI_DIR\n");
        return 2;
    }
    s = argv[1];
    pki = argv[2];
    OPENSSL_init_ssl(0, NULL);
    if (!strcmp(s, "defaults")) defaults();
    else if (!strcmp(s, "tls13-rsa")) exchange(TLS1_3_VERSION, "server-rsa.pem", "server-rsa-key.pem");
    else if (!strcmp(s, "tls12-rsa")) exchange(TLS1_2_VERSION, "server-rsa-chain.pem", "server-rsa-key.pem");
    else if (!strcmp(s, "tls13-ecdsa")) exchange(TLS1_3_VERSION, "server-ecdsa.pem", "server-ecdsa-key.pem");
    else if (!strcmp(s, "tls12-ecdsa")) exchange(TLS1_2_VERSION, "server-ecdsa.pem", "server-ecdsa-key.pem");
    else if (!strcmp(s, "verify")) {
        verify_case("server-rsa.pem", "server-rsa-key.pem", "ca.pem", "localhost", SSL_VERIFY_PEER);
        verify_case("server-rsa.pem", "server-rsa-key.pem", "other-ca.pem", NULL, SSL_VERIFY_PEER);
        verify_case("server-rsa.pem", "server-rsa-key.pem", "ca.pem", "wrong.example", SSL_VERIFY_PEER);
        verify_case("expired.pem", "expired-key.pem", "ca.pem", NULL, SSL_VERIFY_PEER);
        verify_case("untrusted-server.pem", "untrusted-server-key.pem", "ca.pem", NULL, SSL_VERIFY_NONE);
        verify_case("server-rsa.pem", "server-rsa-key.pem", NULL, NULL, SSL_VERIFY_PEER);
    } else if (!strcmp(s, "bad-files")) bad_files();
    else if (!strcmp(s, "hangup")) { hangup(0); hangup(1); }
    else if (!strcmp(s, "garbage")) garbage();
    else if (!strcmp(s, "write-retry")) write_retry();
    else if (!strcmp(s, "threads")) threads();
    else if (!strcmp(s, "cipher-strings")) cipher_strings();
    else if (!strcmp(s, "restricted")) restricted_handshakes();
    else if (!strcmp(s, "auto-retry")) auto_retry();
    else if (!strcmp(s, "sessions")) sessions();
    else if (!strcmp(s, "verify-callback")) verify_callbacks();
    else if (!strcmp(s, "store-anchor")) store_added_anchor();
    else if (!strcmp(s, "custom-bio")) custom_bio();
    else if (!strcmp(s, "moving-buffer")) { moving_buffer(0); moving_buffer(1); }
    else if (!strcmp(s, "ctx-freed-early")) ctx_freed_early();
    else if (!strcmp(s, "server-config")) server_config();
    else if (!strcmp(s, "server-sessions")) server_sessions();
    else if (!strcmp(s, "cert-cb")) cert_callback();
    else if (!strcmp(s, "ticket-keys")) ticket_keys();
    else if (!strcmp(s, "two-certs")) two_certificates();
    else if (!strcmp(s, "error-queue")) error_queue();
    else if (!strcmp(s, "handshake-details")) handshake_details();
    else if (!strcmp(s, "sigalgs")) sigalgs();
    else { fprintf(stderr, "unknown scenario %s\n", s); return 2; }
    return 0;
}
