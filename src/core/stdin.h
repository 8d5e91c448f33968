/* stdin.h - standard input read whole (for `--career -` and `--roster -`). */
#ifndef CP_STDIN_H
#define CP_STDIN_H

#include <stddef.h>

/* Everything on standard input, NUL-terminated (*len excludes the NUL); free() it.
 * NULL with errno set when it cannot be read. */
char *stdin_read_all(size_t *len);

#endif
