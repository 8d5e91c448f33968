/* shorten.c - a fixed-size layout (`max_pages`) shortens a long career by the rules its
 * layout file declares, then refuses by the name of the career's own field.
 *
 * Order of the rules: the `if_room` blocks go first (the highest level first, a whole
 * level at a time), then lists with `shorten_to` lose items one at a time, always from
 * the list that is furthest above its floor (the later block on a tie), and only in a
 * section (the blocks between two page breaks) that runs past its page. Each layout
 * tried on the way is a pass whose messages are thrown away (diag_trial). */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "page.h"
#include "shorten.h"
#include "text.h"

typedef enum { TRIAL_FIT, TRIAL_TOO_LONG, TRIAL_FAILED } trial_result;

/* A whole number from `lo`, or false. */
static bool whole(const cp_node *n, double lo, double *v)
{
    return node_number(n, v) && *v >= lo && *v == floor(*v) && *v < 1e9;
}

static bool fixed_size(cp_ctx *ctx)
{
    return node_get(ctx->job->layout, "max_pages") != NULL;
}

void shorten_note(cp_ctx *ctx, const cp_node *block)
{
    const char *path = node_str(block, "data");
    const cp_node *list = path ? node_at(ctx->job->career, path) : NULL;
    if (!fixed_size(ctx) || !node_is_seq(list))
        return;
    size_t keep = block_keep(ctx, block, false);
    if (keep >= list->len)
        return;
    /* The note belongs to its list: it never starts a page or column alone. */
    if (ctx->pieces->len) {
        cp_piece *last = ctx->pieces->items[ctx->pieces->len - 1];
        if (last->src == block)
            last->keep_with_next = true;
    }
    cp_style st = ctx->th->style[ST_SMALL];
    st.italic = true;
    st.color = ctx->th->color.muted;
    const char *count = arena_printf(ctx->a, "%zu", list->len - keep);
    cp_piece *pc = piece_new(ctx, ctx->th->gap * 0.5, path);
    PangoLayout *l = text_styled(ctx, label(ctx, "labels.more_in_report", "count", count),
                                 &st, ctx->width, NULL);
    dl_tag_begin(ctx->doc, &pc->canvas, "P");
    dl_text(ctx->doc, &pc->canvas, l, 0, 0, st.color);
    dl_tag_end(ctx->doc, &pc->canvas);
    pc->height = text_height(l);
}

/* --- if_room ------------------------------------------------------------------------- */

static int if_room_level(const cp_node *block)
{
    double v = node_num(block, "if_room", 0);
    return v > 0 && v < 100 ? (int)v : 0;
}

static int max_if_room(const cp_node *blocks)
{
    int top = 0;
    for (size_t i = 0; i < blocks->len; i++)
        if (if_room_level(blocks->items[i]) > top)
            top = if_room_level(blocks->items[i]);
    return top;
}

/* A copy of the block list without the blocks of one `if_room` level and above. */
static const cp_node *without_if_room(cp_arena *a, const cp_node *blocks, int level)
{
    cp_node *kept = ARENA_NEW(a, cp_node);
    *kept = *blocks;
    kept->items = ARENA_ARRAY(a, cp_node *, blocks->len ? blocks->len : 1);
    kept->len = 0;
    for (size_t i = 0; i < blocks->len; i++) {
        int l = if_room_level(blocks->items[i]);
        if (l == 0 || l < level)
            kept->items[kept->len++] = blocks->items[i];
    }
    return kept;
}

/* --- the lists a layout lets shrink ------------------------------------------------------ */

static const char *kind_of(const cp_node *block)
{
    return node_is_scalar(block) ? block->text : node_str(block, "kind");
}

/* Finds the `shorten_to` lists of a block (and of the blocks inside a `columns`);
 * false after an invalid value was reported. */
