/* flow.h - pieces onto pages (flow.c): the decisions of paginate.c applied to the
 * pieces, sections cut at page breaks, `page.justify`. Internal to src/layout. */
#ifndef CP_FLOW_H
#define CP_FLOW_H

#include "ctx.h"

/* Pages in one laid-out document (a report is 6-9; the handbook assembles its chapters
 * separately): far above any real document, low enough to stop a runaway layout. */
#define CP_MAX_PAGES 500

/* Page breaks cut the pieces into sections; each section starts on a new page of
 * ctx->doc. Sets each piece's page and y. False after an error (a piece taller than a
 * page, too many pages). */
bool flow_sections(cp_ctx *ctx, cp_vec *pieces);
/* Paginates the pieces built so far onto new pages of ctx->doc, then starts afresh. */
bool engine_flow(cp_ctx *ctx);

#endif
