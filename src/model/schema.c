/* schema.c - checking node trees against schemas written in YAML (see schema.h).
 *
 * Both walks (checking a schema, checking data against it) report every problem they
 * find rather than stopping at the first, so one `--check` run lists everything to fix.
 * Paths are built while walking instead of read from node->path: an alias shares its
 * anchor's node, and the error should name where the alias stands. */
#include "schema.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef enum {
    T_STRING, T_TEXT, T_NUMBER, T_INTEGER, T_RATING, T_BOOLEAN, T_ID, T_DATE,
    T_CURRENCY, T_ICON, T_LENGTH, T_COLOR, T_LIST, T_MAP, T_ANY, T_COUNT
} stype;

static const char *const TYPE_NAMES[T_COUNT] = {
    "string", "text", "number", "integer", "rating", "boolean", "id", "date",
    "currency", "icon", "length", "color", "list", "map", "any",
};

/* What a value of each type looks like, for "expected ..." in messages. */
static const char *const TYPE_DESCS[T_COUNT] = {
    "a string", "text", "a number", "a whole number", "a rating from 0 to 10",
    "true or false", "an id (lowercase letters, digits and '-')",
    "a date (YYYY-MM or YYYY-MM-DD)", "a currency code (USD, INR, EUR...)",
    "an icon name", "a length (a number of points, or with mm, cm, in or pt: 16mm)",
    "a colour \"#RRGGBB\" or \"#RRGGBBAA\"", "a list", "a mapping", "any value",
};

/* ISO 4217 codes of the regions careers are likely to quote salaries for. */
static const char *const CURRENCIES[] = {
    "USD", "INR", "EUR", "GBP", "AED", "SAR", "CAD", "AUD", "SGD", "JPY", "CNY",
    "CHF", "NZD", "HKD", "KRW", "BRL", "MXN", "ZAR", "SEK", "NOK", "DKK", "PLN",
    "QAR", "KWD", "BHD", "OMR", "PKR", "BDT", "LKR", "NPR", "MYR", "IDR", "PHP",
    "THB", "VND", "EGP", "NGN", "KES", "TRY", "ILS",
};
#define N_CURRENCIES (sizeof CURRENCIES / sizeof *CURRENCIES)

static const char *const SCHEMA_KEYS[] = {
    "type", "required", "doc", "min", "max", "enum", "items", "fields", "values",
    "tag", "what", "variants", "defs", "ref", "one_of",
};
#define N_SCHEMA_KEYS (sizeof SCHEMA_KEYS / sizeof *SCHEMA_KEYS)

bool schema_currency_known(const char *code)
{
    for (size_t i = 0; code && i < N_CURRENCIES; i++)
        if (strcmp(code, CURRENCIES[i]) == 0)
            return true;
    return false;
}

const char *const *schema_currencies(size_t *n)
{
    *n = N_CURRENCIES;
    return CURRENCIES;
}

/* ---- the walk's state: where we are and how many errors so far ------------------- */

typedef struct {
    const cp_schema_env *env;
    const cp_node *root;   /* the schema document: `ref: NAME` names one of its `defs` */
    char path[1024];
    size_t plen;
    int errors;
} walker;

/* Errors printed per walk. A 4 MiB file can hold 200,000 wrong values (or one wrong
 * value that 200,000 aliases repeat): past this many the rest are counted, not printed
 * (nor described: a "did you mean" costs an edit distance per allowed key), and one
 * last line says how many were left out. */
#define MAX_REPORTED 100

static bool reporting(const walker *w) { return w->errors < MAX_REPORTED; }

static void walker_init(walker *w, const cp_node *root, const cp_schema_env *env,
                        const cp_node *schema)
{
    w->env = env;
    w->root = schema;
    w->errors = 0;
    snprintf(w->path, sizeof w->path, "%s", root && root->path ? root->path : "");
    w->plen = strlen(w->path);
}

/* Path segments are appended in place and cut off again by restoring plen. */
static size_t push_key(walker *w, const char *key)
{
    size_t saved = w->plen;
    snprintf(w->path + w->plen, sizeof w->path - w->plen, "%s%s", w->plen ? "." : "", key);
    w->plen = strlen(w->path);
    return saved;
}

static size_t push_index(walker *w, size_t i)
{
    size_t saved = w->plen;
    snprintf(w->path + w->plen, sizeof w->path - w->plen, "[%zu]", i);
    w->plen = strlen(w->path);
    return saved;
}

