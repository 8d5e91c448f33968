/* node.c - YAML to a tree of located nodes, through libyaml's event API.
 *
 * We build the tree ourselves from events rather than using yaml_parser_load(): the
 * document loader accepts duplicate keys, expands nothing but also checks nothing, and
 * only returns after the whole input is parsed - too late to refuse a 100,000-deep
 * nesting (libyaml needs ~40 s for that) or an alias bomb. Here every limit is checked
 * on the event that crosses it, so hostile input costs milliseconds.
 *
 * Aliases share their anchor's node. Memory therefore stays linear in the input, but
 * whoever walks the tree sees the expanded size, so the node budget counts expanded
 * nodes: an anchor records how many nodes its subtree counted, and an alias adds that
 * many. */
#include "node.h"

#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib.h>
#include <yaml.h>

#include "../core/xalloc.h"

/* Limits far above any real file (the full AI engineer career is ~20 KiB, ~1,500 nodes,
 * 6 levels deep, longest scalar ~2 KiB) and far below what hurts:
 *   max_file_bytes 4 MiB     - whole files are read into memory;
 *   max_depth      64        - nesting of lists and mappings (checks and the schema
 *                              walk recurse, so depth bounds stack use);
 *   max_nodes      200,000   - scalars, lists and mappings (keys are not nodes), counted
 *                              after alias expansion (bounds every later walk of the
 *                              tree; a YAML roster of ~20,000 students fits);
 *   max_scalar     256 KiB   - bytes in one scalar. */
const cp_limits CP_DEFAULT_LIMITS = {
    .max_file_bytes = 4u << 20,
    .max_depth = 64,
    .max_nodes = 200000,
    .max_scalar = 256u << 10,
};

/* ---- a small hash table for anchors and mapping keys ---------------------------- */

/* One table serves both: anchors live in scope 0, the keys of mapping number N in
 * scope N. Entries are never removed (they are bounded by max_nodes). */
typedef struct {
    uint64_t scope;
    const char *name; /* NULL: empty slot */
    void *ptr;        /* anchors: the anchor record */
    size_t idx;       /* keys: index of the key in its mapping */
} slot;

typedef struct {
    slot *slots;
    size_t cap, len;
} table;

