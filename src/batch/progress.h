/* progress.h - the progress bar of a batch run, on stderr.
 *
 * Shown only when stderr is a terminal and --quiet is not given: a bar with done/total,
 * the rate and the time left, redrawn at most ten times a second on one line. Scripts
 * and logs see only the one-line summary at the end (unless --quiet). */
#ifndef CP_PROGRESS_H
#define CP_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>

typedef struct {
    bool show;
    size_t total, done;
    double start, last_draw;   /* seconds, monotonic */
    int width;                 /* characters last drawn, to clear the line */
} cp_progress;

/* Monotonic seconds. */
double progress_now(void);
void progress_start(cp_progress *p, size_t total, bool quiet);
/* One more row finished (written, skipped or failed). */
void progress_step(cp_progress *p);
/* Removes the bar (before other messages, and at the end). */
void progress_clear(cp_progress *p);

/* "1m05s", "42s", "3h02m" into buf. */
void progress_duration(char *buf, size_t n, double seconds);

#endif
