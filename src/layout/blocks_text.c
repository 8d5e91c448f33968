/* blocks_text.c - blocks that are mostly words: cover, headings, prose, callouts, FAQ. */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "blocks.h"

#define G (ctx->th->gap)

static const char *month_year(cp_ctx *ctx, const char *date)
{
    /* "2026-06" → "June 2026", with month names from the strings file. */
    if (!date || strlen(date) < 7)
        return date ? date : "";
    int month = (date[5] - '0') * 10 + (date[6] - '0');
    char key[32];
    snprintf(key, sizeof key, "months[%d]", month - 1);
    const cp_node *name = node_at(ctx->job->strings, key);
    const char *year = arena_strndup(ctx->a, date, 4);
    return label(ctx, "meta.date_month", "month", name ? name->text : "", "year", year);
}

/* A career field in the cover's style: fitted to its box when the block gives `fit:`
 * rules for it (posters), else wrapped onto as many lines as it needs. */
static PangoLayout *cover_text(cp_ctx *ctx, const cp_node *block, const char *field,
                              cp_style_id style, double width)
{
    const cp_node *src = node_get(ctx->job->career, field);
    return text_in_box(ctx, block, field, node_str(ctx->job->career, field),
                       &ctx->th->style[style], width, src);
}

/* Options: `kicker` (a label key; default the organisation), `meta: false` (no reading
 * time and date line), `bleed: true` (the band runs to the page's top and side edges:
 * a poster's head) and `fit` rules for title and tagline. */
