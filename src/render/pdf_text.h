/* pdf_text.h - the text layer of a finished PDF: what each glyph reads as, and in which
 * language.
 *
 * Part of the finisher's pass (pdf_finish.h). Two things cairo 1.16 does not
 * write well enough for readers that ignore marked-content ActualText (pdf.js, many
 * screen readers) or for PDF/UA's language rules:
 *
 * - Unicode per glyph. Where a cluster's glyphs do not map 1:1 to its characters (a
 *   Devanagari i-matra drawn before its consonant, a reph, an Arabic lam-alef ligature),
 *   cairo maps the glyphs' ToUnicode entries to U+FFFD or to whatever cluster used the
 *   glyph first, and wraps the cluster in a /Span with /ActualText. The finisher gives
 *   each such glyph a fresh CID of its CIDFontType2 font that draws the same glyph (the
 *   font's /CIDToGIDMap and /W say so) and whose ToUnicode entry is its share of the
 *   cluster's text (in logical order), then drops the ActualText span. Same glyph and
 *   text, same CID. Spans cairo writes without glyphs (the space at a line break, a bidi
 *   mark) are dropped. ToUnicode entries to U+FFFD that no glyph drawn any longer uses
 *   go. A zero-width mark drawn with an offset after it takes the offset as its
 *   advance; a word's first glyph that reads with a nonspacing mark hands the mark on
 *   to the next glyph (pdf.js does not advance over it).
 * - Visual order. cairo draws a right-to-left run in logical order, the pen moving
 *   left; readers that build words from positions want it left to right. Each such run
 *   is written again in visual order, every glyph where it was (pdf_text_rtl.c); a
 *   glyph of several characters (lam-alef) becomes one position per character, the
 *   run's spaces are drawn from its letters' font, invisibly, a glyph before a
 *   vowel mark drawn right of its end advances up to the mark, and a mark that ends a
 *   word after a space advances by the space and moves back (pdf.js measures from it).
 * - Rows left to right. The cells, chips and labels of a right-to-left row are drawn
 *   right to left, each left of the one before, where pdf.js adds no space between
 *   them; their marked-content sequences are written left to right, whole, with the
 *   state they were drawn in (pdf_text_rows.c).
 * - Language of runs. A run of text whose script is not the one of its element's
 *   language (Latin words in a Hindi paragraph, a Devanagari name in an English line)
 *   becomes a piece of its own: the element's marked content is split at the run's
 *   edges, each piece a new MCID of the same element, the run's with a marked-content
 *   /Lang (`/P << /MCID 7 /Lang (en) >> BDC`). Furniture is not split.
 *
 * The page is read once (pdf_content.h) and written once, with the finisher's artifacts
 * (pdf_artifacts.h) marked in the same walk. The parts: pdf_text.c (the page pass),
 * pdf_text_font.c (fonts and CIDs), pdf_text_carry.c (marks handed on),
 * pdf_text_rtl.c (right-to-left runs), pdf_text_rows.c (right-to-left rows),
 * pdf_text_lang.c (languages), pdf_text_page.h
 * (what they share).
 *
 * Same input, same bytes. */
#ifndef CP_PDF_TEXT_H
#define CP_PDF_TEXT_H

#include <stdbool.h>
#include <stddef.h>

#include <glib.h>
#include "pdf_doc.h"

#include "pdf_artifacts.h"

typedef struct pdf_text pdf_text;

/* The text layer of the document open in `doc`. */
pdf_text *pdf_text_new(pd_doc *doc);

/* The content `c` of `page` (a page dictionary: its /Resources and /StructParents) with
 * its clusters remapped and its runs marked with their language, and, when `art` is
 * not NULL, its page furniture marked as artifacts (pdf_artifacts.h) in the same walk:
 * a page is tokenized once. NULL when there was nothing to change or the content
 * cannot be read safely (it is then left as it is). */
GString *pdf_text_content(pdf_text *t, pd_obj *page, const char *c, size_t len,
                          pdf_artifacts *art);

/* The content `c` of a form XObject `form` (its stream: its /Resources) that pages draw
 * inside their tagged content (a tiled poster's assembly map and sheets show the poster
 * as one form): its text layer as a page's, and each run of another script than the
 * document's language in a /Span marked-content sequence with its /Lang, without an
 * MCID (the form's content belongs to the element the page draws it in). NULL when
 * nothing changed. */
GString *pdf_text_form(pdf_text *t, pd_obj *form, const char *c, size_t len);

/* Writes the fonts' new CIDs (CIDToGIDMap, /W, ToUnicode) into the document and frees
 * `t`. Call before the document is written. */
void pdf_text_finish(pdf_text *t);

#endif
