/* roster.h - students in, one located mapping per row out.
 *
 * A roster is CSV (RFC 4180 through libcsv: quoted fields with commas, quotes and line
 * breaks, CRLF or LF, UTF-8 with or without a byte order mark, a header row) or YAML (a
 * list of mappings; the name ends in .yaml or .yml). CSV is streamed: a 50,000-row
 * roster is never held in memory, only the row being handed out. A YAML roster is loaded
 * whole (the YAML loader's limits apply: 4 MiB, 200,000 nodes, about 20,000 students).
 *
 * Each row becomes a cp_node mapping: column name (column_key(): trimmed, lower case) →
 * scalar text, every cell located at FILE:LINE:COL of the roster, so a layout can print
 * {student.COLUMN} and any error points at the cell. Columns with an empty header are
 * ignored; a duplicate column name is an error. A field mapped to a column
 * (roster_alias, from --column name="Student Name") comes first in each row.
 *
 * Text is UTF-8; a byte that is not (or, with an encoding given, not text in that
 * encoding, converted by iconv as the file is read) stops the roster with a message
 * naming its LINE:COL, so a run that reads the roster through first (roster_count)
 * refuses it before any work.
 *
 * Limits (far above any real roster; each with a clear message): 1,000 columns,
 * 64 KiB per cell (65,536 bytes of its text, exactly), 2,000,000 rows. A row over the
 * column or cell limit fails alone (its `error`); a header over them is refused. */
#ifndef CP_ROSTER_H
#define CP_ROSTER_H

#include <stdbool.h>
#include <stddef.h>

#include "../model/node.h"

enum {
    ROSTER_MAX_COLUMNS = 1000,
    ROSTER_MAX_CELL = 64 * 1024,
    ROSTER_MAX_ROWS = 2000000,
};

typedef struct cp_roster cp_roster;

typedef struct {
    size_t row;          /* 1-based data row (the CSV header row is not counted) */
    int line;            /* roster line where the row starts, 1-based */
    const cp_node *node; /* the row as a mapping, in the caller's arena; NULL when bad */
    const char *error;   /* why the row is unusable (wrong number of fields, invalid
                            UTF-8, a control character...), in the caller's arena */
} cp_roster_row;

/* Opens a roster file; `display` is how messages name it. NULL after a message when
 * the file cannot be read or is not a roster at all (no header, a duplicate column,
 * not a list of mappings...). */
cp_roster *roster_open(const char *path, const char *display, const char *encoding);
/* The same from memory (tests, fuzzing); `yaml` picks the format. */
cp_roster *roster_open_mem(const char *display, const char *buf, size_t len, bool yaml);

/* The next row: 1 = a row (good or bad), 0 = end, -1 = the file cannot be read any
 * further (a read error or a limit, after a message). */
int roster_next(cp_roster *r, cp_arena *a, cp_roster_row *row);

/* Whether the roster has this column (a column_key); for a YAML roster, whether any
 * student has it. */
bool roster_has_column(const cp_roster *r, const char *name);
/* The columns: the CSV header, or every key of a YAML roster in order of appearance. */
const char *const *roster_columns(const cp_roster *r, size_t *n);
/* From now on each row also has `field`, holding the value of column `header` (any
 * case, blanks around it ignored); a later mapping of the same field replaces an
 * earlier one. False when the roster has no such column. */
bool roster_alias(cp_roster *r, const char *field, const char *header);
/* Whether rows have this key: a column, or a field mapped to one. */
bool roster_has_field(const cp_roster *r, const char *field);
/* Whether a field is mapped to this column. */
bool roster_is_mapped(const cp_roster *r, const char *column);

void roster_close(cp_roster *r);

/* Self-ratings. A roster names a career's skill by a column "rate:SLUG": the skill's
 * name as written in the career's base (English) file, without its bracketed examples,
 * lower case, every run of other characters one '-': "Programming logic (Python, C++,
 * Rust)" → "rate:programming-logic". The same column then serves every career with
 * that skill, and every language the report is printed in. */
const char *roster_skill_column(cp_arena *a, const char *skill_name);
/* The row with "rate:N" (1-based position in `skills`, the career's skill names) added
 * for each rate:SLUG column of those skills, which is how the layout's fit block reads
 * them; a rate:N the row already has is kept. The row itself when nothing is added. */
const cp_node *roster_rate_by_index(cp_arena *a, const cp_node *row,
                                    const char *const *skills, size_t n);

/* The number of rows, read once through without keeping any (for progress totals);
 * -1 after a message when the roster is broken before its end. */
long roster_count(const char *path, const char *display, const char *encoding);

#endif
