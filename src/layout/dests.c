/* dests.c - named destinations: made unique, derived from heading keys, and the pages
 * they landed on for a second pass that prints page numbers. */
#include <string.h>

#include "dests.h"

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
GHashTable *collect_dest_pages(cp_ctx *ctx)
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
