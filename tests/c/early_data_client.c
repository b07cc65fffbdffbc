/*
 * A TLS 1.3 client that sends 0-RTT early data as OpenSSL's manual describes: a first
 * connection gets a session; a second one resumes it, writes early data with
 * SSL_write_early_data before SSL_connect, and reports whether the server accepted it.
 * Then the calls OpenSSL refuses: early data without a session that allows it, and after
 * the handshake. With OTHER_PORT, a server that cannot resume the session (another
 * process, other ticket keys) gets early data it must reject.
 *
 *   early_data_client PORT CA_FILE [OTHER_PORT]
 */
#include "common.h"

static SSL *connect_to(SSL_CTX *ctx, const char *port)
{
    int fd = tcp_connect("127.0.0.1", port);
    SSL *ssl = SSL_new(ctx);
    SSL_set_fd(ssl, fd);
    SSL_set_tlsext_host_name(ssl, "localhost");
    SSL_set1_host(ssl, "localhost");
    SSL_set_connect_state(ssl);
    return ssl;
}

/* Reads until the server closes; prints what came. */
static void read_all(SSL *ssl, const char *who)
{
    char buf[1024];
    size_t got = 0;
    int n;
    while (got < sizeof(buf) - 1 && (n = SSL_read(ssl, buf + got, (int)(sizeof(buf) - 1 - got))) > 0)
        got += (size_t)n;
    buf[got] = '\0';
    printf("%s: read %zu bytes: %s", who, got, got ? buf : "(none)\n");
}

static void finish(SSL *ssl)
{
    int fd = SSL_get_fd(ssl);
    SSL_shutdown(ssl);
    SSL_free(ssl);
    close(fd);
}

int main(int argc, char **argv)
{
    SSL_CTX *ctx;
    SSL *ssl;
    SSL_SESSION *sess;
    size_t written = 0;
    char buf[256];
    int r;
    if (argc != 3 && argc != 4) {
        fprintf(stderr, "usage: early_data_client PORT CA_FILE [OTHER_PORT]\n");
        return 2;
    }
    ctx = SSL_CTX_new(TLS_client_method());
    SSL_CTX_load_verify_locations(ctx, argv[2], NULL);
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
    SSL_CTX_set_min_proto_version(ctx, TLS1_3_VERSION);
    SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_CLIENT);

    /* 1: a full handshake; the tickets come with the server's data. */
    ssl = connect_to(ctx, argv[1]);
    r = SSL_write_early_data(ssl, "too soon", 8, &written);
    printf("first: write_early_data without a session %d (written %zu)\n", r, written);
    print_errors("first: write_early_data");
    printf("first: connect %d, early data status %d\n", SSL_connect(ssl), SSL_get_early_data_status(ssl));
    SSL_write(ssl, "first\n", 6);
    r = SSL_read(ssl, buf, sizeof(buf) - 1);
    printf("first: read %d bytes\n", r);
    sess = SSL_get1_session(ssl);
    printf("first: session max early data %u, resumable %d\n", SSL_SESSION_get_max_early_data(sess),
           SSL_SESSION_is_resumable(sess));
    r = SSL_write_early_data(ssl, "too late", 8, &written);
    printf("first: write_early_data after the handshake %d\n", r);
    print_errors("first: write_early_data");
    finish(ssl);

    /* 2: resumed, with early data in two writes. */
    ssl = connect_to(ctx, argv[1]);
    SSL_set_session(ssl, sess);
    r = SSL_write_early_data(ssl, "hello ", 6, &written);
    printf("second: write_early_data %d (written %zu), in init %d\n", r, written, SSL_in_init(ssl));
    r = SSL_write_early_data(ssl, "early\n", 6, &written);
    printf("second: write_early_data %d (written %zu)\n", r, written);
    printf("second: early data status before connect %d\n", SSL_get_early_data_status(ssl));
    r = SSL_connect(ssl);
    printf("second: connect %d, reused %d, early data status %d\n", r, SSL_session_reused(ssl),
           SSL_get_early_data_status(ssl));
    if (r != 1)
        print_errors("second: connect");
    read_all(ssl, "second");
    SSL_SESSION_free(sess);
    sess = SSL_get1_session(ssl);
    finish(ssl);

    /* 3: the newest session, to a server that cannot resume it: early data rejected. */
    if (argc == 4) {
        printf("third: session max early data %u\n", SSL_SESSION_get_max_early_data(sess));
        ssl = connect_to(ctx, argv[3]);
        SSL_set_session(ssl, sess);
        r = SSL_write_early_data(ssl, "rejected\n", 9, &written);
        printf("third: write_early_data %d (written %zu)\n", r, written);
        r = SSL_connect(ssl);
        printf("third: connect %d, reused %d, early data status %d\n", r, SSL_session_reused(ssl),
               SSL_get_early_data_status(ssl));
        if (r != 1)
            print_errors("third: connect");
        SSL_write(ssl, "resent\n", 7);
        read_all(ssl, "third");
        finish(ssl);
    }
    SSL_SESSION_free(sess);
    SSL_CTX_free(ctx);
    return 0;
}
