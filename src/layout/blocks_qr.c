/* blocks_qr.c - a QR code to the full guide, with a caption beside it.
 *
 * The symbol is vector: one filled path of rectangles (one per run of dark modules in
 * a row), in unit coordinates scaled to the box, so it stays sharp at any print size
 * and the right-to-left mirror (which moves a path by its scale) keeps it whole. */
#include <errno.h>
#include <math.h>
#include <string.h>

#include <qrencode.h>

#include "blocks.h"

#define G (ctx->th->gap)

/* Modules of white around the symbol: the quiet zone scanners need. */
#define QUIET 4

/* The web address to encode: the block's `url:` (placeholders filled from the career,
 * e.g. "https://example.org/careers/{id}"), else the career's `url`, else
 * `next_step.url`. NULL when there is none: the block then prints nothing. */
const char *qr_url(cp_ctx *ctx, const cp_node *block, const cp_node **src)
{
    const char *tmpl = block_opt(block, "url", NULL);
    *src = node_get(block, "url");
    if (tmpl)
        return expand(ctx, tmpl, NULL);
    const char *paths[] = {"url", "next_step.url"};
    for (size_t i = 0; i < 2; i++) {
        const cp_node *n = node_at(ctx->job->career, paths[i]);
        if (node_is_scalar(n) && *n->text) {
            *src = n;
            return n->text;
        }
    }
    return NULL;
}

/* Appends the closed rectangle (x, y, w, 1) in module units. */
static void run_rect(dl_path_op *ops, size_t *n, double x, double y, double w, double unit)
{
    const double pts[4][2] = {{x, y}, {x + w, y}, {x + w, y + 1}, {x, y + 1}};
    for (int k = 0; k < 4; k++) {
        ops[*n].op = k ? PATH_LINE : PATH_MOVE;
        ops[*n].pts[0] = pts[k][0] * unit;
        ops[*n].pts[1] = pts[k][1] * unit;
        (*n)++;
    }
    ops[(*n)++].op = PATH_CLOSE;
}

/* The dark modules as one path in a unit square that includes the quiet zone. */
static const dl_path *qr_path(cp_ctx *ctx, const QRcode *qr)
{
    int w = qr->width;
    double unit = 1.0 / (w + 2 * QUIET);
    size_t runs = 0, n = 0;
    for (int y = 0; y < w; y++)
        for (int x = 0; x < w; x++)
            runs += (qr->data[y * w + x] & 1) && (x == 0 || !(qr->data[y * w + x - 1] & 1));
    dl_path_op *ops = ARENA_ARRAY(ctx->a, dl_path_op, runs * 5 + 1);
    for (int y = 0; y < w; y++)
        for (int x = 0; x < w;) {
            if (!(qr->data[y * w + x] & 1)) {
                x++;
                continue;
            }
            int start = x;
            while (x < w && (qr->data[y * w + x] & 1))
                x++;
            run_rect(ops, &n, start + QUIET, y + QUIET, x - start, unit);
        }
    dl_path *p = ARENA_NEW(ctx->a, dl_path);
    p->ops = ops;
    p->len = n;
    return p;
}

/* A caption option: a label key from the strings file ("poster.call_to_action") or,
 * when the strings have no such key, the text itself (placeholders filled). */
static const char *caption(cp_ctx *ctx, const cp_node *block, const char *key)
{
    const char *v = block_opt(block, key, NULL);
    if (!v)
        return NULL;
    if (node_is_scalar(node_at(ctx->job->strings, v)))
        return label(ctx, v);
    return expand(ctx, v, NULL);
}

/* The address's link over `area` (x, y, w, h) with `text` as its visible text: a link
 * holds its visible text (PDF/UA), and cairo 1.16 marks no content inside a link, so the
 * text goes in a Span just before it, which the PDF finisher moves into the Link
 * (src/render/pdf_finish.h). The QR code beside it is a Figure with the address as its
 * text alternative. */
static void put_linked_text(cp_ctx *ctx, cp_piece *pc, PangoLayout *text, double x,
                            double y, cp_rgba ink, const char *url, const double area[4])
{
    dl_tag_begin(ctx->doc, &pc->canvas, "P");
    dl_tag_begin(ctx->doc, &pc->canvas, "Span");
    dl_text(ctx->doc, &pc->canvas, text, x, y, ink);
    dl_tag_end(ctx->doc, &pc->canvas);
    dl_link_uri(ctx->doc, &pc->canvas, area[0], area[1], area[2], area[3], url);
    dl_tag_end(ctx->doc, &pc->canvas);
}

/* Title, text and the address itself (for those who type it), stacked; the address is
 * the text of the link over `link` (the whole card). NULL: measured only. */
