/* pdf_text_rtl.c - right-to-left runs written in visual order (see pdf_text.h).
 *
 * cairo draws a right-to-left run (Arabic, Hebrew) in logical order: each glyph is
 * followed by a TJ offset that moves the pen left, past the glyph just drawn and the
 * next one. Readers that build words from glyph positions expect glyphs in visual
 * order, left to right: pdf.js makes every glyph drawn left of the previous one a text
 * item of its own, so an Arabic line comes out as single letters run together without
 * their spaces. Here each such run is written again in visual order: its glyphs in
 * reverse, in one TJ per font, each offset recomputed from the glyph advances the fonts
 * give, so every glyph is drawn exactly where it was and the pen ends where it ended.
 * What readers make of the positions decided four more details: a glyph of several
 * characters (split_reading), the run's spaces (space_cid), the vowel marks, drawn
 * where their letters are (marks_to_letters), and a mark that ends a word after a space
 * (widened_mark).
 *
 * A run is found by geometry: a maximal sequence of text operators (TJ, Tj, with Tf
 * and Td between them and nothing else; a Td that leaves the line ends it) whose glyphs
 * each start left of the one drawn before (zero-width glyphs, marks, do not count) and
 * whose letters are of a right-to-left script. Only fonts whose every advance is known
 * take part, and only pages without character, word or horizontal spacing or a render
 * mode (Tc, Tw, Tz, Tr), which cairo never writes: the pass writes Tr itself. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pdf_text_page.h"

/* One glyph of a segment: where it is drawn (text space, from where the line matrix
 * was last set). */
typedef struct {
    guint code;
    double x, y, adv;    /* its origin and advance, in text space units */
    guint show;          /* the index of its operator in the segment's `shows` */
    int script;          /* its letter's script (font_code_script) */
    bool in_split;       /* a mark drawn inside its ligature (split_reading) */
} rglyph;

/* A text operator of a segment with the Tf that set its font. */
typedef struct {
    guint op, tf;
    font_info *font;
    double size;
    guint g0, ng;        /* its glyphs in the segment's glyph array */
    double pen0, pen1;   /* the pen before its first element and after its last */
    bool leftward;       /* each of its glyphs with an advance starts left of the last */
    double tlm, tlm_y;   /* the line matrix's origin when it is drawn: a mark drawn above
                          * or below the line is moved there with a Td */
} rshow;

static bool rtl_script(int s)
{
    return s == G_UNICODE_SCRIPT_ARABIC || s == G_UNICODE_SCRIPT_HEBREW ||
           s == G_UNICODE_SCRIPT_SYRIAC || s == G_UNICODE_SCRIPT_THAANA ||
           s == G_UNICODE_SCRIPT_NKO;
}

/* Whether some code of font f reads as a right-to-left letter; read once per font. */
static bool font_rtl(font_info *f)
{
    if (!f->rtl_read) {
        f->rtl_read = true;
        GHashTableIter it;
        gpointer text;
        g_hash_table_iter_init(&it, f->tu);
        while (!f->has_rtl && g_hash_table_iter_next(&it, NULL, &text))
            f->has_rtl = rtl_script(g_unichar_get_script(g_utf8_get_char(text)));
    }
    return f->has_rtl;
}

bool tp_page_rtl(page_ctx *pc)
{
    for (guint i = 0; i < pc->ops->len; i++) {
        const cop *o = op_at(pc, i);
        if (o->kind == OP_TF && o->font && font_rtl(o->font))
            return true;
    }
    return false;
}

/* Whether the page's text cannot take part: no font of it has a right-to-left letter
 * (most pages: nothing to read), or it sets a spacing or a render mode. */
static bool not_for_runs(page_ctx *pc)
{
    if (!tp_page_rtl(pc))
        return true;
    for (guint i = 0; i < pc->ops->len; i++) {
        const cop *o = op_at(pc, i);
        if (o->kind == OP_STATE &&
            (pdf_tk_is(&o->op, "Tc") || pdf_tk_is(&o->op, "Tw") || pdf_tk_is(&o->op, "Tz") ||
             pdf_tk_is(&o->op, "Tr")))
            return true;
    }
    return false;
}

