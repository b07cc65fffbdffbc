/*
 * Differential probe of the libssl functions the second wave of programs imports
 * (methods, sessions, certificate callbacks, DANE, the SSL BIO, CA lists, SSL_CONF
 * argv): one scenario per run, printing a transcript the test suite requires to be the
 * same on the system libssl and on ferrossl.
 *
 *   api_probe SCENARIO PKI_DIR
 */
#define OPENSSL_SUPPRESS_DEPRECATED
#include "probe_common.h"

#include <openssl/sha.h>
#include <time.h>

static SSL_CTX *client_with_ca(void)
{
    return client_ctx("ca.pem", SSL_VERIFY_PEER);
}

/* A client and a server over a BIO pair, handshake done; the caller frees both. */
static struct pair connected(SSL_CTX *cctx, SSL_CTX *sctx)
{
    struct pair p = connect_pair(cctx, sctx);
    handshake(&p);
    return p;
}

/* ---- methods and per-connection settings ---- */

static void methods_and_settings(void)
{
    SSL_CTX *ctx = SSL_CTX_new(TLS_method());
    SSL *s = SSL_new(ctx);
    printf("ctx method is TLS_method %d, ssl's %d\n", SSL_CTX_get_ssl_method(ctx) == TLS_method(),
           SSL_get_ssl_method(s) == TLS_method());
    printf("client_version before a handshake %x\n", SSL_client_version(s));
    int r = SSL_set_ssl_method(s, TLSv1_2_method());
    printf("set_ssl_method %d, now TLSv1_2_method %d\n", r, SSL_get_ssl_method(s) == TLSv1_2_method());
    SSL_CTX *fixed = SSL_CTX_new(TLSv1_2_method());
    printf("min/max proto of a TLSv1_2_method context: %ld/%ld\n", SSL_CTX_get_min_proto_version(fixed),
           SSL_CTX_get_max_proto_version(fixed));
    SSL_CTX_free(fixed);
    printf("default timeout %ld, verify depth %d", SSL_get_default_timeout(s), SSL_get_verify_depth(s));
    SSL_set_verify_depth(s, 5);
    printf(" then %d\n", SSL_get_verify_depth(s));
    printf("num tickets %zu", SSL_get_num_tickets(s));
    SSL_set_num_tickets(s, 3);
    printf(" then %zu\n", SSL_get_num_tickets(s));
    printf("recv max early data ctx %u ssl %u", SSL_CTX_get_recv_max_early_data(ctx),
           SSL_get_recv_max_early_data(s));
    SSL_set_recv_max_early_data(s, 100);
    printf(" then %u\n", SSL_get_recv_max_early_data(s));
    printf("extension supported: sni %d alpn %d key_share %d 1234 %d\n", SSL_extension_supported(0),
           SSL_extension_supported(16), SSL_extension_supported(51), SSL_extension_supported(1234));
    printf("rstate %s / %s\n", SSL_rstate_string(s), SSL_rstate_string_long(s));
    printf("default cipher list %s\ndefault suites %s\n", OSSL_default_cipher_list(),
           OSSL_default_ciphersuites());
    int status = 7;
    r = SSL_get_async_status(s, &status);
    printf("async status %d (%d)", r, status);
    printf(", buffers alloc %d free %d\n", SSL_alloc_buffers(s), SSL_free_buffers(s));
    printf("pending cipher before a handshake %s\n", SSL_get_pending_cipher(s) ? "set" : "none");
    const char *suites[] = {"NOPE", "ECDHE-RSA-AES128-GCM-SHA256", "TLS_AES_128_CCM_SHA256",
                            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384:NOPE", ""};
    for (size_t i = 0; i < sizeof(suites) / sizeof(suites[0]); i++) {
        printf("set_ciphersuites(\"%s\") %d", suites[i], SSL_set_ciphersuites(s, suites[i]));
        errors("");
    }
    SSL_free(s);

    r = SSL_CTX_set_ssl_version(ctx, TLSv1_2_method());
    printf("set_ssl_version %d, ctx method TLSv1_2_method %d\n", r,
           SSL_CTX_get_ssl_method(ctx) == TLSv1_2_method());
    SSL_CTX_free(ctx);

    SSL_CTX *cctx = client_with_ca();
    SSL_CTX *sctx = server_ctx("server-rsa.pem", "server-rsa-key.pem");
    struct pair p = connected(cctx, sctx);
    int nid = 0, digest = 0;
    printf("after the handshake: pending cipher %s, client_version %x/%x\n",
           SSL_CIPHER_get_name(SSL_get_pending_cipher(p.client)), SSL_client_version(p.client),
           SSL_client_version(p.server));
    r = SSL_get_signature_type_nid(p.server, &nid);
    printf("server signature type %d (nid %d)", r, nid);
    long d = SSL_get_signature_nid(p.server, &digest);
    printf(", digest %ld (nid %d)", d, digest);
    nid = 0;
    r = SSL_get_signature_type_nid(p.client, &nid);
    printf("; client signature type %d (nid %d)\n", r, nid);
    free_pair(&p);

    SSL_CTX *tls12 = server_ctx("server-rsa.pem", "server-rsa-key.pem");
    SSL_CTX_set_ssl_version(tls12, TLSv1_2_server_method());
    p = connected(cctx, tls12);
    printf("against a TLSv1_2 server: %s, client_version %x/%x\n", SSL_get_version(p.client),
           SSL_client_version(p.client), SSL_client_version(p.server));
    free_pair(&p);
    SSL_CTX_free(tls12);
    SSL_CTX_free(cctx);
    SSL_CTX_free(sctx);

    /* The version a client reports while its hello is out (wpa_supplicant logs it). */
    for (int max = TLS1_2_VERSION; max <= TLS1_3_VERSION; max++) {
        cctx = client_with_ca();
        SSL_CTX_set_max_proto_version(cctx, max);
        SSL *c = SSL_new(cctx);
        printf("client up to %x: fresh %s", max, SSL_get_version(c));
        SSL_set_bio(c, BIO_new(BIO_s_mem()), BIO_new(BIO_s_mem()));
        SSL_connect(c);
        printf(", hello sent %s (%x)\n", SSL_get_version(c), SSL_version(c));
        SSL_free(c);
        SSL_CTX_free(cctx);
    }
}

/* ---- sessions ---- */

static int removed;
static void count_removed(SSL_CTX *ctx, SSL_SESSION *sess)
{
    (void)ctx;
    (void)sess;
    removed++;
}

/* A client session serialised, freed with its connection, and read back (Node.js keeps
 * only the bytes between connections) resumes; the copy knows the server's certificate
 * but not its chain, as OpenSSL's d2i_SSL_SESSION gives it. */
static void serialised_client_sessions(void)
{
    SSL_CTX *sctx = server_ctx("server-rsa-chain.pem", "server-rsa-key.pem");
    for (int version = TLS1_2_VERSION; version <= TLS1_3_VERSION; version++) {
        SSL_CTX *cctx = client_with_ca();
        SSL_CTX_set_max_proto_version(cctx, version);
        struct pair p = connected(cctx, sctx);
        /* TLS 1.3 tickets arrive with the first read. */
        char byte;
        SSL_write(p.server, "x", 1);
        SSL_read(p.client, &byte, 1);
        SSL_SESSION *sess = SSL_get1_session(p.client);
        int len = i2d_SSL_SESSION(sess, NULL);
        unsigned char *der = OPENSSL_malloc(len), *w = der;
        i2d_SSL_SESSION(sess, &w);
        SSL_shutdown(p.client);
        SSL_shutdown(p.server);
        free_pair(&p);
        SSL_SESSION_free(sess);

        const unsigned char *r = der;
        SSL_SESSION *back = d2i_SSL_SESSION(NULL, &r, len);
        printf("%s: read back %d, whole %d, resumable %d, peer %d\n",
               version == TLS1_3_VERSION ? "TLS 1.3" : "TLS 1.2", back != NULL, r == der + len,
               SSL_SESSION_is_resumable(back), SSL_SESSION_get0_peer(back) != NULL);
        p = connect_pair(cctx, sctx);
        SSL_set_session(p.client, back);
        handshake(&p);
        STACK_OF(X509) *chain = SSL_get_peer_cert_chain(p.client);
        X509 *peer = SSL_get1_peer_certificate(p.client);
        printf("  resumed %d, peer certificate %d, peer chain %d, verify result %ld\n",
               SSL_session_reused(p.client), peer != NULL, chain ? sk_X509_num(chain) : -1,
               SSL_get_verify_result(p.client));
        X509_free(peer);
        free_pair(&p);
        SSL_SESSION_free(back);
        OPENSSL_free(der);
        SSL_CTX_free(cctx);
    }
    SSL_CTX_free(sctx);
}

static void session_api(void)
{
    int r;
    static const unsigned char alpn[] = "\x08http/1.1";
    SSL_CTX *cctx = client_with_ca();
    SSL_CTX *sctx = server_ctx("server-rsa.pem", "server-rsa-key.pem");
    SSL_CTX_set_max_proto_version(cctx, TLS1_2_VERSION);
    SSL_CTX_set_alpn_protos(cctx, alpn, sizeof(alpn) - 1);
    SSL_CTX_set_alpn_select_cb(sctx, NULL, NULL);
    SSL_CTX_set_session_id_context(sctx, (const unsigned char *)"probe", 5);
    SSL_CTX_sess_set_remove_cb(sctx, count_removed);

    struct pair p = connected(cctx, sctx);
    SSL_SESSION *sess = SSL_get1_session(p.client);
    const unsigned char *a;
    size_t alen;
    SSL_SESSION_get0_alpn_selected(sess, &a, &alen);
    printf("session alpn length %zu\n", alen);
    const unsigned char *tick;
    size_t tlen;
    SSL_SESSION_get0_ticket(sess, &tick, &tlen);
    printf("TLS 1.2 ticket present %d, max fragment length %u\n", tlen > 0,
           SSL_SESSION_get_max_fragment_length(sess));
    SSL_shutdown(p.client);
    SSL_shutdown(p.server);
    free_pair(&p);

    SSL_SESSION *dup = SSL_SESSION_dup(sess);
    unsigned int l1, l2;
    const unsigned char *id1 = SSL_SESSION_get_id(sess, &l1), *id2 = SSL_SESSION_get_id(dup, &l2);
    printf("dup: same id %d, same time %d, same version %d, same cipher %d\n",
           l1 == l2 && !memcmp(id1, id2, l1), SSL_SESSION_get_time(dup) == SSL_SESSION_get_time(sess),
           SSL_SESSION_get_protocol_version(dup) == SSL_SESSION_get_protocol_version(sess),
           SSL_SESSION_get0_cipher(dup) == SSL_SESSION_get0_cipher(sess));
    r = SSL_SESSION_set1_hostname(dup, "example.com");
    printf("set1_hostname %d -> %s\n", r, SSL_SESSION_get0_hostname(dup));
    printf("set1_alpn_selected %d", SSL_SESSION_set1_alpn_selected(dup, (const unsigned char *)"h2", 2));
    SSL_SESSION_get0_alpn_selected(dup, &a, &alen);
    printf(" -> %.*s\n", (int)alen, a);
    long t0 = SSL_SESSION_set_time(dup, 1000);
    printf("set_time %ld -> %ld\n", t0, SSL_SESSION_get_time(dup));
    r = SSL_SESSION_set_max_early_data(dup, 123);
    printf("set_max_early_data %d -> %u\n", r, SSL_SESSION_get_max_early_data(dup));
    SSL_SESSION_set_time(dup, SSL_SESSION_get_time(sess));

    FILE *f = tmpfile();
    printf("PEM write %d", PEM_write_SSL_SESSION(f, sess));
    rewind(f);
    SSL_SESSION *back = PEM_read_SSL_SESSION(f, NULL, NULL, NULL);
    printf(", read back %d\n", back != NULL);
    SSL_SESSION_free(back);
    fclose(f);

    /* The copy resumes as the original would. */
    p = connect_pair(cctx, sctx);
    SSL_set_session(p.client, dup);
    handshake(&p);
    printf("resumed with the copy %d\n", SSL_session_reused(p.client));
    SSL *other = SSL_new(cctx);
    r = SSL_copy_session_id(other, p.client);
    printf("copy_session_id %d, session carried %d\n", r, SSL_get_session(other) != NULL);
    SSL *same = SSL_dup(p.client);
    printf("SSL_dup after a handshake gives the same object %d\n", same == p.client);
    SSL_free(same);
    SSL_shutdown(p.client);
    SSL_shutdown(p.server);
    free_pair(&p);

    SSL_set_verify(other, SSL_VERIFY_PEER, NULL);
    SSL *copy = SSL_dup(other);
    printf("SSL_dup before a handshake: new object %d, verify mode %d, same context %d\n",
           copy != other && copy != NULL, SSL_get_verify_mode(copy), SSL_get_SSL_CTX(copy) == cctx);
    SSL_free(copy);
    SSL_free(other);
    SSL_SESSION_free(dup);
    SSL_SESSION_free(sess);

    /* The server's cache: what SSL_CTX_sessions lists (not the TLS 1.2 sessions tickets
     * stand for), and flushing by time. */
    printf("cached with tickets %ld\n", SSL_CTX_sess_number(sctx));
    SSL_CTX_set_options(sctx, SSL_OP_NO_TICKET);
    for (int i = 0; i < 3; i++) {
        p = connected(cctx, sctx);
        SSL_shutdown(p.client);
        SSL_shutdown(p.server);
        free_pair(&p);
    }
    long cached = SSL_CTX_sess_number(sctx);
    printf("cached %ld, in SSL_CTX_sessions %lu\n", cached,
           OPENSSL_LH_num_items((OPENSSL_LHASH *)SSL_CTX_sessions(sctx)));
    SSL_CTX_flush_sessions(sctx, (long)time(NULL) - 1000);
    printf("flush of what ended long ago: %ld left, %d removed\n", SSL_CTX_sess_number(sctx), removed);
    SSL_CTX_flush_sessions(sctx, (long)time(NULL) + 100000);
    printf("flush of what ends within a day: %ld left, %d removed\n", SSL_CTX_sess_number(sctx), removed);
    SSL_CTX_free(cctx);
    SSL_CTX_free(sctx);
    serialised_client_sessions();
}

/* ---- callbacks that verify the server or choose the client's certificate ---- */

static int app_verify_answer;
static int app_verify(X509_STORE_CTX *ctx, void *arg)
{
    int ok = X509_verify_cert(ctx);
    printf("app verify (%s): untrusted %d, X509_verify_cert %d, error %d, SSL found %d\n",
           (const char *)arg, sk_X509_num(X509_STORE_CTX_get0_untrusted(ctx)), ok,
           X509_STORE_CTX_get_error(ctx),
           X509_STORE_CTX_get_ex_data(ctx, SSL_get_ex_data_X509_STORE_CTX_idx()) != NULL);
    return app_verify_answer;
}

static void print_names(const char *who, const STACK_OF(X509_NAME) *names)
{
    char buf[256];
    printf("%s: %d CA names", who, names ? sk_X509_NAME_num(names) : -1);
    for (int i = 0; names && i < sk_X509_NAME_num(names); i++)
        printf(" %s", X509_NAME_oneline(sk_X509_NAME_value(names, i), buf, sizeof(buf)));
    printf("\n");
}

static int client_cert_answer;
static int client_cert(SSL *ssl, X509 **x509, EVP_PKEY **pkey)
{
    print_names("client cert callback", SSL_get_client_CA_list(ssl));
    if (client_cert_answer != 1)
        return client_cert_answer;
    FILE *f = fopen(path("client.pem"), "r");
    *x509 = PEM_read_X509(f, NULL, NULL, NULL);
    fclose(f);
    f = fopen(path("client-key.pem"), "r");
    *pkey = PEM_read_PrivateKey(f, NULL, NULL, NULL);
    fclose(f);
    return 1;
}

static int cert_cb(SSL *ssl, void *arg)
{
    print_names((const char *)arg, SSL_get_client_CA_list(ssl));
    int c = SSL_use_certificate_file(ssl, path("client.pem"), SSL_FILETYPE_PEM);
    int k = SSL_use_PrivateKey_file(ssl, path("client-key.pem"), SSL_FILETYPE_PEM);
    printf("cert callback set certificate %d key %d\n", c, k);
    return 1;
}

static SSL_CTX *server_requiring_client_cert(int with_client_ca_list)
{
    SSL_CTX *sctx = server_ctx("server-rsa.pem", "server-rsa-key.pem");
    SSL_CTX_load_verify_locations(sctx, path("ca.pem"), NULL);
    SSL_CTX_set_verify(sctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, NULL);
    if (with_client_ca_list)
        SSL_CTX_set_client_CA_list(sctx, SSL_load_client_CA_file(path("ca.pem")));
    else
        SSL_CTX_set0_CA_list(sctx, SSL_load_client_CA_file(path("other-ca.pem")));
    return sctx;
}

static void peer_subject(SSL *server)
{
    char buf[256];
    X509 *peer = SSL_get1_peer_certificate(server);
    printf("server sees client %s\n", peer ? X509_NAME_oneline(X509_get_subject_name(peer), buf, sizeof(buf)) : "(none)");
    X509_free(peer);
}

/* A server's OCSP status callback reads what the client asked the responder, as
 * Apache's stapling does before it queries one (NULL lists for a client that named no
 * responder and no extension). */
static int status_cb(SSL *ssl, void *arg)
{
    STACK_OF(OCSP_RESPID) *ids = (void *)1;
    STACK_OF(X509_EXTENSION) *exts = (void *)1;
    long got_ids = SSL_get_tlsext_status_ids(ssl, &ids);
    long got_exts = SSL_get_tlsext_status_exts(ssl, &exts);
    printf("%s: status type %ld, ids %ld %s, exts %ld %s\n", (const char *)arg,
           SSL_get_tlsext_status_type(ssl), got_ids, ids ? "listed" : "none", got_exts,
           exts ? "listed" : "none");
    return SSL_TLSEXT_ERR_NOACK;
}

static void status_request(void)
{
    SSL_CTX *sctx = server_ctx("server-rsa.pem", "server-rsa-key.pem");
    SSL_CTX_set_tlsext_status_cb(sctx, status_cb);
    SSL_CTX_set_tlsext_status_arg(sctx, "server status callback");
    SSL_CTX *cctx = client_with_ca();
    struct pair p = connect_pair(cctx, sctx);
    SSL_set_tlsext_status_type(p.client, TLSEXT_STATUSTYPE_ocsp);
    handshake(&p);
    const unsigned char *resp = NULL;
    printf("client got %ld bytes of OCSP response\n", SSL_get_tlsext_status_ocsp_resp(p.client, &resp));
    free_pair(&p);
    SSL_CTX_free(cctx);
    SSL_CTX_free(sctx);
}

/* A connection verifies its peer with the store set on it (Node.js sets its SNI
 * context's), else with its context's verify store, else with the context's store. */
static void verify_stores(void)
{
    SSL_CTX *sctx = server_ctx("server-rsa.pem", "server-rsa-key.pem");
    X509_STORE *with_ca = X509_STORE_new();
    X509_STORE_load_file(with_ca, path("ca.pem"));
    X509_STORE *other = X509_STORE_new();
    X509_STORE_load_file(other, path("other-ca.pem"));
    SSL_CTX *cctx = client_ctx("other-ca.pem", SSL_VERIFY_NONE);
    X509_STORE *got = (void *)1;
    SSL_CTX_get0_verify_cert_store(cctx, &got);
    printf("context verify store unset: %d\n", got == NULL);
    struct pair p = connect_pair(cctx, sctx);
    printf("set1 on the connection %ld", SSL_set1_verify_cert_store(p.client, with_ca));
    SSL_get0_verify_cert_store(p.client, &got);
    printf(", read back %d\n", got == with_ca);
    handshake(&p);
    printf("connection's store: verify result %ld\n", SSL_get_verify_result(p.client));
    free_pair(&p);
    printf("set1 on the context %ld\n", SSL_CTX_set1_verify_cert_store(cctx, with_ca));
    p = connected(cctx, sctx);
    printf("context's verify store: verify result %ld\n", SSL_get_verify_result(p.client));
    free_pair(&p);
    p = connect_pair(cctx, sctx);
    SSL_set1_verify_cert_store(p.client, other);
    handshake(&p);
    printf("connection's store over the context's: verify result %ld\n",
           SSL_get_verify_result(p.client));
    free_pair(&p);
    printf("unset %ld\n", SSL_CTX_set1_verify_cert_store(cctx, NULL));
    X509_STORE_free(with_ca);
    X509_STORE_free(other);
    SSL_CTX_free(cctx);
    SSL_CTX_free(sctx);
}

static void certificate_callbacks(void)
{
    SSL_CTX *sctx = server_ctx("untrusted-server.pem", "untrusted-server-key.pem");
    SSL_CTX *cctx = client_with_ca();
    SSL_CTX_set_cert_verify_callback(cctx, app_verify, "accepting");
    app_verify_answer = 1;
    struct pair p = connected(cctx, sctx);
    printf("accepted by the callback: verify result %ld\n", SSL_get_verify_result(p.client));
    free_pair(&p);
    SSL_CTX_set_cert_verify_callback(cctx, app_verify, "refusing");
    app_verify_answer = 0;
    p = connected(cctx, sctx);
    free_pair(&p);
    SSL_CTX_free(cctx);
    SSL_CTX_free(sctx);

    for (int version = TLS1_2_VERSION; version <= TLS1_3_VERSION; version++) {
        printf("-- %s\n", version == TLS1_3_VERSION ? "TLS 1.3" : "TLS 1.2");
        sctx = server_requiring_client_cert(1);
        cctx = client_with_ca();
        SSL_CTX_set_max_proto_version(cctx, version);
        printf("client cert callback unset: %d\n", SSL_CTX_get_client_cert_cb(cctx) == NULL);
        SSL_CTX_set_client_cert_cb(cctx, client_cert);
        printf("client cert callback set: %d\n", SSL_CTX_get_client_cert_cb(cctx) == client_cert);
        client_cert_answer = 1;
        p = connected(cctx, sctx);
        peer_subject(p.server);
        printf("client keeps the certificate: %d\n", SSL_get_certificate(p.client) != NULL);
        free_pair(&p);
        client_cert_answer = 0;
        p = connected(cctx, sctx);
        free_pair(&p);
        SSL_CTX_free(cctx);

        /* A certificate callback on the connection sets the certificate itself. */
        cctx = client_with_ca();
        SSL_CTX_set_max_proto_version(cctx, version);
        p = connect_pair(cctx, sctx);
        SSL_set_cert_cb(p.client, cert_cb, "connection's cert callback");
        handshake(&p);
        peer_subject(p.server);
        free_pair(&p);
        SSL_CTX_free(sctx);

        /* A server without a client CA list names its CA list instead. */
        sctx = server_requiring_client_cert(0);
        SSL_CTX_set_client_cert_cb(cctx, client_cert);
        client_cert_answer = 0;
        p = connected(cctx, sctx);
        free_pair(&p);
        SSL_CTX_free(cctx);
        SSL_CTX_free(sctx);
    }
    status_request();
    verify_stores();
}

/* ---- certificate and key loaders ---- */

/* Walks a context's certificates as Apache's stapling set-up does (SSL_CERT_SET_FIRST,
 * then SSL_CERT_SET_NEXT until 0), then selects one by pointer. */
static void current_certificate(void)
{
    SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
    printf("first of none %ld\n", SSL_CTX_set_current_cert(ctx, SSL_CERT_SET_FIRST));
    SSL_CTX_use_certificate_file(ctx, path("server-ecdsa.pem"), SSL_FILETYPE_PEM);
    SSL_CTX_use_PrivateKey_file(ctx, path("server-ecdsa-key.pem"), SSL_FILETYPE_PEM);
    SSL_CTX_use_certificate_chain_file(ctx, path("server-rsa-chain.pem"));
    SSL_CTX_use_PrivateKey_file(ctx, path("server-rsa-key.pem"), SSL_FILETYPE_PEM);
    X509 *first = NULL;
    for (long ret = SSL_CTX_set_current_cert(ctx, SSL_CERT_SET_FIRST); ret;
         ret = SSL_CTX_set_current_cert(ctx, SSL_CERT_SET_NEXT)) {
        X509 *x = SSL_CTX_get0_certificate(ctx);
        STACK_OF(X509) *chain = NULL;
        SSL_CTX_get0_chain_certs(ctx, &chain);
        char name[128];
        X509_NAME_oneline(X509_get_subject_name(x), name, sizeof name);
        printf("current %s, chain %d\n", name, sk_X509_num(chain));
        if (first == NULL)
            first = x;
    }
    long selected = SSL_CTX_select_current_cert(ctx, first);
    printf("select the first %ld, is it %d\n", selected, SSL_CTX_get0_certificate(ctx) == first);
    printf("select NULL %ld, unknown operation %ld\n", SSL_CTX_select_current_cert(ctx, NULL),
           SSL_CTX_set_current_cert(ctx, 9));
    SSL *s = SSL_new(ctx);
    printf("connection: next %ld", SSL_set_current_cert(s, SSL_CERT_SET_NEXT));
    printf(", first %ld\n", SSL_set_current_cert(s, SSL_CERT_SET_FIRST));
    SSL_free(s);
    SSL_CTX_free(ctx);
}

static void certificate_and_key(void)
{
    FILE *f = fopen(path("server-rsa.pem"), "r");
    X509 *rsa_cert = PEM_read_X509(f, NULL, NULL, NULL);
    fclose(f);
    f = fopen(path("server-rsa-key.pem"), "r");
    EVP_PKEY *rsa_key = PEM_read_PrivateKey(f, NULL, NULL, NULL);
    fclose(f);
    f = fopen(path("server-ecdsa-key.pem"), "r");
    EVP_PKEY *ec_key = PEM_read_PrivateKey(f, NULL, NULL, NULL);
    fclose(f);

    SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
    printf("cert and another key %d\n", SSL_CTX_use_cert_and_key(ctx, rsa_cert, ec_key, NULL, 1));
    errors("mismatch");
    printf("cert and its key %d\n", SSL_CTX_use_cert_and_key(ctx, rsa_cert, rsa_key, NULL, 1));
    printf("again without override %d\n", SSL_CTX_use_cert_and_key(ctx, rsa_cert, rsa_key, NULL, 0));
    errors("no override");
    printf("again with override %d", SSL_CTX_use_cert_and_key(ctx, rsa_cert, rsa_key, NULL, 1));
    printf(", check %d\n", SSL_CTX_check_private_key(ctx));
    SSL_CTX *cctx = client_with_ca();
    struct pair p = connected(cctx, ctx);
    free_pair(&p);
    SSL_CTX_free(ctx);

    RSA *rsa = EVP_PKEY_get1_RSA(rsa_key);
    ctx = SSL_CTX_new(TLS_server_method());
    SSL_CTX_use_certificate(ctx, rsa_cert);
    printf("use_RSAPrivateKey %d", SSL_CTX_use_RSAPrivateKey(ctx, rsa));
    printf(", check %d\n", SSL_CTX_check_private_key(ctx));
    printf("use_RSAPrivateKey_file of an EC key %d\n",
           SSL_CTX_use_RSAPrivateKey_file(ctx, path("server-ecdsa-key.pem"), SSL_FILETYPE_PEM));
    ERR_clear_error();
    unsigned char *der = NULL;
    int len = i2d_RSAPrivateKey(rsa, &der);
    SSL *s = SSL_new(ctx);
    SSL_certs_clear(s);
    SSL_use_certificate(s, rsa_cert);
    printf("after SSL_certs_clear, check %d\n", SSL_check_private_key(s));
    ERR_clear_error();
    printf("SSL_use_RSAPrivateKey_ASN1 %d", SSL_use_RSAPrivateKey_ASN1(s, der, len));
    printf(", SSL_use_RSAPrivateKey %d", SSL_use_RSAPrivateKey(s, rsa));
    printf(", SSL_use_RSAPrivateKey_file %d",
           SSL_use_RSAPrivateKey_file(s, path("server-rsa-key.pem"), SSL_FILETYPE_PEM));
    printf(", check %d\n", SSL_check_private_key(s));
    printf("SSL_use_cert_and_key %d\n", SSL_use_cert_and_key(s, rsa_cert, rsa_key, NULL, 1));
    OPENSSL_free(der);
    SSL_free(s);
    SSL_CTX_free(ctx);
    SSL_CTX_free(cctx);
    RSA_free(rsa);
    X509_free(rsa_cert);
    EVP_PKEY_free(rsa_key);
    EVP_PKEY_free(ec_key);
    current_certificate();
}

/* ---- DANE ---- */

static void spki_sha256(const char *file, unsigned char out[32])
{
    FILE *f = fopen(path(file), "r");
    X509 *x = PEM_read_X509(f, NULL, NULL, NULL);
    fclose(f);
    unsigned char *der = NULL;
    int len = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(x), &der);
    SHA256(der, len, out);
    OPENSSL_free(der);
    X509_free(x);
}

