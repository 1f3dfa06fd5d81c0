/*
 * tool_temp.h - the temporary files of outputs not yet finished, between
 * the files of the tool skeleton (not for tools): made beside the file
 * they replace, renamed into place when complete, removed when the run
 * fails or is killed.
 *
 * The skeleton's bottom layer: it calls nothing of the skeleton, so that
 * tool_die (tool.c) can remove the temporaries and tool_output.c can
 * make them, with no file calling back into one that calls it.
 */
#ifndef TFR_TOOL_TEMP_H
#define TFR_TOOL_TEMP_H

/* A slot for one more temporary, or -1 when all are taken. */
int tool_temp_slot(void);

/* Create the temporary named by the mkstemp template name (shorter than
 * PATH_MAX) in slot: its descriptor, or -1 with errno. From then on a
 * failure or SIGINT, SIGTERM, SIGHUP removes it. */
int tool_temp_create(int slot, const char *name);

/* Rename slot's temporary to final, which it then no longer is: 0, or
 * -1 with errno (the temporary is still removed on failure). */
int tool_temp_commit(int slot, const char *final);

/* Remove every temporary not yet renamed into place (on the way to an
 * error exit). */
void tool_temps_abandon(void);

#endif
