/* student.h - `when: student` blocks (student.c): built for a student, or reserved as
 * an empty frame in a shared template. Internal to src/layout. */
#ifndef CP_STUDENT_H
#define CP_STUDENT_H

#include "ctx.h"

/* A student block: built by `fn` (FULL, OVERLAY) or reserved (TEMPLATE). Built, its box
 * fills its frame at least; a page frame keeps the block on a page of its own. Every
 * piece it makes is marked `student`. */
bool build_student_block(cp_ctx *ctx, const cp_node *block, block_build_fn fn);

#endif