static uint64_t hash_name(uint64_t scope, const char *s)
{
    uint64_t h = 1469598103934665603u ^ (scope * 0x9e3779b97f4a7c15u);
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

static slot *table_find(table *t, uint64_t scope, const char *name)
{
    size_t mask = t->cap - 1;
    for (size_t i = hash_name(scope, name) & mask;; i = (i + 1) & mask) {
        slot *s = &t->slots[i];
        if (!s->name || (s->scope == scope && strcmp(s->name, name) == 0))
            return s;
    }
}

static void table_grow(table *t)
{
    table bigger = {xcalloc(t->cap ? t->cap * 2 : 64, sizeof(slot)), t->cap ? t->cap * 2 : 64,
                    t->len};
    for (size_t i = 0; i < t->cap; i++)
        if (t->slots[i].name)
            *table_find(&bigger, t->slots[i].scope, t->slots[i].name) = t->slots[i];
    free(t->slots);
    *t = bigger;
}

/* The slot for (scope, name): filled when present, empty (name NULL) otherwise. Fill
 * an empty one by setting name and calling table_added(). */
static slot *table_slot(table *t, uint64_t scope, const char *name)
{
    if ((t->len + 1) * 2 > t->cap)
        table_grow(t);
    return table_find(t, scope, name);
}

static void table_added(table *t) { t->len++; }

/* ---- loader state --------------------------------------------------------------- */

typedef struct {
    cp_node *node;
    size_t size;  /* nodes in its subtree, aliases expanded; valid once closed */
    bool open;    /* still being built: an alias to it would be a cycle */
} anchor;

typedef struct {
    cp_node *node;
    size_t cap;         /* of node->items (and keys, key_locs for mappings) */
    size_t first_count; /* loader count before this node: its size is count - this */
    anchor *anchor;     /* defined by this node, NULL if none */
    uint64_t serial;    /* mappings: scope of this mapping's keys in the table */
    bool have_key;      /* mappings: a key was read, its value comes next */
    const char *key;
    cp_loc key_loc;
} frame;

typedef struct {
    cp_arena *a;
    const char *file;
    const char *buf; /* the input, to turn marks and offsets into positions */
    size_t buf_len;
    const cp_limits *lim;
    frame *stack;
    size_t depth, stack_cap;
    table names;
    size_t count; /* nodes so far, aliases expanded */
    uint64_t next_serial;
    cp_node *root;
    bool saw_document;
} loader;

static cp_loc mark_loc(const loader *L, yaml_mark_t m)
{
    /* libyaml marks are 0-based; everything we print is 1-based. */
    return (cp_loc){L->file, (int)m.line + 1, (int)m.column + 1};
}

static frame *top(loader *L) { return L->depth ? &L->stack[L->depth - 1] : NULL; }

/* parent + sep + key (+ "]"): every node of every file loaded gets a path, and
 * printf's formatting cost more than the rest of loading a node. */
static const char *join_path(loader *L, const char *parent, char sep, const char *key,
                             bool close)
{
    size_t np = strlen(parent), nk = strlen(key);
    char *p = arena_alloc(L->a, np + nk + 3);
    memcpy(p, parent, np);
    size_t n = np;
    if (np || sep == '[')
        p[n++] = sep;
    memcpy(p + n, key, nk);
    n += nk;
    if (close)
        p[n++] = ']';
    p[n] = '\0';
    return p;
}

static const char *join_key(loader *L, const char *parent, const char *key)
{
    return join_path(L, parent, '.', key, false);
}

/* The data path the next node will get; also what errors about it are reported at. */
static const char *next_path(loader *L)
{
    frame *f = top(L);
    if (!f)
        return "";
    if (f->node->kind == NODE_SEQ) {
        char digits[24], *d = digits + sizeof digits;
        size_t i = f->node->len;
        *--d = '\0';
        do
            *--d = (char)('0' + i % 10);
        while ((i /= 10) > 0);
        return join_path(L, f->node->path, '[', d, true);
    }
    return f->have_key ? join_key(L, f->node->path, f->key) : f->node->path;
}

/* Every node keeps its own copy of its data path, which repeats its parent's: without a
 * bound, long keys (an explicit `? key` may be as long as any scalar) over many nodes
 * cost memory far beyond the file's size - a 200 KB file, one 200 KB key over 2,000
 * list items, took 400 MB; at the file and node limits it would be 50 GB. Real paths
 * stay under 64 bytes ("fields.salary.fields.levels.items.fields.experience.required"
 * is the longest in the repository). */
#define MAX_PATH 256

static bool path_ok(loader *L, const char *path, yaml_mark_t m)
{
    size_t len = strlen(path), head = 40;
    if (len <= MAX_PATH)
        return true;
    while (head > 0 && ((unsigned char)path[head] & 0xC0) == 0x80)
        head--; /* not inside a UTF-8 character */
    cp_loc loc = mark_loc(L, m);
    diag_error(&loc, arena_printf(L->a, "%.*s...", (int)head, path),
               "data path of %zu bytes is too long, expected at most %d (shorter keys or "
               "less nesting)",
               len, MAX_PATH);
    return false;
}

static void *grow(cp_arena *a, void *old, size_t len, size_t new_cap, size_t elem)
{
    void *p = arena_alloc(a, new_cap * elem);
    if (len)
        memcpy(p, old, len * elem);
    return p;
}

/* Appends a child to the open container on top of the stack (or makes it the root). */
static void attach(loader *L, cp_node *child)
{
    frame *f = top(L);
    if (!f) {
        L->root = child;
        return;
    }
    cp_node *p = f->node;
    if (p->len == f->cap) {
        size_t cap = f->cap ? f->cap * 2 : 4;
        p->items = grow(L->a, p->items, p->len, cap, sizeof *p->items);
        if (p->kind == NODE_MAP) {
            p->keys = grow(L->a, p->keys, p->len, cap, sizeof *p->keys);
            p->key_locs = grow(L->a, p->key_locs, p->len, cap, sizeof *p->key_locs);
        }
        f->cap = cap;
    }
    if (p->kind == NODE_MAP) {
        p->keys[p->len] = f->key;
        p->key_locs[p->len] = f->key_loc;
        f->have_key = false;
    }
    p->items[p->len++] = child;
}

/* Counts n more nodes against the budget. */
static bool spend(loader *L, size_t n, yaml_mark_t m)
{
    if (n > L->lim->max_nodes - L->count) {
        cp_loc loc = mark_loc(L, m);
        diag_error(&loc, next_path(L),
                   "too many nodes: more than %zu after expanding aliases, expected a "
                   "smaller document",
                   L->lim->max_nodes);
        return false;
    }
    L->count += n;
    return true;
}

static anchor *define_anchor(loader *L, const yaml_char_t *name, cp_node *node, bool open)
{
    anchor *an = ARENA_NEW(L->a, anchor);
    an->node = node;
    an->size = 1;
    an->open = open;
    slot *s = table_slot(&L->names, 0, (const char *)name);
    if (!s->name) {
        s->name = arena_strdup(L->a, (const char *)name);
        s->scope = 0;
        table_added(&L->names);
    }
    s->ptr = an; /* YAML lets a later anchor of the same name replace an earlier one */
    return an;
}

/* ---- mapping keys --------------------------------------------------------------- */

static bool take_key(loader *L, frame *f, const char *text, bool plain, yaml_mark_t m)
{
    cp_loc loc = mark_loc(L, m);
    if (plain && strcmp(text, "<<") == 0) {
        diag_error(&loc, join_key(L, f->node->path, text),
                   "merge keys are not supported, expected the keys written out in full");
        return false;
    }
    if (plain && !*text) {
        diag_error(&loc, f->node->path, "empty mapping key, expected a name before ':'");
        return false;
    }
    slot *s = table_slot(&L->names, f->serial, text);
    if (s->name) {
        cp_loc first = f->node->key_locs[s->idx];
        diag_error(&loc, join_key(L, f->node->path, text),
                   "duplicate key '%s', first defined at line %d, column %d",
                   text, first.line, first.col);
        return false;
    }
    s->scope = f->serial;
    s->name = text;
    s->idx = f->node->len;
    table_added(&L->names);
    f->have_key = true;
    f->key = text;
    f->key_loc = loc;
    return true;
}

static bool expecting_key(loader *L)
{
    frame *f = top(L);
    return f && f->node->kind == NODE_MAP && !f->have_key;
}

/* ---- events --------------------------------------------------------------------- */

static bool is_str_tag(const yaml_char_t *tag)
{
    /* `!!str 12` and the non-specific `! 12` are explicitly text, however written. */
    return tag && (strcmp((const char *)tag, "tag:yaml.org,2002:str") == 0 ||
                   strcmp((const char *)tag, "!") == 0);
}

static bool on_scalar(loader *L, const yaml_event_t *ev)
{
    const char *value = (const char *)ev->data.scalar.value;
    size_t len = ev->data.scalar.length;
    cp_loc loc = mark_loc(L, ev->start_mark);
    if (len > L->lim->max_scalar) {
        diag_error(&loc, next_path(L), "scalar of %zu bytes is too long, expected at most %zu",
                   len, L->lim->max_scalar);
        return false;
    }
    if (memchr(value, '\0', len)) {
        /* Only reachable through the "\0" escape; text is handled as C strings. */
        diag_error(&loc, next_path(L), "text contains a NUL character (\\0), expected none");
        return false;
    }
    /* Keys are not nodes of the tree (and cannot be expanded by aliases): only values
     * count against the budget, so max_nodes means what the header says. The mapping
     * a key belongs to is taken once (`owner`, NULL for a value), which also shows
     * gcc -fanalyzer that it is not NULL where it is used. */
    frame *owner = expecting_key(L) ? top(L) : NULL;
    if (!owner && !spend(L, 1, ev->start_mark))
        return false;
    bool plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
                 !is_str_tag(ev->data.scalar.tag);
    cp_node *n = ARENA_NEW(L->a, cp_node);
    n->kind = NODE_SCALAR;
    n->loc = loc;
    n->text = arena_strndup(L->a, value, len);
    n->plain = plain;
    n->path = owner ? join_key(L, owner->node->path, n->text) : next_path(L);
    if (!path_ok(L, n->path, ev->start_mark))
        return false;
    if (ev->data.scalar.anchor) /* an anchored key may be used as an alias later */
        define_anchor(L, ev->data.scalar.anchor, n, false);
    if (owner)
        return take_key(L, owner, n->text, plain, ev->start_mark);
    attach(L, n);
    return true;
}

static bool on_alias(loader *L, const yaml_event_t *ev)
{
    const char *name = (const char *)ev->data.alias.anchor;
    cp_loc loc = mark_loc(L, ev->start_mark);
    slot *s = table_slot(&L->names, 0, name);
    if (!s->name) {
        diag_error(&loc, next_path(L), "unknown anchor in alias '*%s', expected an earlier '&%s'",
                   name, name);
        return false;
    }
    anchor *an = s->ptr;
    if (an->open) {
        diag_error(&loc, next_path(L),
                   "recursive alias '*%s': it is inside the node anchored '&%s', expected a "
                   "reference to a finished node",
                   name, name);
        return false;
    }
    frame *owner = expecting_key(L) ? top(L) : NULL; /* as in on_scalar() */
    if (owner) {
        if (an->node->kind != NODE_SCALAR) {
            diag_error(&loc, owner->node->path,
                       "alias '*%s' used as a key refers to a %s, expected text", name,
                       an->node->kind == NODE_MAP ? "mapping" : "list");
            return false;
        }
        return take_key(L, owner, an->node->text, an->node->plain, ev->start_mark);
    }
    if (!spend(L, an->size, ev->start_mark))
        return false;
    attach(L, an->node); /* shared, not copied */
    return true;
}

static bool on_start(loader *L, const yaml_event_t *ev, cp_node_kind kind,
                     const yaml_char_t *anchor_name)
{
    cp_loc loc = mark_loc(L, ev->start_mark);
    const char *what = kind == NODE_MAP ? "a mapping" : "a list";
    if (expecting_key(L)) {
        diag_error(&loc, top(L)->node->path, "%s cannot be a mapping key, expected text",
                   what);
        return false;
    }
    if (L->depth >= L->lim->max_depth) {
        /* The path of a runaway nesting is itself runaway: name only where it starts. */
        const char *path = next_path(L);
        char head[64];
        snprintf(head, sizeof head, "%.40s%s", path, strlen(path) > 40 ? "..." : "");
        diag_error(&loc, head,
                   "nesting is deeper than %zu levels, expected at most %zu levels of lists "
                   "and mappings",
                   L->lim->max_depth, L->lim->max_depth);
        return false;
    }
    size_t before = L->count;
    if (!spend(L, 1, ev->start_mark))
        return false;

    cp_node *n = ARENA_NEW(L->a, cp_node);
    n->kind = kind;
    n->loc = loc;
    n->path = next_path(L);
    if (!path_ok(L, n->path, ev->start_mark))
        return false;
    attach(L, n);

    if (L->depth == L->stack_cap) {
        L->stack_cap = L->stack_cap ? L->stack_cap * 2 : 16;
        L->stack = xrealloc(L->stack, L->stack_cap * sizeof *L->stack);
    }
    frame *f = &L->stack[L->depth++];
    memset(f, 0, sizeof *f);
    f->node = n;
    f->first_count = before;
    f->serial = ++L->next_serial;
    if (anchor_name)
        f->anchor = define_anchor(L, anchor_name, n, true);
    return true;
}

static bool on_end(loader *L)
{
    frame *f = &L->stack[--L->depth];
    if (f->anchor) {
        f->anchor->size = L->count - f->first_count;
        f->anchor->open = false;
    }
    return true;
}

/* ---- errors from libyaml -------------------------------------------------------- */

/* Line and column (1-based, in characters) of a byte offset into the input. */
static cp_loc offset_loc(const loader *L, size_t offset)
{
    cp_loc loc = {L->file, 1, 1};
    if (offset > L->buf_len)
        offset = L->buf_len;
    for (size_t i = 0; i < offset; i++) {
        unsigned char c = (unsigned char)L->buf[i];
        if (c == '\n' || (c == '\r' && (i + 1 >= L->buf_len || L->buf[i + 1] != '\n'))) {
            loc.line++;
            loc.col = 1;
        } else if ((c & 0xC0) != 0x80 && c != '\r') {
            loc.col++; /* count characters, not UTF-8 continuation bytes */
        }
    }
    return loc;
}

/* The byte at a 0-based libyaml mark (line, column in characters), or -1. */
static int byte_at_mark(const loader *L, yaml_mark_t m)
{
    size_t i = 0, line = 0;
    while (i < L->buf_len && line < m.line)
        if (L->buf[i++] == '\n')
            line++;
    for (size_t col = 0; i < L->buf_len; i++) {
        if (((unsigned char)L->buf[i] & 0xC0) == 0x80)
            continue;
        if (col++ == m.column)
            return (unsigned char)L->buf[i];
    }
    return -1;
}

/* libyaml's reader problems in the user's terms. */
static const char *utf8_problem(const char *problem)
{
    if (strstr(problem, "leading"))
        return "this byte cannot start a character";
    if (strstr(problem, "trailing"))
        return "broken multi-byte character";
    if (strstr(problem, "incomplete"))
        return "multi-byte character cut off by the end of the file";
    if (strstr(problem, "length"))
        return "overlong encoding";
    return problem;
}

/* Line `line` (0-based) of the buffer, copied into out (cut at its size). */
static const char *line_text(const loader *L, size_t line, char *out, size_t size)
{
    size_t i = 0, n = 0;
    for (size_t l = 0; i < L->buf_len && l < line; i++)
        if (L->buf[i] == '\n')
            l++;
    while (i < L->buf_len && L->buf[i] != '\n' && n + 1 < size)
        out[n++] = L->buf[i++];
    out[n] = '\0';
    return out;
}

/* A value after "key: " that holds ": " again, or a " #" (in a value, a comment starts
 * there), read from one line. */
static bool has_inner_colon(const char *t)
{
    const char *first = strstr(t, ": ");
    return first && strstr(first + 2, ": ");
}

static bool has_comment_in_value(const char *t)
{
    const char *colon = strstr(t, ":");
    return colon && (strstr(colon, " #") || strstr(colon, "[#") || strstr(colon, "{#"));
}

/* The usual fix for libyaml's usual complaints: its words say what the parser saw, not
 * what the writer meant. */
static const char *syntax_hint(const loader *L, const yaml_parser_t *p)
{
    char at[512], ctx[512], before[512] = "";
    line_text(L, p->problem_mark.line, at, sizeof at);
    line_text(L, p->context ? p->context_mark.line : p->problem_mark.line, ctx, sizeof ctx);
    if (p->problem_mark.line > 0)   /* a comment that ate the end of a line shows after it */
        line_text(L, p->problem_mark.line - 1, before, sizeof before);
    const char *problem = p->problem ? p->problem : "";
    if (byte_at_mark(L, p->problem_mark) == '\t')
        return "tabs cannot indent YAML, expected spaces";
    if (has_comment_in_value(at) || has_comment_in_value(ctx) ||
        has_comment_in_value(before))
        return "' #' starts a comment, so a value containing ' #' or starting with '#' "
               "must be quoted, as in primary: \"#0F5132\"";
    if (has_inner_colon(at) || has_inner_colon(ctx))
        return "a value containing ': ' must be quoted: title: \"Part one: the basics\"";
    if (strstr(problem, "mapping values are not allowed"))
        return "check the indentation: this key is not in line with the keys around it, "
               "or the value before it holds ': ' and needs quotes";
    if (strstr(problem, "cannot start any token"))
        return "a value starting with @, ` or % must be quoted";
    if (strstr(problem, "found unexpected end of stream") ||
        strstr(problem, "found unexpected end of the stream"))
        return "a quoted value is missing its closing quote";
    if (strstr(problem, "unknown escape"))
        return "inside double quotes a backslash starts an escape: write \\\\ or use "
               "single quotes";
    if (strstr(problem, "block sequence entries are not allowed"))
        return "a list item '- ' starts its own line, indented under its key";
    if (strstr(problem, "did not find expected key") ||
        strstr(problem, "could not find expected ':'"))
        return "check the indentation: the keys of one mapping start in the same column, "
               "and a value continued on the next line is indented further (or quoted)";
    return NULL;
}

static void report_parser_error(loader *L, const yaml_parser_t *p)
{
    if (p->error == YAML_READER_ERROR) {
        size_t at = p->problem_offset < L->buf_len ? p->problem_offset : L->buf_len;
        if (strstr(p->problem, "UTF-8") || p->problem_value == -1) {
            /* libyaml points at the bad continuation byte; the user's character starts
             * at the lead byte before it. */
            if (strstr(p->problem, "trailing") && at > 0)
                do
                    at--;
                while (at > 0 && ((unsigned char)L->buf[at] & 0xC0) != 0xC0);
            cp_loc loc = offset_loc(L, at);
            unsigned char b = at < L->buf_len ? (unsigned char)L->buf[at] : 0;
            diag_error(&loc, NULL, "invalid UTF-8 (%s, byte 0x%02x), expected UTF-8 text",
                       utf8_problem(p->problem), b);
        } else {
            cp_loc loc = offset_loc(L, at);
            diag_error(&loc, NULL, "%s (U+%04X), expected printable text", p->problem,
                       (unsigned)p->problem_value);
        }
        return;
    }
    if (p->error != YAML_SCANNER_ERROR && p->error != YAML_PARSER_ERROR) {
        cp_loc loc = {L->file, 0, 0};
        diag_error(&loc, NULL, "cannot parse YAML: %s", p->problem ? p->problem : "error");
        return;
    }
    cp_loc loc = mark_loc(L, p->problem_mark);
    const char *hint = syntax_hint(L, p);
    if (p->context)
        diag_report(DIAG_ERROR, &loc, NULL, "yaml.syntax", hint, "syntax error: %s (%s at "
                    "line %d, column %d)", p->problem, p->context,
                    (int)p->context_mark.line + 1, (int)p->context_mark.column + 1);
    else
        diag_report(DIAG_ERROR, &loc, NULL, "yaml.syntax", hint, "syntax error: %s",
                    p->problem);
}

/* ---- the event loop ------------------------------------------------------------- */

static bool on_event(loader *L, const yaml_event_t *ev)
{
    switch (ev->type) {
    case YAML_DOCUMENT_START_EVENT:
        if (L->saw_document) {
            cp_loc loc = mark_loc(L, ev->start_mark);
            diag_error(&loc, NULL,
                       "only one YAML document per file, expected no second '---' section");
            return false;
        }
        L->saw_document = true;
        return true;
    case YAML_SCALAR_EVENT:
        return on_scalar(L, ev);
    case YAML_ALIAS_EVENT:
        return on_alias(L, ev);
    case YAML_SEQUENCE_START_EVENT:
        return on_start(L, ev, NODE_SEQ, ev->data.sequence_start.anchor);
    case YAML_MAPPING_START_EVENT:
        return on_start(L, ev, NODE_MAP, ev->data.mapping_start.anchor);
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT:
        return on_end(L);
    default:
        return true;
    }
}

static bool is_empty_root(const cp_node *root)
{
    return !root || (root->kind == NODE_SCALAR && root->plain &&
                     (!*root->text || strcmp(root->text, "~") == 0));
}

/* libyaml checks each %TAG directive against every earlier one of its document, and
 * it reads all of them before the document's first event reaches us: a 4 MiB file of
 * 300,000 directives kept it busy for minutes. No career, layout or roster needs a
 * directive, so more than MAX_DIRECTIVES lines that start with '%' are refused before
 * libyaml sees the file. Directives stand at column 0, after any of YAML's line breaks
 * (LF, CR, NEL, LS, PS) or a byte order mark; a '%' that opens a continuation line of
 * quoted text counts too, which no real file does 100 times. */
#define MAX_DIRECTIVES 100

static bool too_many_directives(loader *L)
{
    const unsigned char *b = (const unsigned char *)L->buf;
    size_t count = 0;
    for (size_t i = 0; i < L->buf_len; i++) {
        if (b[i] != '%')
            continue;
        bool col0 = i == 0 || b[i - 1] == '\n' || b[i - 1] == '\r' ||
                    (i == 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF) ||
                    (i >= 2 && b[i - 2] == 0xC2 && b[i - 1] == 0x85) ||
                    (i >= 3 && b[i - 3] == 0xE2 && b[i - 2] == 0x80 &&
                     (b[i - 1] == 0xA8 || b[i - 1] == 0xA9));
        if (col0 && ++count > MAX_DIRECTIVES) {
            cp_loc loc = offset_loc(L, i);
            diag_error(&loc, NULL, "more than %d lines starting with '%%' (YAML directives "
                       "such as %%TAG), expected at most %d", MAX_DIRECTIVES, MAX_DIRECTIVES);
            return true;
        }
    }
    return false;
}

static cp_node *parse(loader *L)
{
    if (too_many_directives(L))
        return NULL;
    yaml_parser_t p;
    if (!yaml_parser_initialize(&p)) {
        cp_loc loc = {L->file, 0, 0};
        diag_error(&loc, NULL, "cannot start the YAML parser (out of memory)");
        return NULL;
    }
    yaml_parser_set_input_string(&p, (const unsigned char *)L->buf, L->buf_len);
    yaml_parser_set_encoding(&p, YAML_UTF8_ENCODING); /* never guess UTF-16 */

    bool ok = true, done = false;
    while (ok && !done) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&p, &ev)) {
            report_parser_error(L, &p);
            ok = false;
            break;
        }
        ok = on_event(L, &ev);
        done = ev.type == YAML_STREAM_END_EVENT;
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&p);
    free(L->stack);
    free(L->names.slots);
    if (!ok)
        return NULL;
    if (is_empty_root(L->root)) {
        cp_loc loc = {L->file, 0, 0};
        diag_error(&loc, NULL, "file is empty, expected a YAML mapping");
        return NULL;
    }
    return L->root;
}

