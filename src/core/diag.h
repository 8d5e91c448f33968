/* diag.h - diagnostics as values, and the one printer.
 *
 * Every problem careerpdf finds in its input is a value: where (file, line, column),
 * the data path, a severity, a stable code, the message and a hint (how to fix it).
 * Printed as text it has the form
 *   careerpdf: FILE:LINE:COL: error: data.path: what is wrong, what was expected (hint)
 * so editors and scripts can jump to it; `--check --json` prints the same values as
 * JSON lines (doc/schema/check.schema.json). Locations are 1-based.
 *
 * A job (one career checked, one document made) can collect its diagnostics in a list
 * and decide from the list, not from a global count, whether it failed; the list is
 * then printed in one place. Without a collector each diagnostic is printed as it
 * comes. */
#ifndef CP_DIAG_H
#define CP_DIAG_H

#include <stddef.h>
#include <stdio.h>

typedef struct {
    const char *file; /* as the user named it */
    int line, col;    /* 1-based; 0 when unknown */
} cp_loc;

typedef enum { DIAG_ERROR, DIAG_WARNING } cp_severity;

typedef struct {
    cp_severity severity;
    const char *file;     /* relative to the working folder when under it; NULL: none */
    int line, col;        /* 0 when unknown */
    const char *path;     /* data path ("blocks[3].limit"); NULL or "" when none */
    const char *code;     /* stable kind: "yaml.syntax", "schema.unknown-key"... */
    const char *message;  /* what is wrong, what was expected */
    const char *hint;     /* how to fix it ("did you mean 'limit'?"), or NULL */
} cp_diag;

/* Where text messages go (stderr by default; tests capture them). */
void diag_set_stream(FILE *f);
/* When set, messages are kept silent but still counted (used by batch workers that
 * report through the manifest). */
void diag_set_quiet(int quiet);

/* Text (default) or one JSON object per line. */
typedef enum { DIAG_TEXT, DIAG_JSON } cp_diag_format;
void diag_set_format(cp_diag_format f);

void diag_error(const cp_loc *loc, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void diag_warning(const cp_loc *loc, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The full form: a code and a hint (either may be NULL). */
void diag_report(cp_severity severity, const cp_loc *loc, const char *path,
                 const char *code, const char *hint, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* The one printer: text to the stream, or a JSON line to `json_out`. */
void diag_print(const cp_diag *d, FILE *json_out);

/* ---- collecting a job's diagnostics ----------------------------------------------- */

typedef struct cp_diag_list cp_diag_list;
cp_diag_list *diag_list_new(void);
void diag_list_free(cp_diag_list *l);
size_t diag_list_len(const cp_diag_list *l);
const cp_diag *diag_list_get(const cp_diag_list *l, size_t i);
size_t diag_list_errors(const cp_diag_list *l);
/* From now on diagnostics are stored in `l` (NULL: printed as they come again) and not
 * printed; returns the collector it replaces. */
cp_diag_list *diag_collect(cp_diag_list *l);
/* Prints every diagnostic of the list (text, or JSON lines to `json_out`). */
void diag_list_print(const cp_diag_list *l, FILE *json_out);

/* `path` as messages name it: relative to the working folder when it is under it (the
 * bundled data is found through the binary's absolute path), else unchanged. Returns
 * a pointer into `path`. */
const char *diag_path(const char *path);

/* ---- trials --------------------------------------------------------------------- */

/* A trial whose diagnostics are thrown away: a layout tried before a shorter one
 * (shorten.c). Between begin and end diagnostics go to `list` and are neither printed
 * nor passed to an outer collector; end forgets them, so the error count and the last
 * message are what they were at begin. */
typedef struct {
    cp_diag_list *list, *outer;
    int errors;
    void *saved;      /* the last message before the trial */
} cp_diag_trial;
void diag_trial_begin(cp_diag_trial *t);
void diag_trial_end(cp_diag_trial *t);

/* Errors reported since the last reset; the last message's text, and its value. */
int diag_error_count(void);
const char *diag_last_message(void);
const cp_diag *diag_last(void);
void diag_reset(void);

#endif