/* The glyphs of show operator `s`, from pen position `pen`; false when it cannot be
 * read (a string or number it does not hold where expected). */
static bool read_show(page_ctx *pc, rshow *s, GArray *glyphs, double pen, guint idx)
{
    cop *o = op_at(pc, s->op);
    GArray *codes = o->codes ? o->codes : tp_codes(pc, o, s->font);
    guint c = 0;
    s->g0 = glyphs->len;
    s->pen0 = pen;
    guint step = s->font->two_byte ? 2 : 1;
    for (guint i = 0; i < o->nargs; i++) {
        const tk *a = arg(pc, o, i);
        if (a->kind == TK_NUM) {
            pen -= pdf_tk_number(a) / 1000 * s->size;
        } else if (a->kind == TK_HEX || a->kind == TK_LIT) {
            guint n = tp_string_len(a) / step;
            for (guint k = 0; k < n && c < codes->len; k++, c++) {
                rglyph g = {g_array_index(codes, guint, c), pen, s->tlm_y, 0, idx, FONT_NEUTRAL,
                            false};
                g.adv = font_width(s->font, g.code) / 1000.0 * s->size;
                g.script = font_code_script(s->font, g.code);   /* drawn: its reading is kept */
                pen += g.adv;
                g_array_append_val(glyphs, g);
            }
        }
    }
    bool whole = c == codes->len;
    if (!o->codes)
        g_array_free(codes, TRUE);
    s->ng = glyphs->len - s->g0;
    s->pen1 = pen;
    return whole;
}

/* The last glyph with an advance among glyphs [from, to), or -1. */
static long last_advancing(GArray *glyphs, guint from, guint to)
{
    for (guint k = to; k > from; k--)
        if (g_array_index(glyphs, rglyph, k - 1).adv > 0)
            return (long)k - 1;
    return -1;
}

static bool left_of(GArray *glyphs, long a, long b)
{
    return g_array_index(glyphs, rglyph, b).x < g_array_index(glyphs, rglyph, a).x - 1e-9;
}

/* Whether op o is a Td; its move in *tx, *ty. */
static bool td_move(page_ctx *pc, const cop *o, double *tx, double *ty)
{
    if (o->kind != OP_OTHER || !pdf_tk_is(&o->op, "Td") || o->nargs != 2 ||
        arg(pc, o, 0)->kind != TK_NUM || arg(pc, o, 1)->kind != TK_NUM)
        return false;
    *tx = pdf_tk_number(arg(pc, o, 0));
    *ty = pdf_tk_number(arg(pc, o, 1));
    return true;
}


/* A glyph code into the open TJ: into the string just written when nothing came after
 * it (`<0a0b0c> `, not `<0a> <0b> <0c> `), else a string of its own. */
static void put_code(GString *out, const font_info *f, guint code)
{
    if (out->len >= 3 && out->str[out->len - 1] == ' ' && out->str[out->len - 2] == '>' &&
        g_ascii_isxdigit(out->str[out->len - 3]))
        g_string_truncate(out, out->len - 2);
    else
        g_string_append_c(out, '<');
    if (f->two_byte)
        tp_put_hex4(out, code);
    else
        g_string_append_printf(out, "%02x", code & 0xff);
    g_string_append(out, "> ");
}

/* A space of glyph g drawn from a font of its own: a CID of the run's letters' font `m`
 * that reads as a space, with the space's advance; 0 for any other glyph. pdf.js begins
 * a new text item at every font change, and orders the words of items in the order
 * they are drawn: one font for the run keeps it one item, in reading order. */
static guint space_cid(const rshow *s, const rglyph *g, const rshow *m)
{
    const char *r = g_hash_table_lookup(s->font->tu, GUINT_TO_POINTER(g->code));
    if (!r || strcmp(r, " ") || m->size <= 0 || g->adv <= 0)
        return 0;
    /* any glyph of the font: it is not drawn */
    guint any = m->font->first_new > 1 ? 1 : 0;
    return font_reading_cid(m->font, any, " ", (int)lround(g->adv / m->size * 1000));
}