static void pop(walker *w, size_t saved)
{
    w->plen = saved;
    w->path[saved] = '\0';
}

/* One violation, with its code (schema.unknown-key...) and a hint (or NULL). */
__attribute__((format(printf, 5, 6)))
static void fail_as(walker *w, const cp_loc *loc, const char *code, const char *hint,
                    const char *fmt, ...)
{
    char msg[768];
    if (!reporting(w)) {
        w->errors++;
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    w->errors++;
    diag_report(DIAG_ERROR, loc, w->path, code, hint, "%s", msg);
}

#define fail(w, loc, ...) fail_as(w, loc, "schema.invalid", NULL, __VA_ARGS__)

/* The line that ends a walk with more errors than were printed. */
static void report_unprinted(const walker *w, const cp_node *root)
{
    if (w->errors > MAX_REPORTED)
        diag_error(&root->loc, NULL, "%d more errors not shown, expected at most %d: fix "
                   "the ones above first", w->errors - MAX_REPORTED, MAX_REPORTED);
}

/* ---- describing what was found ---------------------------------------------------- */

static bool is_empty(const cp_node *n)
{
    return n->kind == NODE_SCALAR && n->plain && (!*n->text || strcmp(n->text, "~") == 0);
}

/* text cut to at most `max` bytes (plus "...") without splitting a UTF-8 sequence. */
static const char *shorten(const char *text, size_t max, const char *quote, char *buf,
                           size_t size)
{
    size_t n = strlen(text);
    if (n <= max) {
        snprintf(buf, size, "%s%s%s", quote, text, quote);
        return buf;
    }
    while (max > 0 && ((unsigned char)text[max] & 0xC0) == 0x80)
        max--;
    snprintf(buf, size, "%s%.*s...%s", quote, (int)max, text, quote);
    return buf;
}

/* `"text"`, shortened to fit a message. */
static const char *quoted(const char *text, char *buf, size_t size)
{
    return shorten(text, size > 48 ? 40 : size / 2, "\"", buf, size);
}

static const char *describe(const cp_node *n, char *buf, size_t size)
{
    if (n->kind == NODE_MAP)
        return "a mapping";
    if (n->kind == NODE_SEQ)
        return "a list";
    if (is_empty(n))
        return "an empty value";
    return quoted(n->text, buf, size);
}

/* "a, b, c, ..." - long lists are cut so the message stays readable. */
static void join_list(char *out, size_t size, const char *const *names, size_t n)
{
    size_t used = 0;
    out[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(names[i]);
        if (used + len + 8 > size || used > 300) {
            snprintf(out + used, size - used, "%s...", i ? ", " : "");
            return;
        }
        used += (size_t)snprintf(out + used, size - used, "%s%s", i ? ", " : "", names[i]);
    }
}

/* Edit distance with swapped neighbours counting as one edit (optimal string
 * alignment: "wran" is one step from "warn"), capped: only small typos are worth a
 * "did you mean". */
static size_t distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 63 || lb > 63)
        return 99;
    size_t d[64][64];
    for (size_t i = 0; i <= la; i++)
        d[i][0] = i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= la; i++)
        for (size_t j = 1; j <= lb; j++) {
            size_t best = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            if (d[i - 1][j] + 1 < best)
                best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best)
                best = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1 < best)
                best = d[i - 2][j - 2] + 1;
            d[i][j] = best;
        }
    return d[la][lb];
}

const char *schema_closest(const char *word, const char *const *names, size_t n)
{
    const char *best = NULL;
    size_t best_d = strlen(word) < 5 ? 1 : 2;
    for (size_t i = 0; i < n; i++) {
        size_t d = distance(word, names[i]);
        if (d <= best_d && (!best || d < best_d)) {
            best = names[i];
            best_d = d;
        }
    }
    return best;
}

static void unknown_key_of(walker *w, const cp_loc *loc, const char *key,
                           const char *const *allowed, size_t n, const char *what)
{
    char list[400], hint[128] = "";
    if (!reporting(w)) { /* counted only: skip the edit distances */
        fail(w, loc, "unknown key");
        return;
    }
    join_list(list, sizeof list, allowed, n);
    const char *near = schema_closest(key, allowed, n);
    if (near)
        snprintf(hint, sizeof hint, "did you mean '%s'?", near);
    const char *h = near ? hint : NULL;
    if (what)
        fail_as(w, loc, "schema.unknown-option", h, "not an option of %s, expected one of: "
                "%s", what, list);
    else if (n)
        fail_as(w, loc, "schema.unknown-key", h, "unknown key '%s', expected one of: %s", key,
                list);
    else
        fail_as(w, loc, "schema.unknown-key", NULL, "unknown key '%s', expected no keys here",
                key);
}

