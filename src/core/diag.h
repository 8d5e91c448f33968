/* diag.h - the one diagnostics printer.
 *
 * Every message careerpdf prints about bad input has the form
 *   careerpdf: FILE:LINE:COL: error: data.path: what is wrong
 * so editors and scripts can jump to it. Locations are 1-based. */
#ifndef CP_DIAG_H
#define CP_DIAG_H

#include <stdio.h>

typedef struct {
    const char *file; /* as the user named it */
    int line, col;    /* 1-based; 0 when unknown */
} cp_loc;

/* Where messages go (stderr by default; tests capture them). */
void diag_set_stream(FILE *f);
/* When set, messages are kept silent but still counted (used by batch workers that
 * report through the manifest). */
void diag_set_quiet(int quiet);

void diag_error(const cp_loc *loc, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void diag_warning(const cp_loc *loc, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Errors reported since the last reset; the last message's text. */
int diag_error_count(void);
const char *diag_last_message(void);
void diag_reset(void);

#endif
