/* image_load.h - PNG and JPEG files decoded for drawing, at the size the print needs.
 *
 * A logo is drawn a few centimetres wide: decoding a 9000 x 9000 PNG whole would take
 * 324 MB of pixels for a picture printed at 700 pixels. Files are read row by row
 * (libpng, libjpeg) and reduced on the fly with a box filter to at most `max_w` x
 * `max_h` pixels, so memory stays at a row of the file plus the result. A JPEG also
 * keeps its own bytes as cairo mime data: the PDF writer embeds them as they are,
 * without decoding or re-encoding, and the pixels serve PNG and SVG output. */
#ifndef CP_IMAGE_LOAD_H
#define CP_IMAGE_LOAD_H

#include <cairo.h>

/* The image fitted into max_w x max_h pixels (never enlarged), or NULL when the file
 * cannot be read or decoded (the layout checked it when it was loaded). */
cairo_surface_t *image_load(const char *path, int max_w, int max_h);

/* Pixels an image needs to print `w_pt` x `h_pt` points at 300 dpi. */
int image_print_pixels(double pt);

#endif
