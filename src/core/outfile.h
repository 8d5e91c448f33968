/* outfile.h - output that appears whole or not at all.
 *
 * Every file is written to a temporary name in the same folder, flushed to disk and
 * renamed over the target: a crash, a kill or a full disk never leaves a partial
 * PDF under the real name. "-" writes to standard output. */
#ifndef CP_OUTFILE_H
#define CP_OUTFILE_H

#include <stdbool.h>
#include <stdio.h>

typedef struct {
    FILE *fp;
    char *tmp;          /* temporary path, NULL for stdout */
    char *path;
} cp_outfile;

bool outfile_open(cp_outfile *o, const char *path);
/* Hands what is written so far to the kernel and has the disk start storing it, without
 * waiting: the commit's sync then waits only for the rest. */
void outfile_start_writeback(cp_outfile *o);
/* Flush, sync and rename; false (and the temporary removed) on any write error. */
bool outfile_commit(cp_outfile *o);
void outfile_abort(cp_outfile *o);

#endif