/* The characters of a glyph that split_reading writes one position each (a lam-alef
 * ligature), its advance and the share of each but the last (*part); 0 for a glyph that
 * reads as one character. */
static glong split_parts(font_info *f, guint code, int *w, int *part)
{
    const char *r = f->remappable ? g_hash_table_lookup(f->tu, GUINT_TO_POINTER(code)) : NULL;
    if (!r || !*r || !*g_utf8_next_char(r))
        return 0;   /* most glyphs: one character */
    glong n = g_utf8_strlen(r, -1);
    *w = font_width(f, code);
    const char *letter = r;   /* a cluster's reading may begin with its mark: "ًا" */
    while (letter && *letter && g_unichar_type(g_utf8_get_char(letter)) ==
                                    G_UNICODE_NON_SPACING_MARK)
        letter = g_utf8_next_char(letter);
    if (n < 2 || *w < n || !*letter || !rtl_script(g_unichar_get_script(g_utf8_get_char(letter))))
        return 0;
    *part = *w / (int)n;
    return n;
}

/* A glyph that reads as several characters (a lam-alef ligature) written as one
 * position per character, in visual order: the glyph itself reading the character
 * drawn leftmost (the last), then, invisible (render mode 3), the same glyph reading
 * each character before it, from right to left, the advance shared among them. A
 * reader that lays out one glyph's characters across its box (poppler) and one that
 * reverses them (pdf.js) both read them in order then. A vowel mark over the ligature
 * belongs to its first letter (the lam: "لًا"); marks[0, nmarks), moved to be drawn
 * there (marks_to_letters), are written between the last character and the others.
 * False when the glyph reads as one character (written by the caller, inside an open
 * TJ). */
static bool split_reading(GString *out, font_info *f, guint code, const guint *marks,
                          guint nmarks)
{
    int w, part;
    glong n = split_parts(f, code, &w, &part);
    if (n == 0)
        return false;
    const char *r = g_hash_table_lookup(f->tu, GUINT_TO_POINTER(code));
    gunichar *c = g_utf8_to_ucs4_fast(r, -1, NULL);
    char ch[8];
    ch[g_unichar_to_utf8(c[n - 1], ch)] = '\0';
    put_code(out, f, font_reading_cid(f, code, ch, w - (int)(n - 1) * part));
    for (guint i = 0; i < nmarks; i++)
        put_code(out, f, marks[i]);
    g_string_append(out, "] TJ\n3 Tr\n[");
    for (glong j = n - 2; j >= 0; j--) {
        ch[g_unichar_to_utf8(c[j], ch)] = '\0';
        put_code(out, f, font_reading_cid(f, code, ch, part));
    }
    g_string_append(out, "] TJ\n0 Tr\n");
    g_free(c);
    return true;
}

static void put_td(GString *out, double tx, double ty)
{
    tp_put_num(out, tx);
    g_string_append_c(out, ' ');
    tp_put_num(out, ty);
    g_string_append(out, " Td\n");
}

/* Whether glyph g of show s does not advance and reads as a nonspacing mark. */
static bool is_mark(const rshow *s, const rglyph *g)
{
    const char *r = g->adv == 0 ? g_hash_table_lookup(s->font->tu, GUINT_TO_POINTER(g->code))
                                : NULL;
    return r && *r && g_unichar_type(g_utf8_get_char(r)) == G_UNICODE_NON_SPACING_MARK;
}

/* The glyph with an advance that glyph k of [from, ...) belongs to: the nearest before
 * it in drawing order (logical order, right to left), or -1. */
static long letter_before(GArray *glyphs, guint from, guint k)
{
    for (guint j = k; j > from; j--)
        if (g_array_index(glyphs, rglyph, j - 1).adv > 0)
            return (long)j - 1;
    return -1;
}

/* A letter the font draws as a part of another glyph, with no advance of its own and
 * above the line: with a vowel mark between lam and alef ("أولًا"), the lam is a
 * raised part over the alef's glyph. Drawn at that glyph's right end, on the line, as
 * the part moved back (pdf_sfnt.h), and written after the glyph, so that every reader
 * reads it first, as it is written. */
