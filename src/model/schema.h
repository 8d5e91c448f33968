/* schema.h - checking a node tree against a schema written in YAML.
 *
 * Schemas live beside the data they describe (content/schema/career.yaml, ...) and are
 * the documentation of that data as well as its check. A schema node is a mapping:
 *
 *   type:      string | text | number | integer | rating | boolean | id | date | currency
 *              | icon | length | color | list | map | any
 *              (rating: number 0-10 in half steps; id: [a-z0-9-]+; date: YYYY-MM or
 *               YYYY-MM-DD; currency: a code from the currency table (USD, INR, EUR,
 *               GBP, AED...); icon: a name from fonts/icons.yaml; text: prose, may be long;
 *               length: points, or a number with mm, cm, in or pt; color: "#RRGGBB[AA]")
 *   required:  true | false         (default false)
 *   doc:       "what this is"       (documentation only)
 *   min, max:  numeric bounds (number, integer) or item counts (list) or length in characters
 *              (string, text)
 *   enum:      [allowed, values]    (string)
 *   items:     schema of each element (list)
 *   fields:    {key: schema, ...}   (map; keys not listed are errors: "unknown key")
 *   values:    schema of every value (map with free keys, e.g. label tables)
 *   tag, variants, what: (map) a mapping whose key `tag` picks one of `variants`
 *              ({NAME: {doc, fields}}); its keys are `fields` plus the variant's fields.
 *              The variant's name alone (a scalar) stands for a mapping with just the tag.
 *              `what` names the tag in messages ("block kind": "not an option of block
 *              kind faq").
 *   defs:      (root only) named schemas, used by `ref: NAME` (recursive structures)
 *   one_of:    [schemas]: the first whose type fits the value's shape (mapping, list or
 *              scalar) applies; `doc` says what was expected when none fits
 *   Unknown keys, enum values and variant names get "(did you mean 'x'?)" for a typo.
 *
 * Messages: "careerpdf: FILE:LINE:COL: error: PATH: what is wrong, what was expected". */
#ifndef CP_SCHEMA_H
#define CP_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>

#include "node.h"

/* Optional lookups the checker needs for `icon` and `currency`. */
typedef struct {
    bool (*icon_known)(const char *name, void *user);
    void *user;
} cp_schema_env;

/* Checks the schema document itself (a broken schema is a programming error in the
 * repo, reported like any other file error). */
bool schema_is_valid(const cp_node *schema);

/* Reports every violation through diag_error(); returns true when there is none. */
bool schema_check(const cp_node *schema, const cp_node *doc, const cp_schema_env *env);

/* Loads a schema file (default limits) and checks it with schema_is_valid(). On failure
 * everything wrong has been reported and *out is left alone. */
bool schema_load(cp_arena *a, const char *path, const cp_node **out);

/* Whether `code` is in the currency table that `type: currency` accepts (ISO 4217:
 * USD, INR, EUR, GBP, AED, SAR, CAD, AUD, SGD, JPY, CNY and more). */
bool schema_currency_known(const char *code);
/* That table (n codes), for exports such as the JSON Schema. */
const char *const *schema_currencies(size_t *n);

/* The name in `names` nearest to `word` when it is a small typo of it (an edit
 * distance of 1 for short words, 2 for longer ones), else NULL. */
const char *schema_closest(const char *word, const char *const *names, size_t n);

#endif
