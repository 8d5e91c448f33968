/* flow.c - pieces onto pages: the decisions of paginate.c (which are free of drawing
 * and tested on their own) applied to the pieces of a document, section by section. */
#include <string.h>

#include "flow.h"
#include "page.h"
#include "paginate.h"

static size_t index_of(cp_vec *pieces, const cp_piece *pc)
{
    for (size_t i = 0; i < pieces->len; i++)
        if (pieces->items[i] == pc)
            return i;
    return (size_t)-1;
}

/* What pagination needs to know of each piece (a header outside the list: -1). */
static cp_box *boxes_of(cp_ctx *ctx, cp_vec *pieces)
{
    size_t n = pieces->len;
    cp_box *boxes = ARENA_ARRAY(ctx->a, cp_box, n ? n : 1);
    for (size_t i = 0; i < n; i++) {
        const cp_piece *pc = pieces->items[i];
        boxes[i] = (cp_box){pc->height, pc->space_before, pc->keep_with_next,
                            pc->header ? (int)index_of(pieces, pc->header) : -1};
    }
    return boxes;
}

static bool paginate(cp_ctx *ctx, cp_vec *pieces, double footer_h)
{
    const cp_theme *th = ctx->th;
    size_t first = dl_page_count(ctx->doc);   /* pages of earlier sections */
    double top = th->margin_top, x = th->margin_inner;
    double room = th->page_h - th->margin_bottom - footer_h - top;
    size_t n = pieces->len, too_tall = 0;
    cp_box *boxes = boxes_of(ctx, pieces);
    cp_slot *slots = ARENA_ARRAY(ctx->a, cp_slot, n ? n : 1);
    size_t pages = paginate_plan(boxes, n, room, slots, &too_tall);
    if (pages == 0) {
        const cp_piece *pc = pieces->items[too_tall];
        ctx->too_tall = pc;   /* a fixed-size layout names its data (shorten.c) */
        bool sub = pc->src && pc->what && strcmp(pc->what, pc->src->path);
        layout_error(ctx, pc->src, "this part%s%s%s is %.0f pt tall but a page holds "
                     "%.0f pt, expected shorter text or a larger paper", sub ? " (" : "",
                     sub ? pc->what : "", sub ? ")" : "", pc->height, room);
        return false;
    }
    if (first + pages > CP_MAX_PAGES) {
        layout_error(ctx, node_get(ctx->job->layout, "blocks"), "the document needs %zu "
                     "pages, expected at most %d: a layout or career this long is a "
                     "mistake", first + pages, CP_MAX_PAGES);
        return false;
    }
    for (size_t p = 0; p < pages; p++)
        dl_page_add(ctx->doc, th->page_w, th->page_h);
    for (size_t i = 0; i < n; i++) {
        const cp_piece *pc = pieces->items[i];
        dl_page *page = dl_page_get(ctx->doc, first + slots[i].page);
        if (slots[i].header_repeated)
            piece_place_artifact(ctx->doc, page, pc->header, x,
                                 top + slots[i].y - pc->header->height);
        piece_place(ctx->doc, page, pc, x, top + slots[i].y);
        ((cp_piece *)pc)->page = first + slots[i].page;
        ((cp_piece *)pc)->y = slots[i].y;
    }
    return true;
}

/* `page.justify: true` (paginate_justify): a poster fills its page on papers of any
 * proportion and a handout side ends at its foot. */
static void justify(cp_ctx *ctx, cp_vec *sec, double room)
{
    bool on = false;
    node_bool(node_at(ctx->job->layout, "page.justify"), &on);
    if (!on)
        return;
    cp_box *boxes = boxes_of(ctx, sec);
    if (paginate_justify(boxes, sec->len, room))
        for (size_t i = 0; i < sec->len; i++)
            ((cp_piece *)sec->items[i])->space_before = boxes[i].space_before;
}

/* Page breaks cut the pieces into sections; each section starts on a new page. */
bool flow_sections(cp_ctx *ctx, cp_vec *pieces)
{
    const cp_theme *th = ctx->th;
    double footer_h = engine_footer_height(ctx);
    double room = th->page_h - th->margin_top - th->margin_bottom - footer_h;
    size_t start = 0;
    for (size_t i = 0; i <= pieces->len; i++) {
        if (i < pieces->len && !((cp_piece *)pieces->items[i])->page_break)
            continue;
        cp_vec sec = {.items = pieces->items + start, .len = i - start, .cap = i - start};
        start = i + 1;
        if (sec.len == 0)
            continue;
        justify(ctx, &sec, room);
        if (!paginate(ctx, &sec, footer_h))
            return false;
    }
    return true;
}

bool engine_flow(cp_ctx *ctx)
{
    bool ok = paginate(ctx, ctx->pieces, engine_footer_height(ctx));
    ctx->pieces = ARENA_NEW(ctx->a, cp_vec);
    return ok;
}
