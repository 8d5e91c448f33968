/* blocks_cards.c - blocks laid out as boxes on a grid: stat cards, example pairs,
 * chips, icon grids, checklists, cards, columns. */
#include <math.h>
#include <string.h>

#include "blocks.h"

#define G (ctx->th->gap)

/* Width of each of n equal cells with gaps between them. */
static double cell_width(cp_ctx *ctx, int n, double gap)
{
    return (ctx->width - gap * (n - 1)) / n;
}

bool build_stat_cards(cp_ctx *ctx, const cp_node *block)
{
    const cp_node *cards = node_get(block, "cards");
    if (!node_is_seq(cards) || cards->len == 0) {
        diag_error(&block->loc, block->path, "stat_cards without cards, expected a list "
                   "of {label, icon, data, format}");
        return false;
    }
    int n = (int)cards->len;
    double gap = G * 1.5, w = cell_width(ctx, n, gap), pad = G * 1.6;
    double icon = scaled(ctx, block_num(block, "icon_size", 12)), inner = w - 2 * pad;
    /* `icon_inline: true`: the icon leads the label on its line (a shorter card). */
    bool inline_icon = false;
    node_bool(node_get(block, "icon_inline"), &inline_icon);
    double label_x = inline_icon ? icon + G * 0.6 : 0;
    cp_piece *pc = piece_new(ctx, block_space(ctx, block, G * 2), block->path);
    PangoLayout *labels[16], *values[16];
    double hl = 0, hv = 0;
    for (int i = 0; i < n && i < 16; i++) {
        const cp_node *card = cards->items[i];
        const cp_node *v = block_data(ctx, card, true);
        labels[i] = text_new(ctx, label(ctx, block_opt(card, "label", "")), ST_LABEL,
                             inner - label_x, NULL);
        values[i] = text_new(ctx, v ? format_value(ctx, v, node_str(card, "format")) : "",
                             ST_STAT, inner, v);
        if (text_height(labels[i]) > hl) hl = text_height(labels[i]);
        if (text_height(values[i]) > hv) hv = text_height(values[i]);
    }
    double h = pad + icon + G + hl + G * 0.4 + hv + pad, row = fmax(icon, hl);
    if (inline_icon)
        h = pad + row + G * 0.5 + hv + pad;
    dl_tag_begin(ctx->doc, &pc->canvas, "L");
    for (int i = 0; i < n && i < 16; i++) {
        double x = i * (w + gap);
        put_card(ctx, pc, x, 0, w, h, ctx->th->color.card, ctx->th->color.card_border);
        put_icon(ctx, pc, block_opt(cards->items[i], "icon", NULL), cards->items[i],
                 x + pad, inline_icon ? pad + (row - icon) / 2 : pad, icon,
                 ctx->th->color.accent);
        /* LI > Lbl (the label) + LBody (the value): read as two separate words */
        dl_tag_begin(ctx->doc, &pc->canvas, "LI");
        double y = pad + icon + G;
        dl_tag_begin(ctx->doc, &pc->canvas, "Lbl");
        put_text(ctx, pc, labels[i], x + pad + label_x,
                 inline_icon ? pad + (row - hl) / 2 : y, ST_LABEL);
        dl_tag_end(ctx->doc, &pc->canvas);
        dl_tag_begin(ctx->doc, &pc->canvas, "LBody");
        put_text(ctx, pc, values[i], x + pad, inline_icon ? pad + row + G * 0.5
                                                          : y + hl + G * 0.4, ST_STAT);
        dl_tag_end(ctx->doc, &pc->canvas);
        dl_tag_end(ctx->doc, &pc->canvas);
    }
    dl_tag_end(ctx->doc, &pc->canvas);
    pc->height = h;
    return true;
}

/* Two cards side by side (`left` and `right` paths under the data), with an optional
 * intro paragraph before and a cross-reference line after. */
