/* stdin.c - standard input read whole (stdin.h). */
#include "stdin.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

char *stdin_read_all(size_t *len)
{
    size_t used = 0, cap = 1 << 16;
    char *buf = malloc(cap);
    size_t n;
    while (buf && (n = fread(buf + used, 1, cap - used - 1, stdin)) > 0) {
        used += n;
        if (used + 1 == cap) {
            char *bigger = realloc(buf, cap *= 2);
            if (!bigger)
                free(buf);
            buf = bigger;
        }
    }
    if (!buf) {
        errno = ENOMEM;
        return NULL;
    }
    if (ferror(stdin)) {
        int err = errno;
        free(buf);
        errno = err ? err : EIO;
        return NULL;
    }
    buf[used] = '\0';
    *len = used;
    return buf;
}
