/* text.c - paragraphs, labels and placeholders: everything that turns words into
 * shaped PangoLayouts. */
#include <math.h>
#include <stdarg.h>
#include <string.h>

#include <pango/pangocairo.h>

#include "text.h"

static PangoFontDescription *font_for(cp_ctx *ctx, const cp_style *st)
{
    PangoFontDescription *d = pango_font_description_new();
    pango_font_description_set_family(d, fonts_family_list(ctx->fonts));
    pango_font_description_set_size(d, (int)(st->size * PANGO_SCALE + 0.5));
    pango_font_description_set_weight(d, st->bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_font_description_set_style(d, st->italic ? PANGO_STYLE_ITALIC : PANGO_STYLE_NORMAL);
    return d;
}

/* Only on the error path: find the first character no bundled font covers, one
 * character at a time, so the message can name it. */
static void report_missing_glyph(cp_ctx *ctx, PangoLayout *l, const char *text,
                                 const cp_node *src)
{
    PangoLayout *probe = pango_layout_copy(l);
    gunichar bad = 0;
    for (const char *p = text; *p && !bad; p = g_utf8_next_char(p)) {
        pango_layout_set_text(probe, p, (int)(g_utf8_next_char(p) - p));
        if (pango_layout_get_unknown_glyphs_count(probe) > 0)
            bad = g_utf8_get_char(p);
    }
    g_object_unref(probe);
    /* Text with no node of its own (a label) is quoted: its place is only its block's. */
    if (src)
        layout_error(ctx, src, "no bundled font has the character U+%04X, expected text "
                     "in Latin, Devanagari, Tamil or Arabic script", (unsigned)bad);
    else
        layout_error(ctx, NULL, "no bundled font has the character U+%04X in \"%.40s\"",
                     (unsigned)bad, text);
}

/* Letter spacing suits alphabets written letter by letter; it breaks the headline of
 * Devanagari and Tamil words and the joins of Arabic. */
static bool spaceable(const char *text)
{
    for (const char *p = text; *p; p = g_utf8_next_char(p)) {
        GUnicodeScript sc = g_unichar_get_script(g_utf8_get_char(p));
        if (sc != G_UNICODE_SCRIPT_LATIN && sc != G_UNICODE_SCRIPT_COMMON &&
            sc != G_UNICODE_SCRIPT_INHERITED && sc != G_UNICODE_SCRIPT_GREEK &&
            sc != G_UNICODE_SCRIPT_CYRILLIC)
            return false;
    }
    return true;
}

/* Unicode line breaking allows a break between two '+' signs, which splits "C++" over
 * two lines; forbid breaks inside a word that ends in a run of them. */
static void keep_plus_runs(PangoAttrList *attrs, const char *text)
{
    for (const char *p = strstr(text, "++"); p; p = strstr(p + 2, "++")) {
        const char *start = p;
        while (start > text && g_ascii_isalnum(start[-1]))
            start--;
        PangoAttribute *a = pango_attr_allow_breaks_new(FALSE);
        a->start_index = (guint)(start - text);
        a->end_index = (guint)(p + 2 - text);
        pango_attr_list_insert(attrs, a);
    }
}

/* The text shaped in one font context, with the style's font, width and attributes. */
static PangoLayout *layout_in(PangoContext *pc, cp_ctx *ctx, const char *text,
                              const cp_style *st, double width)
{
    PangoLayout *l = pango_layout_new(pc);
    PangoFontDescription *d = font_for(ctx, st);
    pango_layout_set_font_description(l, d);
    pango_font_description_free(d);
    if (width > 0) {
        pango_layout_set_width(l, (int)(width * PANGO_SCALE));
        /* Between words, and inside a word only when it is wider than the line on
         * its own (a web address, a long compound, a long name): never past the edge. */
        pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
    }

    PangoAttrList *attrs = pango_attr_list_new();
    pango_attr_list_insert(attrs, pango_attr_language_new(
                                      pango_language_from_string(ctx->lang)));
    if (st->tracking > 0 && spaceable(text))
        pango_attr_list_insert(attrs, pango_attr_letter_spacing_new(
                                          (int)(st->tracking * st->size * PANGO_SCALE)));
    /* An absolute line height: the same rhythm whatever script a line is in (Noto Sans
     * Arabic's own line gap is half again as tall as Latin's). 1.362 em is Noto Sans's
     * natural line, which the theme's `leading` multiplies. */
    pango_attr_list_insert(attrs, pango_attr_line_height_new_absolute(
                                      (int)(st->size * 1.362 * st->leading * PANGO_SCALE)));
    pango_layout_set_attributes(l, attrs);
    pango_attr_list_unref(attrs);

    keep_plus_runs(attrs, text);
    pango_layout_set_text(l, text, -1);
    return l;
}

PangoLayout *text_styled(cp_ctx *ctx, const char *text, const cp_style *st, double width,
                         const cp_node *src)
{
    char *upper = st->caps ? g_utf8_strup(text, -1) : NULL;
    const char *shown = upper ? upper : text;
    PangoLayout *l = layout_in(fonts_context(ctx->fonts), ctx, shown, st, width);
    /* A name or note from a roster may be in a script the bundled fonts lack: such a
     * text alone is set again with the fallback fonts (CJK, emoji). */
    PangoContext *more = pango_layout_get_unknown_glyphs_count(l) > 0
                             ? fonts_fallback_context(ctx->fonts) : NULL;
    if (more) {
        g_object_unref(l);
        l = layout_in(more, ctx, shown, st, width);
    }
    if (pango_layout_get_unknown_glyphs_count(l) > 0)
        report_missing_glyph(ctx, l, shown, src);
    g_free(upper);
    arena_on_free(ctx->a, g_object_unref, l);
    return l;
}

PangoLayout *text_new(cp_ctx *ctx, const char *text, cp_style_id style, double width,
                      const cp_node *src)
{
    return text_styled(ctx, text ? text : "", &ctx->th->style[style], width, src);
}

/* --- text in a box of fixed size ----------------------------------------------------- */

/* True when no line of the wrapped layout starts inside a word: Pango falls back to
 * breaking between characters when a word is wider than the box. */
static bool breaks_between_words(PangoLayout *l)
{
    const char *text = pango_layout_get_text(l);
    int n_attrs;
    const PangoLogAttr *attrs = pango_layout_get_log_attrs_readonly(l, &n_attrs);
    GSList *lines = pango_layout_get_lines_readonly(l);
    for (GSList *it = lines ? lines->next : NULL; it; it = it->next) {
        const PangoLayoutLine *line = it->data;
        long at = g_utf8_pointer_to_offset(text, text + line->start_index);
        if (at < n_attrs && !attrs[at].is_line_break)
            return false;
    }
    return true;
}

static bool fits(PangoLayout *l, int lines, bool inside_words)
{
    return pango_layout_get_line_count(l) <= lines &&
           (inside_words || breaks_between_words(l));
}

PangoLayout *text_fit(cp_ctx *ctx, const char *text, const cp_style *st, double width,
                      const cp_fit *fit, const cp_node *src)
{
    cp_style s = *st;
    /* Steps relative to the size, so every paper makes the same choices. */
    double step = st->size * 0.02, min = fmin(fit->min_size, st->size);
    int before = diag_error_count();
    /* Breaking inside a word is the last resort, for a word wider than the box even at
     * the smallest size (a long name, a web address): better than refusing valid data. */
    for (int inside = 0; inside < 2; inside++)
        for (int lines = 1; lines <= fit->max_lines; lines++)
            for (s.size = st->size; s.size >= min - 1e-9; s.size -= step) {
                PangoLayout *l = text_styled(ctx, text, &s, width, src);
                if (diag_error_count() != before)   /* a missing glyph: reported once */
                    return NULL;
                if (fits(l, lines, inside))
                    return l;
            }
    layout_error(ctx, src, "\"%.60s\" does not fit the %s: more than %d line%s at %.1f pt, "
                 "the smallest size allowed; expected a shorter text", text ? text : "",
                 fit->box, fit->max_lines, fit->max_lines == 1 ? "" : "s", min);
    return NULL;
}

bool block_fit(cp_ctx *ctx, const cp_node *block, const char *field, cp_fit *out)
{
    const cp_node *spec = node_get(node_get(block, "fit"), field);
    if (!spec)
        return false;
    double lines = node_num(spec, "max_lines", 1), min = node_num(spec, "min_size", 0);
    if (!node_is_map(spec) || lines < 1 || lines > 20 || min < 0) {
        diag_error(&spec->loc, spec->path, "invalid fit rule, expected {max_lines: 1 to "
                   "20, min_size: points}");
        return false;
    }
    out->max_lines = (int)lines;
    /* min_size, like every size of the layout, is given for its reference paper. */
    out->min_size = scaled(ctx, min);
    out->box = arena_printf(ctx->a, "%s box of the %s block (%s)", field,
                            node_is_scalar(block) ? block->text : node_str(block, "kind"),
                            block->path);
    return true;
}

PangoLayout *text_in_box(cp_ctx *ctx, const cp_node *block, const char *field,
                         const char *text, const cp_style *st, double width,
                         const cp_node *src)
{
    cp_fit fit;
    if (block_fit(ctx, block, field, &fit))
        return text_fit(ctx, text ? text : "", st, width, &fit, src);
    return text_styled(ctx, text ? text : "", st, width, src);
}

double text_line_height(cp_ctx *ctx, cp_style_id style)
{
    return text_height(text_new(ctx, "Mg", style, 0, NULL));
}

double text_height(PangoLayout *l)
{
    PangoRectangle logical;
    pango_layout_get_extents(l, NULL, &logical);
    /* With a line-spacing factor Pango adds the extra space below the last line too;
     * measure to the last line's own depth so blocks stack on the text itself. */
    int lines = pango_layout_get_line_count(l);
    PangoLayoutLine *last = pango_layout_get_line_readonly(l, lines - 1);
    PangoRectangle line_logical;
    pango_layout_line_get_extents(last, NULL, &line_logical);
    PangoLayoutIter *it = pango_layout_get_iter(l);
    int last_top = 0;
    do {
        PangoRectangle r;
        pango_layout_iter_get_line_extents(it, NULL, &r);
        last_top = r.y;
    } while (pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);
    double h = (double)(last_top + line_logical.height) / PANGO_SCALE;
    double full = (double)logical.height / PANGO_SCALE;
    return h < full ? h : full;
}

double text_width(PangoLayout *l)
{
    PangoRectangle logical;
    pango_layout_get_extents(l, NULL, &logical);
    return (double)logical.width / PANGO_SCALE;
}

double text_baseline(PangoLayout *l)
{
    return (double)pango_layout_get_baseline(l) / PANGO_SCALE;
}

double put_text(cp_ctx *ctx, cp_piece *pc, PangoLayout *l, double x, double y,
                cp_style_id style)
{
    dl_text(ctx->doc, &pc->canvas, l, x, y, ctx->th->style[style].color);
    return text_height(l);
}

/* --- placeholders -------------------------------------------------------------------- */

static const char *lookup_var(cp_ctx *ctx, const char *name, size_t n,
                              const char *const *extra)
{
    for (const char *const *e = extra; e && e[0]; e += 2)
        if (strlen(e[0]) == n && !strncmp(e[0], name, n))
            return e[1];
    char key[128];
    if (n >= sizeof key)
        return NULL;
    memcpy(key, name, n);
    key[n] = '\0';
    if (!strcmp(key, "organisation"))
        return ctx->th->organisation;
    if (!strcmp(key, "year")) /* of the data, never of the clock */
        return arena_strndup(ctx->a, node_str(ctx->job->career, "updated") ?
                             node_str(ctx->job->career, "updated") : "", 4);
    if (!strcmp(key, "left") || !strcmp(key, "right")) {
        /* "{left} vs {right}": the first career against the others. */
        const cp_node *cols = node_at(ctx->job->career, "comparison.columns");
        if (!node_is_seq(cols) || cols->len < 2)
            return NULL;
        if (key[0] == 'l')
            return cols->items[0]->text;
        const char *right = cols->items[1]->text;
        for (size_t i = 2; i < cols->len; i++)
            right = arena_printf(ctx->a, "%s, %s", right, cols->items[i]->text);
        return right;
    }
    if (!strncmp(key, "student.", 8)) {
        /* Student data outside a student block differs from page to page of a
         * template's students: such a layout cannot share its pages. */
        if (ctx->mode == MODE_TEMPLATE && !ctx->in_student)
            ctx->unshareable = true;
        return node_str(ctx->job->student, column_key(ctx->a, key + 8, n - 8));
    }
    if (!strncmp(key, "career.", 7))
        return node_str(ctx->job->career, key + 7);
    return node_str(ctx->job->career, key);
}

const char *expand(cp_ctx *ctx, const char *tmpl, const char *const *extra)
{
    if (!tmpl || !strchr(tmpl, '{'))
        return tmpl ? tmpl : "";
    GString *out = g_string_new(NULL);
    for (const char *p = tmpl; *p;) {
        const char *close = *p == '{' ? strchr(p, '}') : NULL;
        const char *value = close ? lookup_var(ctx, p + 1, (size_t)(close - p - 1), extra)
                                  : NULL;
        if (value) {
            g_string_append(out, value);
            p = close + 1;
        } else {
            g_string_append_c(out, *p++);
        }
    }
    const char *s = arena_strdup(ctx->a, out->str);
    g_string_free(out, TRUE);
    return s;
}

/* The value in a block's spec that names a label key, for pointing at it. */
static const cp_node *scalar_with_text(const cp_node *n, const char *text)
{
    if (node_is_scalar(n))
        return n->text && !strcmp(n->text, text) ? n : NULL;
    for (size_t i = 0; n && i < n->len; i++) {
        const cp_node *hit = scalar_with_text(n->items[i], text);
        if (hit)
            return hit;
    }
    return NULL;
}

/* A key the strings file lacks. Inside a block the message points at the layout's value
 * that names the key (else at the block): that value or the strings file is what to
 * change. Page furniture and sheets have no block: the strings file is the place. */
static void missing_label(cp_ctx *ctx, const char *key)
{
    const cp_node *root = ctx->job->strings;
    if (ctx->block) {
        layout_error(ctx, scalar_with_text(ctx->block, key), "no label '%s' in %s "
                     "(language '%s'), expected a key that file has", key,
                     root && root->loc.file ? root->loc.file : "the strings file",
                     ctx->lang);
        return;
    }
    diag_error(root ? &root->loc : NULL, key,
               "missing label for language '%s', expected a text at this key", ctx->lang);
}

const char *label_pairs(cp_ctx *ctx, const char *key, ...)
{
    const char *extra[17] = {0};
    va_list ap;
    va_start(ap, key);
    for (int i = 0; i < 16; i++) {
        extra[i] = va_arg(ap, const char *);
        if (!extra[i])
            break;
    }
    va_end(ap);
    const cp_node *n = node_at(ctx->job->strings, key);
    if (!node_is_scalar(n)) {
        missing_label(ctx, key);
        return "";
    }
    return expand(ctx, n->text, extra);
}