static void unknown_key(walker *w, const cp_loc *loc, const char *key,
                        const char *const *allowed, size_t n)
{
    unknown_key_of(w, loc, key, allowed, n, NULL);
}

/* Keys of a mapping as an array (in a small fixed buffer: schemas are written by us). */
static size_t map_keys(const cp_node *map, const char **out, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; node_is_map(map) && i < map->len && n < max; i++)
        out[n++] = map->keys[i];
    return n;
}

/* ---- schema nodes --------------------------------------------------------------- */

static stype type_of(const cp_node *schema)
{
    const char *t = node_str(schema, "type");
    for (int i = 0; t && i < T_COUNT; i++)
        if (strcmp(t, TYPE_NAMES[i]) == 0)
            return (stype)i;
    return T_COUNT;
}

static bool has_bound(const cp_node *schema, const char *key, double *out)
{
    return node_number(node_get(schema, key), out);
}

/* ---- checking a schema ---------------------------------------------------------- */

static void valid_node(walker *w, const cp_node *s);

static void valid_child_schema(walker *w, const cp_node *s, const char *key)
{
    const cp_node *child = node_get(s, key);
    if (!child)
        return;
    size_t saved = push_key(w, key);
    valid_node(w, child);
    pop(w, saved);
}

static void valid_fields(walker *w, const cp_node *fields)
{
    char found[64];
    if (!node_is_map(fields)) {
        fail(w, &fields->loc, "expected a mapping of key: schema, found %s",
             describe(fields, found, sizeof found));
        return;
    }
    for (size_t i = 0; i < fields->len; i++) {
        size_t saved = push_key(w, fields->keys[i]);
        valid_node(w, fields->items[i]);
        pop(w, saved);
    }
}

static void valid_enum(walker *w, const cp_node *e)
{
    char found[64];
    if (!node_is_seq(e) || e->len == 0) {
        fail(w, &e->loc, "expected a non-empty list of allowed values, found %s",
             node_is_seq(e) ? "an empty list" : describe(e, found, sizeof found));
        return;
    }
    for (size_t i = 0; i < e->len; i++) {
        if (node_is_scalar(e->items[i]))
            continue;
        size_t saved = push_index(w, i);
        fail(w, &e->items[i]->loc, "expected a value, found %s",
             describe(e->items[i], found, sizeof found));
        pop(w, saved);
    }
}

/* A key that only some types use, present with another type. */
static void valid_only_for(walker *w, const cp_node *s, stype t, const char *key,
                           unsigned allowed_mask, const char *which)
{
    const cp_node *v = node_get(s, key);
    if (!v || t == T_COUNT || (allowed_mask & (1u << t)))
        return;
    size_t saved = push_key(w, key);
    fail(w, &v->loc, "'%s' does not apply to type '%s', expected it only with %s", key,
         TYPE_NAMES[t], which);
    pop(w, saved);
}

static void valid_bounds(walker *w, const cp_node *s)
{
    double lo = 0, hi = 0;
    char found[64];
    for (int i = 0; i < 2; i++) {
        const char *key = i ? "max" : "min";
        const cp_node *v = node_get(s, key);
        if (v && !node_number(v, NULL)) {
            size_t saved = push_key(w, key);
            fail(w, &v->loc, "expected a number, found %s", describe(v, found, sizeof found));
            pop(w, saved);
        }
    }
    if (has_bound(s, "min", &lo) && has_bound(s, "max", &hi) && lo > hi) {
        const cp_node *v = node_get(s, "max");
        size_t saved = push_key(w, "max");
        fail(w, &v->loc, "max %s is below min %s, expected max >= min", v->text,
             node_get(s, "min")->text);
        pop(w, saved);
    }
}

/* `ref: NAME` (a schema of the root's `defs`) or `one_of: [schemas]`, standing alone. */
static void valid_ref_or_union(walker *w, const cp_node *s)
{
    const cp_node *ref = node_get(s, "ref"), *alts = node_get(s, "one_of");
    if (ref && alts) {
        fail(w, &s->loc, "'ref' and 'one_of' together, expected one of them");
        return;
    }
    if (ref) {
        const cp_node *defs = node_get(w->root, "defs");
        size_t saved = push_key(w, "ref");
        if (!node_is_scalar(ref) || !node_is_map(node_get(defs, ref->text)))
            fail(w, &ref->loc, "names no schema, expected a key of the root's 'defs'");
        pop(w, saved);
        return;
    }
    size_t saved = push_key(w, "one_of");
    if (!node_is_seq(alts) || alts->len < 2)
        fail(w, &alts->loc, "expected a list of at least two schemas");
    for (size_t i = 0; node_is_seq(alts) && i < alts->len; i++) {
        size_t inner = push_index(w, i);
        valid_node(w, alts->items[i]);
        pop(w, inner);
    }
    pop(w, saved);
}

