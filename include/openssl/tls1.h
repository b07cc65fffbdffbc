/* ferrossl: the TLS constants live in ssl.h, which OpenSSL 3 programs include anyway. */
#include <openssl/ssl.h>