static double put_caption(cp_ctx *ctx, cp_piece *pc, const cp_node *block, const char *url,
                          double x, double y, double w, const double link[4])
{
    bool measure_only = !link;
    const char *title = caption(ctx, block, "title"), *text = caption(ctx, block, "text");
    cp_style url_st = ctx->th->style[ST_SMALL];
    url_st.color = ctx->th->color.accent;
    PangoLayout *parts[3] = {
        title ? text_new(ctx, title, ST_H3, w, NULL) : NULL,
        text ? text_new(ctx, text, ST_BODY, w, NULL) : NULL,
        text_styled(ctx, url, &url_st, w, NULL),
    };
    const cp_rgba colors[3] = {ctx->th->style[ST_H3].color, ctx->th->style[ST_BODY].color,
                               url_st.color};
    /* A long address breaks anywhere rather than overflowing the card. */
    pango_layout_set_wrap(parts[2], PANGO_WRAP_CHAR);
    double h = 0;
    for (int i = 0; i < 3; i++) {
        if (!parts[i])
            continue;
        if (h > 0)
            h += G * 0.5;
        if (!measure_only && i == 2) {
            put_linked_text(ctx, pc, parts[i], x, y + h, colors[i], url, link);
        } else if (!measure_only) {
            dl_tag_begin(ctx->doc, &pc->canvas, "P");
            dl_text(ctx->doc, &pc->canvas, parts[i], x, y + h, colors[i]);
            dl_tag_end(ctx->doc, &pc->canvas);
        }
        h += text_height(parts[i]);
    }
    return h;
}

bool put_qr(cp_ctx *ctx, cp_piece *pc, const char *url, const cp_node *src, double x,
            double y, double size)
{
    QRcode *qr = QRcode_encodeString(url, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (!qr) {
        layout_error(ctx, src, "cannot make a QR code of this address (%s), expected a web "
                     "address of at most about 2000 characters", strerror(errno));
        return false;
    }
    const dl_path *path = qr_path(ctx, qr);
    QRcode_free(qr);
    /* The symbol sits on white whatever the theme: scanners need the contrast. */
    dl_rect(ctx->doc, &pc->canvas, x, y, size, size, (cp_rgba){1, 1, 1, 1},
            ctx->th->radius * 0.5);
    /* A QR code reads as the address it holds; the link is its caller's (with text). */
    dl_tag_begin(ctx->doc, &pc->canvas, "Figure")->alt = url;
    dl_shape(ctx->doc, &pc->canvas, path, x, y, size, (cp_rgba){0, 0, 0, 1});
    dl_tag_end(ctx->doc, &pc->canvas);
    return true;
}

double put_qr_badge(cp_ctx *ctx, cp_piece *pc, const cp_node *spec, double x, double y,
                    cp_rgba ink)
{
    const cp_node *src = NULL;
    const char *url = node_is_map(spec) ? qr_url(ctx, spec, &src) : NULL;
    if (!url)
        return 0;
    double size = scaled(ctx, node_num(spec, "size", 72));
    const char *title = caption(ctx, spec, "title");
    cp_style st = ctx->th->style[ST_LABEL];
    st.color = ink;
    PangoLayout *l = title ? text_styled(ctx, title, &st, size, NULL) : NULL;
    if (l)
        pango_layout_set_alignment(l, PANGO_ALIGN_CENTER);
    double h = size + (l ? G * 0.8 + text_height(l) : 0);
    if (!pc)
        return h;
    if (!put_qr(ctx, pc, url, src ? src : spec, x, y, size))
        return 0;
    /* The title is the link's text, the link covers the code and the title; a badge
     * without a title has no link (a link must have a name to read). */
    if (l)
        put_linked_text(ctx, pc, l, x, y + size + G * 0.8, ink, url,
                        (const double[4]){x, y, size, h});
    return h;
}

/* Options: `url`, `size` (side of the symbol with its quiet zone, in points of the
 * reference paper; default 72), `title` and `text` (label keys or text). */
bool build_qr(cp_ctx *ctx, const cp_node *block)
{
    const cp_node *src = NULL;
    const char *url = qr_url(ctx, block, &src);
    if (!url)
        return true;
    const cp_palette *c = &ctx->th->color;
    double size = scaled(ctx, block_num(block, "size", 72)), pad = G * 1.6;
    double tx = pad + size + G * 2, tw = ctx->width - tx - pad;
    double th = put_caption(ctx, NULL, block, url, 0, 0, tw, NULL);
    double h = fmax(size, th) + 2 * pad;
    cp_piece *pc = piece_new(ctx, block_space(ctx, block, G * 2), block->path);
    put_card(ctx, pc, 0, 0, ctx->width, h, c->chip, c->chip);
    if (!put_qr(ctx, pc, url, src ? src : block, pad, (h - size) / 2, size))
        return false;
    put_caption(ctx, pc, block, url, tx, (h - th) / 2, tw, (const double[4]){0, 0, ctx->width, h});
    pc->height = h;
    return true;
}