static void cert_sha256(const char *file, unsigned char out[32])
{
    FILE *f = fopen(path(file), "r");
    X509 *x = PEM_read_X509(f, NULL, NULL, NULL);
    fclose(f);
    unsigned char *der = NULL;
    int len = i2d_X509(x, &der);
    SHA256(der, len, out);
    OPENSSL_free(der);
    X509_free(x);
}

static void dane_case(const char *what, SSL_CTX *cctx, SSL_CTX *sctx, const char *host, uint8_t usage,
                      uint8_t selector, uint8_t mtype, const unsigned char *data, size_t dlen)
{
    printf("-- %s\n", what);
    struct pair p = connect_pair(cctx, sctx);
    printf("dane_enable %d", SSL_dane_enable(p.client, host));
    printf(", tlsa_add %d\n", SSL_dane_tlsa_add(p.client, usage, selector, mtype, data, dlen));
    handshake(&p);
    X509 *mcert = NULL;
    EVP_PKEY *mspki = NULL;
    int depth = SSL_get0_dane_authority(p.client, &mcert, &mspki);
    uint8_t u = 9, s = 9, m = 9;
    size_t n = 0;
    int tdepth = SSL_get0_dane_tlsa(p.client, &u, &s, &m, NULL, &n);
    printf("authority depth %d (certificate %d, key %d), tlsa depth %d: %u %u %u, %zu bytes\n", depth,
           mcert != NULL, mspki != NULL, tdepth, u, s, m, n);
    free_pair(&p);
}

