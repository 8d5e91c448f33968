/* blocks_data.c - blocks that show numbers: rating bars, timelines, tables, charts. */
#include <math.h>
#include <string.h>

#include "blocks.h"
#include "../model/money.h"

#define G (ctx->th->gap)

/* Importance levels of skills, strongest first; the strings file names them. */
static const char *const IMPORTANCE[] = {"basic", "medium", "high", "very_high", "critical"};

static bool rating_value(const cp_node *v, double *out)
{
    if (node_number(v, out))
        return true;
    for (int i = 0; node_is_scalar(v) && i < 5; i++)
        if (!strcmp(v->text, IMPORTANCE[i])) {
            *out = i + 1;
            return true;
        }
    return false;
}

/* `segments` cells, each filled in whole or in half, so half steps are visible. */
static void segmented_bar(cp_ctx *ctx, cp_piece *pc, double x, double y, double w,
                          double h, double value, int segments, cp_rgba fill)
{
    double sgap = h * 0.45, cw = (w - sgap * (segments - 1)) / segments;
    for (int k = 0; k < segments; k++) {
        double cx = x + k * (cw + sgap), share = value - k;
        dl_rect(ctx->doc, &pc->canvas, cx, y, cw, h, ctx->th->color.track, h * 0.3);
        if (share > 0)
            dl_rect(ctx->doc, &pc->canvas, cx, y, cw * (share > 1 ? 1 : share), h, fill,
                    h * 0.3);
    }
}

/* `stacked: true` (narrow columns, posters): the label on a line of its own at full
 * width, below it the bar and, in a column of `value_w`, its value. Returns the height
 * of the row. */
static double stacked_rating(cp_ctx *ctx, cp_piece *pc, double y, const char *name,
                             const cp_node *src, const char *vtext, double value,
                             int segments, double value_w)
{
    PangoLayout *l = text_new(ctx, name, ST_BODY, ctx->width, src);
    PangoLayout *vl = text_new(ctx, vtext, ST_SMALL_STRONG, value_w, NULL);
    double bar_h = scaled(ctx, 9), vh = text_height(vl), row = fmax(bar_h, vh);
    double top = y + text_height(l) + G * 0.45;
    dl_tag_begin(ctx->doc, &pc->canvas, "LI");
    dl_tag_begin(ctx->doc, &pc->canvas, "Lbl");   /* the name, then the score: see below */
    put_text(ctx, pc, l, 0, y, ST_BODY);
    dl_tag_end(ctx->doc, &pc->canvas);
    segmented_bar(ctx, pc, 0, top + (row - bar_h) / 2, ctx->width - value_w - G * 1.5,
                  bar_h, value, segments, ctx->th->color.accent);
    dl_tag_begin(ctx->doc, &pc->canvas, "LBody");
    dl_text(ctx->doc, &pc->canvas, vl, ctx->width - value_w, top + (row - vh) / 2,
            ctx->th->color.accent);
    dl_tag_end(ctx->doc, &pc->canvas);   /* LBody */
    dl_tag_end(ctx->doc, &pc->canvas);
    return top + row - y;
}

