/* What OpenSSL's configuration file (OPENSSL_CONF) does to new contexts and connections:
 * the system_default section applied at SSL_CTX_new, named sections with SSL_CTX_config
 * and SSL_config, and OPENSSL_init_ssl(OPENSSL_INIT_NO_LOAD_CONFIG) keeping the file out.
 * Prints the same on the system OpenSSL and on ferrossl.
 *
 *   policy_probe loaded|not-loaded PKI_DIR      (with OPENSSL_CONF=FILE)
 *   policy_probe commands PKI_DIR               (SSL_CONF_cmd's command table) */
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

/* SSL_CONF commands, as configuration files and the openssl tool give them: each
 * command's return value and the options, bounds it leaves. */
static void conf(SSL_CTX *ctx, unsigned int flags, const char *cmd, const char *value)
{
    SSL_CONF_CTX *cctx = SSL_CONF_CTX_new();
    SSL_CONF_CTX_set_flags(cctx, flags);
    SSL_CONF_CTX_set_ssl_ctx(cctx, ctx);
    int rv = SSL_CONF_cmd(cctx, cmd, value);
    printf("%s %s: %d, options %#llx, min %lx max %lx\n", cmd, value ? value : "", rv,
           (unsigned long long)SSL_CTX_get_options(ctx), SSL_CTX_get_min_proto_version(ctx),
           SSL_CTX_get_max_proto_version(ctx));
    ERR_clear_error();
    SSL_CONF_CTX_free(cctx);
}

static void commands(void)
{
    static const char *const switches[] = {
        "-no_ssl3", "-no_tls1", "-no_tls1_1", "-bugs", "-no_comp", "-comp", "-no_ticket",
        "-serverpref", "-legacy_renegotiation", "-legacy_server_connect",
        "-no_legacy_server_connect", "-no_renegotiation", "-no_resumption_on_reneg",
        "-allow_no_dhe_kex", "-prioritize_chacha", "-no_middlebox", "-anti_replay",
        "-no_anti_replay", "-no_such_switch", "-no_tls1_2", "-no_tls1_3",
    };
    unsigned int server = SSL_CONF_FLAG_CMDLINE | SSL_CONF_FLAG_SERVER;
    unsigned int client = SSL_CONF_FLAG_CMDLINE | SSL_CONF_FLAG_CLIENT;
    unsigned int file = SSL_CONF_FLAG_FILE | SSL_CONF_FLAG_SERVER | SSL_CONF_FLAG_CLIENT;
    SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
    for (size_t i = 0; i < sizeof(switches) / sizeof(switches[0]); i++)
        conf(ctx, server, switches[i], NULL);
    SSL_CTX_free(ctx);
    ctx = SSL_CTX_new(TLS_client_method());
    conf(ctx, client, "-serverpref", NULL);
    conf(ctx, client, "-prioritize_chacha", NULL);
    conf(ctx, client, "-no_tls1_3", NULL);
    static const char *const protocols[] = {
        "-ALL,TLSv1.2", "ALL,-TLSv1.3,+TLSv1.2", "tlsv1.3", "TLSv1.2,bogus,TLSv1.3", "-ALL",
    };
    for (size_t i = 0; i < sizeof(protocols) / sizeof(protocols[0]); i++)
        conf(ctx, file, "Protocol", protocols[i]);
    SSL_CTX_free(ctx);
    ctx = SSL_CTX_new(TLS_server_method());
    static const char *const options[] = {
        "Bugs,-EncryptThenMac,CANames,-ExtendedMasterSecret", "KTLS,PrioritizeChaCha,-AntiReplay",
        "ClientRenegotiation,UnsafeLegacyRenegotiation,UnsafeLegacyServerConnect",
        "sessionticket,-compression", "ECDHSingle,DHSingle,NoResumptionOnRenegotiation",
        "-Bugs,+MiddleboxCompat,IgnoreUnexpectedEOF,EmptyFragments",
    };
    for (size_t i = 0; i < sizeof(options) / sizeof(options[0]); i++)
        conf(ctx, file, "Options", options[i]);
    SSL_CTX_free(ctx);

    /* A server with TLS 1.3 switched off by its switch meets a default client. */
    SSL_CTX *sctx = server_ctx("server-rsa.pem", "server-rsa-key.pem");
    conf(sctx, server, "-no_tls1_3", NULL);
    SSL_CTX *cctx = client_ctx("ca.pem", SSL_VERIFY_PEER);
    exchange(cctx, sctx);
    SSL_CTX_free(cctx);
    SSL_CTX_free(sctx);
}

static int store_objects(X509_STORE *st)
{
    return st == NULL ? -1 : sk_X509_OBJECT_num(X509_STORE_get0_objects(st));
}

/* A file command on a fresh server context, finished: what it returns and leaves (verify
 * mode, tickets, CA list, chain and verify stores). */
