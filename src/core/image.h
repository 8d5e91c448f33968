/* image.h - what an image file is, read from its first bytes.
 *
 * Layouts name image files (a theme's logo). Before anything is laid out the file is
 * probed: its format (PNG or JPEG, the two the writers embed) and its size in pixels,
 * so a missing file, a text file named .png or a CMYK JPEG is an error at the layout's
 * line instead of a logo that silently does not appear. Decoding is the writers' job
 * (src/render/image_load.h). */
#ifndef CP_IMAGE_H
#define CP_IMAGE_H

#include <stdbool.h>

typedef enum { IMAGE_PNG = 1, IMAGE_JPEG } cp_image_kind;

typedef struct {
    cp_image_kind kind;
    int width, height;   /* pixels */
} cp_image_info;

/* Reads the header of `path`. False with *why set to what is wrong, in words that end
 * "expected ..." (a static string, or strerror's). */
bool image_probe(const char *path, cp_image_info *info, const char **why);

#endif