bool build_rating_bars(cp_ctx *ctx, const cp_node *block)
{
    const cp_node *d = block_data(ctx, block, true);
    if (!node_is_seq(d))
        return false;
    const char *lf = block_opt(block, "label_field", "name");
    const char *vf = block_opt(block, "value_field", "score");
    const char *levels = block_opt(block, "levels", NULL);
    double max = block_num(block, "max", 10);
    int segments = (int)block_num(block, "segments", max);
    double label_w = ctx->width * block_num(block, "label_width", 0.4);
    double value_w = ctx->width * block_num(block, "value_width", 0.24);
    double bar_w = ctx->width - label_w - value_w - G * 3, bar_h = scaled(ctx, 7);
    bool stacked = false;
    node_bool(node_get(block, "stacked"), &stacked);
    /* The whole group is one piece: a page break never splits a set of ratings, unless
     * the set is taller than a page; then each rating is a piece of its own (a list of
     * its own for tagging) that the page breaks place one by one. (Not chained with
     * keep_with_next: a chain that fits a page would move to the next page whole,
     * leaving the one it starts on half empty.) */
    size_t first_piece = ctx->pieces->len;
    double space = block_space(ctx, block, G * 1.6);
    for (bool split = false;; split = true) {
        cp_piece *pc = piece_new(ctx, space, block->path);
        double y = 0;
        dl_tag_begin(ctx->doc, &pc->canvas, "L");
        for (size_t i = 0; i < d->len; i++) {
            if (split && i > 0) {
                dl_tag_end(ctx->doc, &pc->canvas);
                pc->height = y - (stacked ? G * 1.1 : G * 0.9);
                pc = piece_new(ctx, stacked ? G * 1.1 : G * 0.9, d->items[i]->path);
                y = 0;
                dl_tag_begin(ctx->doc, &pc->canvas, "L");
            }
            const cp_node *it = d->items[i], *v = node_get(it, vf);
            double value;
            if (!rating_value(v, &value) || value < 0 || value > max) {
                diag_error(v ? &v->loc : &it->loc, v ? v->path : it->path,
                           "not a rating, expected 0 to %g or one of basic, medium, high, "
                           "very_high, critical", max);
                return false;
            }
            const char *score = format_number(ctx, value), *top = format_number(ctx, max);
            bool named = levels && node_is_scalar(v) && !node_number(v, &(double){0});
            const char *vtext = named
                ? label(ctx, "labels.score_of", "level",
                        label(ctx, arena_printf(ctx->a, "%s.%s", levels, v->text)),
                        "score", score, "max", top)
                : label(ctx, "scores.out_of", "score", score);
            if (stacked) {
                y += stacked_rating(ctx, pc, y, node_str(it, lf), node_get(it, lf),
                                    named ? label(ctx, arena_printf(ctx->a, "%s.%s", levels,
                                                                    v->text)) : vtext,
                                    value * segments / max, segments, value_w) + G * 1.1;
                continue;
            }
            PangoLayout *l = text_new(ctx, node_str(it, lf), ST_BODY, label_w,
                                      node_get(it, lf));
            PangoLayout *vl = text_new(ctx, vtext, ST_SMALL_STRONG, value_w, NULL);
            double h = fmax(text_height(l), text_height(vl));
            /* LI > Lbl (the name) + LBody (the score), as the stat cards: two elements,
             * which read as two, even where a viewer runs them together (pdf.js puts
             * no space where the pen moves left: a right-to-left row) */
            dl_tag_begin(ctx->doc, &pc->canvas, "LI");
            dl_tag_begin(ctx->doc, &pc->canvas, "Lbl");
            put_text(ctx, pc, l, 0, y, ST_BODY);
            dl_tag_end(ctx->doc, &pc->canvas);   /* Lbl */
            segmented_bar(ctx, pc, label_w + G * 1.5,
                          y + text_baseline(l) - bar_h + scaled(ctx, 0.5), bar_w, bar_h,
                          value * segments / max, segments, ctx->th->color.accent);
            dl_tag_begin(ctx->doc, &pc->canvas, "LBody");
            put_text(ctx, pc, vl, ctx->width - value_w,
                     y + (text_baseline(l) - text_baseline(vl)), ST_SMALL_STRONG);
            dl_tag_end(ctx->doc, &pc->canvas);   /* LBody */
            dl_tag_end(ctx->doc, &pc->canvas);   /* LI */
            y += h + G * 0.9;
        }
        dl_tag_end(ctx->doc, &pc->canvas);
        pc->height = y - (stacked ? G * 1.1 : G * 0.9);
        if (split || pc->height <= engine_room(ctx) || d->len < 2)
            return true;
        ctx->pieces->len = first_piece;
    }
}

/* The numbered node of a step: a disc with its number centred. */
static void step_node(cp_ctx *ctx, cp_piece *pc, size_t i, double x, double size)
{
    cp_style st = ctx->th->style[ST_SMALL_STRONG];
    st.color = ctx->th->color.primary_ink;
    PangoLayout *nl = text_styled(ctx, arena_printf(ctx->a, "%zu", i + 1), &st, 0, NULL);
    dl_rect(ctx->doc, &pc->canvas, x, 0, size, size, ctx->th->color.accent, size / 2);
    dl_text(ctx->doc, &pc->canvas, nl, x + (size - text_width(nl)) / 2,
            (size - text_height(nl)) / 2, st.color);
}

