/* engine.c - the passes: every block of a layout built into pieces, the pieces onto
 * pages, shortened as the layout declares while over `max_pages` (shorten.c), numbered
 * again for contents,
 * and finished (footers, direction, metadata). The top of src/layout (ctx.h lists the
 * layers): nothing below calls into it but through the context's `build` hook. */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "blocks.h"
#include "dests.h"
#include "engine.h"
#include "flow.h"
#include "illustrative.h"
#include "mirror.h"
#include "page.h"
#include "shorten.h"
#include "student.h"

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
    bool ok = (block_is_student(block) ? build_student_block(ctx, block, fn)
                                       : fn(ctx, block)) &&
              diag_error_count() == before;
    if (ok)
        shorten_note(ctx, block);
    if (ok && parent)
        ctx->illustrative_pending = parent;
    ctx->block = outer;
    return ok;
}

bool engine_build_block(cp_ctx *ctx, const cp_node *block)
{
    return build_block(ctx, block);
}

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
    return flow_sections(ctx, pieces);
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
        if (!flow_sections(ctx, pieces))
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
    illustrative_footnote(ctx);
    return diag_error_count() == before && flow_sections(ctx, pieces);
}

/* The whole pipeline, for a document (FULL) or a template (TEMPLATE); ctx is the
 * context it ran in. */
dl_doc *engine_lay_out(cp_ctx *ctx, cp_arena *a, const cp_job *job, cp_mode mode,
                       unsigned present)
{
    cp_theme *th = ARENA_NEW(a, cp_theme);
    if (!theme_load(th, job->layout, job->paper, job->grayscale, job->layout_dir, a))
        return NULL;
    const char *lang = node_str(job->career, "lang");
    *ctx = (cp_ctx){.a = a, .job = job, .th = th, .fonts = job->fonts,
                    .lang = lang ? lang : "en", .mode = mode, .present = present,
                    .gap_factor = 1, .build = build_block,
                    .width = th->page_w - th->margin_inner - th->margin_outer};
    const cp_node *blocks = node_get(job->layout, "blocks");
    if (!node_is_seq(blocks)) {
        diag_error(&job->layout->loc, "blocks", "missing list of blocks, expected "
                   "blocks: [cover, stat_cards, ...]");
        return NULL;
    }
    int before = diag_error_count();
    /* A fixed-size layout shortens a long career by its declared rules (if_room blocks,
     * shorten_to lists), or refuses it naming the career's field. */
    if (!shorten_fit(ctx, &blocks, run_pass))
        return NULL;
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
        engine_add_footers(ctx);
    engine_direction(ctx);
    set_metadata(ctx);
    return diag_error_count() == before ? ctx->doc : NULL;
}

dl_doc *layout_document(cp_arena *a, const cp_job *job)
{
    cp_ctx ctx;
    return engine_lay_out(&ctx, a, job, MODE_FULL, 0);
}

bool engine_ctx_init(cp_ctx *ctx, cp_arena *a, const cp_job *job)
{
    cp_theme *th = ARENA_NEW(a, cp_theme);
    if (!theme_load(th, job->layout, job->paper, job->grayscale, job->layout_dir, a))
        return false;
    const char *lang = node_str(job->career, "lang");
    *ctx = (cp_ctx){.a = a, .job = job, .th = th, .fonts = job->fonts,
                    .lang = lang ? lang : "en", .doc = dl_doc_new(a), .build = build_block,
                    .width = th->page_w - th->margin_inner - th->margin_outer};
    ctx->pieces = ARENA_NEW(a, cp_vec);
    return true;
}