cp_node *yaml_load_string(cp_arena *a, const char *display_name, const char *buf, size_t len,
                          const cp_limits *lim)
{
    loader L = {0};
    L.a = a;
    L.file = arena_strdup(a, display_name ? display_name : "<input>");
    L.buf = buf;
    L.buf_len = len;
    L.lim = lim ? lim : &CP_DEFAULT_LIMITS;
    if (len > L.lim->max_file_bytes) {
        cp_loc loc = {L.file, 0, 0};
        diag_error(&loc, NULL, "file is %zu bytes, expected at most %zu", len,
                   L.lim->max_file_bytes);
        return NULL;
    }
    return parse(&L);
}

/* Reads at most max+1 bytes so an oversized file (or an endless pipe) is refused
 * without reading it all. Returns a malloc'd buffer or NULL after reporting. */
static char *read_file(const char *path, const cp_loc *loc, size_t max, size_t *len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        diag_error(loc, NULL, "cannot open file: %s", strerror(errno));
        return NULL;
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        diag_error(loc, NULL, "cannot read file: %s", strerror(errno));
        close(fd);
        return NULL;
    }
    if (S_ISDIR(st.st_mode)) {
        diag_error(loc, NULL, "is a directory, expected a YAML file");
        close(fd);
        return NULL;
    }
    if (S_ISREG(st.st_mode) && (uintmax_t)st.st_size > max) {
        diag_error(loc, NULL, "file is %jd bytes, expected at most %zu", (intmax_t)st.st_size,
                   max);
        close(fd);
        return NULL;
    }
    size_t cap = S_ISREG(st.st_mode) ? (size_t)st.st_size + 1 : 65536, n = 0;
    char *buf = malloc(cap);
    for (;;) {
        if (!buf) {
            fputs("careerpdf: error: out of memory\n", stderr);
            abort();
        }
        if (n == cap) {
            cap *= 2;
            char *bigger = realloc(buf, cap); /* abort()s above on failure */
            if (!bigger)
                free(buf);
            buf = bigger;
            continue;
        }
        ssize_t r = read(fd, buf + n, cap - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            diag_error(loc, NULL, "cannot read file: %s", strerror(errno));
            break;
        }
        if (r == 0) {
            close(fd);
            *len = n;
            return buf;
        }
        n += (size_t)r;
        if (n > max) {
            diag_error(loc, NULL, "file is more than %zu bytes, expected at most %zu", max, max);
            break;
        }
    }
    close(fd);
    free(buf);
    return NULL;
}

