/* blocks_fit.c - "Your profile": a student's own skill ratings beside what the career
 * asks for, the gaps, and the roadmap steps that close the biggest gaps first.
 *
 * The student's rating of the career's N-th skill (1-based) is the row's "rate:N"
 * value: 0 (none yet) to 5 (expert), halves allowed, empty = not rated; anything else
 * is an error for the row. A roster names skills by name ("rate:programming-logic");
 * the roster reader turns those into rate:N before layout (src/batch/roster.h), so the
 * layout does not depend on the language the skills are printed in. The career's
 * required level is the skill's importance: basic..critical = 1..5. Without a rating
 * for any of the career's skills the block (its heading included) is left out.
 *
 * Which roadmap step closes a gap is not in the data: a step is matched to a skill by
 * the words they share (the skill's name, its bracketed examples and its note against
 * the step's title and text: "Python, C++" finds "fluent in Python and C++"); a skill
 * sharing no word with any step is shown with its gap but sends to no step. */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "blocks.h"

#define G (ctx->th->gap)
#define MAX_LEVEL 5.0
#define MAX_SKILLS 32
#define MAX_WORDS 48
#define MAX_STEPS 3      /* steps listed: the first few matter, the timeline has the rest */

static const char *const IMPORTANCE[] = {"basic", "medium", "high", "very_high", "critical"};

typedef struct {
    const cp_node *skill;
    const char *name;
    double need;          /* 1..5 */
    double you;           /* 0..5; < 0 = not rated */
    int step;             /* roadmap step closing the gap, -1 = none found */
} fit_row;

/* --- ratings ----------------------------------------------------------------------------- */

/* The student's cell for skill `index` (0-based), or NULL. */
static const cp_node *rating_cell(cp_ctx *ctx, size_t index)
{
    return node_get(ctx->job->student, arena_printf(ctx->a, "rate:%zu", index + 1));
}

/* Fills rows from the career's skills; false after an error (a bad rating). */
static bool read_rows(cp_ctx *ctx, const cp_node *skills, fit_row *rows, size_t *n,
                      bool *any)
{
    *n = 0;
    *any = false;
    for (size_t i = 0; i < skills->len && *n < MAX_SKILLS; i++) {
        const cp_node *sk = skills->items[i];
        fit_row *r = &rows[(*n)++];
        memset(r, 0, sizeof *r);
        r->skill = sk;
        r->name = node_str(sk, "name");
        r->step = -1;
        const char *imp = node_str(sk, "importance");
        for (int k = 0; imp && k < 5; k++)
            if (!strcmp(imp, IMPORTANCE[k]))
                r->need = k + 1;
        const cp_node *cell = rating_cell(ctx, i);
        const char *t = cell ? cell->text : "";
        while (*t == ' ')
            t++;
        r->you = -1;
        if (!*t)
            continue;
        char *end;
        double v = strtod(t, &end);
        while (*end == ' ')
            end++;
        if (*end || !isfinite(v) || v < 0 || v > MAX_LEVEL) {
            diag_error(&cell->loc, cell->path, "'%s' is not a rating, expected a number "
                       "from 0 to 5 (or an empty cell)", cell->text);
            return false;
        }
        r->you = v;
        *any = true;
    }
    return true;
}

/* --- which roadmap step closes which gap ------------------------------------------------- */

typedef struct {
    char w[MAX_WORDS][24];
    size_t n;
} words;

static bool stop_word(const char *w)
{
    static const char *const STOP[] = {
        "and", "the", "for", "with", "you", "your", "are", "from", "that", "this", "into",
        "how", "its", "use", "using", "such", "also", "more", "than", "well", "work",
        "learn", "skill", "skills", "understanding", "basic", "strong", "good", "other",
        "about", "every", "each", "them", "they", "their", "then", "will", "can", NULL};
    for (const char *const *s = STOP; *s; s++)
        if (!strcmp(w, *s))
            return true;
    return false;
}

