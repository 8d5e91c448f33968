/* frames.c - a student's own blocks, drawn into the frames of a shared template.
 *
 * layout.h explains templates and overlays. A template is the engine's pipeline in
 * TEMPLATE mode (student.c reserves the frames), and this file finds where its frames
 * landed; it also builds a student's blocks (OVERLAY mode)
 * and places them. Placing follows what pagination would do with the same pieces in
 * the same place: stacked under each other with their gaps (narrowed by the template's
 * factor), no gap at the top of a page. Anything pagination would do differently - a
 * box taller or shorter than its frame, a profile running past the foot of its page -
 * makes the overlay refuse, and the caller lays the document out whole. */
#include <math.h>
#include <string.h>

#include "engine.h"
#include "mirror.h"
#include "page.h"

/* Slack for rounding: frames and pieces are sums of the same numbers in another order. */
#define EPSILON 0.01

struct cp_parts {
    cp_ctx ctx;
    unsigned mask;
    size_t n;
    cp_vec pieces[CP_MAX_FRAMES];   /* one list per block present, in layout order */
};

cp_parts *layout_parts(cp_arena *a, const cp_job *job)
{
    cp_parts *p = ARENA_NEW(a, cp_parts);
    if (!engine_ctx_init(&p->ctx, a, job))
        return NULL;
    p->ctx.mode = MODE_OVERLAY;
    p->ctx.gap_factor = 1;
    const cp_node *blocks = node_get(job->layout, "blocks");
    int before = diag_error_count();
    for (size_t i = 0; node_is_seq(blocks) && i < blocks->len; i++) {
        const cp_node *b = blocks->items[i];
        int n = engine_student_index(job, b);
        const char *when = node_str(b, "when");
        if (n < 0 || !when || strcmp(when, "student") || n >= CP_MAX_FRAMES)
            continue;
        cp_vec built = {0};
        p->ctx.pieces = &built;
        if (!engine_build_block(&p->ctx, b))
            return NULL;
        if (built.len > 0) {
            p->mask |= 1u << n;
            p->pieces[p->n++] = built;
        }
    }
    return diag_error_count() == before ? p : NULL;
}

unsigned layout_parts_mask(const cp_parts *p)
{
    return p->mask;
}

/* Places a block's pieces in its frame; false when pagination would not have put them
 * exactly there. */
static bool fill_frame(dl_doc *doc, dl_page *page, const cp_vec *pieces,
                       const cp_frame *f, double gap_factor)
{
    double y = f->y;
    for (size_t i = 0; i < pieces->len; i++) {
        const cp_piece *pc = pieces->items[i];
        if (pc->page_break)
            return false;
        /* The first piece's gap is the frame's own in a box frame (already above it);
         * in a page frame it follows the heading, unless the frame starts the page. */
        if (i > 0 || (f->whole_page && !f->at_top))
            y += pc->space_before * gap_factor;
        piece_place(doc, page, pc, f->x, y);
        y += pc->height;
    }
    double used = y - f->y;
    if (f->whole_page)
        return used <= f->h + EPSILON;
    return fabs(used - f->h) <= EPSILON;
}

dl_doc *layout_overlay(cp_arena *a, const cp_parts *p, const cp_template *t)
{
    if (p->mask != t->mask || p->n != t->n_frames)
        return NULL;
    cp_ctx ctx = p->ctx;
    ctx.doc = dl_doc_new(a);
    /* The template's metadata: the finisher reads the student's languages against the
     * document's (src/render/pdf_finish.h). */
    ctx.doc->meta = t->doc->meta;
    for (size_t k = 0; k < p->n; k++) {
        const cp_frame *f = &t->frames[k];
        const dl_page *under = dl_page_get(t->doc, f->page);
        dl_page *page = dl_page_add(ctx.doc, under->width, under->height);
        if (!fill_frame(ctx.doc, page, &p->pieces[k], f, t->gap_factor))
            return NULL;
    }
    engine_direction(&ctx);
    return ctx.doc;
}

/* Where each frame landed: its slot marker, in the page coordinates the pieces were
 * placed in (slots are not mirrored for right-to-left pages; the overlay is). */
static void find_frames(cp_ctx *ctx, cp_template *t)
{
    double top = engine_content_top(ctx), bottom = engine_content_bottom(ctx);
    for (size_t p = 0; p < dl_page_count(t->doc); p++) {
        const dl_page *page = dl_page_get(t->doc, p);
        for (size_t i = 0; i < page->items.len; i++) {
            const dl_item *it = page->items.items[i];
            if (it->kind != DL_SLOT || it->slot < 0 || (size_t)it->slot >= t->n_frames)
                continue;
            cp_frame *f = &t->frames[it->slot];
            *f = (cp_frame){.page = p, .x = it->x, .y = it->y, .w = it->w, .h = it->h,
                            .at_top = it->y <= top + 0.01};
            /* A page frame reaches to the foot of its page. */
            if (it->h == 0) {
                f->whole_page = true;
                f->h = bottom - it->y;
            }
        }
    }
}

cp_template_status layout_template(cp_arena *a, const cp_job *job, unsigned mask,
                                   cp_template *out)
{
    cp_job shared = *job;
    shared.student = NULL;
    cp_ctx ctx;
    *out = (cp_template){.mask = mask};
    out->doc = engine_lay_out(&ctx, a, &shared, MODE_TEMPLATE, mask);
    if (!out->doc)
        return TEMPLATE_ERROR;
    for (unsigned m = mask; m; m &= m - 1)
        out->n_frames++;
    if (ctx.unshareable || (size_t)ctx.slots != out->n_frames)
        return TEMPLATE_NONE;
    out->gap_factor = ctx.gap_factor;
    find_frames(&ctx, out);
    return TEMPLATE_OK;
}