bool build_cover(cp_ctx *ctx, const cp_node *block)
{
    const cp_node *c = ctx->job->career;
    const cp_theme *th = ctx->th;
    double pad = G * 3, inner = ctx->width - 2 * pad;
    bool show_meta = true, bleed = false;
    node_bool(node_get(block, "meta"), &show_meta);
    node_bool(node_get(block, "bleed"), &bleed);
    cp_piece *pc = piece_new(ctx, 0, block->path);

    double logo_w = th->logo ? scaled(ctx, 64) : 0, logo_pad = scaled(ctx, 8);
    /* `qr: {size, title, url}`: a QR code to the guide at the band's right (posters);
     * the words keep clear of it. */
    const cp_node *qr = node_get(block, "qr");
    double qr_h = put_qr_badge(ctx, NULL, qr, 0, 0, th->color.chip);
    double qr_w = qr_h > 0 ? scaled(ctx, node_num(qr, "size", 72)) : 0;
    double side = fmax(logo_w, qr_w > 0 ? qr_w + G * 3 : 0);
    const char *kick_key = block_opt(block, "kicker", NULL);
    PangoLayout *kicker = text_new(ctx, kick_key ? label(ctx, kick_key)
                                                 : th->organisation,
                                   ST_LABEL, inner - side, NULL);
    PangoLayout *title = cover_text(ctx, block, "title", ST_TITLE, inner - side);
    PangoLayout *tag = cover_text(ctx, block, "tagline", ST_TAGLINE,
                                  qr_w > 0 ? inner - side : inner);
    if (!title || !tag)
        return false;
    char minutes[16];
    snprintf(minutes, sizeof minutes, "%.0f", node_num(c, "reading_minutes", 0));
    const char *meta = arena_printf(
        ctx->a, "%s  ·  %s", label(ctx, "meta.reading", "minutes", minutes),
        label(ctx, "meta.updated", "date", month_year(ctx, node_str(c, "updated"))));
    cp_style meta_st = th->style[ST_SMALL];
    meta_st.color = th->color.primary_ink;
    double clock = scaled(ctx, 9), clock_w = scaled(ctx, 14);
    PangoLayout *ml = text_styled(ctx, meta, &meta_st, inner - clock_w, NULL);

    double hk = text_height(kicker), ht = text_height(title), hg = text_height(tag);
    double hm = show_meta ? text_height(ml) : -G * 1.8;
    double h = pad + hk + G * 1.2 + ht + G * 1.2 + hg + G * 1.8 + hm + pad;
    double qr_y = pad + (th->logo && qr_h > 0 ? logo_w : 0);
    h = fmax(h, qr_y + qr_h + pad);
    if (bleed)
        dl_rect(ctx->doc, &pc->canvas, -th->margin_inner, -th->margin_top, th->page_w,
                h + th->margin_top, th->color.primary, 0);
    else
        dl_rect(ctx->doc, &pc->canvas, 0, 0, ctx->width, h, th->color.primary,
                th->radius * 2);
    if (th->logo) {
        /* A logo with a text alternative is a Figure; a decorative one is drawn outside
         * every element, so the finisher makes it an artifact (theme.h). */
        if (th->logo_alt)
            dl_tag_begin(ctx->doc, &pc->canvas, "Figure")->alt = th->logo_alt;
        dl_image(ctx->doc, &pc->canvas, th->logo, ctx->width - pad - logo_w + logo_pad, pad,
                 logo_w - logo_pad, logo_w - logo_pad);
        if (th->logo_alt)
            dl_tag_end(ctx->doc, &pc->canvas);
    }
    if (qr_h > 0)
        put_qr_badge(ctx, pc, qr, ctx->width - pad - qr_w, qr_y, th->color.chip);

    double y = pad;
    cp_style kick = th->style[ST_LABEL];
    kick.color = th->color.chip;
    dl_text(ctx->doc, &pc->canvas, kicker, pad, y, kick.color);
    y += hk + G * 1.2;
    dl_tag_begin(ctx->doc, &pc->canvas, "H1");
    dl_dest(ctx->doc, &pc->canvas, "top", 0, 0);
    y += put_text(ctx, pc, title, pad, y, ST_TITLE) + G * 1.2;
    dl_tag_end(ctx->doc, &pc->canvas);
    dl_tag_begin(ctx->doc, &pc->canvas, "P");
    y += put_text(ctx, pc, tag, pad, y, ST_TAGLINE) + G * 1.8;
    dl_tag_end(ctx->doc, &pc->canvas);
    pc->height = h;
    dl_outline_add(ctx->doc, 1, node_str(c, "title"), "top");
    if (!show_meta)
        return true;
    put_icon(ctx, pc, "clock-o", NULL, pad, y + (hm - clock) / 2, clock, th->color.chip);
    dl_tag_begin(ctx->doc, &pc->canvas, "P");
    dl_text(ctx->doc, &pc->canvas, ml, pad + clock_w, y, meta_st.color);
    dl_tag_end(ctx->doc, &pc->canvas);
    return true;
}

cp_piece *heading_piece(cp_ctx *ctx, PangoLayout *l, const char *dest, const char *role,
                        double space, const char *what)
{
    cp_piece *pc = piece_new(ctx, space, what);
    dl_dest(ctx->doc, &pc->canvas, dest, 0, 0);
    dl_tag_begin(ctx->doc, &pc->canvas, role);
    double h = put_text(ctx, pc, l, 0, 0, ST_H2);
    dl_tag_end(ctx->doc, &pc->canvas);
    dl_line(ctx->doc, &pc->canvas, 0, h + G * 0.6, ctx->width, h + G * 0.6,
            ctx->th->color.rule, ctx->th->rule * 1.5);
    pc->height = h + G * 0.6;
    pc->keep_with_next = true;
    return pc;
}

/* The career field a label fills in ({role_plural}, {field}, {career.title}), the
 * longest when there are several: a heading too long for its box is the career's text
 * to shorten, so the message points there. NULL when the label fills in none. */