/* Lower-case Latin words of 3+ letters (and "c++", "c#"), plural 's' dropped. */
static void add_words(words *ws, const char *text)
{
    if (!text)
        return;
    for (const char *p = text; *p;) {
        if (!isalnum((unsigned char)*p)) {
            p++;
            continue;
        }
        char w[24];
        size_t n = 0;
        while ((isalnum((unsigned char)*p) || *p == '+' || *p == '#') && n < sizeof w - 1)
            w[n++] = (char)tolower((unsigned char)*p++);
        while (isalnum((unsigned char)*p))
            p++;
        w[n] = '\0';
        if (n > 4 && w[n - 1] == 's' && w[n - 2] != 's')
            w[--n] = '\0';
        bool symbol = strchr(w, '+') || strchr(w, '#');
        if ((n < 3 && !symbol) || stop_word(w))
            continue;
        bool seen = false;
        for (size_t i = 0; i < ws->n && !seen; i++)
            seen = !strcmp(ws->w[i], w);
        if (!seen && ws->n < MAX_WORDS)
            memcpy(ws->w[ws->n++], w, n + 1);
    }
}

static int shared(const words *a, const words *b)
{
    int n = 0;
    for (size_t i = 0; i < a->n; i++)
        for (size_t k = 0; k < b->n; k++)
            n += !strcmp(a->w[i], b->w[k]);
    return n;
}

static void match_steps(const cp_node *roadmap, fit_row *rows, size_t n)
{
    size_t steps = node_is_seq(roadmap) ? roadmap->len : 0;
    if (steps > 16)
        steps = 16;
    words step_words[16];
    for (size_t s = 0; s < steps; s++) {
        step_words[s].n = 0;
        add_words(&step_words[s], node_str(roadmap->items[s], "title"));
        add_words(&step_words[s], node_str(roadmap->items[s], "text"));
    }
    for (size_t i = 0; i < n; i++) {
        words sw = {.n = 0};
        add_words(&sw, rows[i].name);
        add_words(&sw, node_str(rows[i].skill, "note"));
        int best = 0;
        for (size_t s = 0; s < steps; s++) {
            int score = shared(&sw, &step_words[s]);
            if (score > best) {   /* ties keep the earlier step */
                best = score;
                rows[i].step = (int)s;
            }
        }
    }
}

static double gap(const fit_row *r) { return r->you < 0 ? 0 : r->need - r->you; }

/* Rows with a gap, biggest first (then the more important skill, then data order). */
static int by_gap(const void *x, const void *y)
{
    const fit_row *a = *(const fit_row *const *)x, *b = *(const fit_row *const *)y;
    if (gap(a) != gap(b))
        return gap(a) > gap(b) ? -1 : 1;
    if (a->need != b->need)
        return a->need > b->need ? -1 : 1;
    return a < b ? -1 : a > b;
}

/* --- drawing ----------------------------------------------------------------------------- */

typedef struct {
    double bar_h, need_h, bar_gap;
    cp_rgba you, need;
} bar_look;

static bar_look look_of(cp_ctx *ctx)
{
    /* You: a thick bar in the accent colour; the career: a thin dark bar below it.
     * Thickness, not only colour, tells them apart in greyscale print. */
    return (bar_look){scaled(ctx, 7), scaled(ctx, 3), scaled(ctx, 2.5), ctx->th->color.accent,
                      ctx->th->color.primary};
}

/* The student's bar over the career's, the missing part of the student's marked. */
static void paired_bars(cp_ctx *ctx, cp_piece *pc, const bar_look *lk, double x, double y,
                        double w, const fit_row *r)
{
    const cp_palette *c = &ctx->th->color;
    put_bar(ctx, pc, x, y, w, lk->bar_h, r->you < 0 ? 0 : r->you / MAX_LEVEL, lk->you);
    if (gap(r) > 0) {
        double x0 = x + w * r->you / MAX_LEVEL, x1 = x + w * r->need / MAX_LEVEL;
        dl_item *g = dl_rect(ctx->doc, &pc->canvas, x0, y, x1 - x0, lk->bar_h, c->warn_bg,
                             lk->bar_h / 2);
        g->stroke = c->warn;
        g->stroke_width = ctx->th->rule * 1.4;
    }
    put_bar(ctx, pc, x, y + lk->bar_h + lk->bar_gap, w, lk->need_h, r->need / MAX_LEVEL,
            lk->need);
}