/* `tag: KEY` with `variants: {NAME: {doc, fields}}`: a mapping whose KEY picks the
 * variant (or the variant's name alone, as a scalar); `what` names it in messages. */
static void valid_variants(walker *w, const cp_node *s)
{
    const cp_node *tag = node_get(s, "tag"), *vars = node_get(s, "variants");
    if (!tag && !vars)
        return;
    if (!node_is_scalar(tag) || !node_is_map(vars)) {
        fail(w, &s->loc, "'tag' and 'variants' go together, expected a key name and a "
                         "mapping of variant names to {doc, fields}");
        return;
    }
    static const char *const VARIANT_KEYS[] = {"doc", "fields"};
    size_t saved = push_key(w, "variants");
    for (size_t i = 0; i < vars->len; i++) {
        const cp_node *v = vars->items[i];
        size_t inner = push_key(w, vars->keys[i]);
        for (size_t k = 0; node_is_map(v) && k < v->len; k++)
            if (strcmp(v->keys[k], "doc") && strcmp(v->keys[k], "fields")) {
                size_t key = push_key(w, v->keys[k]);
                unknown_key(w, &v->key_locs[k], v->keys[k], VARIANT_KEYS, 2);
                pop(w, key);
            }
        if (!node_is_map(v))
            fail(w, &v->loc, "expected a mapping {doc, fields}");
        else if (node_get(v, "fields")) {
            size_t key = push_key(w, "fields");
            valid_fields(w, node_get(v, "fields"));
            pop(w, key);
        }
        pop(w, inner);
    }
    pop(w, saved);
}

static void valid_node(walker *w, const cp_node *s)
{
    char found[64];
    if (!node_is_map(s)) {
        fail(w, &s->loc, "expected a schema (a mapping with 'type'), found %s",
             describe(s, found, sizeof found));
        return;
    }
    for (size_t i = 0; i < s->len; i++) {
        bool known = false;
        for (size_t k = 0; k < N_SCHEMA_KEYS && !known; k++)
            known = strcmp(s->keys[i], SCHEMA_KEYS[k]) == 0;
        if (known)
            continue;
        size_t saved = push_key(w, s->keys[i]);
        unknown_key(w, &s->key_locs[i], s->keys[i], SCHEMA_KEYS, N_SCHEMA_KEYS);
        pop(w, saved);
    }

    stype t = type_of(s);
    const cp_node *type = node_get(s, "type");
    if (!type && (node_get(s, "ref") || node_get(s, "one_of"))) {
        valid_ref_or_union(w, s);
        return;
    } else if (!type) {
        fail(w, &s->loc, "missing required key 'type', expected one of: string, text, "
                         "number, integer, rating, boolean, id, date, currency, icon, list, "
                         "map, any");
    } else if (t == T_COUNT) {
        char list[400];
        join_list(list, sizeof list, TYPE_NAMES, T_COUNT);
        size_t saved = push_key(w, "type");
        fail(w, &type->loc, "unknown type %s, expected one of: %s",
             describe(type, found, sizeof found), list);
        pop(w, saved);
    }

    const cp_node *req = node_get(s, "required");
    if (req && !node_bool(req, NULL)) {
        size_t saved = push_key(w, "required");
        fail(w, &req->loc, "expected true or false, found %s", describe(req, found, sizeof found));
        pop(w, saved);
    }
    const cp_node *doc = node_get(s, "doc");
    if (doc && !node_is_scalar(doc)) {
        size_t saved = push_key(w, "doc");
        fail(w, &doc->loc, "expected a description, found %s",
             describe(doc, found, sizeof found));
        pop(w, saved);
    }

    unsigned sized = 1u << T_NUMBER | 1u << T_INTEGER | 1u << T_LIST | 1u << T_STRING |
                     1u << T_TEXT;
    valid_only_for(w, s, t, "min", sized, "number, integer, list, string or text");
    valid_only_for(w, s, t, "max", sized, "number, integer, list, string or text");
    valid_only_for(w, s, t, "enum", 1u << T_STRING | 1u << T_TEXT | 1u << T_ID,
                   "string, text or id");
    valid_only_for(w, s, t, "items", 1u << T_LIST, "list");
    valid_only_for(w, s, t, "fields", 1u << T_MAP, "map");
    valid_only_for(w, s, t, "values", 1u << T_MAP, "map");
    valid_bounds(w, s);

    const cp_node *e = node_get(s, "enum");
    if (e) {
        size_t saved = push_key(w, "enum");
        valid_enum(w, e);
        pop(w, saved);
    }
    const cp_node *fields = node_get(s, "fields");
    if (fields) {
        size_t saved = push_key(w, "fields");
        valid_fields(w, fields);
        pop(w, saved);
    }
    valid_child_schema(w, s, "items");
    valid_child_schema(w, s, "values");
    valid_only_for(w, s, t, "tag", 1u << T_MAP, "map");
    valid_only_for(w, s, t, "variants", 1u << T_MAP, "map");
    valid_only_for(w, s, t, "what", 1u << T_MAP, "map");
    valid_variants(w, s);
}