cp_node *yaml_load_file(cp_arena *a, const char *path, const cp_limits *lim)
{
    if (!lim)
        lim = &CP_DEFAULT_LIMITS;
    cp_loc loc = {arena_strdup(a, path), 0, 0};
    size_t len = 0;
    char *buf = read_file(path, &loc, lim->max_file_bytes, &len);
    if (!buf)
        return NULL;
    cp_node *root = NULL;
    if (len == 0)
        diag_error(&loc, NULL, "file is empty, expected a YAML mapping");
    else
        root = yaml_load_string(a, path, buf, len, lim);
    free(buf);
    return root;
}

/* ---- trees built in code ------------------------------------------------------- */

cp_node *node_new_scalar(cp_arena *a, const char *text, bool plain, cp_loc loc,
                         const char *path)
{
    cp_node *n = ARENA_NEW(a, cp_node);
    n->kind = NODE_SCALAR;
    n->loc = loc;
    n->path = path ? path : "";
    n->text = text ? text : "";
    n->plain = plain;
    return n;
}

static cp_node *new_container(cp_arena *a, cp_node_kind kind, size_t cap, cp_loc loc,
                              const char *path)
{
    cp_node *n = ARENA_NEW(a, cp_node);
    n->kind = kind;
    n->loc = loc;
    n->path = path ? path : "";
    n->cap = cap ? cap : 1;
    n->items = ARENA_ARRAY(a, cp_node *, n->cap);
    if (kind == NODE_MAP) {
        n->keys = ARENA_ARRAY(a, const char *, n->cap);
        n->key_locs = ARENA_ARRAY(a, cp_loc, n->cap);
    }
    return n;
}

