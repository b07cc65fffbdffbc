/* Helpers shared by the ferrossl C examples: TCP on loopback and error printing. */
#ifndef FERROSSL_EXAMPLES_COMMON_H
#define FERROSSL_EXAMPLES_COMMON_H

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

/* Prints every queued error as OpenSSL formats it, oldest first. */
static inline void print_errors(const char *what)
{
    unsigned long e;
    char buf[256];
    while ((e = ERR_get_error()) != 0) {
        ERR_error_string_n(e, buf, sizeof(buf));
        fprintf(stderr, "%s: %s\n", what, buf);
    }
}

/* Connects a TCP socket to host:port (numeric or name), or returns -1. */
static inline int tcp_connect(const char *host, const char *port)
{
    struct addrinfo hints = {0}, *res, *ai;
    int fd = -1;
    hints.ai_socktype = SOCK_STREAM;
    if (getaddrinfo(host, port, &hints, &res) != 0)
        return -1;
    for (ai = res; ai != NULL; ai = ai->ai_next) {
        fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
        if (fd < 0)
            continue;
        if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
            break;
        close(fd);
        fd = -1;
    }
    freeaddrinfo(res);
    return fd;
}

/* Listens on 127.0.0.1:port (port 0 picks one; the chosen port is written back). */
static inline int tcp_listen(int *port)
{
    struct sockaddr_in a = {0};
    socklen_t len = sizeof(a);
    int one = 1, fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return -1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons((unsigned short)*port);
    if (bind(fd, (struct sockaddr *)&a, sizeof(a)) != 0 || listen(fd, 8) != 0) {
        close(fd);
        return -1;
    }
    getsockname(fd, (struct sockaddr *)&a, &len);
    *port = ntohs(a.sin_port);
    return fd;
}

/* Prints what a finished handshake negotiated. */
static inline void print_negotiated(SSL *ssl)
{
    const unsigned char *alpn = NULL;
    unsigned int alpn_len = 0;
    X509 *peer = SSL_get1_peer_certificate(ssl);
    SSL_get0_alpn_selected(ssl, &alpn, &alpn_len);
    printf("protocol: %s\n", SSL_get_version(ssl));
    printf("cipher: %s\n", SSL_CIPHER_get_name(SSL_get_current_cipher(ssl)));
    printf("alpn: %.*s\n", (int)alpn_len, alpn_len ? (const char *)alpn : "(none)");
    if (peer != NULL) {
        char name[256];
        X509_NAME_oneline(X509_get_subject_name(peer), name, sizeof(name));
        printf("peer certificate: %s\n", name);
    } else {
        printf("peer certificate: none\n");
    }
    printf("verify result: %ld (%s)\n", SSL_get_verify_result(ssl),
           X509_verify_cert_error_string(SSL_get_verify_result(ssl)));
    X509_free(peer);
}

#endif
