/* manifest.h - DIR/manifest.csv: what happened to every row of the run.
 *
 * Columns: row, line, name, career, file, pages, bytes, status, error, digest (RFC 4180
 * quoting; a cell that a spreadsheet would run as a formula, starting with = + - @ or
 * a tab or carriage return, gets a leading apostrophe). Every row of the run (of its
 * shard) has an entry; status is one of ok, skipped (the file was kept:
 * --skip-existing), failed, interrupted (the run was stopped while this row was being
 * made), not-started (the run was stopped before it). digest is the report's identity
 * (src/batch/identity.h), which the next --skip-existing run compares.
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
    const char *digest;        /* identity of the report, or NULL */
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

/* One CSV field, quoted when it holds a comma, a quote, a line break or edge spaces,
 * and kept from running as a formula. */
void manifest_put_field(FILE *f, const char *text);

#endif
