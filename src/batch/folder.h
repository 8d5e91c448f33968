/* folder.h - the output folder of a roster run: a lock, and leftovers of killed runs. */
#ifndef CP_FOLDER_H
#define CP_FOLDER_H

#include <stdbool.h>
#include <stddef.h>

typedef struct cp_folder_lock cp_folder_lock;

/* Locks `dir` for this run (shard K of N shares the folder with the other shards of
 * its run; shard_n 0 = no shards). NULL after a message naming the other run's pid
 * when one is writing there. *alone is set when no other run (not even a shard) holds
 * the folder: only then may leftovers be removed. */
cp_folder_lock *folder_lock(const char *dir, int shard_k, int shard_n, bool *alone);
void folder_unlock(cp_folder_lock *l);

/* Removes the temporary files (".NAME.tmp.XXXXXX") a killed run left in `dir`: with a
 * stem, those of the files STEM.pdf, STEM.manifest.csv... (a merged file); without,
 * those of every PDF and manifest (a folder of reports). Returns how many. */
size_t folder_clean(const char *dir, const char *stem);

#endif
