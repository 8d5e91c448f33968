/* batch.h - personalised reports for a whole roster (careerpdf --roster FILE).
 *
 * One report per roster row, written to --out-dir by -j worker processes (default: one
 * per online core), each file whole or not at all; DIR/manifest.csv records every row
 * (DIR/manifest-K-of-N.csv with --shard K/N). With --merge FILE all reports go into one
 * PDF instead, each starting on an odd page (made in this process, one after the other).
 *
 * A bad row fails alone: one line `careerpdf: ROSTER:LINE: error: ...` on stderr, an
 * entry in the manifest, and the run goes on. Exit status: 0 every row written (or kept
 * with --skip-existing), 1 some rows failed, 2 bad usage or a roster that cannot be read
 * (nothing written). SIGINT and SIGTERM stop the workers, remove their temporary files,
 * write the manifest (every row: those never begun as not-started), and end the
 * process by the same signal.
 *
 * Before any work: the roster is read through (readable to the end, in its encoding),
 * the column mappings (src/batch/columns.h) and every {student.X} are checked, and the
 * output folder is locked for this run (src/batch/folder.h). --skip-existing keeps a
 * report only when the previous manifest records the identity this run would give it
 * (src/batch/identity.h). --out-dir and --merge together are refused.
 *
 * Self-ratings for the "fit" block: columns named rate:SKILL (see
 * src/layout/blocks_fit.c for how a skill's column name is made), values 0 to 5 or
 * empty; any other value fails the row. */
#ifndef CP_BATCH_H
#define CP_BATCH_H

#include "../app/app.h"

int batch_run(cp_session *s, const cp_options *o);

#endif