static void letter_parts_to_line(rshow *shows, GArray *glyphs, guint from, guint to)
{
    for (guint k = from; k < to; k++) {
        rglyph *g = &g_array_index(glyphs, rglyph, k);
        const rshow *s = &shows[g->show];
        if (g->adv != 0 || s->size <= 0 || is_mark(s, g))
            continue;
        const char *r = g_hash_table_lookup(s->font->tu, GUINT_TO_POINTER(g->code));
        if (!r || !*r)
            continue;
        long base = letter_before(glyphs, from, k);
        if (base < 0)
            continue;
        rglyph l = g_array_index(glyphs, rglyph, base);
        double end = l.x + l.adv;
        if (fabs(g->y - l.y) < 1e-9 || g->x < l.x - 1e-9 || g->x > end + 1e-9)
            continue;   /* on the line, or not over the glyph it is part of */
        guint moved = font_moved_cid(s->font, g->code, (g->x - end) / s->size,
                                     (g->y - l.y) / s->size, r);
        if (!moved)
            continue;
        rglyph part = *g;
        part.code = moved;
        part.x = end;
        part.y = l.y;
        /* before its glyph in drawing order: after it in the run written left to right */
        g_array_remove_index(glyphs, k);
        g_array_insert_val(glyphs, (guint)base, part);
    }
}

/* Every vowel mark of glyphs [from, to) drawn where its letter begins, as a glyph moved
 * by the offset the shaper gave it (pdf_sfnt.h): the same picture, and every reader
 * finds the mark next to its letter. Drawn at the shaper's place, above the line or
 * right of where the glyph before it ends, it reads as a word or a line of its own
 * (poppler: "يح ّولونها"; pdf.js ends the text item at the change of line). A mark
 * follows its letter in drawing order (logical order, right to left). */
static void marks_to_letters(rshow *shows, GArray *glyphs, guint from, guint to)
{
    letter_parts_to_line(shows, glyphs, from, to);
    for (guint k = from; k < to; k++) {
        rglyph *g = &g_array_index(glyphs, rglyph, k);
        const rshow *s = &shows[g->show];
        if (!is_mark(s, g) || s->size <= 0)
            continue;
        long base = letter_before(glyphs, from, k);
        if (base < 0)
            continue;
        const rglyph *l = &g_array_index(glyphs, rglyph, base);
        const rshow *ls = &shows[l->show];
        double x = l->x;
        int w, part;
        bool in_split = ls->font == s->font && ls->size == s->size &&
                        split_parts(s->font, l->code, &w, &part) > 0;
        if (in_split)   /* drawn after the ligature's last letter, before its first */
            x += (w - (double)part) / 1000 * s->size;
        if (fabs(g->x - x) < 1e-9 && fabs(g->y - l->y) < 1e-9 && !in_split)
            continue;
        const char *r = g_hash_table_lookup(s->font->tu, GUINT_TO_POINTER(g->code));
        guint moved = font_moved_cid(s->font, g->code, (g->x - x) / s->size,
                                     (g->y - l->y) / s->size, r);
        if (moved) {
            g->code = moved;
            g->x = x;
            g->y = l->y;
            g->in_split = in_split;
        }
    }
}

/* Whether glyph g of show s is a space: it reads as one and advances. */
static bool reads_space(const rshow *s, const rglyph *g)
{
    const char *r = g->adv > 0 ? g_hash_table_lookup(s->font->tu, GUINT_TO_POINTER(g->code))
                               : NULL;
    return r && !strcmp(r, " ");
}

