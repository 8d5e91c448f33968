/* ctx.c - the layout context's basics: messages, pieces, a block's options and data,
 * student blocks by position, and the one call back to the engine (columns). */
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "ctx.h"
#include "illustrative.h"

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

const cp_node *career_data_of(cp_ctx *ctx, const cp_piece *pc)
{
    if (!pc->src)
        return NULL;
    const cp_node *data = pc->what ? node_at(ctx->job->career, pc->what) : NULL;
    if (!data && node_str(pc->src, "data"))
        data = node_at(ctx->job->career, node_str(pc->src, "data"));
    return data && data->loc.file ? data : NULL;
}

void layout_error_data(cp_ctx *ctx, const cp_node *data, const cp_piece *pc,
                       const char *what)
{
    const char *kind = node_is_scalar(pc->src) ? pc->src->text : node_str(pc->src, "kind");
    diag_error(&data->loc, data->path, "%s (its %s block, %s:%d); shorten this or the "
               "texts before it, or print it with --layout report", what, kind ? kind : "",
               pc->src->loc.file ? pc->src->loc.file : "the layout", pc->src->loc.line);
}

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

void piece_place_artifact(dl_doc *doc, dl_page *page, const cp_piece *pc, double x,
                          double y)
{
    dl_tag_begin(doc, page, DL_ARTIFACT_ROLE);
    size_t first = page->items.len, kept = first;
    piece_place(doc, page, pc, x, y);
    for (size_t i = first; i < page->items.len; i++) {
        dl_item *it = page->items.items[i];
        if (it->kind != DL_TAG_BEGIN && it->kind != DL_TAG_END)
            page->items.items[kept++] = it;
    }
    page->items.len = kept;
    dl_tag_end(doc, page);
}

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

size_t block_limit(const cp_node *block, bool report)
{
    const cp_node *lim = node_get(block, "limit");
    double v;
    if (!lim)
        return SIZE_MAX;
    if (node_number(lim, &v) && v >= 1 && v == floor(v) && v < 1e9)
        return (size_t)v;
    if (report)
        diag_error(&lim->loc, lim->path, "invalid limit '%s', expected a whole number of "
                   "items from 1", lim->text ? lim->text : "");
    return SIZE_MAX;
}

size_t block_keep(cp_ctx *ctx, const cp_node *block, bool report)
{
    size_t keep = block_limit(block, report);
    for (size_t i = 0; i < ctx->shortened.len; i++) {
        const cp_cut *c = ctx->shortened.items[i];
        if (c->block == block && c->keep < keep)
            keep = c->keep;
    }
    return keep;
}

/* `limit: N` keeps the first N items of a list: short layouts (handout, poster) say how
 * they shorten the data ("the top 5 skills") instead of overflowing their pages, and
 * may shorten it further (shorten.c). The copy shares the items; only the count
 * differs. */
static const cp_node *limited(cp_ctx *ctx, const cp_node *block, const cp_node *n)
{
    size_t keep = block_keep(ctx, block, true);
    if (!node_is_seq(n) || n->len <= keep)
        return n;
    cp_node *copy = ARENA_NEW(ctx->a, cp_node);
    *copy = *n;
    copy->len = keep;
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

bool block_is_student(const cp_node *block)
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
        n += block_is_student(blocks->items[i]);
    }
    return -1;
}

bool block_skipped(cp_ctx *ctx, const cp_node *block)
{
    /* `when: student` blocks appear only in personalised reports. */
    if (block_is_student(block)) {
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

cp_vec engine_build_into(cp_ctx *ctx, const cp_node *block, double width, bool *ok)
{
    cp_vec parts = {0};
    if (node_is_seq(block))
        return parts;
    cp_ctx sub = *ctx;
    sub.width = width;
    sub.pieces = &parts;
    *ok = ctx->build(&sub, block);
    illustrative_flush(&sub);           /* a column's blocks are tagged each */
    ctx->dest_serial = sub.dest_serial;
    ctx->illustrative_explained = sub.illustrative_explained;
    return parts;
}
