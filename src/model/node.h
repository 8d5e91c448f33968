/* node.h - YAML documents as a tree of located nodes.
 *
 * Every file careerpdf reads (careers, layouts, label strings, YAML rosters, schemas)
 * is loaded into this one tree type. Each node remembers where it came from
 * (FILE:LINE:COL, 1-based) and its data path ("salary.levels[1].max"), so any later
 * check can point the user at the exact spot.
 *
 * libyaml does no typing: every scalar is text. `plain` records whether the scalar was
 * unquoted, which is what decides whether it may be read as a number or a boolean.
 *
 * The loader refuses, with a located message: syntax errors, duplicate keys, merge
 * keys (`<<`), recursive aliases, and anything over the limits below (checked while
 * parsing, so an alias bomb or a 100,000-deep nesting is refused in milliseconds). */
#ifndef CP_NODE_H
#define CP_NODE_H

#include <stdbool.h>
#include <stddef.h>

#include "../core/arena.h"
#include "../core/diag.h"

typedef enum { NODE_SCALAR, NODE_SEQ, NODE_MAP } cp_node_kind;

typedef struct cp_node cp_node;
struct cp_node {
    cp_node_kind kind;
    cp_loc loc;          /* where the value starts */
    const char *path;    /* data path from the document root; "" for the root */
    const char *text;    /* scalars only: UTF-8 text (validated) */
    bool plain;          /* scalars only: written without quotes */
    size_t len;          /* number of children (SEQ, MAP) */
    const char **keys;   /* MAP only: key of each child */
    cp_loc *key_locs;    /* MAP only: where each key stands */
    cp_node **items;     /* children; an alias shares its anchor's node */
    size_t cap;          /* room in items (and keys) for node_add; 0 when loaded */
};

typedef struct {
    size_t max_file_bytes;  /* size of the file itself */
    size_t max_depth;       /* nesting of sequences and mappings */
    size_t max_nodes;       /* nodes counted after alias expansion */
    size_t max_scalar;      /* bytes in one scalar */
} cp_limits;

/* Limits no real career, layout or roster file comes near (documented in tests/README). */
extern const cp_limits CP_DEFAULT_LIMITS;

/* Load a file; `display_name` is what messages call it. Returns NULL after reporting
 * through diag_error() (missing file, directory, empty file, invalid UTF-8, syntax,
 * limits, duplicate keys...). An empty document is an error: "file is empty". */
cp_node *yaml_load_file(cp_arena *a, const char *path, const cp_limits *lim);
cp_node *yaml_load_string(cp_arena *a, const char *display_name, const char *buf,
                          size_t len, const cp_limits *lim);

/* Trees built in code - a CSV row, a roster row sent to a worker, a layout merged from
 * two files - are made of the same nodes, so every schema check and located message
 * works on them unchanged. `path` is the data path messages show; `loc` where the value
 * came from (a CSV cell's line and column). Containers start with room for `cap`
 * children and grow in the arena when more are added. */
cp_node *node_new_scalar(cp_arena *a, const char *text, bool plain, cp_loc loc,
                         const char *path);
cp_node *node_new_map(cp_arena *a, size_t cap, cp_loc loc, const char *path);
cp_node *node_new_seq(cp_arena *a, size_t cap, cp_loc loc, const char *path);
/* Appends `child` to a map under `key` (standing at key_loc), or to a list (key NULL). */
void node_add(cp_arena *a, cp_node *parent, const char *key, cp_loc key_loc,
              cp_node *child);
/* Appends a plain scalar whose data path is its key: a roster row's column, where a
 * message names the column as the user wrote it. Returns the new scalar. */
cp_node *node_add_scalar(cp_arena *a, cp_node *map, const char *key, const char *text,
                         cp_loc loc);

/* Lookups. All accept NULL and return NULL/false when absent or of the wrong kind. */
const cp_node *node_get(const cp_node *map, const char *key);
/* Dotted path with optional indexes: "salary.levels[0].min". */
const cp_node *node_at(const cp_node *root, const char *path);
/* Text of a scalar child, or NULL. */
const char *node_str(const cp_node *map, const char *key);
/* Plain scalar read as a finite number. */
bool node_number(const cp_node *scalar, double *out);
/* Plain scalar true/false/yes/no. */
bool node_bool(const cp_node *scalar, bool *out);
/* Child number with a fallback when absent. */
double node_num(const cp_node *map, const char *key, double fallback);

/* A roster column's name as rows are keyed by it: blanks around it removed, lower case
 * (every script). "  Student ID " and {student.student id} both give "student id", so
 * headers, --column, --name-pattern and layouts name a column the same way. */
const char *column_key(cp_arena *a, const char *name, size_t len);

static inline bool node_is_map(const cp_node *n) { return n && n->kind == NODE_MAP; }
static inline bool node_is_seq(const cp_node *n) { return n && n->kind == NODE_SEQ; }
static inline bool node_is_scalar(const cp_node *n) { return n && n->kind == NODE_SCALAR; }

#endif
