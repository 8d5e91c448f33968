/* sheets.h - print finishing of a laid-out document, after pagination: a poster split
 * onto office paper (--tile), or pages grown by a bleed with crop marks (--bleed).
 *
 * Both return a new document in the same arena and never change what the layout
 * decided: tiles show the original page through DL_PAGE_REF items (one recording per
 * page in the writer, so a PDF holds the poster's content once however many sheets
 * show it), bleed copies the page's items shifted into a larger page. */
#ifndef CP_SHEETS_H
#define CP_SHEETS_H

#include "../model/node.h"
#include "../render/dlist.h"
#include "fonts.h"

/* Overlap between neighbouring sheets, and the margin around each sheet's part of the
 * poster (room for office printers' unprintable edge, the cut marks and the label). */
#define SHEET_OVERLAP_MM 10.0
#define SHEET_MARGIN_MM 10.0

/* Rows and columns of sheets a w x h page needs on a sheet_w x sheet_h paper (points)
 * in the orientation given; the fewest sheets win in sheets_tile. */
void sheets_grid(double w, double h, double sheet_w, double sheet_h, int *rows, int *cols);

/* Every page split onto `paper` sheets (A4, Letter...) at actual size: 10 mm overlap,
 * cut and overlap marks, a row/column label on every sheet ("B3"), and first an
 * assembly map. Portrait or landscape, whichever needs fewer sheets. The words on the
 * sheets are the `sheets` labels of `strings` (content/strings/LANG.yaml, checked).
 * NULL after a message (unknown paper, a page that already fits one sheet). */
dl_doc *sheets_tile(dl_doc *doc, const char *paper, cp_fonts *fonts,
                    const cp_node *strings);

/* Every page grown by `bleed_mm` on each side plus a slug for crop marks; rectangles
 * that touch a page edge (full-bleed backgrounds) run on into the bleed. */
dl_doc *sheets_bleed(dl_doc *doc, double bleed_mm);

#endif
