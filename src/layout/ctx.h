/* ctx.h - what every block builder works with: the layout context, pieces, messages,
 * and a block's options and data.
 *
 * A block kind turns its slice of the data into pieces: rectangles of known height
 * holding display items in local coordinates (origin top-left of the piece, width =
 * the column width). The paginator (flow.c, paginate.c) never splits a piece, keeps
 * chains of keep_with_next pieces together, and repeats a piece's header above it when
 * it has to continue on a new page.
 *
 * The layers of src/layout, each using only those below it:
 *   ctx, text, draw, dests, page, illustrative   what the builders need
 *   blocks*.c, columns.c                         the block kinds
 *   student, flow, mirror                        student frames, pages, right-to-left
 *   engine.c, frames.c, handbook.c               the passes and the documents
 * The one way back up, a columns block building the blocks inside it, goes through
 * the context's `build` hook, which the engine sets. Internal to src/layout. */
#ifndef CP_CTX_H
#define CP_CTX_H

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

typedef struct cp_ctx cp_ctx;
/* Builds one block into ctx->pieces, as the engine's passes do. */
typedef bool (*block_build_fn)(cp_ctx *ctx, const cp_node *block);

struct cp_ctx {
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
    /* The engine's block builder (engine.c), for blocks that hold blocks: set with
     * the context, so that nothing here depends on the passes above. */
    block_build_fn build;
    cp_vec shortened;        /* cp_cut: the lists a fixed-size layout shortened */
    const cp_piece *too_tall; /* the piece the last pagination could not place */
};

/* A list a fixed-size layout lets shrink (shorten.c): `block` shows `keep` of the
 * career's `len` items, never fewer than `floor`; `section` counts the page breaks
 * before the block. */
typedef struct {
    const cp_node *block;
    size_t keep, floor, len;
    size_t section;
} cp_cut;

/* --- messages ---------------------------------------------------------------------- */
/* An error about `src`, or, when the problem has no node of its own (a label's text, an
 * icon the block's kind draws), about the block being built: every message about a
 * layout carries the FILE:LINE:COL and data path of what to change. */
void layout_error(cp_ctx *ctx, const cp_node *src, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The career data a piece shows, when it comes from the career file: the item it
 * stands for, or its block's `data:`; NULL for the engine's own notes. */
const cp_node *career_data_of(cp_ctx *ctx, const cp_piece *pc);
/* "careers/x.yaml:40:3: error: salary.levels: WHAT (its salary_chart block,
 * layouts/handout.yaml:41); shorten ...": a part that cannot be printed, named where
 * the user can change it. */
void layout_error_data(cp_ctx *ctx, const cp_node *data, const cp_piece *pc,
                       const char *what);

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
/* The n-th `when: student` block among the layout's top-level blocks, or -1. */
int engine_student_index(const cp_job *job, const cp_node *block);
/* `when: student`: the block appears only in personalised reports. */
bool block_is_student(const cp_node *block);

/* --- a block's options and data ------------------------------------------------------ */
/* A block's `limit: N`, or SIZE_MAX without one; `report` says an invalid value. */
size_t block_limit(const cp_node *block, bool report);
/* Items a block shows of its `data:` list: its limit, lowered by the shortening of
 * this layout (ctx->shortened); SIZE_MAX when nothing bounds it. */
size_t block_keep(cp_ctx *ctx, const cp_node *block, bool report);
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

/* --- sizes ------------------------------------------------------------------------- */
/* A fixed size the blocks use (icon, bar, node), given for the layout's reference paper,
 * on this paper: posters scale every size with the page (theme.h, page.reference). */
static inline double scaled(const cp_ctx *ctx, double pt) { return pt * ctx->th->scale; }

#endif
