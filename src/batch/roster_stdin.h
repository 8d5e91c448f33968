/* roster_stdin.h - `--roster -`: a roster read from standard input.
 *
 * A batch run reads its roster twice (once to count the rows for the progress bar,
 * once to make them), and standard input can be read only once: it is copied whole
 * into a private temporary file (TMPDIR, mode 0600), which the run reads as it reads
 * any roster and removes as soon as it has opened it. Messages name it `<stdin>`. The
 * format is YAML when the first line that is not blank or a `#` comment starts with
 * `-` (a list of mappings) or is a `---` document start, else CSV. */
#ifndef CP_ROSTER_STDIN_H
#define CP_ROSTER_STDIN_H

#include "../core/arena.h"

#define ROSTER_STDIN_NAME "<stdin>"

/* The temporary file's path (arena string), or NULL after a message. */
const char *roster_stdin_copy(cp_arena *a);

#endif
