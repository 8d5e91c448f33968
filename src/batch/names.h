/* names.h - output file names from roster rows, safe on every file system.
 *
 * A name comes from --name-pattern (default {student.name}-{career.id}.pdf). Each value
 * put into the pattern is sanitised: letters, marks and digits of any script are kept
 * (so "Ananya Iyer", "अनन्या", "أحمد" and "王小明" stay readable), spaces become '_',
 * separators, reserved and other punctuation become '-', control and format characters
 * (including bidirectional overrides) and symbols such as emoji are dropped; the text is
 * NFC-normalised. The whole name then never starts with a dot, never names a device
 * (CON, NUL, COM1...), never ends in a dot or a space, and is at most NAME_MAX_BYTES
 * bytes: a longer one is cut at a character boundary and given a short hash of the full
 * name, so two long names sharing a beginning stay apart.
 *
 * Duplicates: when several rows of the roster would get the same name, each gets a
 * short digest of its own cells before the extension ("Emily_Chen-nurse-3f9a2c1.pdf",
 * src/batch/identity.h), so a name follows the row, not its place: rows that swap
 * places keep their names. Rows identical in every cell (the same report) get "-2",
 * "-3"... in roster order. Names are compared as a case-insensitive file system would
 * (case-folded), so no row can ever overwrite another row's file, even on macOS or
 * Windows. */
#ifndef CP_NAMES_H
#define CP_NAMES_H

#include <stdbool.h>
#include <stddef.h>

#include "../model/node.h"

enum { NAME_MAX_BYTES = 120 };

#define NAME_DEFAULT_PATTERN "{student.name}-{career.id}.pdf"

/* Sanitises one value into `out` (at least NAME_MAX_BYTES + 1 bytes); returns the
 * length, 0 when nothing usable is left. No length cap is applied here. */
size_t name_sanitize(const char *in, char *out, size_t cap);

/* Checks a pattern up front: placeholders are {student.COLUMN}, {career.id} and {row};
 * the literal text must itself be a safe name part (no '/', no leading dot). False
 * with *why set when it is unusable. */
bool name_pattern_ok(const char *pattern, const char **why);

/* The file name for one row: the pattern with each value sanitised, ".pdf" added when
 * the pattern has no extension, shortened and made safe as described above. */
const char *name_for_row(cp_arena *a, const char *pattern, const cp_node *student,
                         const char *career_id, size_t row);

/* The names given out so far, compared case-insensitively. */
typedef struct cp_names cp_names;
cp_names *names_new(void);
void names_free(cp_names *n);
/* `name` itself when unused, else the first free NAME-2.pdf, NAME-3.pdf...; the result
 * is taken (in `a`). */
const char *names_claim(cp_names *n, cp_arena *a, const char *name);

/* Counting: how many rows want each name (a table of its own, filled before a run). */
void names_tally(cp_names *n, const char *name);
unsigned names_tallied(cp_names *n, const char *name);
/* "NAME-SUFFIX.pdf" from "NAME.pdf". */
const char *name_with_suffix(cp_arena *a, const char *name, const char *suffix);

/* Whether 1-based data row `row` belongs to slice k of n (--shard k/n): rows are dealt
 * out in turn, so n slices cover the roster exactly once whatever its length, and
 * every machine decides alone. n == 0 means no sharding. */
bool shard_has(size_t row, int k, int n);

#endif
