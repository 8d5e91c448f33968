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
    const cp_node *src;      /* the block that made it: where messages about it point */
    bool page_break;         /* an empty marker: what follows starts a new page */
    bool student;            /* built by a `when: student` block (or its frame) */
    size_t page;             /* where pagination put it: 0-based page, offset from */
    double y;                /* the top of the content area */
};

/* How a document is made (layout.h, templates): FULL lays out every block; TEMPLATE
 * puts an empty frame where each student block goes; OVERLAY builds the student
 * blocks alone. */
typedef enum { MODE_FULL, MODE_TEMPLATE, MODE_OVERLAY } cp_mode;

typedef struct {
    cp_arena *a;
    dl_doc *doc;
    const cp_job *job;
    const cp_theme *th;
    cp_fonts *fonts;
    const char *lang;
    double width;            /* width of the current column */
    cp_vec *pieces;          /* where new pieces go */
    const cp_node *block;    /* the block being built (NULL between blocks) */
    const cp_node *blocks;   /* this pass's blocks: if_room may have left some out */
    int dest_serial;
    /* Page numbers of named destinations from a first pass (NULL in the first pass);
     * a block that prints them sets wants_page_numbers to ask for the second pass. */
    GHashTable *dest_pages;
    bool wants_page_numbers;
    cp_vec numbered;         /* (piece index, block) of blocks that print page numbers */
    bool illustrative_explained; /* the long note is printed once, then a short one */
    const char *illustrative_pending; /* the illustrative path of the blocks just built,
                                         whose tag follows the last of them */
    cp_mode mode;
    unsigned present;        /* TEMPLATE: the student blocks to keep frames for */
    int slots;               /* TEMPLATE: frames made so far */
    bool in_student;         /* building a student block or its frame */
    bool unshareable;        /* TEMPLATE: student data used outside a student block, or
                                a student block without a frame: no template */
    double frame_lines;      /* a student block's box frame: room for so many lines of
                                its text, whatever the student wrote (0: none) */
    double gap_factor;       /* gaps narrowed to pull back a short last page (1 = not) */
} cp_ctx;

typedef bool (*block_build_fn)(cp_ctx *ctx, const cp_node *block);

/* --- messages ---------------------------------------------------------------------- */
/* An error about `src`, or, when the problem has no node of its own (a label's text, an
 * icon the block's kind draws), about the block being built: every message about a
 * layout carries the FILE:LINE:COL and data path of what to change. */
