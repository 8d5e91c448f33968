/* pdf_text_rows.c - a row of text drawn right to left, written left to right (see
 * pdf_text.h).
 *
 * A right-to-left layout places the elements of a row from the right: the cells of a
 * table row, the chips of a list, a step's number and its text. The layout draws them
 * in reading order, so each is drawn left of the one before. pdf.js (2.14, the engine
 * of Firefox's viewer) begins a new text item where the pen moves left and adds no
 * space there: in the text it copies, the last word of one cell runs into the first
 * word of the next ("سنواتدولار"). Where the pen moves right past a gap it adds one.
 * So each such row is written again left to right: the elements' marked-content
 * sequences, whole, in the order of their places on the line (and untagged text
 * objects, furniture such as a step disc's number, the same way). In a tagged PDF the
 * structure tree, not the order of the content, gives the reading order, and every
 * sequence keeps its MCID, so a screen reader reads the row as before.
 *
 * Only what cannot change the picture is moved:
 * - a sequence that holds nothing but text (BT ... ET, with its font, colour and
 *   position set inside), with a font set before its first glyph;
 * - a sequence is only ever moved later, next to the last one of its row, past what
 *   was drawn between them: the other elements' backgrounds and rules (the next chip's
 *   box, a cell's border), which lie beside its glyphs (our layouts draw nothing over
 *   text, and tests/cli/textlayer.sh compares every page's pixels both ways);
 * - the colour a moved sequence was drawn with is set again before it, and the colour
 *   and font it left are set again where it was (for what was drawn after it) and
 *   after the row (what the row's last sequence left), so everything else is drawn as
 *   before; a row's sequences share their gs (opacity) and set none of their own;
 * - all the sequences of a row under the same transformation and clip (no cm, W or
 *   unbalanced Q between them), with their first baselines within a third of the size
 *   of their text, each wholly left of the one before. */
#include <math.h>
#include <string.h>

#include "../core/testing.h"
#include "pdf_text_page.h"

#define NONE G_MAXUINT

/* The state a sequence of text is drawn in, as the indices of the operators that set
 * it last (NONE: not set): the fill colour (rg, g, k, sc, scn) and its colour space
 * (cs), the graphics state parameters (gs: cairo's opacity; a sequence that sets them
 * is not moved, and a row's sequences share them) and the font (Tf: text state
 * outlives its text object). */
typedef struct {
    guint fill, cs, gs, tf;
} drawn_state;

typedef struct {
    guint first, last;   /* its BDC and EMC, or BT and ET */
    bool movable;        /* text only, measured (see above) */
    bool sets_fill;      /* sets its colour before its first glyph */
    bool measured;       /* x0 and x1 read (measure) */
    double y, size;      /* the first glyph's baseline and the text's size, user space */
    double x0, x1;       /* where its glyphs begin and end along the line */
    guint frame;         /* the transformation and clip it is drawn in */
    drawn_state start, end;   /* the state before its BDC and after its EMC */
} unit;

/* What a state operator changes that matters here (read for every operator of a page
 * with right-to-left text: by its length and letters, not by comparing strings). */
typedef enum { ST_OTHER, ST_SAVE, ST_RESTORE, ST_FRAME, ST_FILL, ST_CS, ST_GS } state_kind;

static state_kind state_of(const cop *o)
{
    const char *w = o->op.s;
    switch (o->op.e - o->op.s) {
    case 1:
        return *w == 'q' ? ST_SAVE : *w == 'Q' ? ST_RESTORE : *w == 'W' ? ST_FRAME
             : *w == 'g' || *w == 'k' ? ST_FILL : ST_OTHER;
    case 2:
        return (w[0] == 'c' && w[1] == 'm') || (w[0] == 'W' && w[1] == '*') ? ST_FRAME
             : (w[0] == 'r' && w[1] == 'g') || (w[0] == 's' && w[1] == 'c') ? ST_FILL
             : w[0] == 'c' && w[1] == 's' ? ST_CS
             : w[0] == 'g' && w[1] == 's' ? ST_GS : ST_OTHER;
    case 3:
        return !memcmp(w, "scn", 3) ? ST_FILL : ST_OTHER;
    default:
        return ST_OTHER;
    }
}

static bool num_args(page_ctx *pc, const cop *o, guint n)
{
    if (o->nargs != n)
        return false;
    for (guint i = 0; i < n; i++)
        if (arg(pc, o, i)->kind != TK_NUM)
            return false;
    return true;
}