bool build_compare(cp_ctx *ctx, const cp_node *block)
{
    const cp_node *d = block_data(ctx, block, true);
    if (!d)
        return false;
    const cp_node *sides[2] = {node_get(d, block_opt(block, "left", "standard")),
                               node_get(d, block_opt(block, "right", "career"))};
    double gap = G * 1.5, w = cell_width(ctx, 2, gap), pad = G * 1.6, inner = w - 2 * pad;
    PangoLayout *t[2], *b[2];
    double h = 0;
    for (int i = 0; i < 2; i++) {
        if (!node_is_map(sides[i])) {
            diag_error(&d->loc, d->path, "missing side %d of the comparison, expected "
                       "{title, text}", i + 1);
            return false;
        }
        t[i] = text_new(ctx, node_str(sides[i], "title"), ST_H3, inner, sides[i]);
        b[i] = text_new(ctx, node_str(sides[i], "text"), ST_BODY, inner,
                        node_get(sides[i], "text"));
        double hi = pad + text_height(t[i]) + G * 0.5 + text_height(b[i]) + pad;
        if (hi > h) h = hi;
    }
    cp_piece *pc = piece_new(ctx, block_space(ctx, block, G * 1.6), block->path);
    const cp_palette *c = &ctx->th->color;
    for (int i = 0; i < 2; i++) {
        double x = i * (w + gap);
        put_card(ctx, pc, x, 0, w, h, i ? c->chip : c->card, i ? c->accent : c->card_border);
        dl_tag_begin(ctx->doc, &pc->canvas, "Div");
        dl_tag_begin(ctx->doc, &pc->canvas, "H3");
        double y = pad + put_text(ctx, pc, t[i], x + pad, pad, ST_H3) + G * 0.5;
        dl_tag_end(ctx->doc, &pc->canvas);
        dl_tag_begin(ctx->doc, &pc->canvas, "P");
        put_text(ctx, pc, b[i], x + pad, y, ST_BODY);
        dl_tag_end(ctx->doc, &pc->canvas);
        dl_tag_end(ctx->doc, &pc->canvas);
    }
    pc->height = h;
    return true;
}

/* Pills that wrap like words. */
bool build_chips(cp_ctx *ctx, const cp_node *block)
{
    const cp_node *d = block_data(ctx, block, true);
    if (!node_is_seq(d))
        return false;
    cp_piece *pc = piece_new(ctx, block_space(ctx, block, G * 1.6), block->path);
    double padx = G * 1.3, pady = G * 0.55, gap = G, x = 0, y = 0, row_h = 0;
    cp_style st = ctx->th->style[ST_SMALL];
    st.color = ctx->th->color.chip_ink;
    dl_tag_begin(ctx->doc, &pc->canvas, "L");
    for (size_t i = 0; i < d->len; i++) {
        const char *text = item_text(d->items[i], "name");
        PangoLayout *l = text_styled(ctx, text ? text : "", &st, ctx->width - 2 * padx,
                                     d->items[i]);
        if (pango_layout_get_line_count(l) == 1)   /* the pill hugs its one line */
            pango_layout_set_width(l, -1);
        double w = text_width(l) + 2 * padx, h = text_height(l) + 2 * pady;
        if (x > 0 && x + w > ctx->width) {
            x = 0;
            y += row_h + gap;
        }
        dl_rect(ctx->doc, &pc->canvas, x, y, w, h, ctx->th->color.chip, h / 2);
        dl_tag_begin(ctx->doc, &pc->canvas, "LI");
        dl_tag_begin(ctx->doc, &pc->canvas, "LBody");
        dl_text(ctx->doc, &pc->canvas, l, x + padx, y + pady, st.color);
        dl_tag_end(ctx->doc, &pc->canvas);   /* LBody */
        dl_tag_end(ctx->doc, &pc->canvas);
        x += w + gap;
        row_h = h;
    }
    dl_tag_end(ctx->doc, &pc->canvas);
    pc->height = y + row_h;
    return true;
}

/* Bordered cells with an icon and a name, `columns` per row; one piece per row. */
bool build_icon_grid(cp_ctx *ctx, const cp_node *block)
{
    const cp_node *d = block_data(ctx, block, true);
    if (!node_is_seq(d))
        return false;
    /* A list without icons is the wrong data for this block: one message, at `data:`. */
    for (size_t i = 0; i < d->len; i++) {
        const cp_node *icon = node_get(d->items[i], "icon");
        if (!icon) {
            layout_error(ctx, node_get(block, "data"), "%s has no icon, expected a list "
                         "of {name, icon} items", d->items[i]->path);
            return false;
        }
        if (!icon_check(ctx, icon->text, icon))
            return false;
    }
    int cols = (int)block_num(block, "columns", 4);
    if (cols < 1) cols = 1;
    double gap = G, w = cell_width(ctx, cols, gap), pad = G * 1.1;
    double icon = scaled(ctx, block_num(block, "icon_size", 10));
    double inner = w - 2 * pad - icon - G;
    for (size_t r = 0; r * cols < d->len; r++) {
        cp_piece *pc = piece_new(ctx, r ? gap : block_space(ctx, block, G * 1.6),
                                 d->items[r * cols]->path);
        pc->keep_with_next = (r + 1) * cols < d->len;
        PangoLayout *ls[64];
        double h = 0;
        size_t n = d->len - r * cols < (size_t)cols ? d->len - r * cols : (size_t)cols;
        for (size_t i = 0; i < n; i++) {
            const cp_node *it = d->items[r * cols + i];
            ls[i] = text_new(ctx, item_text(it, "name"), ST_SMALL, inner, it);
            if (text_height(ls[i]) > h) h = text_height(ls[i]);
        }
        h += 2 * pad;
        dl_tag_begin(ctx->doc, &pc->canvas, "L");
        for (size_t i = 0; i < n; i++) {
            const cp_node *it = d->items[r * cols + i];
            double x = (double)i * (w + gap);
            put_card(ctx, pc, x, 0, w, h, ctx->th->color.page, ctx->th->color.card_border);
            put_icon(ctx, pc, node_str(it, "icon"), node_get(it, "icon"), x + pad,
                     (h - icon) / 2, icon, ctx->th->color.accent);
            dl_tag_begin(ctx->doc, &pc->canvas, "LI");
            dl_tag_begin(ctx->doc, &pc->canvas, "LBody");
            put_text(ctx, pc, ls[i], x + pad + icon + G, (h - text_height(ls[i])) / 2,
                     ST_SMALL);
            dl_tag_end(ctx->doc, &pc->canvas);   /* LBody */
            dl_tag_end(ctx->doc, &pc->canvas);
        }
        dl_tag_end(ctx->doc, &pc->canvas);
        pc->height = h;
    }
    return true;
}

