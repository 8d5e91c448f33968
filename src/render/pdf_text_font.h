/* pdf_text_font.h - the fonts of the text layer (pdf_text.h): what each glyph code of a
 * font reads as, and fresh CIDs that draw the same glyph and read as something else.
 *
 * cairo 1.16 writes every font as a Type0 font over a CIDFontType2 subset with
 * Identity-H codes (the code is the CID), a /CIDToGIDMap stream, /W widths and a
 * ToUnicode CMap. A CID font may map several CIDs to one glyph, each with its own
 * ToUnicode entry and width: that is how a glyph gets a reading of its own without
 * touching the font program. A font of another kind (a simple font, a CFF CID font,
 * whose CIDs are its charset's) is read but never given new CIDs.
 *
 * Internal to the text layer (pdf_text*.c). */
#ifndef CP_PDF_TEXT_FONT_H
#define CP_PDF_TEXT_FONT_H

#include <stdbool.h>
#include <stddef.h>

#include <glib.h>
#include "pdf_doc.h"

typedef struct {
    bool two_byte;       /* Type0 with Identity-H/V: two bytes per glyph */
    bool remappable;     /* a CIDFontType2 we can give new CIDs */
    bool zero_width;     /* some glyph has no advance (a mark): see marks_take_offsets */
    bool has_fffd;       /* some code reads as U+FFFD: which codes are drawn counts */
    bool rtl_read, has_rtl;  /* some code reads as a right-to-left letter (pdf_text_rtl.c,
                              * read once) */
    guint carry_seen;    /* f->tu's size when has_carry was read (pdf_text_carry.c) */
    bool has_carry;
    bool has_widths;     /* every code's advance is known (font_width): a CIDFontType2 or
                          * a simple TrueType or Type1 font */
    pd_doc *doc;
    pd_obj *font, *cidfont;
    GHashTable *tu;      /* code -> UTF-8 text (ToUnicode) */
    GHashTable *width;   /* CID -> width (/W) */
    int dw;              /* /DW */
    guint8 *c2g;         /* the CIDToGIDMap stream, or NULL for /Identity */
    size_t c2g_len;
    guint first_new;     /* the first CID free for new readings */
    GArray *new_gid;     /* new CID - first_new -> glyph id */
    GHashTable *by_reading;  /* "gid\x1fwidth\x1ftext" -> new CID */
    GHashTable *used;    /* codes reading U+FFFD that the content still draws */
    gint16 *script;      /* code -> the script of its first letter (font_code_script) */
    guint nscript;
    /* The font program, read when a moved glyph is first asked for (font_moved_cid) */
    bool program_read, can_move;
    guint8 *program;
    size_t program_len;
    guint num_glyphs, units_per_em;
    GArray *moved;       /* sfnt_moved: the glyphs added to the program, in order */
    GHashTable *by_move; /* "gid dx dy" -> the added glyph's id */
} font_info;

/* The font dictionary `font` read (its ToUnicode, and for a CIDFontType2 its widths and
 * CIDToGIDMap). */
font_info *font_read(pd_doc *doc, pd_obj *font);
void font_free(font_info *f);

/* The advance of a code (glyph space: thousandths of the size); only for a font that
 * has_widths. */
int font_width(const font_info *f, guint cid);

/* The CID that draws the glyph `cid` draws, reads as `text` and advances by `width`:
 * the same glyph, text and width give the same CID. Only for a remappable font. */
guint font_reading_cid(font_info *f, guint cid, const char *text, int width);

/* A CID that draws the glyph `cid` draws moved by (dx, dy) (in ems: text space over the
 * font size), reads as `text` and does not advance; 0 when the font program cannot take
 * new glyphs (see pdf_sfnt.h). The moved glyph is added to the font program when it is
 * written (font_write). */
guint font_moved_cid(font_info *f, guint cid, double dx, double dy, const char *text);

/* Marks for code `code`: NEUTRAL when its reading has no letter (digits, spaces,
 * punctuation, no reading), else the script of its first letter. A code reading as
 * U+FFFD counts as drawn (font_write keeps its entry). Read once per code. */
enum { FONT_NEUTRAL = -2 };
int font_code_script(font_info *f, guint code);

/* The font's new CIDs written into the document: the CIDToGIDMap, /W and a ToUnicode
 * CMap without the U+FFFD entries no glyph drawn uses any longer. Nothing for a font
 * that got none. */
void font_write(pd_doc *doc, font_info *f);

#endif
