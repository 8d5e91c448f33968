/* summary.h - `--summary FILE.json`: the facts of a batch run for scripts.
 *
 * The same facts as the stderr summary line and manifest.csv, as one JSON document
 * (schema: doc/schema/summary.schema.json; fields described in README.md):
 *
 *   {"roster", "out_dir", "merge", "manifest", "shard": {"k", "n"} | null,
 *    "status": "ok" | "some_failed" | "interrupted" | "disk_full",
 *    "counts": {"rows", "written", "skipped", "failed", "interrupted"},
 *    "milliseconds",
 *    "rows": [{"row", "line", "name", "career", "file", "pages", "bytes", "status",
 *              "error"}, ...]}                       (in roster order, like the manifest)
 *
 * The file is opened before the first row (so an unwritable path fails the run up
 * front, exit 2) and written whole at the end ("-": standard output). Rows finish out of
 * order; they are kept (a few hundred bytes each) and sorted when the file is written. */
#ifndef CP_SUMMARY_H
#define CP_SUMMARY_H

#include <stdbool.h>
#include <stddef.h>

#include "manifest.h"

typedef struct cp_summary cp_summary;

typedef struct {
    const char *roster, *out_dir, *merge, *manifest;   /* NULL: none */
    int shard_k, shard_n;                              /* 0/0: no --shard */
    size_t written, skipped, failed, interrupted;
    bool disk_full, stopped;
    double seconds;
} cp_summary_totals;

/* NULL after a message when the file cannot be created. */
cp_summary *summary_open(const char *path);
/* The entry of the seq-th row of the run (0, 1, 2... in roster order). */
void summary_add(cp_summary *s, size_t seq, const cp_manifest_entry *e);
/* Writes the document and puts the file in place; false after a message. Frees s. */
bool summary_commit(cp_summary *s, const cp_summary_totals *t);
/* Removes the temporary file (nothing was run) and frees s. */
void summary_abort(cp_summary *s);

#endif
