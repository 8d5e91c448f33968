/* engine.h - what block kinds share: pieces, text, cards, icons, labels.
 *
 * A block kind turns its slice of the data into pieces: rectangles of known height
 * holding display items in local coordinates (origin top-left of the piece, width =
 * the column width). The paginator never splits a piece, keeps chains of
 * keep_with_next pieces together, and repeats a piece's header above it when it has
 * to continue on a new page. Internal to src/layout. */
#ifndef CP_ENGINE_H
#define CP_ENGINE_H

#include <stdbool.h>

#include "layout.h"
#include "theme.h"

typedef struct cp_piece cp_piece;
struct cp_piece {
    dl_page canvas;          /* items in piece coordinates */
    double height;
    double space_before;     /* dropped at the top of a page */
    bool keep_with_next;
    const cp_piece *header;  /* drawn first when this piece starts a page */
    const char *what;        /* data path for messages */
};

typedef struct {
    cp_arena *a;
    dl_doc *doc;
    const cp_job *job;
    const cp_theme *th;
    cp_fonts *fonts;
    const char *lang;
    double width;            /* width of the current column */
    cp_vec *pieces;          /* where new pieces go */
    int dest_serial;
    /* Page numbers of named destinations from a first pass (NULL in the first pass);
     * a block that prints them sets wants_page_numbers to ask for the second pass. */
    GHashTable *dest_pages;
    bool wants_page_numbers;
} cp_ctx;

typedef bool (*block_build_fn)(cp_ctx *ctx, const cp_node *block);

/* --- pieces ------------------------------------------------------------------------ */
cp_piece *piece_new(cp_ctx *ctx, double space_before, const char *what);
/* Copies a piece's items onto a page at (x, y). */
void piece_place(dl_doc *doc, dl_page *page, const cp_piece *pc, double x, double y);
/* Lays blocks out side by side in `columns` equal columns and returns one piece. */
cp_piece *piece_columns(cp_ctx *ctx, const cp_node *blocks, double space_before);

/* --- text ---------------------------------------------------------------------------- */
/* A shaped, broken paragraph at `width` (<= 0: one line). `src` locates errors: a glyph
 * that no bundled font has is reported against it. Never NULL. */
PangoLayout *text_new(cp_ctx *ctx, const char *text, cp_style_id style, double width,
                      const cp_node *src);
PangoLayout *text_styled(cp_ctx *ctx, const char *text, const cp_style *st, double width,
                         const cp_node *src);
double text_height(PangoLayout *l);
double text_width(PangoLayout *l);
/* Distance from the top of the layout to the first baseline. */
double text_baseline(PangoLayout *l);
/* Adds the text to the piece; returns its height. */
double put_text(cp_ctx *ctx, cp_piece *pc, PangoLayout *l, double x, double y,
                cp_style_id style);

/* --- labels and data --------------------------------------------------------------- */
/* Label from the strings file ("sections.skills"), placeholders filled from the career
 * ({role}, {field}, {title}...), the student ({student.name}) and `extra` pairs
 * ("page", "3", ..., NULL). Missing label: error naming key and language, returns "". */
const char *label(cp_ctx *ctx, const char *key, ...);
/* Fills placeholders of any template the same way. */
const char *expand(cp_ctx *ctx, const char *tmpl, const char *const *extra);
/* The data node a block is bound to (`data:` path), or an error when required. */
const cp_node *block_data(cp_ctx *ctx, const cp_node *block, bool required);
/* `key` of the block spec as text, or the fallback. */
const char *block_opt(const cp_node *block, const char *key, const char *fallback);
double block_num(const cp_node *block, const char *key, double fallback);

/* --- shared drawing ---------------------------------------------------------------- */
/* A fixed size the blocks use (icon, bar, node), given for the layout's reference paper,
 * on this paper: posters scale every size with the page (theme.h, page.reference). */
static inline double scaled(const cp_ctx *ctx, double pt) { return pt * ctx->th->scale; }

/* An icon by name from fonts/icons.yaml, drawn in a size x size box. */
bool put_icon(cp_ctx *ctx, cp_piece *pc, const char *name, const cp_node *src, double x,
              double y, double size, cp_rgba color);
bool icon_known(cp_ctx *ctx, const char *name);
/* A horizontal bar: track plus a filled share (0..1). */
void put_bar(cp_ctx *ctx, cp_piece *pc, double x, double y, double w, double h,
             double share, cp_rgba fill);
/* A new unique named destination. */
const char *new_dest(cp_ctx *ctx, const char *hint);
/* The destination of a section heading, derived from its label key so that a contents
 * block can link to it before it is built ("sections.salary" → "sec-salary"). */
const char *heading_dest(cp_ctx *ctx, const char *key);
/* 1-based page of a destination as text, "" before pagination is known. */
const char *dest_page(cp_ctx *ctx, const char *dest);

/* --- the block kinds ----------------------------------------------------------------- */
block_build_fn block_kind(const char *name);

#endif