bool schema_is_valid(const cp_node *schema)
{
    if (!schema)
        return false;
    walker w;
    walker_init(&w, schema, NULL, schema);
    valid_node(&w, schema);
    const cp_node *defs = node_get(schema, "defs");
    if (defs) {
        size_t saved = push_key(&w, "defs");
        valid_fields(&w, defs);
        pop(&w, saved);
    }
    report_unprinted(&w, schema);
    return w.errors == 0;
}

bool schema_load(cp_arena *a, const char *path, const cp_node **out)
{
    const cp_node *root = yaml_load_file(a, path, &CP_DEFAULT_LIMITS);
    if (!root || !schema_is_valid(root))
        return false;
    if (out)
        *out = root;
    return true;
}

/* ---- checking data -------------------------------------------------------------- */

static void check_node(walker *w, const cp_node *s, const cp_node *n);
static void check_variant_name(walker *w, const cp_node *s, const cp_node *n);

static bool is_id(const char *t)
{
    if (!*t)
        return false;
    for (; *t; t++)
        if (!((*t >= 'a' && *t <= 'z') || (*t >= '0' && *t <= '9') || *t == '-'))
            return false;
    return true;
}

static bool digits(const char *t, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (t[i] < '0' || t[i] > '9')
            return false;
    return true;
}

static bool is_date(const char *t)
{
    size_t n = strlen(t);
    if ((n != 7 && n != 10) || !digits(t, 4) || t[4] != '-' || !digits(t + 5, 2))
        return false;
    int year = (t[0] - '0') * 1000 + (t[1] - '0') * 100 + (t[2] - '0') * 10 + (t[3] - '0');
    int month = (t[5] - '0') * 10 + (t[6] - '0');
    if (month < 1 || month > 12)
        return false;
    if (n == 7)
        return true;
    if (t[7] != '-' || !digits(t + 8, 2))
        return false;
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    int day = (t[8] - '0') * 10 + (t[9] - '0');
    return day >= 1 && day <= days[month - 1] + (month == 2 && leap);
}

/* A number of points, or a number and one of the units layouts take (theme.c reads it). */
static bool is_length(const char *t)
{
    char *end;
    double v = strtod(t, &end);
    if (end == t || !isfinite(v) || v < 0 || *t == '+' || *t == ' ')
        return false;
    return !*end || !strcmp(end, "pt") || !strcmp(end, "mm") || !strcmp(end, "cm") ||
           !strcmp(end, "in");
}

static bool is_color(const char *t)
{
    size_t n = strlen(t);
    if (t[0] != '#' || (n != 7 && n != 9))
        return false;
    for (size_t i = 1; i < n; i++)
        if (!strchr("0123456789abcdefABCDEF", t[i]))
            return false;
    return true;
}

/* " (remove the quotes)" when a quoted scalar would have been valid unquoted. */
static const char *quote_hint(const cp_node *n, bool valid_if_plain)
{
    return !n->plain && valid_if_plain ? " (it is quoted, so it is text: remove the quotes)"
                                       : "";
}