static bool collect(cp_ctx *ctx, const cp_node *block, size_t section, cp_vec *out)
{
    bool ok = true;
    if (node_is_seq(block)) {   /* a column's stack of blocks */
        for (size_t i = 0; i < block->len; i++)
            ok = collect(ctx, block->items[i], section, out) && ok;
        return ok;
    }
    const char *kind = kind_of(block);
    const cp_node *inner = node_get(block, "blocks");
    if (kind && !strcmp(kind, "columns") && node_is_seq(inner))
        return collect(ctx, inner, section, out);
    const cp_node *to = node_get(block, "shorten_to");
    if (!to)
        return true;
    size_t limit = block_limit(block, false);
    double v;
    if (!whole(to, 1, &v) || (size_t)v > limit) {
        diag_error(&to->loc, to->path, "invalid shorten_to '%s', expected a whole number "
                   "of items from 1%s", to->text ? to->text : "",
                   limit < SIZE_MAX ? arena_printf(ctx->a, " to the block's limit (%zu)",
                                                   limit) : "");
        return false;
    }
    if (!fixed_size(ctx)) {
        diag_error(&to->loc, to->path, "shorten_to works in a layout of fixed size only, "
                   "expected max_pages: N at the top of the layout (or no shorten_to)");
        return false;
    }
    const char *path = node_str(block, "data");
    const cp_node *list = path ? node_at(ctx->job->career, path) : NULL;
    if (!node_is_seq(list))
        return true;
    cp_cut *c = ARENA_NEW(ctx->a, cp_cut);
    *c = (cp_cut){.block = block, .floor = (size_t)v, .len = list->len,
                       .keep = list->len < limit ? list->len : limit, .section = section};
    if (c->keep > c->floor)
        vec_push(ctx->a, out, c);
    return true;
}

/* --- trials -------------------------------------------------------------------------- */

static bool max_pages(cp_ctx *ctx, double *max)
{
    const cp_node *n = node_get(ctx->job->layout, "max_pages");
    return n && whole(n, 1, max);
}

/* One silent pass. `*quiet`: it said nothing (no warning either), so it can be kept
 * as it is; else the pass is run again to speak. */
static trial_result trial(cp_ctx *ctx, const cp_node *blocks, shorten_pass_fn pass,
                          double max, bool *quiet)
{
    cp_diag_trial t;
    diag_trial_begin(&t);
    ctx->too_tall = NULL;
    bool ok = pass(ctx, blocks);
    *quiet = diag_list_len(t.list) == 0;
    diag_trial_end(&t);
    if (!ok)
        return ctx->too_tall ? TRIAL_TOO_LONG : TRIAL_FAILED;
    return (double)dl_page_count(ctx->doc) > max ? TRIAL_TOO_LONG : TRIAL_FIT;
}

/* The section (0-based, counted by page breaks) of each piece, and whether each
 * section runs past its page: with as many sections as pages allowed (a handout's
 * front and back) each must fit one page; with fewer, the document as a whole is too
 * long and every section is to blame. */
typedef struct {
    size_t n;                /* sections */
    bool *over;              /* n flags */
} sections;

static size_t section_of(const cp_vec *pieces, size_t index)
{
    size_t s = 0;
    for (size_t i = 0; i < index && i < pieces->len; i++)
        s += ((const cp_piece *)pieces->items[i])->page_break;
    return s;
}

static sections sections_over(cp_ctx *ctx, double max)
{
    const cp_vec *pieces = ctx->pieces;
    sections s = {.n = section_of(pieces, pieces->len) + 1};
    s.over = ARENA_ARRAY(ctx->a, bool, s.n);
    size_t *first = ARENA_ARRAY(ctx->a, size_t, s.n), sec = 0;
    bool *seen = ARENA_ARRAY(ctx->a, bool, s.n);
    for (size_t i = 0; i < pieces->len; i++) {
        const cp_piece *pc = pieces->items[i];
        if (pc->page_break) {
            sec++;
            continue;
        }
        if (!seen[sec])
            first[sec] = pc->page;
        seen[sec] = true;
        if ((double)s.n < max || pc->page > first[sec])
            s.over[sec] = true;
    }
    return s;
}

