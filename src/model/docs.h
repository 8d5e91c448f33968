/* docs.h - the documents careerpdf reads, found, loaded and checked.
 *
 * A career is named by id (looked up as CONTENT/careers/ID.yaml; ids are [a-z0-9-]+ so
 * a name can never leave the content folder) or by a path to a .yaml file. After the
 * schema check come the checks a schema cannot express: min <= max, related careers
 * and the comparison partner exist, the id matches the file name. */
#ifndef CP_DOCS_H
#define CP_DOCS_H

#include <stdbool.h>

#include "node.h"
#include "schema.h"

typedef struct {
    const char *content_dir;   /* content/ */
    const char *layouts_dir;   /* layouts/ */
    const char *fonts_dir;     /* fonts/ */
    const cp_node *career_schema;
    const cp_node *strings_schema;
    const cp_node *layout_schema;  /* content/schema/layout.yaml */
    const cp_node *icons;      /* fonts/icons.yaml */
    bool warn_fallbacks;       /* --check: say which fields a translation lacks */
    /* `--career -`: the career's YAML read from standard input (NULL: none). The
     * career "-" is this text, named CAREER_STDIN_NAME in messages; having no file
     * name, its id is not compared with one. */
    const char *stdin_text;
    size_t stdin_len;
} cp_library;

#define CAREER_STDIN "-"
#define CAREER_STDIN_NAME "<stdin>"

/* Loads the schema and the icon table; false after a message. */
bool library_open(cp_library *lib, cp_arena *a);

bool career_id_valid(const char *id);
/* Path of a career given as id or path (arena string). */
const char *career_path(cp_arena *a, const cp_library *lib, const char *id_or_path);
const cp_node *career_load(cp_arena *a, const cp_library *lib, const char *id_or_path);
/* The career in a language: CONTENT/careers/ID.LANG.yaml merged over the base file
 * (fields the translation lacks fall back to the base), then checked as a whole.
 * Without a translation (or for a path, or lang NULL) the base file alone. */
const cp_node *career_load_lang(cp_arena *a, const cp_library *lib, const char *id_or_path,
                                const char *lang);
/* Languages with a translation of this career, sorted (NULL-terminated arena array). */
const char **career_translations(cp_arena *a, const cp_library *lib, const char *id);

/* content/strings/LANG.yaml */
const cp_node *strings_load(cp_arena *a, const cp_library *lib, const char *lang);

/* A layout by name (layouts/NAME.yaml) or path, with `extends:` chains merged: mappings
 * merge key by key, everything else in the child replaces the parent's value. Every
 * file of the chain is checked against the layout schema on its own (so a typo is
 * reported in the file that holds it), and the merged layout must have blocks.
 * *dir_out receives the folder of the named file (for relative logo paths). */
const cp_node *layout_load(cp_arena *a, const cp_library *lib, const char *name_or_path,
                           const char **dir_out);

/* Ids of every career in the library, sorted (arena array, NULL-terminated). */
const char **career_ids(cp_arena *a, const cp_library *lib);

#endif
