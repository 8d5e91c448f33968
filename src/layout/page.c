/* page.c - the page around the flow: the content area between margins and footer, and
 * the running footer (title and "Page N of M"). */
#include <math.h>
#include <stdio.h>

#include "page.h"
#include "text.h"

/* `page.footer: false`: a poster carries its own credits and has no page numbers. */
static bool has_footer(cp_ctx *ctx)
{
    bool on = true;
    node_bool(node_at(ctx->job->layout, "page.footer"), &on);
    return on;
}

double engine_footer_height(cp_ctx *ctx)
{
    if (!has_footer(ctx))
        return 0;
    return ctx->th->style[ST_FOOTER].size * 1.2 + ctx->th->gap * 3;
}

void engine_add_footers(cp_ctx *ctx)
{
    const cp_theme *th = ctx->th;
    size_t pages = dl_page_count(ctx->doc);
    if (!has_footer(ctx))
        return;
    char total[32], num[32];
    snprintf(total, sizeof total, "%zu", pages);
    const char *left = expand(ctx, th->footer, NULL);
    double x0 = th->margin_inner, x1 = th->page_w - th->margin_outer;
    double base = th->page_h - th->margin_bottom;
    for (size_t i = 0; i < pages; i++) {
        dl_page *p = dl_page_get(ctx->doc, i);
        snprintf(num, sizeof num, "%zu", i + 1);
        p->label = arena_strdup(ctx->a, num);
        PangoLayout *r = text_new(ctx, label(ctx, "footer.page", "page", num, "pages", total),
                                  ST_FOOTER, 0, NULL);
        /* A long title is shortened with an ellipsis before it reaches the number. */
        double room = fmax(x1 - x0 - text_width(r) - th->gap * 3, th->gap);
        PangoLayout *l = text_new(ctx, left, ST_FOOTER, room, NULL);
        pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
        double h = text_height(l);
        dl_line(ctx->doc, p, x0, base - h - th->gap, x1, base - h - th->gap, th->color.rule,
                th->rule);
        dl_text(ctx->doc, p, l, x0, base - h, th->style[ST_FOOTER].color);
        dl_text(ctx->doc, p, r, x1 - text_width(r), base - h, th->style[ST_FOOTER].color);
    }
}

double engine_content_top(cp_ctx *ctx)
{
    return ctx->th->margin_top;
}

double engine_content_bottom(cp_ctx *ctx)
{
    return ctx->th->page_h - ctx->th->margin_bottom - engine_footer_height(ctx);
}

double engine_room(cp_ctx *ctx)
{
    return engine_content_bottom(ctx) - engine_content_top(ctx);
}