/* Lowers one list by one item; false when no list that could help can shrink. */
static bool cut_one(cp_ctx *ctx, double max)
{
    sections s = {0};
    size_t tall_section = SIZE_MAX;
    if (ctx->too_tall) {
        for (size_t i = 0; i < ctx->pieces->len; i++)
            if (ctx->pieces->items[i] == ctx->too_tall)
                tall_section = section_of(ctx->pieces, i);
    } else {
        s = sections_over(ctx, max);
    }
    cp_cut *best = NULL;
    for (size_t i = 0; i < ctx->shortened.len; i++) {
        cp_cut *c = ctx->shortened.items[i];
        if (c->keep <= c->floor)
            continue;
        /* A part taller than a page shrinks only by its own list, or by the lists
         * beside it (a `columns` band); else by the lists of a section too long. */
        bool helps = ctx->too_tall
                         ? (c->block == ctx->too_tall->src || c->section == tall_section)
                         : (c->section >= s.n || s.over[c->section]);
        if (helps && (!best || c->keep - c->floor >= best->keep - best->floor))
            best = c;
    }
    if (!best)
        return false;
    best->keep--;
    return true;
}

/* --- refusing by name ------------------------------------------------------------------ */

/* "handout" from layouts/handout.yaml: the file that set max_pages. */
static const char *layout_name(cp_ctx *ctx)
{
    const cp_node *max = node_get(ctx->job->layout, "max_pages");
    const char *file = max && max->loc.file ? max->loc.file : "layout";
    const char *base = strrchr(file, '/') ? strrchr(file, '/') + 1 : file;
    return arena_printf(ctx->a, "%.*s", (int)strcspn(base, "."), base);
}

/* The piece that does not fit and shows the career's data: the one taller than a
 * page, or the first to run past its section's page (past the last page allowed). */
static const cp_piece *culprit(cp_ctx *ctx, double max, bool *sectioned, size_t *page)
{
    if (ctx->too_tall)
        return career_data_of(ctx, ctx->too_tall) ? ctx->too_tall : NULL;
    sections s = sections_over(ctx, max);
    size_t first = 0;
    bool started = false;
    const cp_piece *before = NULL;   /* the last part of the career before the late ones */
    *sectioned = (double)s.n >= max;
    for (size_t i = 0; i < ctx->pieces->len; i++) {
        const cp_piece *pc = ctx->pieces->items[i];
        if (pc->page_break) {
            started = false;
            continue;
        }
        if (!started)
            first = pc->page;
        started = true;
        bool late = *sectioned ? pc->page > first : (double)pc->page >= max;
        *page = *sectioned ? first : pc->page;
        bool data = !pc->student && career_data_of(ctx, pc);
        if (late && data)
            return pc;
        if (!late && data)
            before = pc;
    }
    /* Only the engine's own notes (the illustrative footnote) run over: the career
     * parts before them take the room, the last of them is named. */
    if (before)
        *page = before->page + (*sectioned ? 0 : 1);
    return before;
}

/* "6 levels", "10 items of roadmap": the list as the message counts it. */
static const char *counted(cp_ctx *ctx, const cp_node *list, const char *path)
{
    const char *dot = strrchr(path, '.');
    const char *key = dot ? dot + 1 : path;
    size_t n = strcspn(key, "[");
    if (n > 1 && key[n - 1] == 's')
        return arena_printf(ctx->a, "%zu %.*s", list->len, (int)n, key);
    return arena_printf(ctx->a, "%zu items of %.*s", list->len, (int)n, key);
}

/* How many items of the piece's list would fit, found by trying fewer; 0 when none
 * would (its texts, or those before it, are too long) or it shows no list. */
static size_t room_for(cp_ctx *ctx, const cp_node *blocks, shorten_pass_fn pass,
                       double max, const cp_node *block, const cp_node *list)
{
    if (!node_is_seq(list) || !list->loc.file || list->len < 2)
        return 0;
    size_t shown = block_keep(ctx, block, false), room = 0;
    cp_cut *probe = ARENA_NEW(ctx->a, cp_cut);
    *probe = (cp_cut){.block = block, .len = list->len};
    vec_push(ctx->a, &ctx->shortened, probe);
    bool quiet;
    for (size_t k = shown < list->len ? shown : list->len; k-- > 1 && !room;) {
        probe->keep = k;
        if (trial(ctx, blocks, pass, max, &quiet) == TRIAL_FIT)
            room = k;
    }
    ctx->shortened.len--;
    return room;
}

