/* names.c - roster values to safe, unique file names. */
#include "names.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "../core/xalloc.h"

#define EXT ".pdf"
#define EXT_LEN 4
/* Room kept for a duplicate's "-NNNNNNN" (up to ROSTER_MAX_ROWS) */
#define DUP_ROOM 8
#define STEM_MAX (NAME_MAX_BYTES - EXT_LEN - DUP_ROOM)

/* --- one value --------------------------------------------------------------------------- */

/* '-' outranks '_' outranks '.': a run like ", " or " - " becomes one '-'. */
static int sep_rank(char c) { return c == '-' ? 3 : c == '_' ? 2 : c == '.' ? 1 : 0; }

typedef enum { KEEP, SEP_DASH, SEP_SPACE, SEP_SELF, DROP } char_class;

static char_class classify(gunichar c)
{
    if (c == '-' || c == '_' || c == '.')
        return SEP_SELF;
    /* ASCII punctuation and symbols (/ \ : * ? " < > | ...) separate words. */
    if (c < 0x80 && !g_ascii_isalnum((gchar)c) && !g_ascii_isspace((gchar)c) && c >= 0x20)
        return SEP_DASH;
    switch (g_unichar_type(c)) {
    case G_UNICODE_UPPERCASE_LETTER: case G_UNICODE_LOWERCASE_LETTER:
    case G_UNICODE_TITLECASE_LETTER: case G_UNICODE_MODIFIER_LETTER:
    case G_UNICODE_OTHER_LETTER: case G_UNICODE_NON_SPACING_MARK:
    case G_UNICODE_SPACING_MARK: case G_UNICODE_ENCLOSING_MARK:
    case G_UNICODE_DECIMAL_NUMBER: case G_UNICODE_LETTER_NUMBER:
    case G_UNICODE_OTHER_NUMBER:
        return KEEP;
    case G_UNICODE_SPACE_SEPARATOR: case G_UNICODE_LINE_SEPARATOR:
    case G_UNICODE_PARAGRAPH_SEPARATOR:
        return SEP_SPACE;
    case G_UNICODE_CONTROL:
        return c == '\t' || c == '\n' || c == '\r' ? SEP_SPACE : DROP;
    /* Format characters include the bidirectional overrides that can make a name
     * display as something else; symbols include emoji, which many tools mangle. */
    case G_UNICODE_FORMAT: case G_UNICODE_PRIVATE_USE: case G_UNICODE_SURROGATE:
    case G_UNICODE_UNASSIGNED: case G_UNICODE_MATH_SYMBOL: case G_UNICODE_CURRENCY_SYMBOL:
    case G_UNICODE_MODIFIER_SYMBOL: case G_UNICODE_OTHER_SYMBOL:
        return DROP;
    default:   /* punctuation: / \ : * ? " < > | , ' ( ) and their kin in every script */
        return SEP_DASH;
    }
}

/* Appends bytes when they fit (keeping one byte for the NUL). */
static bool put(char *out, size_t cap, size_t *n, const char *s, size_t len)
{
    if (*n + len + 1 > cap)
        return false;
    memcpy(out + *n, s, len);
    *n += len;
    out[*n] = '\0';
    return true;
}

size_t name_sanitize(const char *in, char *out, size_t cap)
{
    size_t n = 0;
    if (cap)
        out[0] = '\0';
    if (!in || !g_utf8_validate(in, -1, NULL) || cap < 2)
        return 0;
    gchar *nfc = g_utf8_normalize(in, -1, G_NORMALIZE_NFC);
    char pending = 0;   /* separator waiting for a kept character after it */
    for (const char *p = nfc; p && *p; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        char_class k = classify(c);
        char sep = k == SEP_DASH ? '-' : k == SEP_SPACE ? '_' : k == SEP_SELF ? (char)c : 0;
        if (sep) {
            if (sep_rank(sep) > sep_rank(pending))
                pending = sep;
            continue;
        }
        if (k == DROP)
            continue;
        size_t before = n;
        if (pending && n > 0 && !put(out, cap, &n, &pending, 1))
            break;
        if (!put(out, cap, &n, p, (size_t)(g_utf8_next_char(p) - p))) {
            n = before;
            out[n] = '\0';
            break;
        }
        pending = 0;
    }
    g_free(nfc);
    return n;
}

/* --- patterns ---------------------------------------------------------------------------- */

typedef enum { PH_STUDENT, PH_CAREER_ID, PH_ROW, PH_BAD } ph_kind;

