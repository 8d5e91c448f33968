/* image.c - format and size of PNG and JPEG files from their headers (image.h). */
#include "image.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static unsigned be16(const unsigned char *p) { return (unsigned)p[0] << 8 | p[1]; }
static unsigned long be32(const unsigned char *p)
{
    return (unsigned long)p[0] << 24 | (unsigned long)p[1] << 16 | (unsigned long)p[2] << 8 |
           p[3];
}

/* PNG: the signature, then IHDR, whose first fields are width and height. */
static bool probe_png(FILE *f, cp_image_info *info, const char **why)
{
    unsigned char h[16];   /* after the signature: chunk length, "IHDR", width, height */
    if (fread(h, 1, sizeof h, f) != sizeof h || memcmp(h + 4, "IHDR", 4)) {
        *why = "a PNG file cut short, expected a whole PNG or JPEG file";
        return false;
    }
    unsigned long w = be32(h + 8), ht = be32(h + 12);
    if (w == 0 || ht == 0 || w > 100000 || ht > 100000) {
        *why = "a PNG of no size or over 100,000 pixels a side, expected a real image";
        return false;
    }
    *info = (cp_image_info){IMAGE_PNG, (int)w, (int)ht};
    return true;
}

/* JPEG: markers after SOI until a start-of-frame, which holds the size and the number
 * of colour components (1 grey, 3 YCbCr; 4 is CMYK, which print PDFs handle badly and
 * libjpeg cannot turn into RGB). */
static bool probe_jpeg(FILE *f, cp_image_info *info, const char **why)
{
    for (int markers = 0; markers < 1000; markers++) {
        int c = fgetc(f);
        while (c == 0xFF)
            c = fgetc(f);
        if (c == EOF)
            break;
        if (c == 0xD8 || (c >= 0xD0 && c <= 0xD7) || c == 0x01)
            continue;   /* markers without a length */
        unsigned char len[2];
        if (fread(len, 1, 2, f) != 2 || be16(len) < 2)
            break;
        bool sof = c >= 0xC0 && c <= 0xCF && c != 0xC4 && c != 0xC8 && c != 0xCC;
        if (!sof) {
            if (fseek(f, (long)be16(len) - 2, SEEK_CUR) != 0)
                break;
            continue;
        }
        unsigned char s[6];
        if (fread(s, 1, 6, f) != 6)
            break;
        unsigned ht = be16(s + 1), w = be16(s + 3);
        if (w == 0 || ht == 0) {
            *why = "a JPEG of no size, expected a real image";
            return false;
        }
        if (s[5] != 1 && s[5] != 3) {
            *why = "a CMYK JPEG, expected an RGB or greyscale JPEG (or a PNG)";
            return false;
        }
        *info = (cp_image_info){IMAGE_JPEG, (int)w, (int)ht};
        return true;
    }
    *why = "a JPEG file without a frame header, expected a whole PNG or JPEG file";
    return false;
}

bool image_probe(const char *path, cp_image_info *info, const char **why)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        *why = strerror(errno);
        return false;
    }
    if (S_ISDIR(st.st_mode)) {
        *why = "a folder, expected a PNG or JPEG file";
        return false;
    }
    FILE *f = fopen(path, "rb");
    if (!f) {
        *why = strerror(errno);
        return false;
    }
    unsigned char magic[8] = {0};
    size_t n = fread(magic, 1, sizeof magic, f);
    bool ok = false;
    if (n == 8 && !memcmp(magic, "\x89PNG\r\n\x1a\n", 8)) {
        ok = probe_png(f, info, why);
    } else if (n >= 3 && magic[0] == 0xFF && magic[1] == 0xD8 && magic[2] == 0xFF) {
        ok = fseek(f, 2, SEEK_SET) == 0 && probe_jpeg(f, info, why);
    } else {
        *why = n == 0 ? "an empty file, expected a PNG or JPEG file"
                      : "neither PNG nor JPEG, expected a PNG or JPEG file";
    }
    fclose(f);
    return ok;
}