cp_node *node_new_map(cp_arena *a, size_t cap, cp_loc loc, const char *path)
{
    return new_container(a, NODE_MAP, cap, loc, path);
}

cp_node *node_new_seq(cp_arena *a, size_t cap, cp_loc loc, const char *path)
{
    return new_container(a, NODE_SEQ, cap, loc, path);
}

void node_add(cp_arena *a, cp_node *parent, const char *key, cp_loc key_loc,
              cp_node *child)
{
    /* A loaded node has cap 0 and exactly len children: it grows like a full one. */
    if (parent->len >= parent->cap) {
        size_t cap = parent->len ? parent->len * 2 : 4;
        parent->items = grow(a, parent->items, parent->len, cap, sizeof *parent->items);
        if (parent->kind == NODE_MAP) {
            parent->keys = grow(a, parent->keys, parent->len, cap, sizeof *parent->keys);
            parent->key_locs =
                grow(a, parent->key_locs, parent->len, cap, sizeof *parent->key_locs);
        }
        parent->cap = cap;
    }
    if (parent->kind == NODE_MAP) {
        parent->keys[parent->len] = key;
        parent->key_locs[parent->len] = key_loc;
    }
    parent->items[parent->len++] = child;
}

cp_node *node_add_scalar(cp_arena *a, cp_node *map, const char *key, const char *text,
                         cp_loc loc)
{
    cp_node *v = node_new_scalar(a, text, true, loc, key);
    node_add(a, map, key, loc, v);
    return v;
}

