/* watch.h - `careerpdf --career FILE --watch` (watch.c): the document built again
 * whenever one of its inputs changes, one line per build on stderr. */
#ifndef CP_WATCH_H
#define CP_WATCH_H

#include <stddef.h>

#include "app.h"

/* Builds the document once with a fresh session: EXIT_OK after setting *pages and
 * `written` (the output's name), else an exit code after its messages. */
typedef int (*cp_watch_build)(cp_session *s, const cp_options *o, size_t *pages,
                              char *written, size_t size);

/* Builds, then builds again after each change, until SIGINT or SIGTERM (EXIT_OK).
 * EXIT_BAD when the inputs cannot be watched. `s` only finds the inputs; every build
 * opens a session of its own. */
int app_watch(cp_session *s, const cp_options *o, cp_watch_build build);

#endif