static void file_command(unsigned int flags, const char *cmd, const char *value)
{
    SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
    SSL_CONF_CTX *cctx = SSL_CONF_CTX_new();
    X509_STORE *chain = NULL, *verify = NULL;
    SSL_CONF_CTX_set_flags(cctx, flags);
    SSL_CONF_CTX_set_ssl_ctx(cctx, ctx);
    int rv = SSL_CONF_cmd(cctx, cmd, value);
    int finished = SSL_CONF_CTX_finish(cctx);
    SSL_CTX_get0_chain_cert_store(ctx, &chain);
    SSL_CTX_get0_verify_cert_store(ctx, &verify);
    const STACK_OF(X509_NAME) *cas = SSL_CTX_get0_CA_list(ctx);
    printf("%s %s: %d (finish %d), verify mode %d, tickets %zu, CA names %d, chain store %d, "
           "verify store %d\n", cmd, value ? value : "", rv, finished, SSL_CTX_get_verify_mode(ctx),
           SSL_CTX_get_num_tickets(ctx), cas == NULL ? -1 : sk_X509_NAME_num(cas),
           store_objects(chain), store_objects(verify));
    ERR_clear_error();
    SSL_CONF_CTX_free(cctx);
    SSL_CTX_free(ctx);
}

static void file_commands(void)
{
    unsigned int files = SSL_CONF_FLAG_FILE | SSL_CONF_FLAG_SERVER | SSL_CONF_FLAG_CERTIFICATE;
    unsigned int no_certs = SSL_CONF_FLAG_FILE | SSL_CONF_FLAG_SERVER;
    unsigned int client_files = SSL_CONF_FLAG_FILE | SSL_CONF_FLAG_CLIENT | SSL_CONF_FLAG_CERTIFICATE;
    unsigned int cmdline = SSL_CONF_FLAG_CMDLINE | SSL_CONF_FLAG_SERVER | SSL_CONF_FLAG_CERTIFICATE;
    static const char *const modes[] = {
        "Request", "Require,Once", "Peer", "RequirePostHandshake", "Require,-Once,bogus", "-Request",
    };
    for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
        file_command(files, "VerifyMode", modes[i]);
    file_command(client_files, "VerifyMode", "Peer");
    static const char *const numbers[] = {"3", "0", "-1", "abc", "7x"};
    for (size_t i = 0; i < sizeof(numbers) / sizeof(numbers[0]); i++)
        file_command(files, "NumTickets", numbers[i]);
    file_command(client_files, "NumTickets", "3");
    file_command(cmdline, "-num_tickets", "4");
    static const char *const paddings[] = {"0", "1", "99999", "-5"};
    for (size_t i = 0; i < sizeof(paddings) / sizeof(paddings[0]); i++)
        file_command(files, "RecordPadding", paddings[i]);
    file_command(files, "ChainCAFile", path("ca.pem"));
    file_command(files, "ChainCAFile", path("missing.pem"));
    file_command(files, "ChainCAPath", path("ca-dir"));
    file_command(files, "VerifyCAFile", path("server-rsa-chain.pem"));
    file_command(no_certs, "VerifyCAFile", path("ca.pem"));
    file_command(files, "VerifyCAPath", path("ca-dir"));
    file_command(cmdline, "-verifyCAfile", path("ca.pem"));
    file_command(files, "RequestCAFile", path("server-rsa-chain.pem"));
    file_command(files, "ClientCAFile", path("ca.pem"));
    file_command(client_files, "ClientCAFile", path("ca.pem"));
    file_command(files, "RequestCAPath", path("ca-dir"));
    file_command(files, "RequestCAFile", path("malformed.pem"));
    file_command(files, "DHParameters", path("dhparams.pem"));
    file_command(files, "DHParameters", path("server-rsa-key.pem"));
    file_command(files, "DHParameters", path("missing.pem"));
    file_command(no_certs, "DHParameters", path("dhparams.pem"));
    static const char *const curves[] = {"automatic", "+Automatic", "P-256", "P-256:X25519", "bogus"};
    for (size_t i = 0; i < sizeof(curves) / sizeof(curves[0]); i++)
        file_command(files, "ECDHParameters", curves[i]);
    file_command(cmdline, "-named_curve", "auto");
    file_command(client_files, "ECDHParameters", "P-256");

    /* A server whose only group comes from ECDHParameters, and whose client's
     * VerifyMode asks for verification through a VerifyCAFile store. */
    SSL_CTX *sctx = server_ctx("server-rsa.pem", "server-rsa-key.pem");
    SSL_CTX *cctx = SSL_CTX_new(TLS_client_method());
    SSL_CONF_CTX *c = SSL_CONF_CTX_new();
    SSL_CONF_CTX_set_flags(c, files);
    SSL_CONF_CTX_set_ssl_ctx(c, sctx);
    printf("server ECDHParameters %d\n", SSL_CONF_cmd(c, "ECDHParameters", "P-384"));
    SSL_CONF_CTX_free(c);
    c = SSL_CONF_CTX_new();
    SSL_CONF_CTX_set_flags(c, client_files);
    SSL_CONF_CTX_set_ssl_ctx(c, cctx);
    printf("client VerifyMode %d, VerifyCAFile %d\n", SSL_CONF_cmd(c, "VerifyMode", "Peer"),
           SSL_CONF_cmd(c, "VerifyCAFile", path("ca.pem")));
    SSL_CONF_CTX_free(c);
    exchange(cctx, sctx);
    SSL_CTX_free(cctx);
    SSL_CTX_free(sctx);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: policy_probe loaded|not-loaded|commands PKI_DIR\n");
        return 2;
    }
    pki = argv[2];
    if (!strcmp(argv[1], "commands")) {
        commands();
        file_commands();
        return 0;
    }
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