/* A vowel mark that ends a word, written right after the space before the word (in
 * visual order the word's last character comes first): "ابنِ". pdf.js does not advance
 * its pen over a glyph that reads as a nonspacing mark and measures the next glyph
 * from the last one it did advance over, before the space: it finds the gap twice and
 * reads "ابن ِ". So the mark is written as a CID that advances by the space's width,
 * `space` (text space), followed by an offset that moves the pen back: the picture is
 * the same, and pdf.js, which moves its pen back but not forward, finds the gap at the
 * mark only. Its pen then stays that far behind, and so does every glyph it measures,
 * until a Td or Tm sets it again: on the next line, where the change of line ends the
 * text item anyway. (Set again on the same line, after a space, the gap it finds is
 * wider by as much: still one space while under 0.6 em.) The next glyph `next` (in
 * visual order, NULL: none) must be the mark's letter or another of its marks, drawn
 * where the mark is, in the same font: the offset must come before a glyph of the same
 * TJ, since pdf.js reads no number after a TJ's last string. False when the mark is
 * written as it is. */
static bool widened_mark(GString *out, const rshow *s, const rglyph *g, const rglyph *next,
                         const rshow *shows, double space)
{
    if (!next || !is_mark(s, g) || !s->font->remappable ||
        shows[next->show].font != s->font || shows[next->show].size != s->size ||
        fabs(next->x - g->x) > 1e-9 || fabs(next->y - g->y) > 1e-9)
        return false;
    const char *r = g_hash_table_lookup(s->font->tu, GUINT_TO_POINTER(g->code));
    int w = (int)lround(space / s->size * 1000);
    if (!r || w <= 0)
        return false;
    put_code(out, s->font, font_reading_cid(s->font, g->code, r, w));
    tp_put_num(out, w);   /* into the open TJ: the pen back by the advance */
    g_string_append_c(out, ' ');
    return true;
}

/* Shows [a, b] of a segment, drawn right to left, written again left to right into
 * the first one's operator; the others and the Tf between them are dropped. */