static const cp_node *career_field_in(cp_ctx *ctx, const char *key)
{
    const cp_node *t = node_at(ctx->job->strings, key);
    const char *tmpl = node_is_scalar(t) ? t->text : NULL;
    const cp_node *best = NULL;
    for (const char *p = tmpl ? strchr(tmpl, '{') : NULL; p; p = strchr(p + 1, '{')) {
        size_t n = strcspn(p + 1, "}");
        const char *name = arena_printf(ctx->a, "%.*s", (int)n, p + 1);
        if (!strncmp(name, "career.", 7))
            name += 7;
        const cp_node *f = node_get(ctx->job->career, name);
        if (node_is_scalar(f) && f->loc.file && f->text &&
            (!best || strlen(f->text) > strlen(best->text)))
            best = f;
    }
    return best;
}

bool build_heading(cp_ctx *ctx, const cp_node *block)
{
    const char *key = block_opt(block, "title", NULL);
    if (!key) {
        diag_error(&block->loc, block->path, "heading without title, expected "
                   "title: sections.NAME");
        return false;
    }
    const char *text = label(ctx, key);
    /* `fit: {title: ...}` keeps a long heading on the lines a poster's grid allows. */
    const cp_node *field = career_field_in(ctx, key);
    PangoLayout *l = text_in_box(ctx, block, "title", text, &ctx->th->style[ST_H2],
                                 ctx->width, field ? field : node_get(block, "title"));
    if (!l)
        return false;
    const char *dest = heading_dest(ctx, key);
    heading_piece(ctx, l, dest, "H2", block_space(ctx, block, G * 3.2), block->path);
    dl_outline_add(ctx->doc, 2, text, dest);
    return true;
}

/* Lines a paragraph keeps together at the foot of a page (no orphan) and at the top of
 * the next (no widow). */
#define PARA_KEEP_LINES 2

/* One piece of a paragraph: `first` opens its P element and `last` closes it, so the
 * pieces of a long paragraph are one element (carried to the next page when they
 * break there) and a screen reader reads one paragraph, not one per piece. */
static void paragraph_piece(cp_ctx *ctx, const cp_node *src, PangoLayout *l,
                            cp_style_id st, double space, bool first, bool last)
{
    cp_piece *pc = piece_new(ctx, space, src->path);
    if (first)
        dl_tag_begin(ctx->doc, &pc->canvas, "P");
    pc->height = put_text(ctx, pc, l, 0, 0, st);
    if (last)
        dl_tag_end(ctx->doc, &pc->canvas);
}

/* Top of each line of a layout, in points, and where its text starts (n + 1 entries:
 * the last is the end of the text). */
static void line_tops(PangoLayout *l, const char *text, double *top, int *start, int n)
{
    PangoLayoutIter *it = pango_layout_get_iter(l);
    int i = 0;
    do {
        PangoRectangle r;
        pango_layout_iter_get_line_extents(it, NULL, &r);
        top[i] = (double)r.y / PANGO_SCALE;
        start[i] = pango_layout_iter_get_line_readonly(it)->start_index;
    } while (++i < n && pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);
    start[n] = (int)strlen(text);
}

/* A paragraph: one piece when it is short; a longer one in pieces cut between its lines,
 * so that it starts on the page it follows and goes on at the top of the next instead
 * of moving there whole. The first piece holds its first two lines and the last its
 * last two, those between a line each, one under the other with no gap: the paginator
 * can break only where a paragraph may break. Each piece is the text of its lines set
 * again at the same width; should that break differently (or read in another
 * direction) than the whole, the paragraph stays one piece. */