/* Intro, legend and the match score: kept with the bars below. */
static void summary_piece(cp_ctx *ctx, const cp_node *block, const fit_row *rows, size_t n,
                          const bar_look *lk)
{
    double have = 0, need = 0;
    for (size_t i = 0; i < n; i++)
        if (rows[i].you >= 0) {
            have += fmin(rows[i].you, rows[i].need);
            need += rows[i].need;
        }
    int pct = need > 0 ? (int)lround(100 * have / need) : 0;
    const char *verdict = label(ctx, pct >= 80 ? "fit.strong" : pct >= 50 ? "fit.partial"
                                                                          : "fit.weak");
    char num[16];
    snprintf(num, sizeof num, "%d", pct);
    cp_piece *pc = piece_new(ctx, block_space(ctx, block, G * 1.6), block->path);
    pc->keep_with_next = true;
    PangoLayout *intro = text_new(ctx, label(ctx, "fit.intro"), ST_BODY, ctx->width,
                                  NULL);
    dl_tag_begin(ctx->doc, &pc->canvas, "P");
    double y = put_text(ctx, pc, intro, 0, 0, ST_BODY) + G * 1.4;
    dl_tag_end(ctx->doc, &pc->canvas);

    cp_style score_st = ctx->th->style[ST_STRONG];
    score_st.color = ctx->th->color.primary;
    PangoLayout *score = text_styled(ctx, arena_printf(ctx->a, "%s · %s",
                                                       label(ctx, "fit.match", "percent", num),
                                                       verdict),
                                     &score_st, 0, NULL);
    PangoLayout *you = text_new(ctx, label(ctx, "fit.you"), ST_SMALL, 0, NULL);
    PangoLayout *car = text_new(ctx, label(ctx, "fit.career"), ST_SMALL, 0, NULL);
    double base = y + text_baseline(score), sw = scaled(ctx, 16), x = 0;
    const cp_style *small = &ctx->th->style[ST_SMALL];
    /* Legend swatches drawn like the bars they explain. */
    put_bar(ctx, pc, x, base - lk->bar_h, sw, lk->bar_h, 1, lk->you);
    x += sw + G * 0.6;
    dl_text(ctx->doc, &pc->canvas, you, x, base - text_baseline(you), small->color);
    x += text_width(you) + G * 2.2;
    put_bar(ctx, pc, x, base - lk->bar_h / 2 - lk->need_h / 2, sw, lk->need_h, 1, lk->need);
    x += sw + G * 0.6;
    dl_text(ctx->doc, &pc->canvas, car, x, base - text_baseline(car), small->color);
    dl_tag_begin(ctx->doc, &pc->canvas, "P");
    dl_text(ctx->doc, &pc->canvas, score, ctx->width - text_width(score), y, score_st.color);
    dl_tag_end(ctx->doc, &pc->canvas);
    pc->height = y + text_height(score);
}

