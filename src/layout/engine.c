/* engine.c - blocks to pieces, pieces to pages, pages to a finished document. */
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "blocks.h"
#include "engine.h"
#include "paginate.h"

/* Pages in one laid-out document (a report is 6-9; the handbook assembles its chapters
 * separately): far above any real document, low enough to stop a runaway layout. */
#define CP_MAX_PAGES 500

/* --- messages ------------------------------------------------------------------------ */

void layout_error(cp_ctx *ctx, const cp_node *src, const char *fmt, ...)
{
    const cp_node *at = src ? src : ctx->block;
    char msg[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    diag_error(at ? &at->loc : NULL, at ? at->path : NULL, "%s", msg);
}

/* --- pieces -------------------------------------------------------------------------- */

cp_piece *piece_new(cp_ctx *ctx, double space_before, const char *what)
{
    cp_piece *pc = ARENA_NEW(ctx->a, cp_piece);
    pc->space_before = space_before;
    pc->what = what;
    pc->src = ctx->block;
    vec_push(ctx->a, ctx->pieces, pc);
    return pc;
}

void piece_place(dl_doc *doc, dl_page *page, const cp_piece *pc, double x, double y)
{
    for (size_t i = 0; i < pc->canvas.items.len; i++) {
        dl_item *it = ARENA_NEW(doc->arena, dl_item);
        *it = *(const dl_item *)pc->canvas.items.items[i];
        it->x += x;
        it->y += y;
        vec_push(doc->arena, &page->items, it);
    }
}

/* --- block dispatch ------------------------------------------------------------------ */

const char *block_opt(const cp_node *block, const char *key, const char *fallback)
{
    const char *v = node_str(block, key);
    return v ? v : fallback;
}

double block_num(const cp_node *block, const char *key, double fallback)
{
    return node_num(block, key, fallback);
}

double block_space(cp_ctx *ctx, const cp_node *block, double fallback)
{
    double v;
    return node_number(node_get(block, "space"), &v) ? scaled(ctx, v) : fallback;
}

/* `limit: N` keeps the first N items of a list: short layouts (handout, poster) say how
 * they shorten the data ("the top 5 skills") instead of overflowing their pages. The
 * copy shares the items; only the count differs. */
static const cp_node *limited(cp_ctx *ctx, const cp_node *block, const cp_node *n)
{
    const cp_node *lim = node_get(block, "limit");
    double v;
    if (!lim)
        return n;
    if (!node_number(lim, &v) || v < 1 || v != (double)(size_t)v) {
        diag_error(&lim->loc, lim->path, "invalid limit '%s', expected a whole number of "
                   "items from 1", lim->text ? lim->text : "");
        return n;
    }
    if (!node_is_seq(n) || n->len <= (size_t)v)
        return n;
    cp_node *copy = ARENA_NEW(ctx->a, cp_node);
    *copy = *n;
    copy->len = (size_t)v;
    return copy;
}

const cp_node *block_data(cp_ctx *ctx, const cp_node *block, bool required)
{
    const char *path = node_str(block, "data");
    const cp_node *n = path ? node_at(ctx->job->career, path) : NULL;
    if (!n && required) {
        const cp_node *where = node_get(block, "data");
        diag_error(where ? &where->loc : &block->loc, block->path,
                   "the career has no data at '%s', expected a path like salary.levels",
                   path ? path : "(no data: key)");
    }
    return limited(ctx, block, n);
}

/* True when data path `path` is `parent` or lies under it (salary.levels[0] under
 * salary, salary.levels under salary). */
static bool path_under(const char *path, const char *parent)
{
    size_t n = strlen(parent);
    return !strncmp(path, parent, n) &&
           (path[n] == '\0' || path[n] == '.' || path[n] == '[');
}

/* Data the editors wrote where the source had none is listed in the career's
 * `illustrative` paths (a part or a whole section); blocks whose `data:` is at or under
 * such a path say so underneath. */
static const char *illustrative_parent(cp_ctx *ctx, const cp_node *block)
{
    const cp_node *list = node_get(ctx->job->career, "illustrative");
    const char *data = node_str(block, "data");
    for (size_t i = 0; data && node_is_seq(list) && i < list->len; i++)
        if (node_is_scalar(list->items[i]) && list->items[i]->text &&
            path_under(data, list->items[i]->text))
            return list->items[i]->text;
    return NULL;
}

/* `illustrative: footnote` (posters): every block says only "Illustrative" and the
 * explanation is printed once at the end, instead of inside the first narrow column. */
static bool footnote_mode(cp_ctx *ctx)
{
    const char *mode = node_str(ctx->job->layout, "illustrative");
    return mode && !strcmp(mode, "footnote");
}

static void note_piece(cp_ctx *ctx, const char *key, double space, cp_style_id style)
{
    cp_style st = ctx->th->style[style];
    st.italic = true;
    st.color = ctx->th->color.muted;
    cp_piece *pc = piece_new(ctx, space, "illustrative");
    PangoLayout *l = text_styled(ctx, label(ctx, key), &st, ctx->width, NULL);
    dl_tag_begin(ctx->doc, &pc->canvas, "P");
    dl_text(ctx->doc, &pc->canvas, l, 0, 0, st.color);
    dl_tag_end(ctx->doc, &pc->canvas);
    pc->height = text_height(l);
}

static void illustrative_note(cp_ctx *ctx)
{
    const char *key = ctx->illustrative_explained || footnote_mode(ctx)
                          ? "labels.illustrative" : "labels.illustrative_note";
    ctx->illustrative_explained = true;
    /* A footnote's tags are one word each: footer-sized, close under their block. */
    if (footnote_mode(ctx))
        note_piece(ctx, key, ctx->th->gap * 0.5, ST_FOOTER);
    else
        note_piece(ctx, key, ctx->th->gap * 0.8, ST_SMALL);
}

/* The tag owed to the blocks just built, if any. */
static void illustrative_flush(cp_ctx *ctx)
{
    if (!ctx->illustrative_pending)
        return;
    ctx->illustrative_pending = NULL;
    illustrative_note(ctx);
}

static bool is_student_block(const cp_node *block)
{
    const char *when = node_str(block, "when");
    return when && !strcmp(when, "student");
}

int engine_student_index(const cp_job *job, const cp_node *block)
{
    const cp_node *blocks = node_get(job->layout, "blocks");
    int n = 0;
    for (size_t i = 0; node_is_seq(blocks) && i < blocks->len; i++) {
        if (blocks->items[i] == block)
            return n;
        n += is_student_block(blocks->items[i]);
    }
    return -1;
}

/* --- student blocks and their frames ------------------------------------------------- */

typedef enum { FRAME_NONE, FRAME_BOX, FRAME_PAGE } frame_kind;

/* `frame: page`, or `frame: N`: a box with room for N lines of its text. */
static bool frame_of(const cp_node *block, frame_kind *kind, double *lines)
{
    const cp_node *f = node_get(block, "frame");
    *kind = FRAME_NONE;
    *lines = 0;
    if (!f)
        return true;
    if (node_is_scalar(f) && !strcmp(f->text, "page")) {
        *kind = FRAME_PAGE;
        return true;
    }
    if (!node_number(f, lines) || *lines < 1 || *lines > 60 || *lines != (int)*lines) {
        diag_error(&f->loc, f->path, "invalid frame '%s', expected `page` or a whole "
                   "number of text lines from 1 to 60", f->text ? f->text : "");
        return false;
    }
    *kind = FRAME_BOX;
    return true;
}

static void page_break_piece(cp_ctx *ctx, const cp_node *block)
{
    piece_new(ctx, 0, block->path)->page_break = true;
}

/* Total height of pieces stacked one under the other. */
static double stacked_height(const cp_vec *pieces, double gap_factor)
{
    double h = 0;
    for (size_t i = 0; i < pieces->len; i++) {
        const cp_piece *pc = pieces->items[i];
        h += (i ? pc->space_before * gap_factor : 0) + pc->height;
    }
    return h;
}

/* TEMPLATE: the empty frame a student block's drawing goes into later. A box frame
 * takes its gap and height from the block built for a student with empty fields (its
 * box then has exactly the frame's height); a page frame follows the block's heading,
 * which is the same for every student and so belongs to the template. */
static bool frame_piece(cp_ctx *ctx, const cp_node *block, block_build_fn fn,
                        frame_kind kind)
{
    if (kind == FRAME_NONE || engine_student_index(ctx->job, block) < 0) {
        ctx->unshareable = true;   /* nothing to reserve: this layout has no template */
        return true;
    }
    double space = 0, height = 0;
    bool keep = false;
    if (kind == FRAME_PAGE) {
        if (node_get(block, "title") && !build_heading(ctx, block))
            return false;
    } else {
        static const cp_node nobody = {.kind = NODE_MAP};
        cp_job blank = *ctx->job;
        blank.student = &nobody;
        const cp_job *job = ctx->job;
        cp_vec built = {0}, *pieces = ctx->pieces;
        ctx->job = &blank;
        ctx->pieces = &built;
        bool ok = fn(ctx, block);
        ctx->job = job;
        ctx->pieces = pieces;
        if (!ok)
            return false;
        if (built.len == 0) {
            ctx->unshareable = true;
            return true;
        }
        space = ((cp_piece *)built.items[0])->space_before;
        height = stacked_height(&built, 1);
        keep = ((cp_piece *)built.items[built.len - 1])->keep_with_next;
    }
    cp_piece *pc = piece_new(ctx, space, block->path);
    pc->height = height;
    pc->keep_with_next = keep;
    dl_tag_begin(ctx->doc, &pc->canvas, "Div");
    dl_slot(ctx->doc, &pc->canvas, ctx->slots++, 0, 0, ctx->width, height);
    dl_tag_end(ctx->doc, &pc->canvas);
    return true;
}

/* A student block: built (FULL, OVERLAY) or reserved (TEMPLATE). Built, its box fills
 * its frame at least; a page frame keeps the block on a page of its own. Every piece
 * it makes is marked, so that a short last page is judged without them. */
static bool build_student_block(cp_ctx *ctx, const cp_node *block, block_build_fn fn)
{
    frame_kind kind;
    double lines;
    if (!frame_of(block, &kind, &lines))
        return false;
    bool own_page = kind == FRAME_PAGE && ctx->mode != MODE_OVERLAY;
    if (own_page)
        page_break_piece(ctx, block);
    size_t first = ctx->pieces->len;
    bool was_in = ctx->in_student, ok;
    double was_lines = ctx->frame_lines;
    ctx->in_student = true;
    ctx->frame_lines = lines;
    if (ctx->mode == MODE_TEMPLATE)
        ok = frame_piece(ctx, block, fn, kind);
    else
        ok = fn(ctx, block);
    ctx->in_student = was_in;
    ctx->frame_lines = was_lines;
    for (size_t i = first; i < ctx->pieces->len; i++)
        ((cp_piece *)ctx->pieces->items[i])->student = true;
    if (own_page)
        page_break_piece(ctx, block);
    return ok;
}

bool block_skipped(cp_ctx *ctx, const cp_node *block)
{
    /* `when: student` blocks appear only in personalised reports. */
    if (is_student_block(block)) {
        if (ctx->mode == MODE_TEMPLATE) {   /* a frame, if students of this one have it */
            int n = engine_student_index(ctx->job, block);
            return n >= 0 && n < CP_MAX_FRAMES && !(ctx->present & 1u << n);
        }
        if (!ctx->job->student)
            return true;
    }
    /* A section the career leaves out: its heading names the data (`data:`) and its
     * blocks say `optional: true`; a required block without data stays an error. */
    const char *path = node_str(block, "data");
    if (!path || node_at(ctx->job->career, path))
        return false;
    const char *kind = node_str(block, "kind");
    bool optional = kind && !strcmp(kind, "heading");
    node_bool(node_get(block, "optional"), &optional);
    return optional;
}

/* A chart reads with what stands above it (the level table, the section heading): the
 * pieces of the block before it, and its illustrative tag, keep with it, so the chart
 * never starts a page alone when the whole fits on one. (Longer than a page, the chain
 * breaks as usual.) */
static void keep_with_block_before(cp_ctx *ctx)
{
    const cp_node *src = NULL;
    bool found = false;
    for (size_t i = ctx->pieces->len; i > 0; i--) {
        cp_piece *pc = ctx->pieces->items[i - 1];
        bool tag = !found && pc->what && !strcmp(pc->what, "illustrative");
        if (pc->page_break || (!tag && found && pc->src != src) || (!tag && !pc->src))
            break;
        if (!tag) {
            src = pc->src;
            found = true;
        }
        pc->keep_with_next = true;
    }
}

static bool build_block(cp_ctx *ctx, const cp_node *block)
{
    const char *kind = node_is_scalar(block) ? block->text : node_str(block, "kind");
    block_build_fn fn = kind ? block_kind(kind) : NULL;
    if (!fn) {
        diag_error(&block->loc, block->path, "unknown block kind '%s', expected one of "
                   "the kinds listed in layouts/README.md", kind ? kind : "(none)");
        return false;
    }
    if (block_skipped(ctx, block))
        return true;
    /* Blocks in a row showing data under one illustrative path (examples.intro, then
     * the examples cards) are tagged once, under the last of them. (A heading's `data:`
     * only says which section it opens.) */
    const char *parent = strcmp(kind, "heading") ? illustrative_parent(ctx, block) : NULL;
    if (!parent || (ctx->illustrative_pending && strcmp(parent, ctx->illustrative_pending)))
        illustrative_flush(ctx);
    if (!strcmp(kind, "salary_chart"))
        keep_with_block_before(ctx);
    int before = diag_error_count();
    const cp_node *outer = ctx->block;
    ctx->block = block;
    bool ok = (is_student_block(block) ? build_student_block(ctx, block, fn)
                                       : fn(ctx, block)) &&
              diag_error_count() == before;
    if (ok && parent)
        ctx->illustrative_pending = parent;
    ctx->block = outer;
    return ok;
}

bool engine_build_block(cp_ctx *ctx, const cp_node *block)
{
    return build_block(ctx, block);
}

cp_vec engine_build_into(cp_ctx *ctx, const cp_node *block, double width, bool *ok)
{
    cp_vec parts = {0};
    if (node_is_seq(block))
        return parts;
    cp_ctx sub = *ctx;
    sub.width = width;
    sub.pieces = &parts;
    *ok = build_block(&sub, block);
    illustrative_flush(&sub);           /* a column's blocks are tagged each */
    ctx->dest_serial = sub.dest_serial;
    ctx->illustrative_explained = sub.illustrative_explained;
    return parts;
}

/* --- pagination ---------------------------------------------------------------------- */

/* The career data a piece shows, when it comes from the career file: the item it
 * stands for, or its block's `data:`. (A note of the engine's own has no block.) */
static const cp_node *career_data_of(cp_ctx *ctx, const cp_piece *pc)
{
    if (!pc->src)
        return NULL;
    const cp_node *data = pc->what ? node_at(ctx->job->career, pc->what) : NULL;
    if (!data && node_str(pc->src, "data"))
        data = node_at(ctx->job->career, node_str(pc->src, "data"));
    return data && data->loc.file ? data : NULL;
}

/* "careers/x.yaml:40:3: error: salary.levels: WHAT (its salary_chart block,
 * layouts/handout.yaml:41); shorten ...": a part that cannot be printed, named where
 * the user can change it. */
static void layout_error_data(cp_ctx *ctx, const cp_node *data, const cp_piece *pc,
                              const char *what)
{
    const char *kind = node_is_scalar(pc->src) ? pc->src->text : node_str(pc->src, "kind");
    diag_error(&data->loc, data->path, "%s (its %s block, %s:%d); shorten this or the "
               "texts before it, or print it with --layout report", what, kind ? kind : "",
               pc->src->loc.file ? pc->src->loc.file : "the layout", pc->src->loc.line);
}

static size_t index_of(cp_vec *pieces, const cp_piece *pc)
{
    for (size_t i = 0; i < pieces->len; i++)
        if (pieces->items[i] == pc)
            return i;
    return (size_t)-1;
}

static bool paginate(cp_ctx *ctx, cp_vec *pieces, double footer_h)
{
    const cp_theme *th = ctx->th;
    size_t first = dl_page_count(ctx->doc);   /* pages of earlier sections */
    double top = th->margin_top, x = th->margin_inner;
    double room = th->page_h - th->margin_bottom - footer_h - top;
    size_t n = pieces->len, too_tall = 0;
    cp_box *boxes = ARENA_ARRAY(ctx->a, cp_box, n ? n : 1);
    cp_slot *slots = ARENA_ARRAY(ctx->a, cp_slot, n ? n : 1);
    for (size_t i = 0; i < n; i++) {
        const cp_piece *pc = pieces->items[i];
        boxes[i] = (cp_box){pc->height, pc->space_before, pc->keep_with_next,
                            pc->header ? (int)index_of(pieces, pc->header) : -1};
    }
    size_t pages = paginate_plan(boxes, n, room, slots, &too_tall);
    if (pages == 0) {
        const cp_piece *pc = pieces->items[too_tall];
        bool sub = pc->src && pc->what && strcmp(pc->what, pc->src->path);
        layout_error(ctx, pc->src, "this part%s%s%s is %.0f pt tall but a page holds "
                     "%.0f pt, expected shorter text or a larger paper", sub ? " (" : "",
                     sub ? pc->what : "", sub ? ")" : "", pc->height, room);
        return false;
    }
    if (first + pages > CP_MAX_PAGES) {
        layout_error(ctx, node_get(ctx->job->layout, "blocks"), "the document needs %zu "
                     "pages, expected at most %d: a layout or career this long is a "
                     "mistake", first + pages, CP_MAX_PAGES);
        return false;
    }
    for (size_t p = 0; p < pages; p++)
        dl_page_add(ctx->doc, th->page_w, th->page_h);
    for (size_t i = 0; i < n; i++) {
        const cp_piece *pc = pieces->items[i];
        dl_page *page = dl_page_get(ctx->doc, first + slots[i].page);
        if (slots[i].header_repeated)
            piece_place_artifact(ctx->doc, page, pc->header, x,
                                 top + slots[i].y - pc->header->height);
        piece_place(ctx->doc, page, pc, x, top + slots[i].y);
        ((cp_piece *)pc)->page = first + slots[i].page;
        ((cp_piece *)pc)->y = slots[i].y;
    }
    return true;
}

/* --- page furniture ------------------------------------------------------------------ */

/* `page.footer: false`: a poster carries its own credits and has no page numbers. */
static bool has_footer(cp_ctx *ctx)
{
    bool on = true;
    node_bool(node_at(ctx->job->layout, "page.footer"), &on);
    return on;
}

static double footer_height(cp_ctx *ctx)
{
    if (!has_footer(ctx))
        return 0;
    return ctx->th->style[ST_FOOTER].size * 1.2 + ctx->th->gap * 3;
}

static void add_footers(cp_ctx *ctx)
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

/* --- shared drawing ------------------------------------------------------------------ */

static bool icon_codepoint(cp_ctx *ctx, const char *name, uint32_t *cp)
{
    const char *hex = node_str(node_get(ctx->job->icons, "icons"), name);
    if (!hex)
        return false;
    char *end;
    unsigned long v = strtoul(hex, &end, 16);
    if (*end || v == 0 || v > 0x10FFFF)
        return false;
    *cp = (uint32_t)v;
    return true;
}

/* The drawing of an icon, or NULL after an error about `src` (or the block). */
static const dl_path *icon_path(cp_ctx *ctx, const char *name, const cp_node *src)
{
    uint32_t cp = 0;
    const dl_path *path = name && icon_codepoint(ctx, name, &cp) ? fonts_icon(ctx->fonts, cp)
                                                                 : NULL;
    if (path)
        return path;
    if (name && *name)
        layout_error(ctx, src, "unknown icon '%s', expected a name from fonts/icons.yaml",
                     name);
    else
        layout_error(ctx, src, "no icon, expected an icon: name from fonts/icons.yaml");
    return NULL;
}

bool icon_check(cp_ctx *ctx, const char *name, const cp_node *src)
{
    return icon_path(ctx, name, src) != NULL;
}

bool put_icon(cp_ctx *ctx, cp_piece *pc, const char *name, const cp_node *src, double x,
              double y, double size, cp_rgba color)
{
    /* Arrows point along the reading direction. */
    const char *dir = node_str(ctx->job->strings, "direction");
    if (name && dir && !strcmp(dir, "rtl") && !strcmp(name, "arrow-right"))
        name = "arrow-left";
    const dl_path *path = icon_path(ctx, name, src);
    if (!path)
        return false;
    dl_shape(ctx->doc, &pc->canvas, path, x, y, size, color);
    return true;
}

void put_bar(cp_ctx *ctx, cp_piece *pc, double x, double y, double w, double h,
             double share, cp_rgba fill)
{
    if (share < 0) share = 0;
    if (share > 1) share = 1;
    dl_rect(ctx->doc, &pc->canvas, x, y, w, h, ctx->th->color.track, h / 2);
    if (share > 0)
        dl_rect(ctx->doc, &pc->canvas, x, y, w * share < h ? h : w * share, h, fill, h / 2);
}

const char *heading_dest(cp_ctx *ctx, const char *key)
{
    const char *dot = strrchr(key, '.');
    return arena_printf(ctx->a, "sec-%s", dot ? dot + 1 : key);
}

const char *dest_page(cp_ctx *ctx, const char *dest)
{
    const char *page = ctx->dest_pages ? g_hash_table_lookup(ctx->dest_pages, dest) : NULL;
    return page ? page : "";
}

/* Where each destination landed, for the second pass. */
static GHashTable *collect_dest_pages(cp_ctx *ctx)
{
    GHashTable *map = g_hash_table_new(g_str_hash, g_str_equal);
    for (size_t p = 0; p < dl_page_count(ctx->doc); p++) {
        dl_page *page = dl_page_get(ctx->doc, p);
        for (size_t i = 0; i < page->items.len; i++) {
            const dl_item *it = page->items.items[i];
            if (it->kind == DL_DEST)
                g_hash_table_insert(map, (gpointer)it->dest,
                                    arena_printf(ctx->a, "%zu", p + 1));
        }
    }
    arena_on_free(ctx->a, (void (*)(void *))g_hash_table_destroy, map);
    return map;
}

const char *new_dest(cp_ctx *ctx, const char *hint)
{
    return arena_printf(ctx->a, "%s-%d", hint ? hint : "d", ++ctx->dest_serial);
}

/* --- the document -------------------------------------------------------------------- */

static void set_metadata(cp_ctx *ctx)
{
    const cp_node *c = ctx->job->career;
    dl_meta *m = &ctx->doc->meta;
    m->title = node_str(c, "title");
    m->author = node_str(node_get(c, "author"), "name");
    if (!m->author)
        m->author = node_str(c, "publisher");
    m->subject = node_str(c, "tagline");
    m->creator = "careerpdf";
    m->lang = node_str(ctx->job->strings, "lang");
    GString *kw = g_string_new(node_str(c, "role"));
    const cp_node *dims = node_get(c, "dimensions");
    for (size_t i = 0; dims && i < dims->len; i++)
        g_string_append_printf(kw, ", %s", dims->items[i]->text);
    m->keywords = arena_strdup(ctx->a, kw->str);
    g_string_free(kw, TRUE);
    const char *upd = node_str(c, "updated");   /* YYYY-MM or YYYY-MM-DD */
    if (upd && strlen(upd) >= 7)
        m->date = arena_printf(ctx->a, "%.7s-%s", upd, strlen(upd) >= 10 ? upd + 8 : "01");
}

/* --- right-to-left ------------------------------------------------------------------- */

/* Width a text item occupies: its wrap width when set, else its ink-free logical width. */
static double text_box_width(PangoLayout *l)
{
    int w = pango_layout_get_width(l);
    return w > 0 ? (double)w / PANGO_SCALE : text_width(l);
}

/* Right-to-left languages read the page from the right: every box is reflected about
 * the middle of the text column, so columns, bars, tables, the timeline and the page
 * furniture all swap sides, while each paragraph keeps its own (auto-detected)
 * direction and each icon its own drawing. One transform for every block kind. */
static void mirror_item(dl_item *it, double left, double right, GHashTable *flipped)
{
    double axis = left + right;
    switch (it->kind) {
    case DL_RECT: case DL_IMAGE: case DL_LINK:
        it->x = axis - it->x - it->w;
        break;
    case DL_LINE:
        it->x = axis - it->x;
        it->w = -it->w;
        break;
    case DL_PATH:
        it->x = axis - it->x - it->scale;
        break;
    case DL_TEXT:
        it->x = axis - it->x - text_box_width(it->layout);
        /* Text set flush right (amounts in tables) moves to the reading end; a
         * left-to-right paragraph (a Latin name) starts at the right like the page. */
        if (!g_hash_table_add(flipped, it->layout))  /* a repeated header shares it */
            break;
        if (pango_layout_get_alignment(it->layout) == PANGO_ALIGN_RIGHT)
            pango_layout_set_alignment(it->layout, PANGO_ALIGN_LEFT);
        else if (pango_layout_get_direction(it->layout, 0) == PANGO_DIRECTION_LTR)
            pango_layout_set_alignment(it->layout, PANGO_ALIGN_RIGHT);
        break;
    case DL_DEST:
        it->x = axis - it->x;
        break;
    default:
        break;
    }
}

static void mirror_document(cp_ctx *ctx)
{
    double left = ctx->th->margin_inner, right = ctx->th->page_w - ctx->th->margin_outer;
    GHashTable *flipped = g_hash_table_new(g_direct_hash, g_direct_equal);
    for (size_t p = 0; p < dl_page_count(ctx->doc); p++) {
        dl_page *page = dl_page_get(ctx->doc, p);
        for (size_t i = 0; i < page->items.len; i++)
            mirror_item(page->items.items[i], left, right, flipped);
    }
    g_hash_table_destroy(flipped);
}

/* A gap justify may widen: not the first, and not one after a piece that keeps with
 * the next (a heading stays with what it introduces). */
static bool stretchable(cp_vec *sec, size_t i)
{
    return i > 0 && !((const cp_piece *)sec->items[i - 1])->keep_with_next;
}

/* `page.justify: true`: a section that fits one page gets the leftover height spread
 * over the gaps between its blocks (at most three times each gap), so a poster fills
 * its page on papers of any proportion and a handout side ends at its foot. */
static void justify(cp_ctx *ctx, cp_vec *sec, double room)
{
    bool on = false;
    node_bool(node_at(ctx->job->layout, "page.justify"), &on);
    double used = 0, gaps = 0;
    for (size_t i = 0; i < sec->len; i++) {
        const cp_piece *pc = sec->items[i];
        used += pc->height + (i ? pc->space_before : 0);
        gaps += stretchable(sec, i) ? pc->space_before : 0;
    }
    if (!on || used > room || gaps <= 0)
        return;
    /* A hair short of the foot: rounding must not push the last piece over. */
    double k = 1 + fmin((room - used - 0.01) / gaps, 3);
    for (size_t i = 1; i < sec->len; i++)
        if (stretchable(sec, i))
            ((cp_piece *)sec->items[i])->space_before *= k;
}

/* Page breaks cut the pieces into sections; each section starts on a new page. */
static bool paginate_sections(cp_ctx *ctx, cp_vec *pieces)
{
    const cp_theme *th = ctx->th;
    double footer_h = footer_height(ctx);
    double room = th->page_h - th->margin_top - th->margin_bottom - footer_h;
    size_t start = 0;
    for (size_t i = 0; i <= pieces->len; i++) {
        if (i < pieces->len && !((cp_piece *)pieces->items[i])->page_break)
            continue;
        cp_vec sec = {.items = pieces->items + start, .len = i - start, .cap = i - start};
        start = i + 1;
        if (sec.len == 0)
            continue;
        justify(ctx, &sec, room);
        if (!paginate(ctx, &sec, footer_h))
            return false;
    }
    return true;
}

/* `max_pages: N`: a handout is one sheet, a poster one page. Too much content is an
 * error naming the layout, never a silent extra page or an overflow. */
static bool check_max_pages(cp_ctx *ctx)
{
    const cp_node *max = node_get(ctx->job->layout, "max_pages");
    double n;
    if (!max)
        return true;
    if (!node_number(max, &n) || n < 1 || n != (double)(size_t)n) {
        diag_error(&max->loc, max->path, "invalid max_pages '%s', expected a whole number "
                   "from 1", max->text ? max->text : "");
        return false;
    }
    size_t pages = dl_page_count(ctx->doc);
    if (pages <= (size_t)n)
        return true;
    /* Named after its file: "the handout needs 3 pages". */
    const char *file = max->loc.file ? max->loc.file : "layout";
    const char *base = strrchr(file, '/') ? strrchr(file, '/') + 1 : file;
    int name_len = (int)strcspn(base, ".");
    /* The career's data is what the user can change: point at the first part that
     * lands past the last page allowed, in the career file. */
    const cp_node *data = NULL;
    const cp_piece *late = NULL;
    for (size_t i = 0; i < ctx->pieces->len && !data; i++) {
        late = ctx->pieces->items[i];
        if (late->page >= (size_t)n && !late->student)
            data = career_data_of(ctx, late);
    }
    if (data) {
        layout_error_data(ctx, data, late, arena_printf(ctx->a, "does not fit the %.*s's "
                          "%.0f page%s (needs page %zu)", name_len, base, n,
                          n == 1 ? "" : "s", late->page + 1));
        return false;
    }
    diag_error(&max->loc, max->path, "the %.*s needs %zu pages, expected at most %.0f: "
               "shorten the career's texts or lower the layout's `limit:` values",
               name_len, base, pages, n);
    return false;
}

/* The one piece a block builds again, or NULL. The pieces go to a list of its own:
 * ctx->pieces is the flow's list again on return, whatever happened. */
static cp_piece *rebuild_piece(cp_ctx *ctx, const cp_node *block)
{
    cp_vec *flow = ctx->pieces, fresh = {0};
    ctx->pieces = &fresh;
    bool ok = build_block(ctx, block);
    ctx->pieces = flow;
    return ok && fresh.len == 1 ? fresh.items[0] : NULL;
}

/* Blocks that print page numbers (contents) set them in fixed-width slots, so only
 * their own pieces are built again once the pages are known, and the same pieces are
 * paginated again: page breaks come out exactly as in the first pagination. */
static bool renumber(cp_ctx *ctx)
{
    cp_vec *pieces = ctx->pieces;
    ctx->dest_pages = collect_dest_pages(ctx);
    for (size_t i = 0; i + 1 < ctx->numbered.len; i += 2) {
        size_t at = (size_t)(uintptr_t)ctx->numbered.items[i];
        const cp_node *block = ctx->numbered.items[i + 1];
        int before = diag_error_count();
        cp_piece *pc = at < pieces->len ? rebuild_piece(ctx, block) : NULL;
        if (!pc) {
            if (diag_error_count() == before)   /* never a failure without a message */
                layout_error(ctx, block, "the page numbers of this block cannot be set: "
                             "its second build differs from the first");
            return false;
        }
        /* Same place in the flow: keep the gap the pagination gave the first one. */
        pc->space_before = ((cp_piece *)pieces->items[at])->space_before;
        pieces->items[at] = pc;
    }
    dl_doc *fresh = dl_doc_new(ctx->a);
    fresh->outline = ctx->doc->outline;   /* the headings added them while building */
    ctx->doc = fresh;
    return paginate_sections(ctx, pieces);
}

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

static bool over_max_pages(cp_ctx *ctx)
{
    double n;
    return node_number(node_get(ctx->job->layout, "max_pages"), &n) &&
           (double)dl_page_count(ctx->doc) > n;
}

/* The last piece of the document's own flow: student blocks are left out, so that a
 * template and the whole document for any student judge the same page. */
static const cp_piece *last_shared_piece(cp_ctx *ctx)
{
    for (size_t i = ctx->pieces->len; i-- > 0;) {
        const cp_piece *pc = ctx->pieces->items[i];
        if (!pc->student && !pc->page_break)
            return pc;
    }
    return NULL;
}

/* How far down its content area the page of the last shared piece is used (0..1). */
static double last_page_fill(cp_ctx *ctx, const cp_piece *last)
{
    const cp_theme *th = ctx->th;
    double bottom = 0;
    for (size_t i = 0; i < ctx->pieces->len; i++) {
        const cp_piece *pc = ctx->pieces->items[i];
        if (!pc->student && !pc->page_break && pc->page == last->page)
            bottom = fmax(bottom, pc->y + pc->height);
    }
    double room = th->page_h - th->margin_top - th->margin_bottom;
    return bottom / room;
}

/* A last page holding a few lines looks like a mistake: when it is less than a fifth
 * full, the gaps between pieces are narrowed (to 85 %, then 70 %) if that brings it
 * back onto the page before. A layout with max_pages or justify sets its own rhythm. */
static bool pull_back_last_page(cp_ctx *ctx)
{
    const cp_piece *last = last_shared_piece(ctx);
    if (!last || last->page == 0 || last_page_fill(ctx, last) >= 0.2 ||
        node_get(ctx->job->layout, "max_pages"))
        return true;
    size_t page = last->page;
    cp_vec *pieces = ctx->pieces;
    double *gaps = ARENA_ARRAY(ctx->a, double, pieces->len ? pieces->len : 1);
    for (size_t i = 0; i < pieces->len; i++)
        gaps[i] = ((cp_piece *)pieces->items[i])->space_before;
    dl_doc *before = ctx->doc;
    static const double factors[] = {0.85, 0.7, 0.55};
    for (size_t f = 0; f < 3; f++) {
        for (size_t i = 0; i < pieces->len; i++)
            ((cp_piece *)pieces->items[i])->space_before = gaps[i] * factors[f];
        ctx->doc = dl_doc_new(ctx->a);
        ctx->doc->outline = before->outline;
        if (!paginate_sections(ctx, pieces))
            return false;
        if (last->page < page) {
            ctx->gap_factor = factors[f];
            return true;
        }
    }
    for (size_t i = 0; i < pieces->len; i++)   /* no luck: keep the first pagination */
        ((cp_piece *)pieces->items[i])->space_before = gaps[i];
    ctx->doc = before;   /* (the pieces' page and y now tell the last trial's story) */
    return true;
}

/* One pass: every block to pieces, pieces to pages. */
static bool run_pass(cp_ctx *ctx, const cp_node *blocks)
{
    int before = diag_error_count();
    cp_vec *pieces = ARENA_NEW(ctx->a, cp_vec);
    ctx->pieces = pieces;
    ctx->blocks = blocks;
    ctx->doc = dl_doc_new(ctx->a);
    ctx->dest_serial = 0;
    ctx->illustrative_explained = false;
    ctx->slots = 0;
    ctx->unshareable = false;
    /* Contents blocks register their pieces by position: a pass with fewer blocks
     * (if_room) must not inherit the positions of the pass before. */
    ctx->numbered = (cp_vec){0};
    ctx->wants_page_numbers = false;
    ctx->illustrative_pending = NULL;
    for (size_t i = 0; i < blocks->len; i++)
        build_block(ctx, blocks->items[i]);
    illustrative_flush(ctx);
    if (footnote_mode(ctx) && ctx->illustrative_explained)
        note_piece(ctx, "labels.illustrative_note", ctx->th->gap * 2, ST_FOOTER);
    return diag_error_count() == before && paginate_sections(ctx, pieces);
}

void engine_direction(cp_ctx *ctx)
{
    const char *dir = node_str(ctx->job->strings, "direction");
    if (dir && !strcmp(dir, "rtl"))
        mirror_document(ctx);
}

double engine_content_top(cp_ctx *ctx)
{
    return ctx->th->margin_top;
}

double engine_content_bottom(cp_ctx *ctx)
{
    return ctx->th->page_h - ctx->th->margin_bottom - footer_height(ctx);
}

double engine_room(cp_ctx *ctx)
{
    return engine_content_bottom(ctx) - engine_content_top(ctx);
}

/* The whole pipeline, for a document (FULL) or a template (TEMPLATE); ctx is the
 * context it ran in. */
static dl_doc *lay_out(cp_ctx *ctx, cp_arena *a, const cp_job *job, cp_mode mode,
                       unsigned present)
{
    cp_theme *th = ARENA_NEW(a, cp_theme);
    if (!theme_load(th, job->layout, job->paper, job->grayscale, job->layout_dir, a))
        return NULL;
    const char *lang = node_str(job->career, "lang");
    *ctx = (cp_ctx){.a = a, .job = job, .th = th, .fonts = job->fonts,
                    .lang = lang ? lang : "en", .mode = mode, .present = present,
                    .gap_factor = 1,
                    .width = th->page_w - th->margin_inner - th->margin_outer};
    const cp_node *blocks = node_get(job->layout, "blocks");
    if (!node_is_seq(blocks)) {
        diag_error(&job->layout->loc, "blocks", "missing list of blocks, expected "
                   "blocks: [cover, stat_cards, ...]");
        return NULL;
    }
    int before = diag_error_count();
    if (!run_pass(ctx, blocks))
        return NULL;
    /* Blocks marked `if_room: N` fill out a short document and are the first to go when
     * it is too long: the highest N first, a whole group at a time. */
    for (int level = max_if_room(blocks); level > 0 && over_max_pages(ctx); level--) {
        blocks = without_if_room(a, blocks, level);
        if (!run_pass(ctx, blocks))
            return NULL;
    }
    /* Page numbers printed in the document (contents) are known only after a first
     * pagination; they are set in fixed-width slots, so the second pass breaks pages
     * exactly like the first. */
    if (!pull_back_last_page(ctx))
        return NULL;
    if (ctx->wants_page_numbers && !renumber(ctx))
        return NULL;
    if (!check_max_pages(ctx))
        return NULL;
    if (!job->chapter)
        add_footers(ctx);
    engine_direction(ctx);
    set_metadata(ctx);
    return diag_error_count() == before ? ctx->doc : NULL;
}

dl_doc *layout_document(cp_arena *a, const cp_job *job)
{
    cp_ctx ctx;
    return lay_out(&ctx, a, job, MODE_FULL, 0);
}

/* Where each frame landed: its slot marker, in the page coordinates the pieces were
 * placed in (slots are not mirrored for right-to-left pages; the overlay is). */
static void find_frames(cp_ctx *ctx, cp_template *t)
{
    double top = engine_content_top(ctx), bottom = engine_content_bottom(ctx);
    for (size_t p = 0; p < dl_page_count(t->doc); p++) {
        const dl_page *page = dl_page_get(t->doc, p);
        for (size_t i = 0; i < page->items.len; i++) {
            const dl_item *it = page->items.items[i];
            if (it->kind != DL_SLOT || it->slot < 0 || (size_t)it->slot >= t->n_frames)
                continue;
            cp_frame *f = &t->frames[it->slot];
            *f = (cp_frame){.page = p, .x = it->x, .y = it->y, .w = it->w, .h = it->h,
                            .at_top = it->y <= top + 0.01};
            /* A page frame reaches to the foot of its page. */
            if (it->h == 0) {
                f->whole_page = true;
                f->h = bottom - it->y;
            }
        }
    }
}

cp_template_status layout_template(cp_arena *a, const cp_job *job, unsigned mask,
                                   cp_template *out)
{
    cp_job shared = *job;
    shared.student = NULL;
    cp_ctx ctx;
    *out = (cp_template){.mask = mask};
    out->doc = lay_out(&ctx, a, &shared, MODE_TEMPLATE, mask);
    if (!out->doc)
        return TEMPLATE_ERROR;
    for (unsigned m = mask; m; m &= m - 1)
        out->n_frames++;
    if (ctx.unshareable || (size_t)ctx.slots != out->n_frames)
        return TEMPLATE_NONE;
    out->gap_factor = ctx.gap_factor;
    find_frames(&ctx, out);
    return TEMPLATE_OK;
}

/* --- for documents assembled from others (handbook) ---------------------------------- */

bool engine_ctx_init(cp_ctx *ctx, cp_arena *a, const cp_job *job)
{
    cp_theme *th = ARENA_NEW(a, cp_theme);
    if (!theme_load(th, job->layout, job->paper, job->grayscale, job->layout_dir, a))
        return false;
    const char *lang = node_str(job->career, "lang");
    *ctx = (cp_ctx){.a = a, .job = job, .th = th, .fonts = job->fonts,
                    .lang = lang ? lang : "en", .doc = dl_doc_new(a),
                    .width = th->page_w - th->margin_inner - th->margin_outer};
    ctx->pieces = ARENA_NEW(a, cp_vec);
    return true;
}

bool engine_flow(cp_ctx *ctx)
{
    bool ok = paginate(ctx, ctx->pieces, footer_height(ctx));
    ctx->pieces = ARENA_NEW(ctx->a, cp_vec);
    return ok;
}

double engine_footer_height(cp_ctx *ctx)
{
    return footer_height(ctx);
}