/* `direction: horizontal` (posters): the steps side by side on one connector, each
 * title centred under its node, the whole journey one unbreakable piece. */
static bool horizontal_timeline(cp_ctx *ctx, const cp_node *block, const cp_node *d,
                                const char *tf, const char *xf, bool details)
{
    double node = scaled(ctx, 24), col = ctx->width / (double)d->len, h = 0;
    cp_piece *pc = piece_new(ctx, block_space(ctx, block, G * 1.8), block->path);
    if (d->len > 1)
        dl_line(ctx->doc, &pc->canvas, col / 2, node / 2, ctx->width - col / 2, node / 2,
                ctx->th->color.accent, scaled(ctx, 2));
    dl_tag_begin(ctx->doc, &pc->canvas, "L");
    for (size_t i = 0; i < d->len; i++) {
        const cp_node *it = d->items[i];
        double x = col * (double)i, w = col - G * 1.5, y = node + G;
        PangoLayout *t = text_new(ctx, node_str(it, tf), ST_STRONG, w, node_get(it, tf));
        pango_layout_set_alignment(t, PANGO_ALIGN_CENTER);
        dl_tag_begin(ctx->doc, &pc->canvas, "LI");
        dl_tag_begin(ctx->doc, &pc->canvas, "Lbl");   /* the step's number */
        step_node(ctx, pc, i, x + (col - node) / 2, node);
        dl_tag_end(ctx->doc, &pc->canvas);
        dl_tag_begin(ctx->doc, &pc->canvas, "LBody");
        y += put_text(ctx, pc, t, x + G * 0.75, y, ST_STRONG);
        if (details) {
            PangoLayout *x_l = text_new(ctx, node_str(it, xf), ST_SMALL, w, node_get(it, xf));
            pango_layout_set_alignment(x_l, PANGO_ALIGN_CENTER);
            y += G * 0.4 + put_text(ctx, pc, x_l, x + G * 0.75, y + G * 0.4, ST_SMALL);
        }
        dl_tag_end(ctx->doc, &pc->canvas);   /* LBody */
        dl_tag_end(ctx->doc, &pc->canvas);
        h = fmax(h, y);
    }
    dl_tag_end(ctx->doc, &pc->canvas);
    pc->height = h;
    return true;
}

/* Numbered nodes joined by a connector; each step one unbreakable piece whose
 * connector runs to the piece's own bottom, so nothing dangles across a page break. */