/* The message for a career that does not fit even at the layout's shortest, at the
 * career's own field: a list with how many of its items would fit, else the part and
 * the page it runs onto. False when no part of the career is to blame (the engine's
 * own message follows). */
static bool refuse_by_name(cp_ctx *ctx, const cp_node *blocks, shorten_pass_fn pass,
                           double max)
{
    bool sectioned = false;
    size_t page = 0;   /* the page it does not fit (0-based), or needs */
    const cp_piece *pc = culprit(ctx, max, &sectioned, &page);
    if (!pc)
        return false;
    /* What the message says of the piece, taken before trials replace the pages. */
    const cp_node *data = career_data_of(ctx, pc), *block = pc->src;
    bool tall = ctx->too_tall != NULL;
    double height = pc->height, page_room = engine_room(ctx);
    const char *name = layout_name(ctx);
    const char *path = node_str(block, "data");
    const cp_node *list = path ? node_at(ctx->job->career, path) : NULL;
    size_t room = room_for(ctx, blocks, pass, max, block, list);
    if (room) {
        const char *kind = kind_of(block);
        char *words = arena_strdup(ctx->a, kind ? kind : "");
        for (char *p = words; *p; p++)
            if (*p == '_')
                *p = ' ';
        diag_error(&list->loc, list->path, "%s do not fit the %s's %s (room for %zu); "
                   "shorten the list or print it with --layout report",
                   counted(ctx, list, path), name, words, room);
    } else if (tall) {
        layout_error_data(ctx, data, pc, arena_printf(ctx->a, "this part is %.0f pt tall "
                          "but a page of the %s holds %.0f pt", height, name, page_room));
    } else if (sectioned) {
        layout_error_data(ctx, data, pc, arena_printf(ctx->a, "does not fit page %zu of "
                          "the %s, after what comes before it there", page + 1, name));
    } else {
        layout_error_data(ctx, data, pc, arena_printf(ctx->a, "does not fit the %s's %.0f "
                          "page%s (needs page %zu)", name, max, max == 1 ? "" : "s",
                          page + 1));
    }
    return true;
}

/* --- the whole ------------------------------------------------------------------------- */

bool shorten_fit(cp_ctx *ctx, const cp_node **blocksp, shorten_pass_fn pass)
{
    const cp_node *blocks = *blocksp;
    ctx->shortened = (cp_vec){0};
    bool ok = true;
    size_t section = 0;
    for (size_t i = 0; i < blocks->len; i++) {
        const char *kind = kind_of(blocks->items[i]);
        section += kind && !strcmp(kind, "page_break");
        ok = collect(ctx, blocks->items[i], section, &ctx->shortened) && ok;
    }
    double max;
    if (!ok)
        return false;
    if (!max_pages(ctx, &max))   /* no max_pages (or a wrong one: the engine says so) */
        return pass(ctx, blocks);
    bool quiet;
    trial_result r = trial(ctx, blocks, pass, max, &quiet);
    for (int level = max_if_room(blocks); level > 0 && r == TRIAL_TOO_LONG; level--) {
        blocks = without_if_room(ctx->a, blocks, level);
        r = trial(ctx, blocks, pass, max, &quiet);
    }
    while (r == TRIAL_TOO_LONG && cut_one(ctx, max))
        r = trial(ctx, blocks, pass, max, &quiet);
    *blocksp = blocks;
    if (r == TRIAL_TOO_LONG && refuse_by_name(ctx, blocks, pass, max))
        return false;
    if (r == TRIAL_FIT && quiet)
        return true;
    /* The pass kept speaks: its warnings, or the errors that shortening cannot help. */
    ctx->too_tall = NULL;
    return pass(ctx, blocks);
}
