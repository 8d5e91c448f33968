/* sync_file_range (Linux) */
#define _GNU_SOURCE
#include "outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "xalloc.h"

static void fail(const char *path, const char *what)
{
    cp_loc loc = {path, 0, 0};
    diag_error(&loc, NULL, "%s: %s", what, strerror(errno));
}

bool outfile_open(cp_outfile *o, const char *path)
{
    memset(o, 0, sizeof *o);
    o->path = xstrdup(path);
    if (!strcmp(path, "-")) {
        o->fp = stdout;
        return true;
    }
    size_t n = strlen(path) + 32;
    o->tmp = xmalloc(n);
    const char *slash = strrchr(path, '/');
    int dir_len = slash ? (int)(slash - path + 1) : 0;
    snprintf(o->tmp, n, "%.*s.%s.tmp.XXXXXX", dir_len, path, slash ? slash + 1 : path);
    int fd = mkstemp(o->tmp);
    if (fd < 0) {
        fail(path, "cannot create the output file");
        free(o->tmp);
        free(o->path);
        o->tmp = o->path = NULL;
        return false;
    }
    fchmod(fd, 0644);
    o->fp = fdopen(fd, "wb");
    return true;
}

void outfile_start_writeback(cp_outfile *o)
{
    if (!o->tmp || fflush(o->fp) != 0)
        return;   /* a write error shows again, and is reported, at the commit */
#ifdef __linux__
    sync_file_range(fileno(o->fp), 0, 0, SYNC_FILE_RANGE_WRITE);
#endif
}

bool outfile_commit(cp_outfile *o)
{
    bool ok = fflush(o->fp) == 0 && !ferror(o->fp);
    if (!o->tmp) {
        if (!ok)
            fail("-", "cannot write to standard output");
        free(o->path);
        return ok;
    }
    ok = ok && fsync(fileno(o->fp)) == 0;
    ok = (fclose(o->fp) == 0) && ok;
    o->fp = NULL;
    if (ok && rename(o->tmp, o->path) != 0)
        ok = false;
    if (!ok) {
        fail(o->path, "cannot write the output file");
        unlink(o->tmp);
    }
    free(o->tmp);
    free(o->path);
    o->tmp = o->path = NULL;
    return ok;
}

void outfile_abort(cp_outfile *o)
{
    if (o->tmp) {
        if (o->fp)
            fclose(o->fp);
        unlink(o->tmp);
    }
    free(o->tmp);
    free(o->path);
    memset(o, 0, sizeof *o);
}
