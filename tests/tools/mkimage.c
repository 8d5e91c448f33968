/* mkimage.c - writes test images of any size, row by row (a 9000 x 9000 PNG costs one
 * row of memory): mkimage png|jpeg|png-interlaced WIDTH HEIGHT OUT. The picture is a
 * colour gradient with a dark diagonal band, so a misplaced or squashed image shows. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>
#include <png.h>

static void pixel(int x, int y, int w, int h, unsigned char *rgb)
{
    int band = abs(x * h / w - y) < h / 10;
    rgb[0] = band ? 20 : (unsigned char)(255 * x / w);
    rgb[1] = band ? 40 : (unsigned char)(255 * y / h);
    rgb[2] = band ? 90 : 160;
}

int main(int argc, char **argv)
{
    if (argc != 5)
        return fprintf(stderr, "usage: mkimage png|jpeg WIDTH HEIGHT OUT\n"), 2;
    int w = atoi(argv[2]), h = atoi(argv[3]);
    FILE *f = fopen(argv[4], "wb");
    unsigned char *row = malloc((size_t)w * 3);
    if (!f || !row || w < 1 || h < 1)
        return perror(argv[4]), 1;
    if (!strcmp(argv[1], "jpeg")) {
        struct jpeg_compress_struct c;
        struct jpeg_error_mgr err;
        c.err = jpeg_std_error(&err);
        jpeg_create_compress(&c);
        jpeg_stdio_dest(&c, f);
        c.image_width = (JDIMENSION)w;
        c.image_height = (JDIMENSION)h;
        c.input_components = 3;
        c.in_color_space = JCS_RGB;
        jpeg_set_defaults(&c);
        jpeg_set_quality(&c, 85, TRUE);
        jpeg_start_compress(&c, TRUE);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++)
                pixel(x, y, w, h, row + x * 3);
            JSAMPROW r[1] = {row};
            jpeg_write_scanlines(&c, r, 1);
        }
        jpeg_finish_compress(&c);
        jpeg_destroy_compress(&c);
    } else {
        png_structp p = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
        png_infop info = png_create_info_struct(p);
        png_init_io(p, f);
        png_set_IHDR(p, info, (png_uint_32)w, (png_uint_32)h, 8, PNG_COLOR_TYPE_RGB,
                     PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
                     PNG_FILTER_TYPE_DEFAULT);
        png_set_compression_level(p, 1);
        png_write_info(p, info);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++)
                pixel(x, y, w, h, row + x * 3);
            png_write_row(p, row);
        }
        png_write_end(p, info);
        png_destroy_write_struct(&p, &info);
    }
    free(row);
    return fclose(f) != 0;
}
