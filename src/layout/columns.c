/* columns.c - blocks side by side: the `columns` block's pieces.
 *
 * Each column's blocks are built at the column's width into a list of their own, then
 * placed side by side in one piece. A set taller than a page is cut into bands
 * (paginate_column_bands decides which pieces go in which band) so that the columns
 * continue from page to page instead of refusing the career. */
#include <math.h>

#include "blocks.h"
#include "paginate.h"

/* Places column c's pieces [from, to) side by side with the other columns' in `out`,
 * from its top; returns the height they take. Aligned first pieces share their foot:
 * headings of one or two lines end on one rule and what follows starts level. */
static double place_column(cp_ctx *ctx, cp_piece *out, const cp_vec *parts, size_t from,
                           size_t to, double x, double first_h)
{
    double y = 0;
    for (size_t i = from; i < to; i++) {
        const cp_piece *p = parts->items[i];
        if (i > from)
            y += p->space_before;
        if (i == 0 && first_h > 0)
            y = first_h - p->height;
        piece_place(ctx->doc, &out->canvas, p, x, y);
        y += p->height;
    }
    return y;
}

/* The band of each piece of one column (paginate.h). */
static size_t *column_bands(cp_ctx *ctx, const cp_vec *col, double band, size_t *count)
{
    cp_box *boxes = ARENA_ARRAY(ctx->a, cp_box, col->len ? col->len : 1);
    size_t *band_of = ARENA_ARRAY(ctx->a, size_t, col->len ? col->len : 1);
    for (size_t i = 0; i < col->len; i++) {
        const cp_piece *p = col->items[i];
        boxes[i] = (cp_box){p->height, p->space_before, false, -1};
    }
    *count = paginate_column_bands(boxes, col->len, band, band_of);
    return band_of;
}

cp_piece *piece_columns(cp_ctx *ctx, const cp_node *blocks, double space_before,
                        bool align_first)
{
    size_t n = blocks->len;
    double gap = ctx->th->gap * 2.5, first_h = 0;
    double col_w = (ctx->width - gap * (double)(n - 1)) / (double)n;
    cp_vec *cols = ARENA_ARRAY(ctx->a, cp_vec, n);
    for (size_t c = 0; c < n; c++) {
        bool ok = true;
        cols[c] = engine_build_into(ctx, blocks->items[c], col_w, &ok);
        /* A column may also be a list of blocks stacked in it. */
        for (size_t k = 0; node_is_seq(blocks->items[c]) && k < blocks->items[c]->len; k++) {
            cp_vec more = engine_build_into(ctx, blocks->items[c]->items[k], col_w, &ok);
            for (size_t m = 0; m < more.len; m++)
                vec_push(ctx->a, &cols[c], more.items[m]);
        }
        if (cols[c].len > 0)
            first_h = fmax(first_h, ((cp_piece *)cols[c].items[0])->height);
    }
    if (!align_first)
        first_h = 0;
    /* Side by side in one piece when that fits a page (it then moves as a whole). It is
     * named, like a band below, after its tallest part: a fixed-size layout that cannot
     * hold it names that part's data (shorten.c). */
    cp_piece *out = piece_new(ctx, space_before, blocks->path);
    double top = 0;
    for (size_t c = 0; c < n; c++) {
        out->height = fmax(out->height, place_column(ctx, out, &cols[c], 0, cols[c].len,
                                                     (double)c * (col_w + gap), first_h));
        for (size_t i = 0; i < cols[c].len; i++) {
            const cp_piece *p = cols[c].items[i];
            if (p->height > top && p->src) {
                top = p->height;
                out->what = p->what;
                out->src = p->src;
            }
        }
    }
    double room = engine_room(ctx);
    if (out->height <= room)
        return out;
    /* Taller than a page: bands of a quarter page, placed one by one so that each
     * page is filled; the columns start level again at the top of each band. */
    ctx->pieces->len--;
    size_t **band_of = ARENA_ARRAY(ctx->a, size_t *, n), bands = 0;
    size_t *at = ARENA_ARRAY(ctx->a, size_t, n);
    for (size_t c = 0; c < n; c++) {
        size_t k;
        band_of[c] = column_bands(ctx, &cols[c], room / 4, &k);
        bands = k > bands ? k : bands;
    }
    cp_piece *pc = NULL;
    for (size_t b = 0; b < bands; b++) {
        pc = piece_new(ctx, b ? ctx->th->gap : space_before, blocks->path);
        double tallest = 0;
        for (size_t c = 0; c < n; c++) {
            size_t from = at[c];
            /* A band is named after its tallest piece: a message about a band too
             * tall for a page points at that piece's data and block. */
            for (; at[c] < cols[c].len && band_of[c][at[c]] == b; at[c]++) {
                const cp_piece *p = cols[c].items[at[c]];
                if (p->height > tallest) {
                    tallest = p->height;
                    pc->what = p->what;
                    pc->src = p->src;
                }
            }
            if (from < at[c])
                pc->height = fmax(pc->height,
                                  place_column(ctx, pc, &cols[c], from, at[c],
                                               (double)c * (col_w + gap), b ? 0 : first_h));
        }
    }
    return pc;
}