/* Every skill: name, paired bars, and the gap ("−2") or a tick. One piece, never split. */
static void bars_piece(cp_ctx *ctx, const cp_node *block, const fit_row *rows, size_t n,
                       const bar_look *lk)
{
    const cp_palette *c = &ctx->th->color;
    double label_w = ctx->width * 0.4, value_w = ctx->width * 0.1;
    double bar_x = label_w + G * 1.5, bar_w = ctx->width - bar_x - value_w - G * 1.5;
    double pair_h = lk->bar_h + lk->bar_gap + lk->need_h;
    cp_piece *pc = piece_new(ctx, G * 1.4, block->path);
    dl_tag_begin(ctx->doc, &pc->canvas, "L");
    double y = 0;
    for (size_t i = 0; i < n; i++) {
        const fit_row *r = &rows[i];
        PangoLayout *l = text_new(ctx, r->name, ST_BODY, label_w, node_get(r->skill, "name"));
        double lh = text_height(l), by = y + fmax(0, text_baseline(l) - lk->bar_h);
        dl_tag_begin(ctx->doc, &pc->canvas, "LI");
        dl_tag_begin(ctx->doc, &pc->canvas, "LBody");
        put_text(ctx, pc, l, 0, y, ST_BODY);
        paired_bars(ctx, pc, lk, bar_x, by, bar_w, r);
        double vx = ctx->width - value_w;
        if (r->you < 0) {
            PangoLayout *dash = text_new(ctx, "–", ST_SMALL, 0, NULL);
            dl_text(ctx->doc, &pc->canvas, dash, vx + (value_w - text_width(dash)) / 2,
                    y + text_baseline(l) - text_baseline(dash), c->muted);
        } else if (gap(r) > 0) {
            cp_style st = ctx->th->style[ST_SMALL_STRONG];
            st.color = c->warn;
            PangoLayout *g = text_styled(ctx, arena_printf(ctx->a, "−%s",
                                                           format_number(ctx, gap(r))),
                                         &st, 0, NULL);
            double pw = text_width(g) + G * 1.6, ph = text_height(g) + G * 0.5;
            double py = y + text_baseline(l) - text_baseline(g) - G * 0.25;
            dl_item *pill = dl_rect(ctx->doc, &pc->canvas, vx + (value_w - pw) / 2, py, pw,
                                    ph, c->warn_bg, ph / 2);
            pill->stroke = c->warn;
            pill->stroke_width = ctx->th->rule;
            dl_text(ctx->doc, &pc->canvas, g, vx + (value_w - text_width(g)) / 2,
                    py + G * 0.25, st.color);
        } else {
            double is = scaled(ctx, 9);
            put_icon(ctx, pc, "check", NULL, vx + (value_w - is) / 2,
                     y + text_baseline(l) - is * 0.9, is, c->good);
        }
        dl_tag_end(ctx->doc, &pc->canvas);   /* LBody */
        dl_tag_end(ctx->doc, &pc->canvas);
        y += fmax(lh, by - y + pair_h) + G * 1.1;
    }
    dl_tag_end(ctx->doc, &pc->canvas);
    pc->height = y - G * 1.1;
}

/* "First steps": the roadmap steps that close the biggest gaps, in that order; each
 * names the gaps it closes. */
static void steps_pieces(cp_ctx *ctx, const cp_node *roadmap, fit_row *rows, size_t n)
{
    const fit_row *order[MAX_SKILLS];
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (gap(&rows[i]) > 0 && rows[i].step >= 0)
            order[k++] = &rows[i];
    if (k == 0)
        return;
    qsort(order, k, sizeof *order, by_gap);
    int steps[MAX_STEPS] = {0};
    size_t ns = 0;
    for (size_t i = 0; i < k && ns < MAX_STEPS; i++) {
        bool seen = false;
        for (size_t s = 0; s < ns; s++)
            seen |= steps[s] == order[i]->step;
        if (!seen)
            steps[ns++] = order[i]->step;
    }
    const cp_palette *c = &ctx->th->color;
    cp_piece *head = piece_new(ctx, G * 2.6, "fit.first_steps");
    head->keep_with_next = true;
    PangoLayout *hl = text_new(ctx, label(ctx, "sections.first_steps"), ST_H3,
                               ctx->width, NULL);
    dl_tag_begin(ctx->doc, &head->canvas, "H3");
    head->height = put_text(ctx, head, hl, 0, 0, ST_H3);
    dl_tag_end(ctx->doc, &head->canvas);

    double node = scaled(ctx, 15), indent = node + G * 1.8, w = ctx->width - indent;
    cp_style num_st = ctx->th->style[ST_SMALL_STRONG];
    num_st.color = c->primary_ink;
    cp_style why_st = ctx->th->style[ST_SMALL];
    why_st.color = c->muted;
    for (size_t s = 0; s < ns; s++) {
        const cp_node *st = roadmap->items[steps[s]];
        char num[16];
        snprintf(num, sizeof num, "%d", steps[s] + 1);
        GString *why = g_string_new(NULL);
        for (size_t i = 0; i < k; i++)
            if (order[i]->step == steps[s])
                g_string_append_printf(
                    why, "%s%s: %s · %s", why->len ? "\n" : "", order[i]->name,
                    label(ctx, "labels.score_of", "level", label(ctx, "fit.you"),
                          "score", format_number(ctx, order[i]->you), "max", "5"),
                    label(ctx, "labels.score_of", "level", label(ctx, "fit.career"),
                          "score", format_number(ctx, order[i]->need), "max", "5"));
        PangoLayout *t = text_new(ctx, label(ctx, "labels.step_title", "step",
                                             label(ctx, "labels.step", "n", num),
                                             "title", node_str(st, "title")),
                                  ST_STRONG, w, node_get(st, "title"));
        PangoLayout *x = text_styled(ctx, why->str, &why_st, w, NULL);
        g_string_free(why, TRUE);
        PangoLayout *nl = text_styled(ctx, num, &num_st, 0, NULL);
        cp_piece *pc = piece_new(ctx, G * (s ? 1.2 : 1.4), st->path);
        double ty = fmax(0, (node - text_baseline(t)) / 2);
        dl_rect(ctx->doc, &pc->canvas, 0, 0, node, node, c->accent, node / 2);
        dl_text(ctx->doc, &pc->canvas, nl, (node - text_width(nl)) / 2,
                (node - text_height(nl)) / 2, num_st.color);
        /* The steps are one list (L > LI > LBody, each a heading and its reasons),
         * open from the first step's piece to the last's; the disc's number repeats
         * the heading's "Step N" and stays outside, an artifact. */
        if (s == 0)
            dl_tag_begin(ctx->doc, &pc->canvas, "L");
        dl_tag_begin(ctx->doc, &pc->canvas, "LI");
        dl_tag_begin(ctx->doc, &pc->canvas, "LBody");
        dl_tag_begin(ctx->doc, &pc->canvas, "H4");
        double h = ty + put_text(ctx, pc, t, indent, ty, ST_STRONG) + G * 0.3;
        dl_tag_end(ctx->doc, &pc->canvas);
        dl_tag_begin(ctx->doc, &pc->canvas, "P");
        dl_text(ctx->doc, &pc->canvas, x, indent, h, why_st.color);
        dl_tag_end(ctx->doc, &pc->canvas);
        dl_tag_end(ctx->doc, &pc->canvas);   /* LBody */
        dl_tag_end(ctx->doc, &pc->canvas);   /* LI */
        if (s + 1 == ns)
            dl_tag_end(ctx->doc, &pc->canvas);   /* L */
        pc->height = fmax(node, h + text_height(x));
    }
}

