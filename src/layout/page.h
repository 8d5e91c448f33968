/* page.h - the page around the flow (page.c): its content area and its running footer.
 * Internal to src/layout. */
#ifndef CP_PAGE_H
#define CP_PAGE_H

#include "ctx.h"

/* Top and bottom of the content area of a page (between margins and footer). */
double engine_content_top(cp_ctx *ctx);
double engine_content_bottom(cp_ctx *ctx);
/* Height a piece may have: the content area of one page. */
double engine_room(cp_ctx *ctx);
/* Height the footer takes above the bottom margin (0 with `page.footer: false`). */
double engine_footer_height(cp_ctx *ctx);
/* The footer of every page of ctx->doc: the layout's footer text, shortened with an
 * ellipsis before it reaches "Page N of M"; also sets each page's label. */
void engine_add_footers(cp_ctx *ctx);

#endif
