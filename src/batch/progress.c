/* progress.c - a one-line bar: [#####-----] 1234/5000  150/s  25s left */
#include "progress.h"

#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BAR 28

double progress_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void progress_duration(char *buf, size_t n, double s)
{
    long t = (long)(s + 0.5);
    if (t >= 3600)
        snprintf(buf, n, "%ldh%02ldm", t / 3600, t / 60 % 60);
    else if (t >= 60)
        snprintf(buf, n, "%ldm%02lds", t / 60, t % 60);
    else
        snprintf(buf, n, "%lds", t);
}

static void draw(cp_progress *p, double now)
{
    double elapsed = now - p->start, rate = elapsed > 0 ? (double)p->done / elapsed : 0;
    int fill = p->total ? (int)((double)BAR * (double)p->done / (double)p->total) : 0;
    char bar[BAR + 1], left[32] = "";
    memset(bar, '#', (size_t)fill);
    memset(bar + fill, '-', (size_t)(BAR - fill));
    bar[BAR] = '\0';
    if (rate > 0 && p->done < p->total) {
        char d[24];
        progress_duration(d, sizeof d, (double)(p->total - p->done) / rate);
        snprintf(left, sizeof left, "  %s left", d);
    }
    char line[160];
    int n = snprintf(line, sizeof line, "\r[%s] %zu/%zu  %.0f/s%s", bar, p->done, p->total,
                     rate, left);
    /* Pad over whatever a longer previous line left behind. */
    fprintf(stderr, "%s%*s", line, p->width > n ? p->width - n : 0, "");
    fflush(stderr);
    p->width = n;
    p->last_draw = now;
}

void progress_start(cp_progress *p, size_t total, bool quiet)
{
    memset(p, 0, sizeof *p);
    p->show = !quiet && isatty(STDERR_FILENO);
    p->total = total;
    p->start = progress_now();
    if (p->show)
        draw(p, p->start);
}

void progress_step(cp_progress *p)
{
    p->done++;
    if (!p->show)
        return;
    double now = progress_now();
    if (now - p->last_draw >= 0.1 || p->done == p->total)
        draw(p, now);
}

void progress_clear(cp_progress *p)
{
    if (p->show && p->width) {
        fprintf(stderr, "\r%*s\r", p->width, "");
        fflush(stderr);
        p->width = 0;
    }
}
