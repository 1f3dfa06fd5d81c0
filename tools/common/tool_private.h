/* tool_private.h - between the files of the tool helper (not for tools). */
#ifndef TFR_TOOL_PRIVATE_H
#define TFR_TOOL_PRIVATE_H

/* Remove every output this run created and has not finished (on the way
 * to an error exit). */
void tool_outputs_abandon(void);

#endif
