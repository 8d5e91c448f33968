/* engine.h - the top of src/layout: the passes that run the block builders over a
 * layout's blocks (engine.c), for the documents made of them (frames.c, handbook.c).
 * No block builder includes this file: see ctx.h for the layers. Internal to
 * src/layout. */
#ifndef CP_ENGINE_H
#define CP_ENGINE_H

#include "ctx.h"

/* Builds one block of the layout into ctx->pieces, as a pass does. */
bool engine_build_block(cp_ctx *ctx, const cp_node *block);
/* A context for the job's layout and theme with an empty document. */
bool engine_ctx_init(cp_ctx *ctx, cp_arena *a, const cp_job *job);
/* The whole pipeline, for a document (FULL) or a template (TEMPLATE) of the student
 * blocks in `present`; ctx is the context it ran in. NULL after an error. */
dl_doc *engine_lay_out(cp_ctx *ctx, cp_arena *a, const cp_job *job, cp_mode mode,
                       unsigned present);

#endif
