/* What OpenSSL's configuration file (OPENSSL_CONF) does to new contexts and connections:
 * the system_default section applied at SSL_CTX_new, named sections with SSL_CTX_config
 * and SSL_config, and OPENSSL_init_ssl(OPENSSL_INIT_NO_LOAD_CONFIG) keeping the file out.
 * Prints the same on the system OpenSSL and on ferrossl.
 *
 *   policy_probe loaded|not-loaded PKI_DIR      (with OPENSSL_CONF=FILE) */
#include "probe_common.h"

static void show_ctx(const char *who, SSL_CTX *ctx)
{
    uint64_t o = SSL_CTX_get_options(ctx);
    printf("%s: min %lx max %lx, security level %d, server preference %d, no ticket %d\n", who,
           SSL_CTX_get_min_proto_version(ctx), SSL_CTX_get_max_proto_version(ctx),
           SSL_CTX_get_security_level(ctx), !!(o & SSL_OP_CIPHER_SERVER_PREFERENCE),
           !!(o & SSL_OP_NO_TICKET));
    /* Which of the suites both libraries have are enabled (OpenSSL's list has more). */
    static const char *const known[] = {
        "TLS_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256", "TLS_CHACHA20_POLY1305_SHA256",
        "ECDHE-RSA-AES256-GCM-SHA384", "ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-RSA-CHACHA20-POLY1305",
    };
    STACK_OF(SSL_CIPHER) *ciphers = SSL_CTX_get_ciphers(ctx);
    printf("  suites:");
    for (size_t k = 0; k < sizeof(known) / sizeof(known[0]); k++)
        for (int i = 0; i < sk_SSL_CIPHER_num(ciphers); i++)
            if (!strcmp(SSL_CIPHER_get_name(sk_SSL_CIPHER_value(ciphers, i)), known[k]))
                printf(" %s", known[k]);
    printf("\n");
}

static void exchange(SSL_CTX *cctx, SSL_CTX *sctx)
{
    struct pair p = connect_pair(cctx, sctx);
    if (handshake(&p)) {
        int nid = 0;
        SSL_get_peer_signature_type_nid(p.client, &nid);
        printf("negotiated %s %s, group %s, server signature %s\n", SSL_get_version(p.client),
               SSL_get_cipher_name(p.client),
               SSL_group_to_name(p.client, SSL_get_negotiated_group(p.client)), OBJ_nid2sn(nid));
    }
    SSL_free(p.client);
    SSL_free(p.server);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: policy_probe loaded|not-loaded PKI_DIR\n");
        return 2;
    }
    pki = argv[2];
    if (!strcmp(argv[1], "not-loaded"))
        printf("init without the configuration: %d\n",
               OPENSSL_init_ssl(OPENSSL_INIT_NO_LOAD_CONFIG, NULL));
    SSL_CTX *sctx = server_ctx("server-rsa.pem", "server-rsa-key.pem");
    SSL_CTX *cctx = client_ctx("ca.pem", SSL_VERIFY_PEER);
    if (sctx == NULL || cctx == NULL) {
        printf("no context\n");
        errors("SSL_CTX_new");
        return 0;
    }
    show_ctx("server", sctx);
    show_ctx("client", cctx);
    exchange(cctx, sctx);
    printf("named section: %d\n", SSL_CTX_config(cctx, "client_extra"));
    errors("named section");
    show_ctx("client with its section", cctx);
    exchange(cctx, sctx);
    printf("missing section: %d\n", SSL_CTX_config(cctx, "missing"));
    errors("missing section");
    SSL_CTX *fresh = client_ctx("ca.pem", SSL_VERIFY_PEER);
    SSL *s = SSL_new(fresh);
    printf("connection's section: %d", SSL_config(s, "client_extra"));
    printf(", max %lx\n", SSL_get_max_proto_version(s));
    errors("connection's section");
    SSL_free(s);
    SSL_CTX_free(fresh);
    SSL_CTX_free(cctx);
    SSL_CTX_free(sctx);
    return 0;
}
