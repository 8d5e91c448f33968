/* mirror.c - right-to-left pages: a laid-out document reflected as a whole. */
#include <string.h>

#include "mirror.h"
#include "text.h"

/* Width a text item occupies: its wrap width when set, else its ink-free logical width. */
static double text_box_width(PangoLayout *l)
{
    int w = pango_layout_get_width(l);
    return w > 0 ? (double)w / PANGO_SCALE : text_width(l);
}

/* Right-to-left languages read the page from the right: every box is reflected about
 * the middle of the text column, so columns, bars, tables, the timeline and the page
 * furniture all swap sides, while each paragraph keeps its own (auto-detected)
 * direction and each icon its own drawing. One transform for every block kind. */
static void mirror_item(dl_item *it, double left, double right, GHashTable *flipped)
{
    double axis = left + right;
    switch (it->kind) {
    case DL_RECT: case DL_IMAGE: case DL_LINK:
        it->x = axis - it->x - it->w;
        break;
    case DL_LINE:
        it->x = axis - it->x;
        it->w = -it->w;
        break;
    case DL_PATH:
        it->x = axis - it->x - it->scale;
        break;
    case DL_TEXT:
        it->x = axis - it->x - text_box_width(it->layout);
        /* Text set flush right (amounts in tables) moves to the reading end; a
         * left-to-right paragraph (a Latin name) starts at the right like the page. */
        if (!g_hash_table_add(flipped, it->layout))  /* a repeated header shares it */
            break;
        if (pango_layout_get_alignment(it->layout) == PANGO_ALIGN_RIGHT)
            pango_layout_set_alignment(it->layout, PANGO_ALIGN_LEFT);
        else if (pango_layout_get_direction(it->layout, 0) == PANGO_DIRECTION_LTR)
            pango_layout_set_alignment(it->layout, PANGO_ALIGN_RIGHT);
        break;
    case DL_DEST:
        it->x = axis - it->x;
        break;
    default:
        break;
    }
}

static void mirror_document(cp_ctx *ctx)
{
    double left = ctx->th->margin_inner, right = ctx->th->page_w - ctx->th->margin_outer;
    GHashTable *flipped = g_hash_table_new(g_direct_hash, g_direct_equal);
    for (size_t p = 0; p < dl_page_count(ctx->doc); p++) {
        dl_page *page = dl_page_get(ctx->doc, p);
        for (size_t i = 0; i < page->items.len; i++)
            mirror_item(page->items.items[i], left, right, flipped);
    }
    g_hash_table_destroy(flipped);
}

void engine_direction(cp_ctx *ctx)
{
    const char *dir = node_str(ctx->job->strings, "direction");
    if (dir && !strcmp(dir, "rtl"))
        mirror_document(ctx);
}
