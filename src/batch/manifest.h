/* manifest.h - DIR/manifest.csv: what happened to every row of the run.
 *
 * Columns: row, line, name, career, file, pages, bytes, status, error (RFC 4180
 * quoting). status is one of ok, skipped (an existing file was kept: --skip-existing),
 * failed, interrupted (the run was stopped while this row was being made).
 *
 * Rows finish out of order (several workers), but the manifest lists them in roster
 * order: entries wait in a small reorder buffer until the rows before them are in, so
 * memory stays flat however long the roster. The file is written to a temporary name
 * and renamed at the end, also after an interruption: it is never half written. */
#ifndef CP_MANIFEST_H
#define CP_MANIFEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef struct {
    size_t row;
    int line;
    const char *name, *career, *file;
    unsigned pages;            /* 0: not known */
    unsigned long long bytes;  /* 0: not known */
    const char *status, *error;
} cp_manifest_entry;

typedef struct cp_manifest cp_manifest;

/* NULL after a message when the file cannot be created. */
cp_manifest *manifest_open(const char *path);
/* Adds the entry of the seq-th row of this run (0, 1, 2... in roster order). */
void manifest_add(cp_manifest *m, size_t seq, const cp_manifest_entry *e);
/* Writes what is buffered (entries missing before it are skipped) and renames the file
 * into place; false after a message. Frees the manifest either way. */
bool manifest_commit(cp_manifest *m);
/* Removes the temporary file and frees the manifest. */
void manifest_abort(cp_manifest *m);

/* One CSV field, quoted when it holds a comma, a quote, a line break or edge spaces. */
void manifest_put_field(FILE *f, const char *text);

#endif