static void check_range(walker *w, const cp_node *s, const cp_node *n, double v)
{
    double lo, hi;
    bool has_lo = has_bound(s, "min", &lo), has_hi = has_bound(s, "max", &hi);
    if (has_lo && has_hi && (v < lo || v > hi))
        fail(w, &n->loc, "%s is out of range, expected %.15g to %.15g", n->text, lo, hi);
    else if (has_lo && v < lo)
        fail(w, &n->loc, "%s is too small, expected at least %.15g", n->text, lo);
    else if (has_hi && v > hi)
        fail(w, &n->loc, "%s is too large, expected at most %.15g", n->text, hi);
}

static void check_count(walker *w, const cp_node *s, const cp_loc *loc, size_t count,
                        const char *unit)
{
    double lo, hi;
    if (has_bound(s, "min", &lo) && (double)count < lo)
        fail(w, loc, "has %zu %s, expected at least %.15g", count, unit, lo);
    if (has_bound(s, "max", &hi) && (double)count > hi)
        fail(w, loc, "has %zu %s, expected at most %.15g", count, unit, hi);
}

static void check_enum(walker *w, const cp_node *s, const cp_node *n)
{
    const cp_node *e = node_get(s, "enum");
    if (!node_is_seq(e))
        return;
    const char *names[64];
    size_t count = 0;
    for (size_t i = 0; i < e->len; i++) {
        if (!node_is_scalar(e->items[i]))
            continue;
        if (strcmp(e->items[i]->text, n->text) == 0)
            return;
        if (count < 64)
            names[count++] = e->items[i]->text;
    }
    char list[400], hint[128] = "";
    join_list(list, sizeof list, names, count);
    const char *near = schema_closest(n->text, names, count);
    if (near)
        snprintf(hint, sizeof hint, "did you mean '%s'?", near);
    fail_as(w, &n->loc, "schema.unknown-value", near ? hint : NULL,
            "unknown value '%s', expected one of: %s", n->text, list);
}

static void check_number(walker *w, const cp_node *s, const cp_node *n, stype t)
{
    char found[64];
    double v;
    if (!node_number(n, &v)) {
        bool would = node_is_scalar(n) && !n->plain &&
                     node_number(&(cp_node){.kind = NODE_SCALAR, .text = n->text, .plain = true},
                                 NULL);
        fail(w, &n->loc, "expected %s, found %s%s", TYPE_DESCS[t],
             describe(n, found, sizeof found), quote_hint(n, would));
        return;
    }
    if (t == T_RATING) {
        if (v < 0 || v > 10)
            fail(w, &n->loc, "rating %s is out of range, expected 0 to 10 in half steps",
                 n->text);
        else if (v * 2 != floor(v * 2))
            fail(w, &n->loc, "rating %s is not a half step, expected 0 to 10 in half steps",
                 n->text);
        return;
    }
    if (t == T_INTEGER && v != floor(v)) {
        fail(w, &n->loc, "expected a whole number, found %s", n->text);
        return;
    }
    check_range(w, s, n, v);
}

static void check_boolean(walker *w, const cp_node *n)
{
    char found[64];
    if (node_bool(n, NULL))
        return;
    bool would = !n->plain && (strcmp(n->text, "true") == 0 || strcmp(n->text, "false") == 0 ||
                               strcmp(n->text, "yes") == 0 || strcmp(n->text, "no") == 0);
    fail(w, &n->loc, "expected true or false, found %s%s", describe(n, found, sizeof found),
         quote_hint(n, would));
}

/* Characters, not bytes: a limit means the same for Hindi (3 bytes a letter) as for
 * English. The loader has already checked the text is valid UTF-8. */
static size_t utf8_chars(const char *t)
{
    size_t n = 0;
    for (; *t; t++)
        n += ((unsigned char)*t & 0xC0) != 0x80;
    return n;
}

static void check_string(walker *w, const cp_node *s, const cp_node *n)
{
    double lo, hi;
    size_t len = utf8_chars(n->text);
    if (has_bound(s, "min", &lo) && (double)len < lo)
        fail(w, &n->loc, "text is %zu characters long, expected at least %.15g", len, lo);
    if (has_bound(s, "max", &hi) && (double)len > hi)
        fail(w, &n->loc, "text is %zu characters long, expected at most %.15g", len, hi);
    check_enum(w, s, n);
}