/* `notes: N`: a heading and N ruled lines to write on during the counselling session.
 * The lines are for the reader's pen, not content: left untagged, like the footer rule. */
static void notes_piece(cp_ctx *ctx, const cp_node *block)
{
    double n;
    if (!node_number(node_get(block, "notes"), &n) || n < 1)
        return;
    if (n > 30)
        n = 30;
    cp_piece *pc = piece_new(ctx, G * 2.6, "fit.notes");
    PangoLayout *hl = text_new(ctx, label(ctx, "sections.notes"), ST_H3, ctx->width, NULL);
    dl_tag_begin(ctx->doc, &pc->canvas, "H3");
    double y = put_text(ctx, pc, hl, 0, 0, ST_H3);
    dl_tag_end(ctx->doc, &pc->canvas);
    double pitch = text_line_height(ctx, ST_BODY) * 1.9;
    for (int i = 1; i <= (int)n; i++)
        dl_line(ctx->doc, &pc->canvas, 0, y + i * pitch, ctx->width, y + i * pitch,
                ctx->th->color.rule, ctx->th->rule);
    pc->height = y + n * pitch;
}

bool build_fit(cp_ctx *ctx, const cp_node *block)
{
    const cp_node *skills = node_get(ctx->job->career, "skills");
    if (!ctx->job->student || !node_is_seq(skills))
        return true;
    fit_row rows[MAX_SKILLS];
    size_t n;
    bool any;
    if (!read_rows(ctx, skills, rows, &n, &any))
        return false;
    if (!any)   /* no self-ratings for this career: nothing to compare */
        return true;
    const cp_node *roadmap = node_get(ctx->job->career, "roadmap");
    match_steps(roadmap, rows, n);
    /* An overlay draws into a frame under the heading, which the template has. */
    if (node_get(block, "title") && ctx->mode != MODE_OVERLAY && !build_heading(ctx, block))
        return false;
    bar_look lk = look_of(ctx);
    summary_piece(ctx, block, rows, n, &lk);
    bars_piece(ctx, block, rows, n, &lk);
    steps_pieces(ctx, roadmap, rows, n);
    notes_piece(ctx, block);
    return true;
}
