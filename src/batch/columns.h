/* columns.h - roster columns: mapped to fields, named by placeholders, or unused.
 *
 * --columns FILE is a YAML mapping FIELD: HEADER ("name: Student Name"); --column
 * FIELD=HEADER (repeatable) adds to it and wins for the same field. FIELD is one of
 * name, career, grade, school, counselor, note, lang or rate:SKILL; HEADER matches a
 * column as every column name does (any case, blanks around it ignored). */
#ifndef CP_COLUMNS_H
#define CP_COLUMNS_H

#include <stdbool.h>

#include "../app/app.h"
#include "roster.h"

/* Maps the fields the options name to the roster's columns. False after a message
 * (an unknown field, a header the roster does not have, a broken --columns file). */
bool columns_apply(cp_arena *a, cp_roster *r, const cp_options *o, const char *roster);

/* Every {student.X} in the name pattern and the layout must name a column or a mapped
 * field: false after a message listing the columns there are. Then each column that
 * nothing reads (no field, no mapping, no placeholder, not the password column) is
 * named in a warning, with the --column that would use it when its name suggests one. */
bool columns_check(cp_arena *a, const cp_roster *r, const cp_options *o, const char *roster,
                   const char *pattern, const cp_node *layout);

/* A column whose name holds the field's name ("student name" for name), or NULL: what
 * a message suggests mapping. */
const char *columns_guess(const cp_roster *r, const char *field);

#endif
