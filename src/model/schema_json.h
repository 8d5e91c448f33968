/* schema_json.h - a schema written in our YAML schema language (schema.h) exported as a
 * JSON Schema (draft 2020-12), for editors built on yaml-language-server: completion of
 * keys, the `doc:` text on hover, errors as you type. */
#ifndef CP_SCHEMA_JSON_H
#define CP_SCHEMA_JSON_H

#include "../core/json.h"
#include "node.h"
#include "schema.h"

typedef struct {
    const char *id;             /* "$id" of the document, or NULL */
    const char *title;          /* "title", or NULL */
    const char *const *icons;   /* names `type: icon` accepts (fonts/icons.yaml) */
    size_t n_icons;
} cp_json_schema_env;

/* The JSON Schema of a valid schema (schema_is_valid()), pretty-printed with a final
 * newline; the caller frees it with g_free(). */
char *schema_json(const cp_node *schema, const cp_json_schema_env *env);

#endif