static void paragraph(cp_ctx *ctx, const cp_node *src, cp_style_id st, double space)
{
    PangoLayout *l = text_new(ctx, src->text, st, ctx->width, src);
    int n = pango_layout_get_line_count(l);
    if (n < PARA_KEEP_LINES * 2 || !src->text) {
        paragraph_piece(ctx, src, l, st, space, true, true);
        return;
    }
    double *top = ARENA_ARRAY(ctx->a, double, (size_t)n + 1);
    int *start = ARENA_ARRAY(ctx->a, int, (size_t)n + 1);
    line_tops(l, src->text, top, start, n);
    /* Cuts: after the first two lines, then after each line, up to the last two. */
    int ncuts = n - 2 * PARA_KEEP_LINES + 2;
    PangoLayout **parts = ARENA_ARRAY(ctx->a, PangoLayout *, (size_t)ncuts);
    int *first = ARENA_ARRAY(ctx->a, int, (size_t)ncuts + 1);
    for (int k = 0; k < ncuts; k++)
        first[k] = k == 0 ? 0 : PARA_KEEP_LINES + k - 1;
    first[ncuts] = n;
    PangoDirection dir = pango_layout_get_direction(l, 0);
    for (int k = 0; k < ncuts; k++) {
        /* Without the space the cut leaves at its end: hanging past the edge at a line
         * break, it would count at the end of a text of its own. */
        int len = start[first[k + 1]] - start[first[k]];
        while (len > 0 && g_ascii_isspace(src->text[start[first[k]] + len - 1]))
            len--;
        const char *text = arena_printf(ctx->a, "%.*s", len, src->text + start[first[k]]);
        parts[k] = text_new(ctx, text, st, ctx->width, src);
        if (pango_layout_get_line_count(parts[k]) != first[k + 1] - first[k] ||
            pango_layout_get_direction(parts[k], 0) != dir) {
            paragraph_piece(ctx, src, l, st, space, true, true);
            return;
        }
    }
    for (int k = 0; k < ncuts; k++) {
        double gap = k == 0 ? space
                            : fmax(0, top[first[k]] - top[first[k - 1]] -
                                          text_height(parts[k - 1]));
        paragraph_piece(ctx, src, parts[k], st, gap, k == 0, k == ncuts - 1);
    }
}

bool build_prose(cp_ctx *ctx, const cp_node *block)
{
    const cp_node *d = block_data(ctx, block, true);
    if (!d)
        return false;
    if (node_is_map(d))
        d = node_get(d, block_opt(block, "field", "text"));
    double first = block_space(ctx, block, G * 1.6);
    const char *style = block_opt(block, "style", "body");
    cp_style_id st = !strcmp(style, "small") ? ST_SMALL : ST_BODY;
    if (node_is_scalar(d)) {
        paragraph(ctx, d, st, first);
        return true;
    }
    for (size_t i = 0; d && i < d->len; i++)
        paragraph(ctx, d->items[i], st, i ? G * 1.2 : first);
    return true;
}

typedef struct { cp_rgba bar, bg, title; } tone;

static tone tone_of(cp_ctx *ctx, const char *name)
{
    const cp_palette *c = &ctx->th->color;
    if (name && !strcmp(name, "good"))
        return (tone){c->good, c->good_bg, c->good};
    if (name && !strcmp(name, "note"))
        return (tone){c->warn, c->note_bg, c->warn};
    if (name && !strcmp(name, "plain"))
        return (tone){c->rule, c->card, c->primary};
    return (tone){c->accent, c->chip, c->primary};
}

/* The height a text takes in a box. In a student's framed box (ctx.h: frame_lines) it
 * is counted in lines of the style, not measured: a name in a fallback font (Chinese,
 * an emoji) has taller glyphs, but every student's box must come out the same size. */
static double box_text_height(cp_ctx *ctx, PangoLayout *l, cp_style_id style)
{
    if (ctx->frame_lines <= 0)
        return text_height(l);
    return pango_layout_get_line_count(l) * text_line_height(ctx, style);
}

/* A box's title heads the box: a heading one level below the section the box sits in
 * (the cover's title is level 1, a `heading` block's level 2), so a screen reader's
 * list of headings finds "Quick answer" and never skips a level. The level is the
 * outline's so far: blocks are built in reading order. */
static const char *box_title_role(const cp_ctx *ctx)
{
    static const char *const ROLES[] = {"H2", "H3", "H4", "H5", "H6"};
    const cp_vec *o = &ctx->doc->outline;
    int level = o->len ? ((const dl_outline *)o->items[o->len - 1])->level : 1;
    return ROLES[CLAMP(level, 1, 5) - 1];
}