/* Items with a tick (or another icon) before each: vertical, or flowing when inline. */
bool build_checklist(cp_ctx *ctx, const cp_node *block)
{
    const cp_node *d = block_data(ctx, block, true);
    if (!node_is_seq(d))
        return false;
    const char *icon_name = block_opt(block, "icon", "check-circle");
    if (!icon_check(ctx, icon_name, node_get(block, "icon")))
        return false;
    const char *tone = block_opt(block, "tone", "good");
    cp_rgba color = !strcmp(tone, "warn") ? ctx->th->color.warn : ctx->th->color.good;
    bool flowing = false;
    node_bool(node_get(block, "inline"), &flowing);
    /* One piece, unless the list is long (more than half a page: a column of long items
     * beside another); then one piece per item, each a list of its own for
     * tagging, so the list continues on the next page or the next band of a `columns`
     * block instead of refusing to fit. */
    size_t first_piece = ctx->pieces->len;
    for (bool split = false;; split = true) {
        cp_piece *pc = piece_new(ctx, block_space(ctx, block, G * 1.6), block->path);
        double icon = ctx->th->style[ST_BODY].size * 1.05, x = 0, y = 0, row_h = 0;
        double tw = ctx->width - icon - G * 0.8;
        if (node_get(block, "title")) {
            PangoLayout *t = text_new(ctx, label(ctx, node_str(block, "title")), ST_H3,
                                      ctx->width, NULL);
            dl_tag_begin(ctx->doc, &pc->canvas, "H3");
            y = put_text(ctx, pc, t, 0, 0, ST_H3) + G * 0.8;
            dl_tag_end(ctx->doc, &pc->canvas);
        }
        dl_tag_begin(ctx->doc, &pc->canvas, "L");
        for (size_t i = 0; i < d->len; i++) {
            const cp_node *it = d->items[i];
            if (split && i > 0) {
                dl_tag_end(ctx->doc, &pc->canvas);
                pc->height = y - G * 0.7;
                pc = piece_new(ctx, G * 0.7, it->path);
                y = 0;
                dl_tag_begin(ctx->doc, &pc->canvas, "L");
            }
            PangoLayout *l = text_new(ctx, item_text(it, "text"), ST_BODY, flowing ? 0 : tw,
                                      it);
            /* A flowing item longer than the line wraps like a vertical one. */
            if (flowing && text_width(l) > tw)
                l = text_new(ctx, item_text(it, "text"), ST_BODY, tw, it);
            double w = icon + G * 0.8 + text_width(l), h = text_height(l);
            if (flowing && x > 0 && x + w > ctx->width) {
                x = 0;
                y += row_h + G * 0.8;
                row_h = 0;
            }
            put_icon(ctx, pc, icon_name, NULL, x, y + text_baseline(l) - icon * 0.85, icon,
                     color);
            dl_tag_begin(ctx->doc, &pc->canvas, "LI");
            dl_tag_begin(ctx->doc, &pc->canvas, "LBody");
            put_text(ctx, pc, l, x + icon + G * 0.8, y, ST_BODY);
            dl_tag_end(ctx->doc, &pc->canvas);   /* LBody */
            dl_tag_end(ctx->doc, &pc->canvas);   /* LI */
            if (flowing) {
                x += w + G * 2.5;
                row_h = fmax(row_h, h);
            } else {
                y += h + G * 0.7;
            }
        }
        dl_tag_end(ctx->doc, &pc->canvas);
        pc->height = flowing ? y + row_h : y - G * 0.7;
        if (split || flowing || pc->height <= engine_room(ctx) / 2 || d->len < 2)
            return true;
        ctx->pieces->len = first_piece;
    }
}

