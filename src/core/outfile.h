/* outfile.h - every output file is opened, written, synced and committed here.
 *
 * A regular file (or a name that does not exist yet) is written to a temporary name in
 * the same folder, flushed to disk and renamed over the target: a crash, a kill or a
 * full disk never leaves a partial PDF under the real name. A symbolic link is
 * followed, so the link stays and its target is replaced. Anything that is not a
 * regular file - a named pipe, a character device such as /dev/null or a terminal,
 * standard output ("-", /dev/stdout, /dev/fd/N) - is written directly: renaming over
 * it would replace the device or the pipe with a file, and its reader would get
 * nothing. A folder, a block device or a socket is refused.
 *
 * A filter (e.g. encryption, which needs the whole document) sees everything written,
 * in memory, when the file is committed, and writes what really goes to the file.
 *
 * Errors are reported here, once, naming the file and the cause. */
#ifndef CP_OUTFILE_H
#define CP_OUTFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Writes `len` bytes of `in` transformed to `to`; false with a sentence in `why`. */
typedef bool (*cp_outfile_filter)(void *ctx, const char *in, size_t len, FILE *to,
                                  char *why, size_t why_len);

typedef struct {
    FILE *fp;           /* what writers write to */
    char *tmp;          /* temporary path; NULL for direct writes */
    char *path;         /* the target (a symbolic link resolved) */
    char *name;         /* the target as the user named it, for messages */
    FILE *direct;       /* direct writes: the pipe, device or standard output */
    bool own_direct;    /* direct is ours to close (not stdout) */
    /* with a filter: fp is a memory stream, and `sink` the real file */
    cp_outfile_filter filter;
    void *filter_ctx;
    FILE *sink;
    char *mem;
    size_t mem_len;
} cp_outfile;

/* False after a message naming the file (a missing folder, a folder given as the file,
 * no permission...). */
bool outfile_open(cp_outfile *o, const char *path);
bool outfile_open_filtered(cp_outfile *o, const char *path, cp_outfile_filter filter,
                           void *ctx);
/* Hands what is written so far to the kernel and has the disk start storing it, without
 * waiting: the commit's sync then waits only for the rest. */
void outfile_start_writeback(cp_outfile *o);
/* Filter, flush, sync and rename; false (after a message naming the file and the
 * cause, and with the temporary removed) on any error. */
bool outfile_commit(cp_outfile *o);
/* A writer failed while writing into `o`: reports "cannot write the WHAT" with the
 * cause errno gives (a full disk, a closed pipe...) and drops what was written. */
void outfile_fail(cp_outfile *o, const char *what);
/* Drops what was written (a direct target keeps what already went out). */
void outfile_abort(cp_outfile *o);
/* The target is written directly (a pipe, a device, standard output): several files
 * cannot be told apart there, and nothing is renamed. */
bool outfile_is_direct(const char *path);

#endif
