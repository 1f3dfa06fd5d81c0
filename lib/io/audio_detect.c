/*
 * audio_detect.c - which audio container some bytes begin (tfr_audio.h):
 * magic numbers only, so that a tool which reads streams can name the
 * audio it refuses without loading libsndfile.
 */
#include "tfr_audio.h"

#include <string.h>

const char *tfr_audio_detect(const void *head, size_t n)
{
	const unsigned char *b = head;
	static const struct { const char *magic, *form; } t[] = {
		{ "fLaC", "FLAC" }, { "OggS", "Ogg" }, { "RF64", "RF64" },
		{ ".snd", "AU" }, { "caff", "CAF" }, { "ID3", "MP3" },
	};
	/* W64: "riff" and the rest of its RIFF GUID (four letters alone
	 * begin text too: the stream fuzzer found "riff#tfr ...") */
	static const unsigned char w64[16] = { 'r', 'i', 'f', 'f', 0x2E, 0x91, 0xCF,
	                                       0x11, 0xA5, 0xD6, 0x28, 0xDB, 0x04,
	                                       0xC1, 0x00, 0x00 };
	if (n >= 16 && !memcmp(b, w64, 16))
		return "W64";
	if (n >= 12 && (!memcmp(b, "RIFF", 4) || !memcmp(b, "RIFX", 4)) &&
	    !memcmp(b + 8, "WAVE", 4))
		return "WAV";
	if (n >= 12 && !memcmp(b, "FORM", 4) && !memcmp(b + 8, "AIFF", 4))
		return "AIFF";
	if (n >= 12 && !memcmp(b, "FORM", 4) && !memcmp(b + 8, "AIFC", 4))
		return "AIFF-C";
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		size_t k = strlen(t[i].magic);
		if (n >= k && !memcmp(b, t[i].magic, k))
			return t[i].form;
	}
	/* an MPEG audio frame: 11 bits of sync */
	if (n >= 2 && b[0] == 0xFF && (b[1] & 0xE0) == 0xE0)
		return "MP3";
	return NULL;
}