static void dane(void)
{
    unsigned char leaf[32], ca[32], wrong[32];
    spki_sha256("server-rsa.pem", leaf);
    cert_sha256("ca.pem", ca);
    memcpy(wrong, leaf, 32);
    wrong[0] ^= 1;
    SSL_CTX *sctx = server_ctx("server-rsa-chain.pem", "server-rsa-key.pem");
    SSL_CTX *cctx = client_ctx(NULL, SSL_VERIFY_PEER);

    SSL *s = SSL_new(cctx);
    printf("enable before the context %d\n", SSL_dane_enable(s, "localhost"));
    errors("not enabled");
    printf("tlsa before enabling %d\n", SSL_dane_tlsa_add(s, 3, 1, 1, leaf, 32));
    errors("tlsa");
    printf("authority without DANE %d\n", SSL_get0_dane_authority(s, NULL, NULL));
    SSL_free(s);

    printf("ctx enable %d", SSL_CTX_dane_enable(cctx));
    printf(", mtype_set full %d\n", SSL_CTX_dane_mtype_set(cctx, EVP_sha256(), 0, 1));
    errors("mtype full");
    printf("flags: set %lu", SSL_CTX_dane_set_flags(cctx, DANE_FLAG_NO_DANE_EE_NAMECHECKS));
    printf(", set %lu", SSL_CTX_dane_set_flags(cctx, 0));
    printf(", clear %lu\n", SSL_CTX_dane_clear_flags(cctx, DANE_FLAG_NO_DANE_EE_NAMECHECKS));

    /* Postfix enables DANE with no base domain and sets its names itself. */
    s = SSL_new(cctx);
    printf("enable without a base domain %d, SNI %s\n", SSL_dane_enable(s, NULL),
           SSL_get_servername(s, TLSEXT_NAMETYPE_host_name) ? "set" : "none");
    SSL_free(s);
    s = SSL_new(cctx);
    printf("enable %d", SSL_dane_enable(s, "localhost"));
    printf(", again %d\n", SSL_dane_enable(s, "localhost"));
    errors("again");
    static const unsigned char junk[] = "not a certificate";
    struct { uint8_t u, s, m; const unsigned char *d; size_t n; const char *what; } bad[] = {
        {4, 1, 1, leaf, 32, "usage 4"},       {3, 2, 1, leaf, 32, "selector 2"},
        {3, 1, 3, leaf, 32, "matching type 3"}, {3, 1, 1, leaf, 31, "short digest"},
        {3, 1, 1, NULL, 32, "no data"},       {3, 0, 0, junk, sizeof(junk), "bad certificate"},
        {2, 1, 0, junk, sizeof(junk), "bad key"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        printf("%s: %d\n", bad[i].what, SSL_dane_tlsa_add(s, bad[i].u, bad[i].s, bad[i].m, bad[i].d, bad[i].n));
        errors(bad[i].what);
    }
    printf("flags on the connection: set %lu", SSL_dane_set_flags(s, 1));
    printf(", clear %lu\n", SSL_dane_clear_flags(s, 1));
    printf("SSL_get0_dane %d\n", SSL_get0_dane(s) != NULL);
    SSL_free(s);

    dane_case("DANE-EE SPKI SHA-256", cctx, sctx, "localhost", 3, 1, 1, leaf, 32);
    dane_case("DANE-EE, another name", cctx, sctx, "other.example", 3, 1, 1, leaf, 32);
    dane_case("DANE-EE, wrong digest", cctx, sctx, "localhost", 3, 1, 1, wrong, 32);
    dane_case("DANE-TA certificate SHA-256", cctx, sctx, "localhost", 2, 0, 1, ca, 32);
    dane_case("DANE-TA, wrong name", cctx, sctx, "other.example", 2, 0, 1, ca, 32);
    SSL_CTX_free(sctx);

    /* A full trust-anchor certificate from DNS, which the server does not send. */
    FILE *f = fopen(path("ca.pem"), "r");
    X509 *anchor = PEM_read_X509(f, NULL, NULL, NULL);
    fclose(f);
    unsigned char *der = NULL;
    int len = i2d_X509(anchor, &der);
    sctx = server_ctx("server-rsa.pem", "server-rsa-key.pem");
    dane_case("DANE-TA full certificate, not sent", cctx, sctx, "localhost", 2, 0, 0, der, len);
    OPENSSL_free(der);
    X509_free(anchor);
    SSL_CTX_free(cctx);
    SSL_CTX_free(sctx);
}

/* ---- the SSL BIO ---- */

static void bio_ssl(void)
{
    SSL_CTX *cctx = client_with_ca();
    SSL_CTX *sctx = server_ctx("server-rsa.pem", "server-rsa-key.pem");
    BIO *cb, *sb;
    BIO_new_bio_pair(&cb, 0, &sb, 0);
    BIO *client = BIO_push(BIO_new_ssl(cctx, 1), cb);
    BIO *server = BIO_push(BIO_new_ssl(sctx, 0), sb);
    int cdone = 0, sdone = 0;
    for (int i = 0; i < 50 && !(cdone && sdone); i++) {
        if (!cdone)
            cdone = BIO_do_handshake(client) == 1;
        if (!sdone)
            sdone = BIO_do_handshake(server) == 1;
    }
    printf("handshakes done %d/%d\n", cdone, sdone);
    char buf[32] = {0};
    int w = BIO_write(client, "hello", 5);
    int r = BIO_read(server, buf, sizeof(buf) - 1);
    printf("wrote %d, read %d: %s\n", w, r, buf);
    SSL *ssl = NULL;
    BIO_get_ssl(client, &ssl);
    printf("client SSL %s\n", ssl ? SSL_get_version(ssl) : "(none)");
    BIO *again = BIO_new_ssl(cctx, 1);
    printf("copy_session_id %d", BIO_ssl_copy_session_id(again, client));
    printf(", with a plain BIO %d\n", BIO_ssl_copy_session_id(again, cb));
    BIO_free_all(again);
    BIO_free_all(client);
    BIO_free_all(server);

    BIO *connect = BIO_new_ssl_connect(cctx);
    printf("ssl connect chain: ssl %d, connect %d\n", BIO_find_type(connect, BIO_TYPE_SSL) != NULL,
           BIO_find_type(connect, BIO_TYPE_CONNECT) != NULL);
    BIO_free_all(connect);
    BIO *buffered = BIO_new_buffer_ssl_connect(cctx);
    printf("buffered chain: buffer %d, ssl %d, connect %d\n", BIO_method_type(buffered) == BIO_TYPE_BUFFER,
           BIO_find_type(buffered, BIO_TYPE_SSL) != NULL, BIO_find_type(buffered, BIO_TYPE_CONNECT) != NULL);
    BIO_free_all(buffered);
    SSL_CTX_free(cctx);
    SSL_CTX_free(sctx);
}

/* ---- CA lists and SSL_CONF argv ---- */

static void ca_lists_and_conf(void)
{
    SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
    print_names("ctx CA list at first", SSL_CTX_get0_CA_list(ctx));
    SSL_CTX_set0_CA_list(ctx, SSL_load_client_CA_file_ex(path("ca.pem"), NULL, NULL));
    FILE *f = fopen(path("other-ca.pem"), "r");
    X509 *other = PEM_read_X509(f, NULL, NULL, NULL);
    fclose(f);
    printf("add1_to_CA_list %d\n", SSL_CTX_add1_to_CA_list(ctx, other));
    print_names("ctx CA list", SSL_CTX_get0_CA_list(ctx));
    SSL *s = SSL_new(ctx);
    print_names("ssl CA list", SSL_get0_CA_list(s));
    SSL_set0_CA_list(s, NULL);
    print_names("ssl CA list after set0 NULL", SSL_get0_CA_list(s));
    printf("add_client_CA %d\n", SSL_add_client_CA(s, other));
    print_names("ssl client CA list", SSL_get_client_CA_list(s));
    STACK_OF(X509_NAME) *names = sk_X509_NAME_new_null();
    printf("store subjects %d", SSL_add_store_cert_subjects_to_stack(names, path("ca-dir")));
    printf(", again %d\n", SSL_add_store_cert_subjects_to_stack(names, path("ca-dir")));
    print_names("from the store", names);
    sk_X509_NAME_pop_free(names, X509_NAME_free);
    X509_free(other);
    SSL_free(s);

    SSL_CONF_CTX *cctx = SSL_CONF_CTX_new();
    SSL_CONF_CTX_set_ssl_ctx(cctx, ctx);
    SSL_CONF_CTX_set_flags(cctx, SSL_CONF_FLAG_CMDLINE | SSL_CONF_FLAG_SERVER);
    char *args[] = {"-cipher", "ECDHE-RSA-AES128-GCM-SHA256", "-nonsense", "x", "-min_protocol", NULL};
    char **argv = args;
    int argc = 5;
    int r = SSL_CONF_cmd_argv(cctx, &argc, &argv);
    printf("argv: %d, left %d at %s\n", r, argc, argv[0]);
    r = SSL_CONF_cmd_argv(cctx, &argc, &argv);
    printf("argv unknown: %d, left %d\n", r, argc);
    argv += 2;
    argc -= 2;
    r = SSL_CONF_cmd_argv(cctx, &argc, &argv);
    printf("argv missing value: %d, left %d\n", r, argc);
    ERR_clear_error();
    printf("prefix %d", SSL_CONF_CTX_set1_prefix(cctx, "--"));
    char *prefixed[] = {"--max_protocol", "TLSv1.2"};
    argv = prefixed;
    argc = 2;
    printf(", prefixed argv %d, left %d, max %ld\n", SSL_CONF_cmd_argv(cctx, &argc, &argv), argc,
           SSL_CTX_get_max_proto_version(ctx));
    SSL_CONF_CTX_clear_flags(cctx, SSL_CONF_FLAG_CMDLINE);
    SSL_CONF_CTX_set_flags(cctx, SSL_CONF_FLAG_FILE);
    SSL_CONF_CTX_set1_prefix(cctx, "ssl_");
    printf("file with prefix %d", SSL_CONF_cmd(cctx, "SSL_MinProtocol", "TLSv1.2"));
    printf(", without %d", SSL_CONF_cmd(cctx, "MinProtocol", "TLSv1.2"));
    printf(", NULL prefix %d", SSL_CONF_CTX_set1_prefix(cctx, NULL));
    printf(", then %d\n", SSL_CONF_cmd(cctx, "MinProtocol", "TLSv1.2"));
    ERR_clear_error();
    SSL_CONF_CTX_free(cctx);
    SSL_CTX_free(ctx);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: api_probe SCENARIO PKI_DIR\n");
        return 2;
    }
    const char *s = argv[1];
    pki = argv[2];
    OPENSSL_init_ssl(0, NULL);
    if (!strcmp(s, "methods")) methods_and_settings();
    else if (!strcmp(s, "sessions")) session_api();
    else if (!strcmp(s, "callbacks")) certificate_callbacks();
    else if (!strcmp(s, "cert-and-key")) certificate_and_key();
    else if (!strcmp(s, "dane")) dane();
    else if (!strcmp(s, "bio-ssl")) bio_ssl();
    else if (!strcmp(s, "ca-lists")) ca_lists_and_conf();
    else { fprintf(stderr, "unknown scenario %s\n", s); return 2; }
    return 0;
}
