/* student.c - `when: student` blocks: built for a student (the whole document, or an
 * overlay of the student's own blocks), or reserved in a template as an empty frame the
 * overlay fills later (layout.h explains templates). */
#include <string.h>

#include "blocks.h"
#include "student.h"

typedef enum { FRAME_NONE, FRAME_BOX, FRAME_PAGE } frame_kind;

/* `frame: page`, or `frame: N`: a box with room for N lines of its text. */
static bool frame_of(const cp_node *block, frame_kind *kind, double *lines)
{
    const cp_node *f = node_get(block, "frame");
    *kind = FRAME_NONE;
    *lines = 0;
    if (!f)
        return true;
    if (node_is_scalar(f) && !strcmp(f->text, "page")) {
        *kind = FRAME_PAGE;
        return true;
    }
    if (!node_number(f, lines) || *lines < 1 || *lines > 60 || *lines != (int)*lines) {
        diag_error(&f->loc, f->path, "invalid frame '%s', expected `page` or a whole "
                   "number of text lines from 1 to 60", f->text ? f->text : "");
        return false;
    }
    *kind = FRAME_BOX;
    return true;
}

/* Total height of pieces stacked one under the other. */
static double stacked_height(const cp_vec *pieces, double gap_factor)
{
    double h = 0;
    for (size_t i = 0; i < pieces->len; i++) {
        const cp_piece *pc = pieces->items[i];
        h += (i ? pc->space_before * gap_factor : 0) + pc->height;
    }
    return h;
}

/* TEMPLATE: the empty frame a student block's drawing goes into later. A box frame
 * takes its gap and height from the block built for a student with empty fields (its
 * box then has exactly the frame's height); a page frame follows the block's heading,
 * which is the same for every student and so belongs to the template. */
static bool frame_piece(cp_ctx *ctx, const cp_node *block, block_build_fn fn,
                        frame_kind kind)
{
    if (kind == FRAME_NONE || engine_student_index(ctx->job, block) < 0) {
        ctx->unshareable = true;   /* nothing to reserve: this layout has no template */
        return true;
    }
    double space = 0, height = 0;
    bool keep = false;
    if (kind == FRAME_PAGE) {
        if (node_get(block, "title") && !build_heading(ctx, block))
            return false;
    } else {
        static const cp_node nobody = {.kind = NODE_MAP};
        cp_job blank = *ctx->job;
        blank.student = &nobody;
        const cp_job *job = ctx->job;
        cp_vec built = {0}, *pieces = ctx->pieces;
        ctx->job = &blank;
        ctx->pieces = &built;
        bool ok = fn(ctx, block);
        ctx->job = job;
        ctx->pieces = pieces;
        if (!ok)
            return false;
        if (built.len == 0) {
            ctx->unshareable = true;
            return true;
        }
        space = ((cp_piece *)built.items[0])->space_before;
        height = stacked_height(&built, 1);
        keep = ((cp_piece *)built.items[built.len - 1])->keep_with_next;
    }
    cp_piece *pc = piece_new(ctx, space, block->path);
    pc->height = height;
    pc->keep_with_next = keep;
    /* The slot's element: each student's own elements take its place in the tree
     * (src/render/pdf_assemble.h). */
    dl_tag_begin(ctx->doc, &pc->canvas, "Div");
    dl_slot(ctx->doc, &pc->canvas, ctx->slots++, 0, 0, ctx->width, height);
    dl_tag_end(ctx->doc, &pc->canvas);
    return true;
}

/* A student block: built (FULL, OVERLAY) or reserved (TEMPLATE). Built, its box fills
 * its frame at least; a page frame keeps the block on a page of its own. Every piece
 * it makes is marked, so that a short last page is judged without them. */
bool build_student_block(cp_ctx *ctx, const cp_node *block, block_build_fn fn)
{
    frame_kind kind;
    double lines;
    if (!frame_of(block, &kind, &lines))
        return false;
    bool own_page = kind == FRAME_PAGE && ctx->mode != MODE_OVERLAY;
    if (own_page)
        build_page_break(ctx, block);
    size_t first = ctx->pieces->len;
    bool was_in = ctx->in_student, ok;
    double was_lines = ctx->frame_lines;
    ctx->in_student = true;
    ctx->frame_lines = lines;
    if (ctx->mode == MODE_TEMPLATE)
        ok = frame_piece(ctx, block, fn, kind);
    else
        ok = fn(ctx, block);
    ctx->in_student = was_in;
    ctx->frame_lines = was_lines;
    for (size_t i = first; i < ctx->pieces->len; i++)
        ((cp_piece *)ctx->pieces->items[i])->student = true;
    if (own_page)
        build_page_break(ctx, block);
    return ok;
}
