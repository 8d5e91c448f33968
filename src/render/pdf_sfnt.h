/* pdf_sfnt.h - a TrueType font program (sfnt with glyf outlines) given glyphs that are
 * other glyphs moved: composite glyphs of one component at an offset.
 *
 * Why: a vowel mark (an Arabic shadda, a Devanagari e-matra) is drawn where the shaper
 * put it, above or beside its letter, at an offset from the pen. Text extractors place
 * each character by its glyph's origin, so a mark drawn away from the pen reads as a
 * word of its own, or on a line of its own ("يح ّولونها"). A glyph that is the mark
 * moved by that offset, drawn at the pen, looks the same and reads in place. The
 * finisher's text layer (pdf_text_font.c) asks for such glyphs; this file only knows
 * the font format.
 *
 * The fonts are cairo's subsets: glyf, loca, head, hhea, hmtx, maxp (and cmap for simple
 * fonts), no hinting. Any other sfnt with glyf outlines works too, as long as it has no
 * table whose size follows the glyph count (hdmx, LTSH, VDMX): then nothing is added. */
#ifndef CP_PDF_SFNT_H
#define CP_PDF_SFNT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What the finisher needs to know of a font program: false when it is not an sfnt with
 * glyf outlines that can take new glyphs. */
typedef struct {
    unsigned num_glyphs;
    unsigned units_per_em;
} sfnt_info;
bool sfnt_read_info(const uint8_t *font, size_t len, sfnt_info *info);

/* A glyph to add: glyph `gid` moved by (dx, dy) font units. */
typedef struct {
    uint16_t gid;
    int16_t dx, dy;
} sfnt_moved;

/* The font program with the n glyphs of `moved` added after its own, in that order
 * (glyph ids num_glyphs, num_glyphs + 1, ...); a new buffer (g_free) of *out_len bytes,
 * or NULL when the font cannot take them (see sfnt_read_info). */
uint8_t *sfnt_add_moved(const uint8_t *font, size_t len, const sfnt_moved *moved, size_t n,
                        size_t *out_len);

#endif
