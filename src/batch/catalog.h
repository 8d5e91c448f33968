/* catalog.h - `careerpdf --list --json`: what a script needs to know about every career
 * to drive a batch run (schema: doc/schema/list.schema.json; fields in README.md):
 *
 *   [{"id", "title", "role", "lang", "translations": ["hi", ...],
 *     "skills": [{"name", "column": "rate:SLUG"}, ...]}, ...]      (sorted by id)
 *
 * `column` is the roster column that carries a student's self-rating of the skill
 * (roster_skill_column()), so it lives beside the roster reader. */
#ifndef CP_CATALOG_H
#define CP_CATALOG_H

#include "../app/app.h"

/* Prints the list on stdout. EXIT_OK, or EXIT_SOME_FAILED when a career would not
 * load (its errors on stderr; the others are listed). */
int catalog_list_json(cp_session *s);

#endif
