/* layout.h - from model to display list: the engine's public surface.
 *
 * A job names the (validated) documents to lay out; the engine builds every block of
 * the layout into unbreakable pieces measured with Pango, paginates them, adds page
 * furniture and returns the finished display list. */
#ifndef CP_LAYOUT_H
#define CP_LAYOUT_H

#include <stdbool.h>

#include "../model/node.h"
#include "../render/dlist.h"
#include "fonts.h"

typedef struct {
    const cp_node *career;   /* content/careers/ID.yaml, schema-checked */
    const cp_node *strings;  /* content/strings/LANG.yaml */
    const cp_node *layout;   /* layout with `extends` already merged */
    const char *layout_dir;  /* folder of the layout file (logo paths are relative to it) */
    const cp_node *student;  /* roster row (mapping of column → value) or NULL */
    const cp_node *icons;    /* fonts/icons.yaml: icon name → codepoint */
    const char *paper;       /* --paper, or NULL for the layout's own */
    bool grayscale;
    bool chapter;            /* part of a book: no page furniture (the book adds its own);
                                cards naming another career link to its chapter */
    cp_fonts *fonts;
} cp_job;

/* NULL after reporting through diag_error() (text that does not fit, a glyph no font
 * has, bad layout values...). The document lives in `a`. */
dl_doc *layout_document(cp_arena *a, const cp_job *job);

/* Names of the block kinds the engine knows, NULL-terminated (for --check and docs). */
const char *const *layout_block_kinds(void);

#endif
