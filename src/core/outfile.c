/* sync_file_range (Linux) */
#define _GNU_SOURCE
#include "outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "xalloc.h"

/* One message per failure: the file as the user named it, what failed, and why. errno
 * is kept for callers that tell a full disk from other causes. */
static void fail(const char *name, const char *what, int err)
{
    cp_loc loc = {name, 0, 0};
    const char *hint = err == ENOSPC || err == EDQUOT ? " (free some space and run again)"
                     : err == EACCES || err == EPERM || err == EROFS
                         ? " (choose a folder you may write to)"
                     : err == ENOENT || err == ENOTDIR ? " (the folder must exist)"
                                                       : "";
    diag_error(&loc, NULL, "%s: %s%s", what, strerror(err), hint);
    errno = err;
}

/* Standard output under its other names: written to our stdout, never opened again
 * (in a container /dev/stdout may be a file the run must not replace). */
static bool names_stdout(const char *path)
{
    return !strcmp(path, "-") || !strcmp(path, "/dev/stdout") ||
           !strcmp(path, "/dev/fd/1") || !strcmp(path, "/proc/self/fd/1");
}

/* The file a symbolic link ends at (a link to a name that does not exist yet gives that
 * name), or a copy of `path` when it is no link. NULL after a loop of links. */
static char *follow_links(const char *path)
{
    char *cur = xstrdup(path);
    for (int hops = 0; hops < 40; hops++) {
        struct stat st;
        if (lstat(cur, &st) != 0 || !S_ISLNK(st.st_mode))
            return cur;
        char target[PATH_MAX];
        ssize_t n = readlink(cur, target, sizeof target - 1);
        if (n <= 0)
            return cur;
        target[n] = '\0';
        char *next;
        const char *slash = strrchr(cur, '/');
        if (target[0] == '/' || !slash) {
            next = xstrdup(target);
        } else {
            size_t dir = (size_t)(slash - cur + 1);
            next = xmalloc(dir + (size_t)n + 1);
            memcpy(next, cur, dir);
            memcpy(next + dir, target, (size_t)n + 1);
        }
        free(cur);
        cur = next;
    }
    free(cur);
    errno = ELOOP;
    return NULL;
}

bool outfile_is_direct(const char *path)
{
    struct stat st;
    return names_stdout(path) ||
           (stat(path, &st) == 0 && (S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode)));
}

static bool open_direct(cp_outfile *o, const char *path)
{
    if (names_stdout(path)) {
        o->direct = stdout;
        return true;
    }
    int fd = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0 || !(o->direct = fdopen(fd, "wb"))) {
        fail(o->name, "cannot open the output for writing", errno);
        if (fd >= 0)
            close(fd);
        return false;
    }
    o->own_direct = true;
    return true;
}

static bool open_temporary(cp_outfile *o)
{
    size_t n = strlen(o->path) + 32;
    o->tmp = xmalloc(n);
    const char *slash = strrchr(o->path, '/');
    int dir_len = slash ? (int)(slash - o->path + 1) : 0;
    snprintf(o->tmp, n, "%.*s.%s.tmp.XXXXXX", dir_len, o->path,
             slash ? slash + 1 : o->path);
    int fd = mkostemp(o->tmp, O_CLOEXEC);
    if (fd < 0) {
        fail(o->name, "cannot create the output file", errno);
        return false;
    }
    fchmod(fd, 0644);
    o->fp = fdopen(fd, "wb");
    return true;
}

static void release(cp_outfile *o)
{
    free(o->tmp);
    free(o->path);
    free(o->name);
    free(o->mem);
    memset(o, 0, sizeof *o);
}