void layout_error(cp_ctx *ctx, const cp_node *src, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* --- pieces ------------------------------------------------------------------------ */
cp_piece *piece_new(cp_ctx *ctx, double space_before, const char *what);
/* Copies a piece's items onto a page at (x, y). */
void piece_place(dl_doc *doc, dl_page *page, const cp_piece *pc, double x, double y);
/* The same as page furniture: the piece's own tags left out, its drawing in a
 * DL_ARTIFACT_ROLE element, which the finisher turns into an /Artifact sequence that
 * screen readers skip (a table's header repeated on a later page: the first stays its
 * TH). */
void piece_place_artifact(dl_doc *doc, dl_page *page, const cp_piece *pc, double x,
                          double y);
/* Runs a block's builder into a private piece list at a narrower width (columns.c). */
cp_vec engine_build_into(cp_ctx *ctx, const cp_node *block, double width, bool *ok);
/* Lays blocks out side by side in `columns` equal columns (columns.c) and returns the
 * piece, or the last of the chained bands of a set taller than a page. */
cp_piece *piece_columns(cp_ctx *ctx, const cp_node *blocks, double space_before,
                        bool align_first);

/* --- text ---------------------------------------------------------------------------- */
/* A shaped, broken paragraph at `width` (<= 0: one line). `src` locates errors: a glyph
 * that no bundled font has is reported against it. Never NULL. */
PangoLayout *text_new(cp_ctx *ctx, const char *text, cp_style_id style, double width,
                      const cp_node *src);
PangoLayout *text_styled(cp_ctx *ctx, const char *text, const cp_style *st, double width,
                         const cp_node *src);
/* Text that must fit a box: `max_lines` lines of the given width, never a word broken
 * inside. Set at the style's size when it fits on one line, else shrunk step by step
 * down to `min_size`; if one line is still too long, wrapped onto 2..max_lines lines,
 * again from the full size down. NULL after an error naming the field (`src`) and the
 * box: text is never clipped or left to overflow silently. */
typedef struct {
    int max_lines;          /* >= 1 */
    double min_size;        /* points, already scaled to the paper */
    const char *box;        /* for messages: "title box of the cover (blocks[0])" */
} cp_fit;
PangoLayout *text_fit(cp_ctx *ctx, const char *text, const cp_style *st, double width,
                      const cp_fit *fit, const cp_node *src);
/* Fit rules of a block's text field from its `fit:` option ({title: {max_lines: 2,
 * min_size: 40}}); false when the block sets none for that field. */
bool block_fit(cp_ctx *ctx, const cp_node *block, const char *field, cp_fit *out);
/* A block's text field: fitted by the block's `fit:` rule for `field` when it has one,
 * else wrapped at `width` onto as many lines as it needs. NULL after an error. */
PangoLayout *text_in_box(cp_ctx *ctx, const cp_node *block, const char *field,
                         const char *text, const cp_style *st, double width,
                         const cp_node *src);
double text_height(PangoLayout *l);
/* The height of one line of text in a style (what a box reserves per line). */
double text_line_height(cp_ctx *ctx, cp_style_id style);
double text_width(PangoLayout *l);
/* Distance from the top of the layout to the first baseline. */
double text_baseline(PangoLayout *l);
/* Adds the text to the piece; returns its height. */
double put_text(cp_ctx *ctx, cp_piece *pc, PangoLayout *l, double x, double y,
                cp_style_id style);

/* --- labels and data --------------------------------------------------------------- */
/* Label from the strings file ("sections.skills"), placeholders filled from the career
 * ({role}, {field}, {title}...), the student ({student.name}) and extra name, value
 * pairs: label(ctx, "footer.page", "page", "3", "pages", "8"), at most 8 pairs. Missing
 * label: error naming key and language, returns "". The macro ends the pairs with a
 * (const char *)NULL: a bare NULL may be a plain 0, which a variadic function must not
 * read as a pointer, and a forgotten end would be read past. */
#define label(ctx, ...) label_pairs((ctx), __VA_ARGS__, (const char *)NULL)
const char *label_pairs(cp_ctx *ctx, const char *key, ...);
/* Fills placeholders of any template the same way. */
const char *expand(cp_ctx *ctx, const char *tmpl, const char *const *extra);
/* The data node a block is bound to (`data:` path), or an error when required. */
const cp_node *block_data(cp_ctx *ctx, const cp_node *block, bool required);
/* True when the block is left out of this document: `when: student` without a
 * student, or bound to data the career does not have and marked optional (headings
 * naming their section's data are optional by nature). */
bool block_skipped(cp_ctx *ctx, const cp_node *block);
/* `key` of the block spec as text, or the fallback. */
const char *block_opt(const cp_node *block, const char *key, const char *fallback);
double block_num(const cp_node *block, const char *key, double fallback);
/* `space:` above a block, given in points of the layout's reference paper and scaled
 * to this one like every other size; else the fallback (already a scaled size). */
double block_space(cp_ctx *ctx, const cp_node *block, double fallback);

/* --- shared drawing ---------------------------------------------------------------- */
/* A fixed size the blocks use (icon, bar, node), given for the layout's reference paper,
 * on this paper: posters scale every size with the page (theme.h, page.reference). */
static inline double scaled(const cp_ctx *ctx, double pt) { return pt * ctx->th->scale; }

/* An icon by name from fonts/icons.yaml, drawn in a size x size box; false after an
 * error about `src` (or the block) when there is no such icon. */
bool put_icon(cp_ctx *ctx, cp_piece *pc, const char *name, const cp_node *src, double x,
              double y, double size, cp_rgba color);
/* The same check without drawing: a block whose items share one icon checks it once,
 * so a wrong name is one message, not one per item. */
bool icon_check(cp_ctx *ctx, const char *name, const cp_node *src);
/* A horizontal bar: track plus a filled share (0..1). */
void put_bar(cp_ctx *ctx, cp_piece *pc, double x, double y, double w, double h,
             double share, cp_rgba fill);
/* A section heading: text in the h2 style over a rule, a named destination, tagged as
 * `role`, kept with what follows (blocks_text.c). */
cp_piece *heading_piece(cp_ctx *ctx, PangoLayout *l, const char *dest, const char *role,
                        double space, const char *what);
/* A new unique named destination. */
const char *new_dest(cp_ctx *ctx, const char *hint);
/* The destination of a section heading, derived from its label key so that a contents
 * block can link to it before it is built ("sections.salary" → "sec-salary"). */
const char *heading_dest(cp_ctx *ctx, const char *key);
/* 1-based page of a destination as text, "" before pagination is known. */
const char *dest_page(cp_ctx *ctx, const char *dest);

/* --- student blocks and their frames (frames.c) --------------------------------------- */

/* Builds one block of the layout into ctx->pieces, as run_pass does. */
bool engine_build_block(cp_ctx *ctx, const cp_node *block);
/* The n-th `when: student` block among the layout's top-level blocks, or -1. */
int engine_student_index(const cp_job *job, const cp_node *block);
/* Mirrors every page for a right-to-left language when the labels say so. */
void engine_direction(cp_ctx *ctx);
/* Top and bottom of the content area of a page (between margins and footer). */
double engine_content_top(cp_ctx *ctx);
double engine_content_bottom(cp_ctx *ctx);
/* Height a piece may have: the content area of one page. */
double engine_room(cp_ctx *ctx);

/* --- documents assembled from others (handbook) ------------------------------------- */
/* A context for the job's layout and theme with an empty document. */
bool engine_ctx_init(cp_ctx *ctx, cp_arena *a, const cp_job *job);
/* Paginates the pieces built so far onto new pages of ctx->doc, then starts afresh. */
bool engine_flow(cp_ctx *ctx);
double engine_footer_height(cp_ctx *ctx);

/* --- the block kinds ----------------------------------------------------------------- */
block_build_fn block_kind(const char *name);

#endif