bool build_timeline(cp_ctx *ctx, const cp_node *block)
{
    const cp_node *d = block_data(ctx, block, true);
    if (!node_is_seq(d))
        return false;
    const char *tf = block_opt(block, "title_field", "title");
    const char *xf = block_opt(block, "text_field", "text");
    const char *mf = block_opt(block, "meta_field", NULL);
    double node = scaled(ctx, 17), indent = node + G * 2, w = ctx->width - indent;
    /* `details: false`: step titles only (a poster's roadmap at a glance). */
    bool details = true;
    node_bool(node_get(block, "details"), &details);
    double after = details ? G * 1.8 : G * 1.2;
    const char *dir = block_opt(block, "direction", "vertical");
    if (!strcmp(dir, "horizontal") && d->len > 0)
        return horizontal_timeline(ctx, block, d, tf, xf, details);
    const cp_palette *c = &ctx->th->color;
    for (size_t i = 0; i < d->len; i++) {
        const cp_node *it = d->items[i];
        bool last = i + 1 == d->len;
        cp_piece *pc = piece_new(ctx, i ? 0 : block_space(ctx, block, G * 1.8), it->path);
        char n[16];
        snprintf(n, sizeof n, "%zu", i + 1);
        const char *head = label(ctx, "labels.step_title", "step",
                                 label(ctx, "labels.step", "n", n), "title",
                                 node_str(it, tf));
        if (mf && node_str(it, mf))
            head = arena_printf(ctx->a, "%s  ·  %s", head,
                                label(ctx, "labels.years", "years", node_str(it, mf)));
        PangoLayout *t = text_new(ctx, head, ST_STRONG, w, node_get(it, tf));
        PangoLayout *x = details ? text_new(ctx, node_str(it, xf), ST_BODY, w,
                                            node_get(it, xf)) : NULL;
        /* Centre the title's first line on the node. */
        PangoLayoutLine *first = pango_layout_get_line_readonly(t, 0);
        PangoRectangle fl;
        pango_layout_line_get_extents(first, NULL, &fl);
        double ty = (node - (double)fl.height / PANGO_SCALE) / 2;
        if (ty < 0) ty = 0;
        double tx_y = ty + text_height(t) + G * 0.3;
        double h = fmax(node, x ? tx_y + text_height(x) : ty + text_height(t));
        if (!last) h += after;
        if (!last)
            dl_line(ctx->doc, &pc->canvas, node / 2, node, node / 2, h, c->accent,
                    scaled(ctx, 1.5));
        step_node(ctx, pc, i, 0, node);
        dl_tag_begin(ctx->doc, &pc->canvas, "Div");
        dl_tag_begin(ctx->doc, &pc->canvas, "H3");
        put_text(ctx, pc, t, indent, ty, ST_STRONG);
        dl_tag_end(ctx->doc, &pc->canvas);
        if (x) {
            dl_tag_begin(ctx->doc, &pc->canvas, "P");
            put_text(ctx, pc, x, indent, tx_y, ST_BODY);
            dl_tag_end(ctx->doc, &pc->canvas);
        }
        dl_tag_end(ctx->doc, &pc->canvas);
        pc->height = h;
    }
    return true;
}

/* --- tables ---------------------------------------------------------------------------- */

typedef struct {
    const char *header;
    const char *field;     /* path inside the row; NULL = the row itself */
    const char *format;
    double weight, x, w;
    bool right;
    bool highlight;
} column;

static bool read_columns(cp_ctx *ctx, const cp_node *block, column *cols, size_t *n)
{
    const cp_node *spec = node_get(block, "columns");
    if (!node_is_seq(spec) || spec->len == 0 || spec->len > 8) {
        if (spec)
            layout_error(ctx, spec, "expected a list of 1 to 8 column specs like "
                         "{header: table.level, field: level}");
        else
            layout_error(ctx, block, "table without columns, expected a list of 1 to 8 "
                         "column specs like {header: table.level, field: level}");
        return false;
    }
    double total = 0;
    size_t k = 0;
    for (size_t i = 0; i < spec->len; i++) {
        const cp_node *c = spec->items[i];
        const char *hk = node_str(c, "header"), *hd = node_str(c, "header_data");
        /* `optional: true`: a column whose heading data the career lacks is left out
         * (a comparison of two careers where the schema allows three). */
        bool optional = false;
        node_bool(node_get(c, "optional"), &optional);
        if (optional && hd && !node_at(ctx->job->career, hd))
            continue;
        column *col = &cols[k++];
        memset(col, 0, sizeof *col);
        col->header = hk ? label(ctx, hk)
                         : hd && node_str(ctx->job->career, hd) ? node_str(ctx->job->career, hd)
                         : hd ? (node_is_scalar(node_at(ctx->job->career, hd))
                                     ? node_at(ctx->job->career, hd)->text : "")
                              : "";
        col->field = node_str(c, "field");
        col->format = node_str(c, "format");
        col->weight = node_num(c, "width", 1);
        const char *align = node_str(c, "align");
        col->right = align && !strcmp(align, "right");
        node_bool(node_get(c, "highlight"), &col->highlight);
        total += col->weight;
    }
    double x = 0;
    for (size_t i = 0; i < k; i++) {
        cols[i].x = x;
        cols[i].w = ctx->width * cols[i].weight / total;
        x += cols[i].w;
    }
    *n = k;
    return true;
}