static void check_scalar(walker *w, const cp_node *s, const cp_node *n, stype t)
{
    char found[64];
    char list[400];
    switch (t) {
    case T_STRING:
    case T_TEXT:
        check_string(w, s, n);
        break;
    case T_NUMBER:
    case T_INTEGER:
    case T_RATING:
        check_number(w, s, n, t);
        break;
    case T_BOOLEAN:
        check_boolean(w, n);
        break;
    case T_ID:
        if (!is_id(n->text))
            fail(w, &n->loc, "expected %s, found %s", TYPE_DESCS[t],
                 describe(n, found, sizeof found));
        else
            check_enum(w, s, n);
        break;
    case T_DATE:
    case T_LENGTH:
    case T_COLOR:   /* values with a written form of their own */
        if (!(t == T_DATE ? is_date : t == T_LENGTH ? is_length : is_color)(n->text))
            fail(w, &n->loc, "expected %s, found %s", TYPE_DESCS[t],
                 describe(n, found, sizeof found));
        break;
    case T_CURRENCY:
        if (!schema_currency_known(n->text)) {
            join_list(list, sizeof list, CURRENCIES, N_CURRENCIES);
            fail(w, &n->loc, "unknown currency %s, expected one of: %s",
                 describe(n, found, sizeof found), list);
        }
        break;
    case T_ICON:
        if (w->env && w->env->icon_known && !w->env->icon_known(n->text, w->env->user))
            fail(w, &n->loc, "unknown icon %s, expected a name from fonts/icons.yaml",
                 describe(n, found, sizeof found));
        break;
    default:
        break;
    }
}

static void check_list(walker *w, const cp_node *s, const cp_node *n)
{
    check_count(w, s, &n->loc, n->len, n->len == 1 ? "item" : "items");
    const cp_node *items = node_get(s, "items");
    if (!items)
        return;
    for (size_t i = 0; i < n->len; i++) {
        size_t saved = push_index(w, i);
        check_node(w, items, n->items[i]);
        pop(w, saved);
    }
}

static void check_required(walker *w, const cp_node *fields, const cp_node *n)
{
    for (size_t i = 0; node_is_map(fields) && i < fields->len; i++) {
        bool required = false;
        node_bool(node_get(fields->items[i], "required"), &required);
        if (!required || node_get(n, fields->keys[i]))
            continue;
        /* The schema's doc line tells the user what to write there. */
        const char *doc = node_str(fields->items[i], "doc");
        char about[128] = "";
        if (doc)
            shorten(doc, 100, "", about, sizeof about);
        stype ft = type_of(fields->items[i]);
        fail_as(w, &n->loc, "schema.missing-key", NULL, "missing required key '%s', expected "
                "%s%s%s", fields->keys[i], ft < T_COUNT ? TYPE_DESCS[ft] : "a value",
                doc ? ": " : "", about);
    }
}

/* The variant a tag value names, or NULL after a message (with the nearest name). */
static const cp_node *variant_named(walker *w, const cp_node *s, const cp_node *tag)
{
    const cp_node *vars = node_get(s, "variants");
    const char *what = node_str(s, "what") ? node_str(s, "what") : "variant";
    char found[64];
    if (node_is_scalar(tag) && !is_empty(tag) && node_is_map(node_get(vars, tag->text)))
        return node_get(vars, tag->text);
    const char *names[64] = {0}, *near = NULL;
    size_t count = map_keys(vars, names, 64);
    char list[400], hint[128] = "";
    join_list(list, sizeof list, names, count);
    if (node_is_scalar(tag) && (near = schema_closest(tag->text, names, count)))
        snprintf(hint, sizeof hint, "did you mean '%s'?", near);
    fail_as(w, &tag->loc, "schema.unknown-kind", near ? hint : NULL,
            "unknown %s %s, expected one of: %s", what, describe(tag, found, sizeof found),
            list);
    return NULL;
}

/* A variant given by its name alone (`- cover`): it must need no options. */
static void check_variant_name(walker *w, const cp_node *s, const cp_node *n)
{
    const cp_node *v = variant_named(w, s, n);
    const cp_node *fields = node_get(v, "fields");
    for (size_t i = 0; node_is_map(fields) && i < fields->len; i++) {
        bool required = false;
        node_bool(node_get(fields->items[i], "required"), &required);
        if (required)
            fail(w, &n->loc, "%s %s needs '%s', expected a mapping {%s: %s, %s: ...}",
                 node_str(s, "what") ? node_str(s, "what") : "variant", n->text,
                 fields->keys[i], node_str(s, "tag"), n->text, fields->keys[i]);
    }
}