static ph_kind placeholder(const char *name, size_t len)
{
    if (len > 8 && !strncmp(name, "student.", 8))
        return PH_STUDENT;
    if (len == 9 && !strncmp(name, "career.id", 9))
        return PH_CAREER_ID;
    if (len == 3 && !strncmp(name, "row", 3))
        return PH_ROW;
    return PH_BAD;
}

static bool literal_ok(gunichar c)
{
    return c == '-' || c == '_' || c == '.' || classify(c) == KEEP;
}

bool name_pattern_ok(const char *pattern, const char **why)
{
    bool identifies = false;
    if (!pattern || !*pattern || !g_utf8_validate(pattern, -1, NULL)) {
        *why = "expected a pattern such as " NAME_DEFAULT_PATTERN;
        return false;
    }
    if (pattern[0] == '.') {
        *why = "a file name must not start with a dot (hidden files)";
        return false;
    }
    for (const char *p = pattern; *p;) {
        if (*p == '{') {
            const char *close = strchr(p, '}');
            ph_kind k = close ? placeholder(p + 1, (size_t)(close - p - 1)) : PH_BAD;
            if (k == PH_BAD) {
                *why = "unknown placeholder, expected {student.COLUMN}, {career.id} or {row}";
                return false;
            }
            identifies |= k != PH_CAREER_ID;
            p = close + 1;
            continue;
        }
        if (!literal_ok(g_utf8_get_char(p))) {
            *why = "only letters, digits, '-', '_' and '.' may stand between placeholders "
                   "(no '/', spaces or other punctuation)";
            return false;
        }
        p = g_utf8_next_char(p);
    }
    if (!identifies) {
        *why = "every row would get the same name, expected a {student.COLUMN} or {row} "
               "placeholder";
        return false;
    }
    return true;
}

/* Runs of separators become the strongest one; none at either end. */
static void tidy(GString *s)
{
    GString *t = g_string_sized_new(s->len);
    char pending = 0;
    for (size_t i = 0; i < s->len; i++) {
        char c = s->str[i];
        if (sep_rank(c)) {
            if (sep_rank(c) > sep_rank(pending))
                pending = c;
            continue;
        }
        if (pending && t->len)
            g_string_append_c(t, pending);
        pending = 0;
        g_string_append_c(t, c);
    }
    g_string_assign(s, t->str);
    g_string_free(t, TRUE);
}

static bool is_device(const char *stem)
{
    static const char *const DEVICES[] = {"CON", "PRN", "AUX", "NUL", NULL};
    size_t n = strcspn(stem, ".");
    for (const char *const *d = DEVICES; *d; d++)
        if (n == 3 && !g_ascii_strncasecmp(stem, *d, 3))
            return true;
    return n == 4 && (!g_ascii_strncasecmp(stem, "COM", 3) ||
                      !g_ascii_strncasecmp(stem, "LPT", 3)) && g_ascii_isdigit(stem[3]);
}