/* One row (header or body) as a piece: padded cells, optional band, hairline below. */
static cp_piece *table_row(cp_ctx *ctx, const column *cols, size_t n, const char **texts,
                           const cp_node **srcs, bool header, bool band, const char *what)
{
    double padx = G * 1.1, pady = G * 0.75, h = 0;
    PangoLayout *ls[8];
    const cp_palette *c = &ctx->th->color;
    for (size_t i = 0; i < n; i++) {
        cp_style st = ctx->th->style[header ? ST_SMALL_STRONG : ST_SMALL];
        if (header)
            st.color = c->primary;
        else if (cols[i].highlight || i == 0)
            st.bold = true;
        ls[i] = text_styled(ctx, texts[i], &st, cols[i].w - 2 * padx, srcs ? srcs[i] : NULL);
        if (cols[i].right)
            pango_layout_set_alignment(ls[i], PANGO_ALIGN_RIGHT);
        if (text_height(ls[i]) > h)
            h = text_height(ls[i]);
    }
    h += 2 * pady;
    cp_piece *pc = piece_new(ctx, 0, what);
    if (header)
        dl_rect(ctx->doc, &pc->canvas, 0, 0, ctx->width, h, c->chip, 0);
    else if (band)
        dl_rect(ctx->doc, &pc->canvas, 0, 0, ctx->width, h, c->card, 0);
    for (size_t i = 0; i < n; i++)
        if (cols[i].highlight && !header)
            dl_rect(ctx->doc, &pc->canvas, cols[i].x, 0, cols[i].w, h, c->chip, 0);
    dl_line(ctx->doc, &pc->canvas, 0, h, ctx->width, h, header ? c->accent : c->rule,
            header ? ctx->th->rule * 1.6 : ctx->th->rule);
    dl_tag_begin(ctx->doc, &pc->canvas, "TR");
    for (size_t i = 0; i < n; i++) {
        dl_tag_begin(ctx->doc, &pc->canvas, header ? "TH" : "TD");
        dl_text(ctx->doc, &pc->canvas, ls[i], cols[i].x + padx, pady,
                header ? c->primary : ctx->th->style[ST_SMALL].color);
        dl_tag_end(ctx->doc, &pc->canvas);
    }
    dl_tag_end(ctx->doc, &pc->canvas);
    pc->height = h;
    return pc;
}

/* Rows are pieces; the header keeps with the first row and is repeated above rows
 * that continue on a new page. */
bool build_table(cp_ctx *ctx, const cp_node *block)
{
    const cp_node *d = block_data(ctx, block, true);
    column cols[8];
    size_t n;
    if (!node_is_seq(d) || !read_columns(ctx, block, cols, &n))
        return false;
    const char *texts[8];
    const cp_node *srcs[8];
    for (size_t i = 0; i < n; i++)
        texts[i] = cols[i].header;
    /* The Table element opens in a zero-height piece of its own, so a header repeated
     * on a later page adds a row, not a second table. */
    cp_piece *open = piece_new(ctx, block_space(ctx, block, G * 1.6), block->path);
    open->keep_with_next = true;
    dl_tag_begin(ctx->doc, &open->canvas, "Table");
    cp_piece *header = table_row(ctx, cols, n, texts, NULL, true, false, block->path);
    header->keep_with_next = true;
    cp_piece *row = NULL;
    for (size_t r = 0; r < d->len; r++) {
        const cp_node *it = d->items[r];
        for (size_t i = 0; i < n; i++) {
            const cp_node *v = cols[i].field ? node_at(it, cols[i].field) : it;
            srcs[i] = v;
            texts[i] = v ? format_value(ctx, v, cols[i].format) : "";
        }
        row = table_row(ctx, cols, n, texts, srcs, false, r % 2 == 1, it->path);
        row->header = header;
    }
    dl_tag_end(ctx->doc, row ? &row->canvas : &header->canvas);
    return true;
}

/* --- salary chart ---------------------------------------------------------------------- */

/* A round step for about `ticks` intervals: 1, 2, 2.5 or 5 times a power of ten. */
static double nice_step(double span, int ticks)
{
    double raw = span / ticks, mag = pow(10, floor(log10(raw)));
    static const double mult[] = {1, 2, 2.5, 5, 10};
    for (int i = 0; i < 5; i++)
        if (mult[i] * mag >= raw)
            return mult[i] * mag;
    return 10 * mag;
}

/* What the chart shows, for a screen reader, in the labels' language: the axis, then
 * each level with its full range ("Annual salary (USD): Entry Level $95,000 - $140,000;
 * ..."). */
