/* fonts.h - the process's fonts: bundled files only, shaped by Pango at 72 dpi.
 *
 * One cp_fonts per process (each batch worker owns its own): setting up fontconfig and
 * the Pango font map is the most expensive start-up step, and reusing it across
 * documents saves about a quarter of the per-document time. */
#ifndef CP_FONTS_H
#define CP_FONTS_H

#include <stdbool.h>
#include <stdint.h>

#include <pango/pango.h>

#include "../render/dlist.h"

typedef struct cp_fonts cp_fonts;

/* Loads every font in `fonts_dir` into a private fontconfig configuration (with a
 * cache directory under $XDG_CACHE_HOME or the system temp dir). NULL + message when
 * the folder holds no usable font. */
cp_fonts *fonts_new(const char *fonts_dir);
void fonts_free(cp_fonts *f);

/* The shared Pango context: 72 dpi, no hinting, so PDF and PNG break lines alike. */
PangoContext *fonts_context(cp_fonts *f);

/* The same fonts plus the fallbacks fonts/fallback.conf names (CJK, emoji), for a text
 * the bundled fonts cannot set; set up on first use. NULL when none can be loaded. */
PangoContext *fonts_fallback_context(cp_fonts *f);
/* Font families tried in order for body text: Latin first, then the scripts. */
const char *fonts_family_list(const cp_fonts *f);

/* The outline of an icon glyph (FontAwesome codepoint) in em units (1.0 = font size),
 * origin at the top-left of its square box; cached for the process. NULL when the icon
 * font lacks the glyph. */
const dl_path *fonts_icon(cp_fonts *f, uint32_t codepoint);

#endif