static void write_run(page_ctx *pc, rshow *shows, guint a, guint b, GArray *glyphs)
{
    marks_to_letters(shows, glyphs, shows[a].g0, shows[b].g0 + shows[b].ng);
    GArray *marks = g_array_new(FALSE, FALSE, sizeof(guint));
    cop *first = op_at(pc, shows[a].op);
    const char *lead_end = first->nargs ? arg(pc, first, 0)->s : first->op.s;
    GString *out = g_string_new_len(first->s, lead_end - first->s);
    guint cur = a;   /* whose font and size the text state holds */
    bool open = false;
    double pen = shows[a].pen0;
    double ex = shows[a].tlm, ey = shows[a].tlm_y;   /* the line matrix as written */
    /* The run's letters' font: its spaces, which cairo draws from another font (a
     * simple font of the same face), are drawn from it too (below). */
    guint main = b + 1;
    for (guint i = a; i <= b && main > b; i++)
        if (shows[i].font->remappable)
            main = i;
    double space_before = 0;   /* the advance of a space written just before, or 0 */
    /* Marks widened only on a run drawn on one line: a Td inside it (a mark drawn above
     * the line) would set pdf.js's pen again, and the letter after it would find a gap
     * (widened_mark). */
    bool one_line = true;
    for (guint k = shows[a].g0; k < shows[b].g0 + shows[b].ng; k++)
        one_line = one_line && fabs(g_array_index(glyphs, rglyph, k).y -
                                    g_array_index(glyphs, rglyph, shows[a].g0).y) < 1e-9;
    for (guint k = shows[b].g0 + shows[b].ng; k > shows[a].g0; k--) {
        const rglyph *g = &g_array_index(glyphs, rglyph, k - 1);
        const rshow *s = &shows[g->show];
        if (g->in_split)
            continue;   /* written with its ligature (split_reading) */
        guint space = main <= b && s->font != shows[main].font ? space_cid(s, g, &shows[main])
                                                               : 0;
        bool is_space = space || reads_space(s, g);
        double after_space = space_before;
        space_before = is_space ? g->adv : 0;
        if (space)
            s = &shows[main];
        if (fabs(g->y - ey) > 1e-9) {   /* a mark above or below the line */
            if (open)
                g_string_append(out, "] TJ\n");
            open = false;
            put_td(out, g->x - ex, g->y - ey);
            ex = pen = g->x;
            ey = g->y;
        }
        if (s->font != shows[cur].font || s->size != shows[cur].size) {
            if (open)
                g_string_append(out, "] TJ\n");
            open = false;
            const cop *tf = op_at(pc, s->tf);
            g_string_append_len(out, arg(pc, tf, 0)->s, tf->e - arg(pc, tf, 0)->s);
            g_string_append_c(out, '\n');
            cur = g->show;
        }
        if (space && open)
            g_string_append(out, "] TJ\n");
        if (space) {   /* invisible (render mode 3): the glyph is not the space's */
            g_string_append(out, "3 Tr\n");
            open = false;
        }
        if (!open)
            g_string_append_c(out, '[');
        open = true;
        double off = -(g->x - pen) / shows[cur].size * 1000;
        if (fabs(off) > 5e-7) {
            tp_put_num(out, off);
            g_string_append_c(out, ' ');
        }
        if (space) {
            put_code(out, s->font, space);
            g_string_append(out, "] TJ\n0 Tr\n");
            pen = g->x + font_width(s->font, space) / 1000.0 * s->size;
            open = false;
            continue;
        }
        pen = g->x + g->adv;
        g_array_set_size(marks, 0);   /* the marks drawn inside it, after it in the array */
        for (guint j = k; j < shows[b].g0 + shows[b].ng &&
                          g_array_index(glyphs, rglyph, j).in_split; j++)
            g_array_append_val(marks, g_array_index(glyphs, rglyph, j).code);
        if (split_reading(out, s->font, g->code, (const guint *)(void *)marks->data,
                          marks->len)) {
            open = false;
            continue;
        }
        if (one_line && after_space > 0 &&
            widened_mark(out, s, g, k - 1 > shows[a].g0 ? &g_array_index(glyphs, rglyph, k - 2)
                                                        : NULL, shows, after_space))
            continue;
        put_code(out, s->font, g->code);
    }
    if (open)
        g_string_append(out, "] TJ\n");
    if (fabs(shows[b].tlm - ex) > 1e-9 || fabs(shows[b].tlm_y - ey) > 1e-9) {
        /* the line matrix where the run's last Td left it */
        put_td(out, shows[b].tlm - ex, shows[b].tlm_y - ey);
        pen = shows[b].tlm;
    }
    /* The pen where the run left it; a number last in a TJ moves the pen, but pdf.js
     * reads only numbers before a string. */
    double off = -(shows[b].pen1 - pen) / shows[cur].size * 1000;
    if (fabs(off) > 5e-7) {
        g_string_append_c(out, '[');
        tp_put_num(out, off);
        g_string_append(out, " ()] TJ\n");
    }
    if (shows[cur].font != shows[b].font || shows[cur].size != shows[b].size) {
        const cop *tf = op_at(pc, shows[b].tf);
        g_string_append_c(out, '\n');
        g_string_append_len(out, arg(pc, tf, 0)->s, tf->e - arg(pc, tf, 0)->s);
    }
    first->tj = out;
    g_array_free(marks, TRUE);
    for (guint i = shows[a].op + 1; i <= shows[b].op; i++) {
        cop *o = op_at(pc, i);
        double tx, ty;
        if (o->kind == OP_TF || pdf_op_shows(o->kind) || td_move(pc, o, &tx, &ty))
            o->drop = true;   /* every Td between is one of the segment's (tp_rtl_runs) */
    }
}

static long first_advancing(GArray *glyphs, const rshow *s)
{
    for (guint k = s->g0; k < s->g0 + s->ng; k++)
        if (g_array_index(glyphs, rglyph, k).adv > 0)
            return (long)k;
    return -1;
}

/* The runs of one segment: shows [0, n) in drawing order. A run holds at least two
 * glyphs with an advance and a letter of a right-to-left script. */