/* The lines [from, to) of a wrapped text, set again on their own at the same width:
 * the same line breaks, as Pango breaks greedily from the start of the text. */
static PangoLayout *text_lines(cp_ctx *ctx, PangoLayout *l, int from, int to, double width)
{
    const char *text = pango_layout_get_text(l);
    PangoLayoutLine *first = pango_layout_get_line_readonly(l, from);
    PangoLayoutLine *last = pango_layout_get_line_readonly(l, to - 1);
    int a = first->start_index, b = last->start_index + last->length;
    return text_new(ctx, arena_strndup(ctx->a, text + a, (size_t)(b - a)), ST_BODY, width,
                    NULL);
}

/* A box taller than a page as pieces one under the other, a quarter page of lines
 * each, drawn so that they join into one box with the bar, the title in the first. */
static void boxed_lines(cp_ctx *ctx, const cp_node *block, const tone *t, PangoLayout *tl,
                        double title_h, const cp_vec *texts, double pad, double bar)
{
    double inner = ctx->width - 2 * pad - bar, x = bar + pad;
    /* Pieces of a quarter page: the first fills the page the box starts on. */
    double line = text_line_height(ctx, ST_BODY), room = engine_room(ctx) / 4 - 2 * pad;
    size_t ti = 0;
    int li = 0;
    for (bool first = true; ti < texts->len; first = false) {
        /* Whole lines while they fit (at least one, so the box always moves on). */
        cp_vec parts = {0};
        double y = first && tl ? title_h : 0;
        while (ti < texts->len) {
            PangoLayout *l = texts->items[ti];
            int n = pango_layout_get_line_count(l);
            int fit = (int)floor((room - y) / line);
            if (fit < 1 && parts.len > 0)
                break;
            int to = li + (fit < 1 ? 1 : fit);
            if (to > n)
                to = n;
            PangoLayout *part = li == 0 && to == n ? l : text_lines(ctx, l, li, to, inner);
            vec_push(ctx->a, &parts, part);
            y += text_height(part);
            li = to;
            if (li < n)
                break;
            ti++;
            li = 0;
            y += G;
        }
        if (li == 0)
            y -= G;
        cp_piece *pc = piece_new(ctx, first ? block_space(ctx, block, G * 2) : 0,
                                 block->path);
        /* Inner pieces pad only where the box starts and ends; square corners, so
         * the pieces join into one box. */
        bool last = ti >= texts->len;
        pc->height = (first ? pad : 0) + y + (last ? pad : 0);
        dl_rect(ctx->doc, &pc->canvas, 0, 0, ctx->width, pc->height, t->bg, 0);
        dl_rect(ctx->doc, &pc->canvas, 0, 0, bar, pc->height, t->bar, 0);
        dl_tag_begin(ctx->doc, &pc->canvas, "Div");
        y = first ? pad : 0;
        if (first && tl) {
            dl_tag_begin(ctx->doc, &pc->canvas, box_title_role(ctx));
            dl_text(ctx->doc, &pc->canvas, tl, x, y, t->title);
            dl_tag_end(ctx->doc, &pc->canvas);
            y += title_h;
        }
        for (size_t i = 0; i < parts.len; i++) {
            dl_tag_begin(ctx->doc, &pc->canvas, "P");
            y += put_text(ctx, pc, parts.items[i], x, y, ST_BODY) + G;
            dl_tag_end(ctx->doc, &pc->canvas);
        }
        dl_tag_end(ctx->doc, &pc->canvas);
    }
}