/* Reads the unit [u->first, u->last]: whether it is text only, and the baseline and
 * size of its first text operator; with `extent`, where its glyphs begin and end along
 * the line too (read only for a unit that shares its baseline with the one before or
 * after it: most do not, and the glyphs' advances are the costly part). A tagged
 * sequence's BDC and EMC are its ends; an untagged text object (furniture: a step
 * disc's number) is read from its BT to its ET. */
static void measure(page_ctx *pc, unit *u, bool extent)
{
    bool tagged = op_at(pc, u->first)->kind == OP_BDC;
    u->movable = false;
    u->measured = extent;
    bool in_bt = false, have_tm = false, shown = false;
    font_info *font = NULL;
    double size = 0, a = 0, d = 0, lx = 0, ly = 0, pen = 0;
    u->x0 = INFINITY;
    u->x1 = -INFINITY;
    for (guint i = tagged ? u->first + 1 : u->first; i <= u->last - tagged; i++) {
        const cop *o = op_at(pc, i);
        if (o->op.kind == TK_END)
            continue;
        switch (o->kind) {
        case OP_BT:
            if (in_bt)
                return;
            in_bt = true;
            have_tm = false;
            continue;
        case OP_ET:
            if (!in_bt)
                return;
            in_bt = false;
            continue;
        case OP_TF:
            if (!o->font || !o->font->has_widths || o->nargs != 2 ||
                arg(pc, o, 1)->kind != TK_NUM)
                return;
            font = o->font;
            size = pdf_tk_number(arg(pc, o, 1));
            continue;
        case OP_TJ:
        case OP_SHOW:
            break;
        case OP_BDC:
        case OP_EMC:
            if (o->drop)
                continue;   /* an ActualText span, gone from the page (pdf_text.c) */
            return;
        default:
            if (o->kind == OP_STATE && (state_of(o) == ST_FILL || state_of(o) == ST_CS)) {
                u->sets_fill = u->sets_fill || (!shown && state_of(o) == ST_FILL);
                continue;
            }
            if (pdf_tk_is(&o->op, "Tm") && in_bt && num_args(pc, o, 6)) {
                if (pdf_tk_number(arg(pc, o, 1)) != 0 || pdf_tk_number(arg(pc, o, 2)) != 0)
                    return;   /* turned: not a row */
                a = pdf_tk_number(arg(pc, o, 0));
                d = pdf_tk_number(arg(pc, o, 3));
                lx = pdf_tk_number(arg(pc, o, 4));
                ly = pdf_tk_number(arg(pc, o, 5));
                pen = 0;
                have_tm = a > 0;
                continue;
            }
            if (pdf_tk_is(&o->op, "Td") && in_bt && have_tm && num_args(pc, o, 2)) {
                lx += a * pdf_tk_number(arg(pc, o, 0));
                ly += d * pdf_tk_number(arg(pc, o, 1));
                pen = 0;
                continue;
            }
            return;   /* a path, an image, q, cm, nested marked content, ...: not moved */
        }
        if (!in_bt || !have_tm || !font || size <= 0 || !pdf_tk_is(&o->op, o->kind == OP_TJ
                                                                            ? "TJ" : "Tj"))
            return;
        if (!shown) {
            u->y = ly;
            u->size = fabs(d) * size;
        }
        shown = true;
        if (!extent)
            continue;
        GArray *codes = tp_codes(pc, o, font);
        guint c = 0, step = font->two_byte ? 2 : 1;
        for (guint k = 0; k < o->nargs; k++) {
            const tk *t = arg(pc, o, k);
            if (t->kind == TK_NUM) {
                pen -= pdf_tk_number(t) / 1000 * size;
                continue;
            }
            if (t->kind != TK_HEX && t->kind != TK_LIT)
                continue;
            for (guint n = tp_string_len(t) / step; n > 0 && c < codes->len; n--, c++) {
                double adv = font_width(font, g_array_index(codes, guint, c)) / 1000.0 * size;
                if (adv > 0) {
                    u->x0 = fmin(u->x0, lx + a * pen);
                    u->x1 = fmax(u->x1, lx + a * (pen + adv));
                }
                pen += adv;
            }
        }
        g_array_free(codes, TRUE);
    }
    u->movable = shown && !in_bt;
}

