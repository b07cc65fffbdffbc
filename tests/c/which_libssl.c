/* Prints every libssl mapped into this process, after one libssl call. */
#include <stdio.h>
#include <string.h>

#include <openssl/ssl.h>

int main(void)
{
    char line[4096];
    FILE *maps;
    SSL_CTX *ctx = SSL_CTX_new(TLS_method());
    printf("SSL_CTX_new: %s\n", ctx ? "ok" : "failed");
    SSL_CTX_free(ctx);
    maps = fopen("/proc/self/maps", "r");
    while (maps && fgets(line, sizeof(line), maps)) {
        char *p = strchr(line, '/');
        if (p && strstr(p, "libssl") && strstr(line, "r-xp"))
            printf("mapped: %s", p);
    }
    return 0;
}
