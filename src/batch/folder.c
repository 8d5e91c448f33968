/* folder.c - one roster run per output folder, and what killed runs left there.
 *
 * The lock is flock(2) on FOLDER/.careerpdf.lock, holding the pid of the run that
 * took it. A run takes it exclusively; the shards of one run (--shard K/N, often
 * started together into one folder) share it, and each also takes its own
 * .careerpdf-K-of-N.lock, so a shard cannot run twice. A second run does not wait: it
 * exits 2 at once, naming the pid of the run in its way (a script then decides; a run
 * that waited silently could wait for hours). The kernel drops the lock when a run
 * dies, however it dies, so a killed run never blocks the next. The file is removed
 * by the last run out; a run that finds the file it locked already replaced by
 * another (removed and created again meanwhile) locks the new one instead. */
#include "folder.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib.h>

#include "../core/diag.h"

struct cp_folder_lock {
    char *path, *shard_path;
    int fd, shard_fd;
};

/* Opens and locks `path` (how: LOCK_EX or LOCK_SH); -1 with errno EWOULDBLOCK when
 * another process holds it. */
static int lock_file(const char *path, int how)
{
    for (;;) {
        int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
        if (fd < 0)
            return -1;
        if (flock(fd, how | LOCK_NB) != 0) {
            int err = errno;
            close(fd);
            errno = err;
            return -1;
        }
        struct stat held, now;
        if (fstat(fd, &held) == 0 && stat(path, &now) == 0 && held.st_ino == now.st_ino &&
            held.st_dev == now.st_dev)
            return fd;
        close(fd);   /* removed by the run before us after we opened it: again */
    }
}

static void write_pid(int fd)
{
    char pid[32];
    int n = snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
    if (ftruncate(fd, 0) != 0 || pwrite(fd, pid, (size_t)n, 0) != n) {
        /* the pid is only for messages */
    }
}

static void refuse(const char *path, const char *dir)
{
    char buf[32] = "";
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        ssize_t n = read(fd, buf, sizeof buf - 1);
        buf[n > 0 ? n : 0] = '\0';
        close(fd);
    }
    long pid = strtol(buf, NULL, 10);
    cp_loc loc = {dir, 0, 0};
    if (pid > 0)
        diag_error(&loc, NULL, "another careerpdf run (pid %ld) is writing into this "
                   "folder, expected one run per folder: wait for it to end, or give this "
                   "run another --out-dir", pid);
    else
        diag_error(&loc, NULL, "another careerpdf run is writing into this folder, "
                   "expected one run per folder: wait for it to end, or give this run "
                   "another --out-dir");
}

cp_folder_lock *folder_lock(const char *dir, int shard_k, int shard_n, bool *alone)
{
    cp_folder_lock *l = g_new0(cp_folder_lock, 1);
    l->path = g_build_filename(dir, ".careerpdf.lock", NULL);
    l->fd = l->shard_fd = -1;
    *alone = false;
    l->fd = lock_file(l->path, LOCK_EX);
    if (l->fd >= 0) {
        *alone = true;
        write_pid(l->fd);
        if (shard_n && flock(l->fd, LOCK_SH | LOCK_NB) != 0) {
            close(l->fd);
            l->fd = -1;
        }
    } else if (shard_n && errno == EWOULDBLOCK) {
        l->fd = lock_file(l->path, LOCK_SH);   /* other shards are at work */
        if (l->fd >= 0)
            write_pid(l->fd);
    }
    if (l->fd >= 0 && shard_n) {
        char name[64];
        snprintf(name, sizeof name, ".careerpdf-%d-of-%d.lock", shard_k, shard_n);
        l->shard_path = g_build_filename(dir, name, NULL);
        l->shard_fd = lock_file(l->shard_path, LOCK_EX);
        if (l->shard_fd < 0 && errno == EWOULDBLOCK) {
            refuse(l->shard_path, dir);
            folder_unlock(l);
            return NULL;
        }
        if (l->shard_fd >= 0)
            write_pid(l->shard_fd);
    }
    if (l->fd < 0 && errno == EWOULDBLOCK) {
        refuse(l->path, dir);
        folder_unlock(l);
        return NULL;
    }
    if (l->fd < 0 || (shard_n && l->shard_fd < 0)) {
        cp_loc loc = {dir, 0, 0};
        diag_error(&loc, NULL, "cannot lock this folder for the run: %s", strerror(errno));
        folder_unlock(l);
        return NULL;
    }
    return l;
}

void folder_unlock(cp_folder_lock *l)
{
    if (!l)
        return;
    if (l->shard_fd >= 0) {
        unlink(l->shard_path);
        close(l->shard_fd);
    }
    /* The last run out removes the file: it can lock it alone. */
    if (l->fd >= 0 && flock(l->fd, LOCK_EX | LOCK_NB) == 0)
        unlink(l->path);
    if (l->fd >= 0)
        close(l->fd);
    g_free(l->path);
    g_free(l->shard_path);
    g_free(l);
}

/* outfile names a temporary ".NAME.tmp.XXXXXX" (mkstemp): is `entry` one for a NAME
 * that is `stem` (or starts with it and then '.' or '-': "m.manifest.csv",
 * "manifest-1-of-3.csv") and ends in `ext`? An empty stem takes any NAME. */
static bool is_temp_of(const char *entry, const char *stem, const char *ext)
{
    size_t n = strlen(entry), s = strlen(stem), e = strlen(ext);
    if (n < 1 + e + 11 || entry[0] != '.' || strncmp(entry + n - 11, ".tmp.", 5) ||
        strncmp(entry + n - 11 - e, ext, e))
        return false;
    size_t name = n - 1 - 11;   /* NAME with its extension */
    if (name < e + (s ? s : 1) || strncmp(entry + 1, stem, s))
        return false;
    char after = entry[1 + s];
    return !s || name == s + e || after == '.' || after == '-';
}

size_t folder_clean(const char *dir, const char *stem)
{
    size_t removed = 0;
    DIR *d = opendir(dir);
    for (struct dirent *e; d && (e = readdir(d));) {
        const char *n = e->d_name;
        bool ours = stem ? is_temp_of(n, stem, ".pdf") || is_temp_of(n, stem, ".csv")
                         : is_temp_of(n, "", ".pdf") || is_temp_of(n, "manifest", ".csv");
        if (!ours)
            continue;
        char *p = g_build_filename(dir, n, NULL);
        removed += unlink(p) == 0;
        g_free(p);
    }
    if (d)
        closedir(d);
    return removed;
}
