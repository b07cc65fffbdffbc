/*
 * rustc's LLVM instruments memory intrinsics as calls to __tsan_memcpy, __tsan_memmove
 * and __tsan_memset; GCC 12's libtsan (the ThreadSanitizer runtime this machine has)
 * does not define them. These forward to the C library's functions, which libtsan
 * intercepts and checks, so the accesses are still seen. Linked with -rdynamic into the
 * test program so the instrumented libssl.so.3 resolves them.
 */
#include <string.h>

void *__tsan_memcpy(void *dst, const void *src, size_t n)
{
    return memcpy(dst, src, n);
}

void *__tsan_memmove(void *dst, const void *src, size_t n)
{
    return memmove(dst, src, n);
}

void *__tsan_memset(void *dst, int c, size_t n)
{
    return memset(dst, c, n);
}