static const char *chart_alt(cp_ctx *ctx, const cp_node *d, const char *lf,
                             const char *axis, const char *currency)
{
    GString *s = g_string_new(axis);
    for (size_t i = 0; i < d->len; i++) {
        const cp_node *it = d->items[i];
        bool open = false;
        node_bool(node_get(it, "open_ended"), &open);
        g_string_append_printf(s, "%s %s %s", i ? ";" : ":", node_str(it, lf),
                               money_range_text(ctx, node_num(it, "min", 0),
                                                node_num(it, "max", 0), currency,
                                                MONEY_FULL, open));
    }
    const char *out = arena_strdup(ctx->a, s->str);
    g_string_free(s, TRUE);
    return out;
}

/* Floating bars: each level's range on one labelled axis starting at zero. */
bool build_salary_chart(cp_ctx *ctx, const cp_node *block)
{
    const cp_node *d = block_data(ctx, block, true);
    if (!node_is_seq(d) || d->len == 0)
        return false;
    const char *lf = block_opt(block, "label_field", "level");
    const char *currency = node_str(d->items[0], "currency");
    double top = 0;
    for (size_t i = 0; i < d->len; i++) {
        if (!currency || !node_str(d->items[i], "currency") ||
            strcmp(currency, node_str(d->items[i], "currency"))) {
            diag_error(&d->items[i]->loc, d->items[i]->path, "a chart needs one currency, "
                       "expected %s like the first row", currency ? currency : "a currency");
            return false;
        }
        top = fmax(top, node_num(d->items[i], "max", 0));
    }
    /* Head room right of the longest bar for its range label. */
    double step = nice_step(top * 1.3, 5), axis_max = ceil(top * 1.3 / step) * step;
    double label_w = ctx->width * block_num(block, "label_width", 0.27);
    double plot_x = label_w + G, plot_w = ctx->width - plot_x;
    double row_min = scaled(ctx, 22), bar_h = scaled(ctx, 11), plot_top = G * 0.5;
    /* Each row: its level label, its bar and the bar's range label. The range stands
     * right of the bar, else left of it inside the plot, else on a line of its own
     * under the bar; rows grow with a label that wraps and with a range under a bar. */
    size_t n = d->len;
    PangoLayout **labels = ARENA_ARRAY(ctx->a, PangoLayout *, n);
    PangoLayout **ranges = ARENA_ARRAY(ctx->a, PangoLayout *, n);
    double *rxs = ARENA_ARRAY(ctx->a, double, n), *rows = ARENA_ARRAY(ctx->a, double, n);
    bool *under = ARENA_ARRAY(ctx->a, bool, n);
    double plot_h = 0;
    for (size_t i = 0; i < n; i++) {
        const cp_node *it = d->items[i];
        double lo = node_num(it, "min", 0), hi = node_num(it, "max", 0);
        bool open = false;
        node_bool(node_get(it, "open_ended"), &open);
        double x0 = plot_x + plot_w * lo / axis_max, x1 = plot_x + plot_w * hi / axis_max;
        labels[i] = text_new(ctx, node_str(it, lf), ST_SMALL, label_w, node_get(it, lf));
        const char *range = money_range_text(ctx, lo, hi, currency, MONEY_SHORT, open);
        ranges[i] = text_new(ctx, range, ST_SMALL_STRONG, 0, NULL);
        double tw = text_width(ranges[i]);
        rxs[i] = x1 + (open ? G * 3.5 : G * 0.8);
        if (rxs[i] + tw > ctx->width)           /* no room right of the bar: left of it */
            rxs[i] = x0 - G * 0.8 - tw;
        under[i] = rxs[i] < plot_x;
        if (under[i]) {                          /* nor left of it: under it */
            if (tw > plot_w)
                ranges[i] = text_new(ctx, range, ST_SMALL_STRONG, plot_w, NULL);
            rxs[i] = fmax(plot_x, fmin(x1, ctx->width) - text_width(ranges[i]));
        }
        double body = under[i] ? bar_h + G * 0.3 + text_height(ranges[i]) : bar_h;
        row_min = fmax(row_min, fmax(text_height(labels[i]), body) + G * 0.8);
    }
    /* Rows of one height: the bars stand evenly spaced. */
    for (size_t i = 0; i < n; i++)
        plot_h += rows[i] = row_min;
    const cp_palette *c = &ctx->th->color;
    cp_piece *pc = piece_new(ctx, block_space(ctx, block, G * 1.8), block->path);
    dl_item *fig = dl_tag_begin(ctx->doc, &pc->canvas, "Figure");
    /* Grid and tick labels; a label that would touch the one before it is left out
     * (large type in a narrow column), its grid line stays. */
    double last_end = -1e9;
    for (double v = 0; v <= axis_max + step / 2; v += step) {
        double x = plot_x + plot_w * v / axis_max;
        const char *buf = money_text(ctx, v, currency, MONEY_SHORT);
        dl_item *gl = dl_line(ctx->doc, &pc->canvas, x, plot_top, x, plot_top + plot_h,
                              c->rule, ctx->th->rule);
        gl->dash = v > 0 ? scaled(ctx, 2) : 0;
        PangoLayout *tl = text_new(ctx, buf, ST_SMALL, 0, NULL);
        double tw = text_width(tl), tx = x - tw / 2;
        if (tx + tw > ctx->width) tx = ctx->width - tw;
        if (tx < last_end + G * 0.5)
            continue;
        last_end = tx + tw;
        dl_text(ctx->doc, &pc->canvas, tl, tx, plot_top + plot_h + G * 0.5, c->muted);
    }
    double row_y = plot_top;
    for (size_t i = 0; i < n; i++) {
        const cp_node *it = d->items[i];
        double lo = node_num(it, "min", 0), hi = node_num(it, "max", 0);
        bool open = false;
        node_bool(node_get(it, "open_ended"), &open);
        double range_h = under[i] ? G * 0.3 + text_height(ranges[i]) : 0;
        double y = row_y + (rows[i] - bar_h - range_h) / 2;
        double x0 = plot_x + plot_w * lo / axis_max, x1 = plot_x + plot_w * hi / axis_max;
        PangoLayout *l = labels[i];
        dl_text(ctx->doc, &pc->canvas, l, 0, row_y + (rows[i] - text_height(l)) / 2,
                ctx->th->style[ST_SMALL].color);
        row_y += rows[i];
        /* Tones step from light to dark with the level, so greyscale keeps them apart. */
        cp_rgba tone = c->accent;
        double t = d->len > 1 ? (double)i / (d->len - 1) : 1;
        tone.r = c->accent.r + (1 - c->accent.r) * 0.45 * (1 - t);
        tone.g = c->accent.g + (1 - c->accent.g) * 0.45 * (1 - t);
        tone.b = c->accent.b + (1 - c->accent.b) * 0.45 * (1 - t);
        dl_rect(ctx->doc, &pc->canvas, x0, y, x1 - x0, bar_h, tone, bar_h / 2);
        if (open) {
            dl_item *ext = dl_line(ctx->doc, &pc->canvas, x1, y + bar_h / 2,
                                   fmin(x1 + G * 3, plot_x + plot_w), y + bar_h / 2, tone,
                                   scaled(ctx, 2));
            ext->dash = scaled(ctx, 2);
        }
        PangoLayout *rl = ranges[i];
        double ry = under[i] ? y + bar_h + G * 0.3 : y + bar_h / 2 - text_height(rl) / 2;
        dl_text(ctx->doc, &pc->canvas, rl, rxs[i], ry, c->ink);
    }
    const char *axis_label = label(ctx, "labels.salary_axis", "currency", currency);
    fig->alt = chart_alt(ctx, d, lf, axis_label, currency);
    PangoLayout *axis = text_new(ctx, axis_label, ST_SMALL, plot_w, NULL);
    double ay = plot_top + plot_h + G * 0.5 + ctx->th->style[ST_SMALL].size * 1.5 + G * 0.4;
    dl_text(ctx->doc, &pc->canvas, axis, plot_x + (plot_w - text_width(axis)) / 2, ay, c->muted);
    dl_tag_end(ctx->doc, &pc->canvas);
    pc->height = ay + text_height(axis);
    return true;
}