/* Whether unit v continues the row of unit u: drawn right after it in the same frame,
 * on its baseline, wholly left of it. */
static bool continues_row(page_ctx *pc, unit *u, unit *v)
{
    double tol = fmin(u->size, v->size) / 3;
    if (!u->movable || !v->movable || u->frame != v->frame || u->start.gs != v->start.gs ||
        fabs(u->y - v->y) > tol)
        return false;
    if (!u->measured)
        measure(pc, u, true);
    if (!v->measured)
        measure(pc, v, true);
    return u->x1 > u->x0 && v->x1 > v->x0 && v->x1 <= u->x0 + 1e-6;
}

/* The operators that set state `s` again, as written (white space kept). */
static void put_state(page_ctx *pc, GString *out, const drawn_state *s, bool fill, bool tf)
{
    if (fill && s->fill == NONE) {
        g_string_append(out, "\n0 g");
    } else if (fill) {
        const cop *f = op_at(pc, s->fill);
        bool spaced = pdf_tk_is(&f->op, "sc") || pdf_tk_is(&f->op, "scn");
        if (spaced && s->cs != NONE)
            g_string_append_len(out, op_at(pc, s->cs)->s,
                                 op_at(pc, s->cs)->e - op_at(pc, s->cs)->s);
        g_string_append_len(out, f->s, f->e - f->s);
    }
    if (tf && s->tf != NONE)
        g_string_append_len(out, op_at(pc, s->tf)->s, op_at(pc, s->tf)->e - op_at(pc, s->tf)->s);
}

static void string_free(gpointer s)
{
    g_string_free(s, TRUE);
}

/* What is written before op `op` (pc->prefix), made on first use. */
static GString *prefix_for(page_ctx *pc, guint op)
{
    if (!pc->prefix)
        pc->prefix = g_hash_table_new_full(NULL, NULL, NULL, string_free);
    GString *s = g_hash_table_lookup(pc->prefix, GUINT_TO_POINTER(op));
    if (!s) {
        s = g_string_new(NULL);
        g_hash_table_insert(pc->prefix, GUINT_TO_POINTER(op), s);
    }
    return s;
}

/* The ops of a row's units [a, b), drawn right to left, written left to right: the
 * units before the last moved after it, in reverse, in `order` (op indices, the page's
 * order where nothing moves), with the state each needs set again (see above). */
static void reorder_row(page_ctx *pc, const unit *u, guint a, guint b, guint *order)
{
    const unit *last = &u[b - 1];
    for (guint m = a; m + 1 < b; m++) {
        /* drawn later now: the state it was drawn with, unless it sets its own */
        if (!u[m].sets_fill)
            put_state(pc, prefix_for(pc, u[m].first), &u[m].start, true, false);
        /* what followed it was drawn in the state it left: set again, unless the next
         * unit moves too (its own end state counts this one's) */
        if (m + 2 < b && u[m + 1].first == u[m].last + 1)
            continue;
        guint block = m;   /* the first unit of the adjacent moved ones ending at m */
        while (block > a && u[block - 1].last + 1 == u[block].first)
            block--;
        const drawn_state *was = &u[block].start, *now = &u[m].end;
        bool fill = was->fill != now->fill || was->cs != now->cs, tf = was->tf != now->tf;
        if (fill || tf)
            put_state(pc, prefix_for(pc, u[m].last + 1), now, fill, tf);
    }
    /* After the row: the state its last unit left, not the one the first left (written
     * last now). */
    const drawn_state *was = &u[a].end, *now = &last->end;
    bool fill = was->fill != now->fill || was->cs != now->cs, tf = was->tf != now->tf;
    if (last->last + 1 < pc->ops->len && (fill || tf))
        put_state(pc, prefix_for(pc, last->last + 1), now, fill, tf);
    guint w = u[a].first;
    for (guint k = u[a].first; k <= last->last; k++) {
        bool moved = false;
        for (guint m = a; m + 1 < b && !moved; m++)
            moved = k >= u[m].first && k <= u[m].last;
        if (!moved)
            order[w++] = k;
    }
    for (guint m = b - 1; m > a; m--)
        for (guint k = u[m - 1].first; k <= u[m - 1].last; k++)
            order[w++] = k;
}

/* The unit [first, last] measured and appended to `units` (one that cannot move ends
 * any row); for one that can, *cur becomes the state it leaves. */
