/* identity.h - which row and inputs a report was made from (a SHA-256 digest).
 *
 * --skip-existing keeps a file only when the manifest of the run that wrote it records
 * the identity this run would give it; otherwise the file is made again, so a changed
 * row, career, layout, label or option never leaves an outdated report, and two rows
 * that swap places never keep each other's files. A row's own digest (its cells
 * only) also tells duplicate names apart (src/batch/names.h). The password column is
 * never part of a digest. */
#ifndef CP_IDENTITY_H
#define CP_IDENTITY_H

#include <glib.h>

#include "../app/app.h"

typedef struct cp_identity cp_identity;

/* The inputs every row shares: options that change output, labels, the layout as
 * loaded (and files it names beside it). */
cp_identity *identity_new(const cp_library *lib, const cp_options *o, const cp_node *layout,
                          const char *layout_dir, const char *password_key);
void identity_free(cp_identity *id);

/* Hex SHA-256 of a row's cells (names of duplicate students). */
const char *identity_of_row(cp_arena *a, const cp_node *row, const char *password_key);
/* Hex SHA-256 of everything a row's report is made from. */
const char *identity_of_report(cp_identity *id, cp_arena *a, const char *career,
                               const cp_node *row);

/* file → identity of each report the manifest at `path` records as ok or skipped
 * (empty when there is none). */
GHashTable *identity_previous(const char *manifest_path);

#endif