/* ---- lookups -------------------------------------------------------------------- */

const cp_node *node_get(const cp_node *map, const char *key)
{
    if (!node_is_map(map) || !key)
        return NULL;
    for (size_t i = 0; i < map->len; i++)
        if (strcmp(map->keys[i], key) == 0)
            return map->items[i];
    return NULL;
}

const char *column_key(cp_arena *a, const char *name, size_t len)
{
    while (len && (*name == ' ' || *name == '\t')) {
        name++;
        len--;
    }
    while (len && (name[len - 1] == ' ' || name[len - 1] == '\t'))
        len--;
    if (!g_utf8_validate(name, (gssize)len, NULL)) {
        char *out = arena_strndup(a, name, len);
        for (char *p = out; *p; p++)
            *p = g_ascii_tolower(*p);
        return out;
    }
    char *low = g_utf8_strdown(name, (gssize)len);
    const char *out = arena_strdup(a, low);
    g_free(low);
    return out;
}

const cp_node *node_at(const cp_node *root, const char *path)
{
    const cp_node *n = root;
    const char *p = path ? path : "";
    while (n && *p) {
        if (*p == '[') {
            char *end;
            errno = 0;
            unsigned long long i = strtoull(p + 1, &end, 10);
            if (end == p + 1 || *end != ']' || errno || !node_is_seq(n) || i >= n->len)
                return NULL;
            n = n->items[i];
            p = end + 1;
        } else {
            if (*p == '.')
                p++;
            size_t k = strcspn(p, ".[");
            if (k == 0 || !node_is_map(n))
                return NULL;
            const cp_node *child = NULL;
            for (size_t i = 0; i < n->len && !child; i++)
                if (strlen(n->keys[i]) == k && memcmp(n->keys[i], p, k) == 0)
                    child = n->items[i];
            n = child;
            p += k;
        }
    }
    return n;
}