static void check_map(walker *w, const cp_node *s, const cp_node *n)
{
    const cp_node *fields = node_get(s, "fields");
    const cp_node *values = node_get(s, "values");
    const cp_node *more = NULL;   /* the variant's own fields */
    char what[128] = "";
    const char *tag = node_str(s, "tag");
    if (tag) {
        const cp_node *t = node_get(n, tag);
        if (!t) {
            fail(w, &n->loc, "missing required key '%s', expected the %s", tag,
                 node_str(s, "what") ? node_str(s, "what") : "variant");
            return;
        }
        size_t saved = push_key(w, tag);
        const cp_node *v = variant_named(w, s, t);
        pop(w, saved);
        if (!v)
            return;   /* the options of an unknown kind cannot be judged */
        more = node_get(v, "fields");
        snprintf(what, sizeof what, "%s %s", node_str(s, "what") ? node_str(s, "what")
                                                                  : "variant", t->text);
    }
    check_required(w, fields, n);
    check_required(w, more, n);
    for (size_t i = 0; i < n->len; i++) {
        const cp_node *fs = node_get(fields, n->keys[i]);
        if (!fs)
            fs = node_get(more, n->keys[i]);
        const cp_node *vs = fs ? fs : values;
        size_t saved = push_key(w, n->keys[i]);
        if (vs) {
            check_node(w, vs, n->items[i]);
        } else if (fields || more) {
            const char *names[192] = {0};
            size_t count = map_keys(more, names, 128);
            count += map_keys(fields, names + count, 64);
            unknown_key_of(w, &n->key_locs[i], n->keys[i], names, count,
                           *what ? what : NULL);
        }
        pop(w, saved);
    }
}

/* `ref: NAME` is the root's defs.NAME; `one_of` picks the alternative whose type fits
 * the value's shape (a mapping, a list, or a scalar). */
static const cp_node *resolve(walker *w, const cp_node *s, const cp_node *n)
{
    for (int hops = 0; hops < 8 && node_get(s, "ref"); hops++)
        s = node_get(node_get(w->root, "defs"), node_str(s, "ref"));
    const cp_node *alts = node_get(s, "one_of");
    if (!node_is_seq(alts))
        return s;
    for (size_t i = 0; i < alts->len; i++) {
        const cp_node *alt = alts->items[i];
        for (int hops = 0; hops < 8 && node_get(alt, "ref"); hops++)
            alt = node_get(node_get(w->root, "defs"), node_str(alt, "ref"));
        stype t = type_of(alt);
        bool tagged_name = t == T_MAP && node_get(alt, "tag") && node_is_scalar(n);
        if (tagged_name || ((t == T_MAP) == node_is_map(n) && (t == T_LIST) == node_is_seq(n)))
            return alt;
    }
    return s;   /* no alternative of this shape: reported by the caller */
}

static void check_node(walker *w, const cp_node *s, const cp_node *n)
{
    char found[64];
    s = resolve(w, s, n);
    if (node_get(s, "one_of")) {
        const char *doc = node_str(s, "doc");
        fail(w, &n->loc, "expected %s, found %s", doc ? doc : "another kind of value",
             describe(n, found, sizeof found));
        return;
    }
    if (node_get(s, "tag") && node_is_scalar(n) && !is_empty(n)) {
        check_variant_name(w, s, n);
        return;
    }
    stype t = type_of(s);
    if (t == T_ANY || t == T_COUNT) /* T_COUNT: a broken schema, already reported */
        return;
    bool want_scalar = t != T_LIST && t != T_MAP;
    if (want_scalar && (!node_is_scalar(n) || is_empty(n))) {
        /* `primary: #0F5132` reads as an empty value followed by a comment. */
        bool comment = t == T_COLOR && is_empty(n);
        fail_as(w, &n->loc, "schema.invalid", comment ? "quote the colour: an unquoted # "
                "starts a YAML comment" : NULL, "expected %s, found %s", TYPE_DESCS[t],
                describe(n, found, sizeof found));
        return;
    }
    if (want_scalar) {
        check_scalar(w, s, n, t);
    } else if (t == T_LIST && !node_is_seq(n)) {
        fail(w, &n->loc, "expected a list, found %s", describe(n, found, sizeof found));
    } else if (t == T_MAP && !node_is_map(n)) {
        fail(w, &n->loc, "expected a mapping, found %s", describe(n, found, sizeof found));
    } else if (t == T_LIST) {
        check_list(w, s, n);
    } else {
        check_map(w, s, n);
    }
}

bool schema_check(const cp_node *schema, const cp_node *doc, const cp_schema_env *env)
{
    if (!schema || !doc)
        return false;
    walker w;
    walker_init(&w, doc, env, schema);
    check_node(&w, schema, doc);
    report_unprinted(&w, doc);
    return w.errors == 0;
}