static bool take_unit(page_ctx *pc, GArray *units, guint first, guint last, guint frame,
                      drawn_state *cur)
{
    unit u = {first, last, false, false, false, 0, 0, 0, 0, frame, *cur, *cur};
    measure(pc, &u, false);
    for (guint k = first; u.movable && k <= last; k++) {
        const cop *s = op_at(pc, k);
        if (s->kind == OP_TF)
            u.end.tf = k;
        else if (s->kind == OP_STATE && state_of(s) == ST_FILL)
            u.end.fill = k;
        else if (s->kind == OP_STATE && state_of(s) == ST_CS)
            u.end.cs = k;
    }
    g_array_append_val(units, u);
    *cur = u.end;
    return u.movable;
}

void tp_rows(page_ctx *pc)
{
    /* The test build can leave the rows as drawn, to show the same picture either way. */
    if (testing_setting("CAREERPDF_ROWS_AS_DRAWN"))
        return;
    /* Rows are drawn right to left in a right-to-left layout: a page without a font of
     * such letters (most pages) is not read. */
    if (!tp_page_rtl(pc))
        return;
    GArray *units = g_array_new(FALSE, FALSE, sizeof(unit));
    /* What q saves and Q restores: the state, and the frame it is drawn in */
    typedef struct {
        drawn_state state;
        guint frame;
    } saved;
    GArray *stack = g_array_new(FALSE, FALSE, sizeof(saved));
    drawn_state cur = {NONE, NONE, NONE, NONE};
    guint frame = 0, frames_made = 0, depth = 0;
    for (guint i = 0; i < pc->ops->len; i++) {
        const cop *o = op_at(pc, i);
        /* a tagged sequence at the top: moved whole or not at all */
        if (o->kind == OP_BDC && depth == 0 && o->nargs &&
            !pdf_tk_is(arg(pc, o, 0), "/Artifact")) {
            guint j = tp_sequence_end(pc, i);
            if (j && take_unit(pc, units, i, j, frame, &cur)) {
                i = j;
                continue;
            }
            /* not movable: its operators are read below */
        }
        if (o->kind == OP_BT && depth == 0) {   /* an untagged text object */
            guint j = i + 1;
            while (j < pc->ops->len && op_at(pc, j)->kind != OP_ET &&
                   !pdf_op_marks(op_at(pc, j)->kind))
                j++;
            if (j < pc->ops->len && op_at(pc, j)->kind == OP_ET &&
                take_unit(pc, units, i, j, frame, &cur)) {
                i = j;
                continue;
            }
        }
        if (o->kind == OP_BDC || o->kind == OP_BMC)
            depth++;
        else if (o->kind == OP_EMC && depth > 0)
            depth--;
        if (o->kind == OP_TF)
            cur.tf = i;
        if (o->kind != OP_STATE && o->kind != OP_OTHER)
            continue;
        switch (state_of(o)) {
        case ST_SAVE: {
            saved sv = {cur, frame};
            g_array_append_val(stack, sv);
            break;
        }
        case ST_RESTORE:
            if (stack->len) {
                saved sv = g_array_index(stack, saved, stack->len - 1);
                cur = sv.state;
                frame = sv.frame;
                g_array_set_size(stack, stack->len - 1);
            } else {
                frame = ++frames_made;
            }
            break;
        case ST_FRAME:
            frame = ++frames_made;
            break;
        case ST_FILL:
            cur.fill = i;
            break;
        case ST_CS:
            cur.cs = i;
            break;
        case ST_GS:
            cur.gs = i;
            break;
        case ST_OTHER:
            break;
        }
    }

    /* Rows: runs of units each continuing the one before. */
    unit *u = (unit *)(void *)units->data;
    GArray *order = NULL;
    for (guint a = 0; a < units->len;) {
        guint b = a + 1;
        while (b < units->len && continues_row(pc, &u[b - 1], &u[b]))
            b++;
        if (b - a >= 2) {
            if (!order) {
                order = g_array_sized_new(FALSE, FALSE, sizeof(guint), pc->ops->len);
                for (guint i = 0; i < pc->ops->len; i++)
                    g_array_append_val(order, i);
            }
            reorder_row(pc, u, a, b, (guint *)(void *)order->data);
        }
        a = b;
    }
    pc->order = order;
    g_array_free(units, TRUE);
    g_array_free(stack, TRUE);
}