static void segment_runs(page_ctx *pc, rshow *shows, guint n, GArray *glyphs)
{
    for (guint i = 0; i < n;) {
        if (!shows[i].leftward) {
            i++;
            continue;
        }
        guint a = i, units = 0;
        long last = -1;
        int script = FONT_NEUTRAL;
        for (; i < n && shows[i].leftward; i++) {
            long first = first_advancing(glyphs, &shows[i]);
            if (i > a && first >= 0 && last >= 0 && !left_of(glyphs, last, first))
                break;
            for (guint k = shows[i].g0; k < shows[i].g0 + shows[i].ng; k++) {
                const rglyph *g = &g_array_index(glyphs, rglyph, k);
                units += g->adv > 0;
                if (script == FONT_NEUTRAL)
                    script = g->script;
            }
            long l = last_advancing(glyphs, shows[i].g0, shows[i].g0 + shows[i].ng);
            if (l >= 0)
                last = l;
        }
        if (units >= 2 && script != FONT_NEUTRAL) {
            write_run(pc, shows, a, i - 1, glyphs);
            /* the run's language is its first letter's, wherever that is drawn */
            cop *o = op_at(pc, shows[a].op);
            o->scanned = true;
            o->script = script;
        }
    }
}

void tp_rtl_runs(page_ctx *pc)
{
    if (not_for_runs(pc))
        return;
    GArray *shows = g_array_new(FALSE, FALSE, sizeof(rshow));
    GArray *glyphs = g_array_new(FALSE, FALSE, sizeof(rglyph));
    guint tf = 0;
    bool have_tf = false;
    /* The pen and the line matrix's origin along the line, from where the line matrix
     * was last set (BT, Tm, a Td that changes lines); the pen is unknown after text we
     * cannot measure, until a Td sets it. */
    double pen = 0, tlm = 0, tlm_y = 0, size = 0;
    bool pen_known = true;
    for (guint i = 0; i < pc->ops->len; i++) {
        cop *o = op_at(pc, i);
        bool show = o->kind == OP_TJ || (o->kind == OP_SHOW && pdf_tk_is(&o->op, "Tj"));
        if (o->kind == OP_TF) {
            tf = i;
            have_tf = o->nargs == 2 && arg(pc, o, 1)->kind == TK_NUM;
            size = have_tf ? pdf_tk_number(arg(pc, o, 1)) : 0;
            continue;
        }
        if (o->drop && !show)
            continue;   /* an ActualText span's BDC or EMC: gone from the page */
        double tx, ty;
        if (td_move(pc, o, &tx, &ty) &&
            fabs(tlm_y + ty) <= 0.5 * (have_tf ? size : 1)) {
            /* along the line, or a mark above or below it: part of the segment */
            pen = tlm += tx;
            tlm_y += ty;
            pen_known = true;
            continue;
        }
        rshow s = {i, tf, have_tf ? o->font : NULL, 0, 0, 0, 0, 0, false, tlm, tlm_y};
        s.size = s.font ? size : 0;
        bool usable = show && pen_known && !o->tj && s.font && s.font->has_widths &&
                      s.size > 0;
        if (usable && read_show(pc, &s, glyphs, pen, shows->len)) {
            s.leftward = true;
            long prev = -1;
            for (guint k = s.g0; k < s.g0 + s.ng; k++) {
                const rglyph *g = &g_array_index(glyphs, rglyph, k);
                if (g->script != FONT_NEUTRAL && !rtl_script(g->script))
                    s.leftward = false;
                if (g->adv <= 0)
                    continue;
                if (prev >= 0 && !left_of(glyphs, prev, (long)k))
                    s.leftward = false;
                prev = (long)k;
            }
            pen = s.pen1;
            g_array_append_val(shows, s);
            continue;
        }
        /* anything else ends the segment */
        if (shows->len)
            segment_runs(pc, (rshow *)(void *)shows->data, shows->len, glyphs);
        g_array_set_size(shows, 0);
        g_array_set_size(glyphs, 0);
        if (show)
            pen_known = false;
        if (o->kind == OP_BT || pdf_tk_is(&o->op, "Tm") || pdf_tk_is(&o->op, "Td") ||
            pdf_tk_is(&o->op, "TD") || pdf_tk_is(&o->op, "T*")) {
            pen = tlm = tlm_y = 0;   /* a new line matrix: measured from here */
            pen_known = true;
        } else if (o->kind == OP_SHOW) {   /* ' and " move to the next line */
            pen_known = false;
        }
    }
    g_array_free(shows, TRUE);
    g_array_free(glyphs, TRUE);
}
