/* roster_stdin.c - standard input copied into a temporary roster file (roster_stdin.h). */
#include "roster_stdin.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../core/diag.h"
#include "../core/stdin.h"

/* Decided by the first line with content. */
static bool looks_like_yaml(const char *text, size_t len)
{
    const char *p = text, *end = text + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *eol = nl ? nl : end;
        const char *q = p;
        while (q < eol && (*q == ' ' || *q == '\t' || *q == '\r'))
            q++;
        if (q < eol && *q != '#')
            return *q == '-';   /* "- name: ..." or "---" */
        p = eol + 1;
    }
    return false;
}

static const char *fail(const char *what, int err)
{
    cp_loc loc = {ROSTER_STDIN_NAME, 0, 0};
    diag_error(&loc, NULL, "%s: %s", what, strerror(err));
    return NULL;
}

const char *roster_stdin_copy(cp_arena *a)
{
    /* Read whole first: the first line decides the format, and the name's suffix
     * (.yaml or .csv) tells it to the roster reader. */
    size_t len = 0;
    char *buf = stdin_read_all(&len);
    if (!buf)
        return fail("cannot read the roster", errno);
    const char *dir = getenv("TMPDIR") && *getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    bool yaml = looks_like_yaml(buf, len);
    char *path = arena_printf(a, "%s/careerpdf-roster-XXXXXX.%s", dir, yaml ? "yaml" : "csv");
    int fd = mkstemps(path, yaml ? 5 : 4);
    if (fd < 0) {
        int err = errno;
        free(buf);
        return fail("cannot make a temporary copy of the roster", err);
    }
    FILE *f = fdopen(fd, "wb");
    bool ok = f && fwrite(buf, 1, len, f) == len;
    int err = errno;
    ok = (f ? fclose(f) == 0 : (close(fd), false)) && ok;
    free(buf);
    if (!ok) {
        unlink(path);
        return fail("cannot make a temporary copy of the roster", err ? err : EIO);
    }
    return path;
}