/* Cards in `columns` columns: a title (`title_field`), a muted line (`meta_field`) and
 * a text (`text_field`); one piece per row. Optional link to a career chapter. */
bool build_cards(cp_ctx *ctx, const cp_node *block)
{
    const cp_node *d = block_data(ctx, block, true);
    if (!node_is_seq(d))
        return false;
    int cols = (int)block_num(block, "columns", 2);
    if (cols < 1) cols = 1;
    const char *tf = block_opt(block, "title_field", "title");
    const char *mf = block_opt(block, "meta_field", "meta");
    const char *xf = block_opt(block, "text_field", "text");
    double gap = G * 1.5, w = cell_width(ctx, cols, gap), pad = G * 1.5, inner = w - 2 * pad;
    for (size_t r = 0; r * cols < d->len; r++) {
        size_t n = d->len - r * cols < (size_t)cols ? d->len - r * cols : (size_t)cols;
        PangoLayout *t[16], *m[16], *x[16];
        double h = 0;
        for (size_t i = 0; i < n && i < 16; i++) {
            const cp_node *it = d->items[r * cols + i];
            t[i] = text_new(ctx, node_str(it, tf), ST_H3, inner, node_get(it, tf));
            m[i] = node_str(it, mf) ? text_new(ctx, node_str(it, mf), ST_SMALL, inner,
                                               node_get(it, mf)) : NULL;
            x[i] = text_new(ctx, node_str(it, xf), ST_SMALL, inner, node_get(it, xf));
            double hi = text_height(t[i]) + G * 0.4 + text_height(x[i]) +
                        (m[i] ? text_height(m[i]) + G * 0.3 : 0);
            if (hi > h) h = hi;
        }
        h += 2 * pad;
        cp_piece *pc = piece_new(ctx, r ? gap : block_space(ctx, block, G * 1.6),
                                 d->items[r * cols]->path);
        pc->keep_with_next = (r + 1) * cols < d->len;
        dl_tag_begin(ctx->doc, &pc->canvas, "L");
        for (size_t i = 0; i < n && i < 16; i++) {
            double cx = (double)i * (w + gap), y = pad;
            put_card(ctx, pc, cx, 0, w, h, ctx->th->color.card, ctx->th->color.card_border);
            /* LI > LBody > the card's text (+ Link): cairo marks text only in elements
             * without children, so the text has its own element, a Span that the PDF
             * finisher moves into the Link when there is one (src/render/pdf_finish.h),
             * else a P. */
            const char *id = node_str(d->items[r * cols + i], "id");
            bool linked = id && ctx->job->chapter;   /* the book resolves "career:ID" */
            dl_tag_begin(ctx->doc, &pc->canvas, "LI");
            dl_tag_begin(ctx->doc, &pc->canvas, "LBody");
            dl_tag_begin(ctx->doc, &pc->canvas, linked ? "Span" : "P");
            y += put_text(ctx, pc, t[i], cx + pad, y, ST_H3) + G * 0.4;
            if (m[i]) {
                dl_text(ctx->doc, &pc->canvas, m[i], cx + pad, y, ctx->th->color.muted);
                y += text_height(m[i]) + G * 0.3;
            }
            put_text(ctx, pc, x[i], cx + pad, y, ST_SMALL);
            dl_tag_end(ctx->doc, &pc->canvas);
            if (linked)
                dl_link_dest(ctx->doc, &pc->canvas, cx, 0, w, h,
                             arena_printf(ctx->a, "career:%s", id));
            dl_tag_end(ctx->doc, &pc->canvas);   /* LBody */
            dl_tag_end(ctx->doc, &pc->canvas);
        }
        dl_tag_end(ctx->doc, &pc->canvas);
        pc->height = h;
    }
    return true;
}

bool build_columns(cp_ctx *ctx, const cp_node *block)
{
    const cp_node *blocks = node_get(block, "blocks");
    if (!node_is_seq(blocks) || blocks->len < 1 || blocks->len > 4) {
        diag_error(&block->loc, block->path, "columns without blocks, expected a list of "
                   "1 to 4 blocks");
        return false;
    }
    /* `align_first: true`: the columns' first pieces (their headings) end level. */
    bool align_first = false;
    node_bool(node_get(block, "align_first"), &align_first);
    piece_columns(ctx, blocks, block_space(ctx, block, G * 1.6), align_first);
    return true;
}