const char *node_str(const cp_node *map, const char *key)
{
    const cp_node *n = node_get(map, key);
    return node_is_scalar(n) ? n->text : NULL;
}

/* YAML 1.2 core-schema float syntax, minus .inf/.nan: [-+]?(\.D+|D+(\.D*)?)([eE][-+]?D+)? */
static bool looks_numeric(const char *s)
{
    size_t digits = 0;
    if (*s == '+' || *s == '-')
        s++;
    for (; *s >= '0' && *s <= '9'; s++)
        digits++;
    if (*s == '.')
        for (s++; *s >= '0' && *s <= '9'; s++)
            digits++;
    if (!digits)
        return false;
    if (*s == 'e' || *s == 'E') {
        s++;
        if (*s == '+' || *s == '-')
            s++;
        if (!(*s >= '0' && *s <= '9'))
            return false;
        while (*s >= '0' && *s <= '9')
            s++;
    }
    return *s == '\0';
}

bool node_number(const cp_node *scalar, double *out)
{
    if (!node_is_scalar(scalar) || !scalar->plain || !looks_numeric(scalar->text))
        return false;
    /* strtod follows LC_NUMERIC; data always uses '.', whatever the locale says. */
    char buf[128];
    const char *text = scalar->text;
    const char *dp = localeconv()->decimal_point;
    if (strcmp(dp, ".") != 0 && strchr(text, '.')) {
        size_t dl = strlen(dp), n = 0;
        const char *s = text;
        for (; *s && n + dl + 1 < sizeof buf; s++) {
            if (*s == '.') {
                memcpy(buf + n, dp, dl);
                n += dl;
            } else {
                buf[n++] = *s;
            }
        }
        if (*s)
            return false; /* too long to copy: a cut-off copy would read as another number */
        buf[n] = '\0';
        text = buf;
    }
    char *end;
    double v = strtod(text, &end);
    if (*end || !isfinite(v))
        return false;
    if (out)
        *out = v;
    return true;
}

bool node_bool(const cp_node *scalar, bool *out)
{
    if (!node_is_scalar(scalar) || !scalar->plain)
        return false;
    const char *t = scalar->text;
    bool v;
    if (strcmp(t, "true") == 0 || strcmp(t, "yes") == 0)
        v = true;
    else if (strcmp(t, "false") == 0 || strcmp(t, "no") == 0)
        v = false;
    else
        return false;
    if (out)
        *out = v;
    return true;
}

double node_num(const cp_node *map, const char *key, double fallback)
{
    double v;
    return node_number(node_get(map, key), &v) ? v : fallback;
}