bool outfile_open(cp_outfile *o, const char *path)
{
    memset(o, 0, sizeof *o);
    o->name = xstrdup(names_stdout(path) ? "-" : path);
    bool ok;
    if (outfile_is_direct(path)) {
        o->path = xstrdup(path);
        ok = open_direct(o, path);
        o->fp = o->direct;
    } else {
        struct stat st;
        o->path = follow_links(path);
        if (!o->path) {
            fail(o->name, "cannot follow the symbolic link", errno);
            ok = false;
        } else if (stat(o->path, &st) == 0 && !S_ISREG(st.st_mode)) {
            cp_loc loc = {o->name, 0, 0};
            diag_error(&loc, NULL, "is %s, expected a file name, a named pipe or a "
                       "character device such as /dev/stdout",
                       S_ISDIR(st.st_mode) ? "a folder" : S_ISBLK(st.st_mode)
                       ? "a block device" : "neither a regular file nor a pipe");
            ok = false;
        } else {
            ok = open_temporary(o);
        }
    }
    if (!ok)
        release(o);
    return ok;
}

bool outfile_open_filtered(cp_outfile *o, const char *path, cp_outfile_filter filter,
                           void *ctx)
{
    if (!outfile_open(o, path))
        return false;
    if (!filter)
        return true;
    o->filter = filter;
    o->filter_ctx = ctx;
    o->sink = o->fp;
    o->fp = xopen_memstream(&o->mem, &o->mem_len);
    return true;
}

void outfile_start_writeback(cp_outfile *o)
{
    if (!o->tmp || o->filter || fflush(o->fp) != 0)
        return;   /* a write error shows again, and is reported, at the commit */
#ifdef __linux__
    sync_file_range(fileno(o->fp), 0, 0, SYNC_FILE_RANGE_WRITE);
#endif
}

/* The filter's output into the real file; fp is the real file afterwards. */
static bool run_filter(cp_outfile *o)
{
    bool ok = fclose(o->fp) == 0;
    o->fp = o->sink;
    o->sink = NULL;
    char why[512] = "";
    if (ok && !o->filter(o->filter_ctx, o->mem, o->mem_len, o->fp, why, sizeof why)) {
        cp_loc loc = {o->name, 0, 0};
        diag_error(&loc, NULL, "%s", *why ? why : "the output could not be finished");
        ok = false;
    }
    return ok;
}

bool outfile_commit(cp_outfile *o)
{
    bool ok = !o->filter || run_filter(o);
    if (!ok) {
        outfile_abort(o);
        return false;
    }
    int err = 0;
    if (fflush(o->fp) != 0 || ferror(o->fp))
        err = errno ? errno : EIO;
    if (o->direct) {
        if (o->own_direct && fclose(o->fp) != 0 && !err)
            err = errno;
        if (err)
            fail(o->name, o->direct == stdout ? "cannot write to standard output"
                                              : "cannot write the output", err);
        release(o);
        return err == 0;
    }
    if (!err && fsync(fileno(o->fp)) != 0)
        err = errno;
    if (fclose(o->fp) != 0 && !err)
        err = errno;
    o->fp = NULL;
    if (!err && rename(o->tmp, o->path) != 0)
        err = errno;
    if (err) {
        unlink(o->tmp);
        fail(o->name, "cannot write the output file", err);
    }
    release(o);
    errno = err;
    return err == 0;
}

void outfile_fail(cp_outfile *o, const char *what)
{
    int err = errno;
    char msg[128];
    snprintf(msg, sizeof msg, "cannot write the %s", what);
    if (err)
        fail(o->name, msg, err);
    else {
        cp_loc loc = {o->name, 0, 0};
        diag_error(&loc, NULL, "%s: the writer failed", msg);
    }
    outfile_abort(o);
}

void outfile_abort(cp_outfile *o)
{
    int err = errno;
    if (o->sink) {              /* the memory stream is still open */
        fclose(o->fp);
        o->fp = o->sink;
    }
    if (o->tmp) {
        if (o->fp)
            fclose(o->fp);
        unlink(o->tmp);
    } else if (o->own_direct && o->fp) {
        fclose(o->fp);
    } else if (o->fp) {
        fflush(o->fp);
    }
    release(o);
    errno = err;
}