/* A tinted box with a bar on its leading edge: a title line and one or more texts. */
static void boxed_text(cp_ctx *ctx, const cp_node *block, const char *title,
                       const cp_node *body, const char *plain_body)
{
    tone t = tone_of(ctx, block_opt(block, "tone", NULL));
    double pad = G * 1.8, bar = scaled(ctx, 3), inner = ctx->width - 2 * pad - bar;
    cp_piece *pc = piece_new(ctx, block_space(ctx, block, G * 2), block->path);
    cp_vec texts = {0};
    PangoLayout *tl = NULL;
    double title_h = 0;
    if (title && *title) {
        cp_style st = ctx->th->style[ST_STRONG];
        st.color = t.title;
        tl = text_styled(ctx, title, &st, inner, NULL);
        title_h = box_text_height(ctx, tl, ST_STRONG) + G * 0.5;
    }
    if (plain_body)
        vec_push(ctx->a, &texts, text_new(ctx, plain_body, ST_BODY, inner, NULL));
    else if (node_is_scalar(body))
        vec_push(ctx->a, &texts, text_new(ctx, body->text, ST_BODY, inner, body));
    else if (node_is_seq(body))
        for (size_t i = 0; i < body->len; i++)
            vec_push(ctx->a, &texts, text_new(ctx, body->items[i]->text, ST_BODY, inner,
                                              body->items[i]));
    double texts_h = 0;
    for (size_t i = 0; i < texts.len; i++)
        texts_h += box_text_height(ctx, texts.items[i], ST_BODY) + (i ? G : 0);
    /* A student's box has room for its frame's lines, however few the student's are:
     * every student's box is the same size. */
    if (ctx->frame_lines > 0)
        texts_h = fmax(texts_h, ctx->frame_lines * text_line_height(ctx, ST_BODY));
    double h = pad + title_h + texts_h + pad;
    if (h > engine_room(ctx) && ctx->mode == MODE_FULL) {
        /* Taller than a page (a long note in a narrow column, a student's pasted
         * essay): the box continues on the next page, cut between lines. */
        ctx->pieces->len--;
        boxed_lines(ctx, block, &t, tl, title_h, &texts, pad, bar);
        return;
    }
    dl_rect(ctx->doc, &pc->canvas, 0, 0, ctx->width, h, t.bg, ctx->th->radius);
    dl_rect(ctx->doc, &pc->canvas, 0, 0, bar, h, t.bar, 0);
    double y = pad, x = bar + pad;
    dl_tag_begin(ctx->doc, &pc->canvas, "Div");
    if (tl) {
        dl_tag_begin(ctx->doc, &pc->canvas, box_title_role(ctx));
        dl_text(ctx->doc, &pc->canvas, tl, x, y, t.title);
        dl_tag_end(ctx->doc, &pc->canvas);
        y += title_h;
    }
    for (size_t i = 0; i < texts.len; i++) {
        dl_tag_begin(ctx->doc, &pc->canvas, "P");
        put_text(ctx, pc, texts.items[i], x, y, ST_BODY);
        y += box_text_height(ctx, texts.items[i], ST_BODY) + G;
        dl_tag_end(ctx->doc, &pc->canvas);
    }
    dl_tag_end(ctx->doc, &pc->canvas);
    pc->height = h;
}

bool build_callout(cp_ctx *ctx, const cp_node *block)
{
    const cp_node *d = block_data(ctx, block, true);
    if (!d)
        return false;
    const char *title = NULL;
    if (node_get(block, "title"))
        title = label(ctx, node_str(block, "title"));
    if (node_is_map(d)) {               /* {title: ..., text: ...} or {name:, text:} */
        if (!title)
            title = node_str(d, "title") ? node_str(d, "title") : node_str(d, "name");
        d = node_get(d, "text");
    }
    boxed_text(ctx, block, title, d, NULL);
    return true;
}

/* Letters written right to left (Arabic, Hebrew...): only a line holding one can have
 * its fields reordered by the bidi algorithm. */
static bool has_rtl(const char *s)
{
    for (const char *p = s; p && *p; p = g_utf8_next_char(p)) {
        GUnicodeScript sc = g_unichar_get_script(g_utf8_get_char(p));
        if (sc == G_UNICODE_SCRIPT_ARABIC || sc == G_UNICODE_SCRIPT_HEBREW ||
            sc == G_UNICODE_SCRIPT_SYRIAC || sc == G_UNICODE_SCRIPT_THAANA ||
            sc == G_UNICODE_SCRIPT_NKO)
            return true;
    }
    return false;
}