static uint32_t fnv1a(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

/* Over STEM_MAX bytes: cut at a character boundary and add a hash of the whole stem. */
static void shorten(GString *stem)
{
    if (stem->len <= STEM_MAX)
        return;
    uint32_t h = fnv1a(stem->str);
    size_t keep = STEM_MAX - 9;
    while (keep > 0 && (stem->str[keep] & 0xC0) == 0x80)
        keep--;
    g_string_truncate(stem, keep);
    while (stem->len && sep_rank(stem->str[stem->len - 1]))
        g_string_truncate(stem, stem->len - 1);
    g_string_append_printf(stem, "-%08x", h);
}

static void append_value(GString *out, const char *value, size_t row)
{
    if (!value || !*value)
        return;
    size_t cap = strlen(value) * 2 + 8;
    char *buf = g_malloc(cap);
    if (name_sanitize(value, buf, cap) > 0)
        g_string_append(out, buf);
    else   /* e.g. a name made only of emoji: still a readable, unique-ish name */
        g_string_append_printf(out, "row-%zu", row);
    g_free(buf);
}

const char *name_for_row(cp_arena *a, const char *pattern, const cp_node *student,
                         const char *career_id, size_t row)
{
    GString *s = g_string_new(NULL);
    for (const char *p = pattern; *p;) {
        const char *close = *p == '{' ? strchr(p, '}') : NULL;
        ph_kind k = close ? placeholder(p + 1, (size_t)(close - p - 1)) : PH_BAD;
        if (k == PH_BAD) {
            g_string_append_c(s, *p++);
            continue;
        }
        if (k == PH_STUDENT) {
            append_value(s, node_str(student, column_key(a, p + 9, (size_t)(close - p - 9))),
                         row);
        } else if (k == PH_CAREER_ID) {
            append_value(s, career_id, row);
        } else {
            g_string_append_printf(s, "%zu", row);
        }
        p = close + 1;
    }
    if (s->len >= EXT_LEN && !g_ascii_strcasecmp(s->str + s->len - EXT_LEN, EXT))
        g_string_truncate(s, s->len - EXT_LEN);
    tidy(s);
    if (!s->len)
        g_string_printf(s, "row-%zu", row);
    if (is_device(s->str))
        g_string_prepend_c(s, '_');
    shorten(s);
    const char *out = arena_printf(a, "%s" EXT, s->str);
    g_string_free(s, TRUE);
    return out;
}

/* --- uniqueness -------------------------------------------------------------------------- */

/* Open addressing over 64-bit hashes of case-folded names: memory stays a few bytes per
 * row. Two different names sharing a hash would only cost one of them a needless "-2". */
typedef struct {
    uint64_t key;      /* 0 = empty */
    unsigned next;     /* for a base name: the next suffix to try */
} slot;

struct cp_names {
    slot *slots;
    size_t cap, len;
};

cp_names *names_new(void)
{
    cp_names *n = xcalloc(1, sizeof *n);
    n->cap = 1024;
    n->slots = xcalloc(n->cap, sizeof *n->slots);
    return n;
}

void names_free(cp_names *n)
{
    if (n)
        free(n->slots);
    free(n);
}

static uint64_t name_key(const char *name)
{
    gchar *nfc = g_utf8_normalize(name, -1, G_NORMALIZE_NFC);
    gchar *folded = g_utf8_casefold(nfc ? nfc : name, -1);
    uint64_t h = 1469598103934665603u;
    for (const char *p = folded; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211u;
    g_free(folded);
    g_free(nfc);
    return h ? h : 1;
}

static slot *find(cp_names *n, uint64_t key)
{
    for (size_t i = key & (n->cap - 1);; i = (i + 1) & (n->cap - 1))
        if (n->slots[i].key == key || n->slots[i].key == 0)
            return &n->slots[i];
}

static slot *insert(cp_names *n, uint64_t key)
{
    if ((n->len + 1) * 2 > n->cap) {
        cp_names big = {xcalloc(n->cap * 2, sizeof(slot)), n->cap * 2, 0};
        for (size_t i = 0; i < n->cap; i++)
            if (n->slots[i].key)
                *find(&big, n->slots[i].key) = n->slots[i];
        free(n->slots);
        n->slots = big.slots;
        n->cap = big.cap;
    }
    slot *s = find(n, key);
    if (!s->key) {
        s->key = key;
        n->len++;
    }
    return s;
}

const char *names_claim(cp_names *n, cp_arena *a, const char *name)
{
    uint64_t base = name_key(name);
    slot *s = insert(n, base);
    if (s->next == 0) {   /* first use of this name */
        s->next = 2;
        return arena_strdup(a, name);
    }
    const char *dot = strrchr(name, '.');
    int stem = dot ? (int)(dot - name) : (int)strlen(name);
    for (;;) {
        unsigned k = s->next++;
        const char *cand = arena_printf(a, "%.*s-%u%s", stem, name, k, dot ? dot : "");
        slot *c = insert(n, name_key(cand));   /* may grow the table: s is stale */
        bool fresh = c->next == 0;
        if (fresh)
            c->next = 2;
        s = find(n, base);
        if (fresh)
            return cand;
    }
}

void names_tally(cp_names *n, const char *name)
{
    insert(n, name_key(name))->next++;
}

unsigned names_tallied(cp_names *n, const char *name)
{
    slot *s = find(n, name_key(name));
    return s->key ? s->next : 0;
}

const char *name_with_suffix(cp_arena *a, const char *name, const char *suffix)
{
    const char *dot = strrchr(name, '.');
    int stem = dot ? (int)(dot - name) : (int)strlen(name);
    return arena_printf(a, "%.*s-%s%s", stem, name, suffix, dot ? dot : "");
}

bool shard_has(size_t row, int k, int n)
{
    return n <= 0 || (row - 1) % (size_t)n == (size_t)(k - 1);
}