/* A roster value set apart from the text around it (U+2068 FIRST STRONG ISOLATE ...
 * U+2069 POP DIRECTIONAL ISOLATE, which Pango's bidi honours and draws as nothing): it
 * takes its own direction from its first letter and moves as one piece, so a grade "11"
 * after an Arabic name stays after it instead of joining the digits around it. Only
 * when the line has right-to-left letters: elsewhere nothing can move, and the marks
 * would only be invisible characters in the PDF's text (cairo writes each as an
 * ActualText span, which some readers' tagged-text extraction stops at). */
static const char *isolated(cp_ctx *ctx, const char *value, bool isolate)
{
    return isolate ? arena_printf(ctx->a, "\u2068%s\u2069", value ? value : "")
                   : (value ? value : "");
}

/* "Prepared for NAME · GRADE · SCHOOL", counselor and note: only with a roster row. */
bool build_personal(cp_ctx *ctx, const cp_node *block)
{
    const cp_node *s = ctx->job->student;
    const char *keys[] = {"grade", "school"};
    bool iso = has_rtl(label(ctx, "cover.prepared_for", "name", "")) ||
               has_rtl(node_str(s, "name"));
    for (size_t i = 0; i < 2; i++)
        iso = iso || has_rtl(node_str(s, keys[i]));
    GString *line = g_string_new(label(ctx, "cover.prepared_for", "name",
                                       isolated(ctx, node_str(s, "name"), iso)));
    for (size_t i = 0; i < 2; i++)
        if (node_str(s, keys[i]) && *node_str(s, keys[i]))
            g_string_append_printf(line, " · %s", isolated(ctx, node_str(s, keys[i]), iso));
    const char *title = arena_strdup(ctx->a, line->str);
    g_string_free(line, TRUE);
    const char *counselor = node_str(s, "counselor");
    const char *note = node_str(s, "note");
    const char *body = NULL;
    if (counselor && *counselor)
        body = label(ctx, "cover.prepared_by", "counselor", counselor);
    if (note && *note)
        body = body ? arena_printf(ctx->a, "%s — %s", body, note) : note;
    boxed_text(ctx, block, title, NULL, body);
    return true;
}

bool build_faq(cp_ctx *ctx, const cp_node *block)
{
    const cp_node *d = block_data(ctx, block, true);
    if (!node_is_seq(d))
        return false;
    double icon = ctx->th->style[ST_STRONG].size * 1.1, indent = icon + G * 1.2;
    double w = ctx->width - indent;
    for (size_t i = 0; i < d->len; i++) {
        const cp_node *item = d->items[i];
        /* Items after the first open with a hairline inside their own piece, so a page
         * break never leaves a rule hanging above the top margin. */
        double top = i ? G * 1.4 : 0;
        cp_piece *pc = piece_new(ctx, i ? G * 0.2 : G * 1.6, item->path);
        PangoLayout *q = text_new(ctx, node_str(item, "q"), ST_STRONG, w, node_get(item, "q"));
        PangoLayout *a = text_new(ctx, node_str(item, "a"), ST_BODY, w, node_get(item, "a"));
        if (i)
            dl_line(ctx->doc, &pc->canvas, 0, 0, ctx->width, 0, ctx->th->color.rule,
                    ctx->th->rule);
        put_icon(ctx, pc, "question-circle", NULL, 0, top + text_baseline(q) - icon * 0.85,
                 icon, ctx->th->color.accent);
        dl_tag_begin(ctx->doc, &pc->canvas, "H3");
        double y = top + put_text(ctx, pc, q, indent, top, ST_STRONG) + G * 0.4;
        dl_tag_end(ctx->doc, &pc->canvas);
        dl_tag_begin(ctx->doc, &pc->canvas, "P");
        y += put_text(ctx, pc, a, indent, y, ST_BODY);
        dl_tag_end(ctx->doc, &pc->canvas);
        pc->height = y;
    }
    return true;
}

/* Section headings of the layout in order, looking into columns too. */
static void collect_headings(cp_ctx *ctx, const cp_node *blocks, cp_vec *out)
{
    for (size_t i = 0; node_is_seq(blocks) && i < blocks->len; i++) {
        const cp_node *b = blocks->items[i];
        const char *kind = node_str(b, "kind");
        if (node_is_seq(b))
            collect_headings(ctx, b, out);
        else if (kind && !strcmp(kind, "heading") && node_str(b, "title") &&
                 !block_skipped(ctx, b))
            vec_push(ctx->a, out, (void *)node_str(b, "title"));
        else if (kind && !strcmp(kind, "columns"))
            collect_headings(ctx, node_get(b, "blocks"), out);
    }
}

/* Linked section titles with their page numbers, in `columns` columns. */
bool build_contents(cp_ctx *ctx, const cp_node *block)
{
    if (ctx->job->chapter)   /* a book has one contents, its own */
        return true;
    cp_vec keys = {0};
    collect_headings(ctx, ctx->blocks ? ctx->blocks : node_get(ctx->job->layout, "blocks"),
                     &keys);
    ctx->wants_page_numbers = true;
    if (!ctx->dest_pages) {   /* remember the piece, to set its numbers once known */
        vec_push(ctx->a, &ctx->numbered, (void *)(uintptr_t)ctx->pieces->len);
        vec_push(ctx->a, &ctx->numbered, (void *)block);
    }
    int cols = (int)block_num(block, "columns", 2);
    if (cols < 1) cols = 1;
    size_t rows = (keys.len + (size_t)cols - 1) / (size_t)cols;
    double gap = G * 3, w = (ctx->width - gap * (cols - 1)) / cols;
    double num_w = ctx->th->style[ST_SMALL].size * 2.2, y = 0;
    cp_piece *pc = piece_new(ctx, block_space(ctx, block, G * 2), block->path);
    dl_tag_begin(ctx->doc, &pc->canvas, "TOC");
    for (size_t k = 0; k < keys.len; k++) {
        const char *key = keys.items[k], *dest = heading_dest(ctx, key);
        double x = (double)(k / rows) * (w + gap);
        if (k % rows == 0)
            y = 0;
        /* An entry of several lines pushes the next one down; its page number stands
         * on its last line. */
        PangoLayout *t = text_new(ctx, label(ctx, key), ST_SMALL, w - num_w, NULL);
        PangoLayout *n = text_new(ctx, dest_page(ctx, dest), ST_SMALL_STRONG, 0, NULL);
        double th = text_height(t), line = th + G * 0.7;
        /* TOC > TOCI > Reference > Link: the entry and its page number are the link's
         * visible text. cairo 1.16 marks no content inside a link, nor in an element
         * that has children, so the text goes in a Span that the PDF finisher moves
         * into the Link (src/render/pdf_finish.h). */
        dl_tag_begin(ctx->doc, &pc->canvas, "TOCI");
        dl_tag_begin(ctx->doc, &pc->canvas, "Reference");
        dl_tag_begin(ctx->doc, &pc->canvas, "Span");
        put_text(ctx, pc, t, x, y, ST_SMALL);
        put_text(ctx, pc, n, x + w - text_width(n), y + th - text_height(n),
                 ST_SMALL_STRONG);
        dl_tag_end(ctx->doc, &pc->canvas);   /* Span */
        dl_link_dest(ctx->doc, &pc->canvas, x, y, w, th, dest);
        dl_tag_end(ctx->doc, &pc->canvas);
        dl_tag_end(ctx->doc, &pc->canvas);
        dl_line(ctx->doc, &pc->canvas, x, y + line - G * 0.35, x + w, y + line - G * 0.35,
                ctx->th->color.rule, ctx->th->rule * 0.6);
        y += line;
        pc->height = fmax(pc->height, y);
    }
    dl_tag_end(ctx->doc, &pc->canvas);
    return true;
}
