/* error.c - error codes to sentences, and the library version. */
#include "tfr_base.h"

const char *tfr_strerror(int err)
{
	switch (err) {
	case TFR_OK: return "success";
	case TFR_ENOMEM: return "out of memory";
	case TFR_EINVAL: return "invalid parameter";
	case TFR_EIO: return "input/output error";
	case TFR_EFORMAT: return "malformed input";
	case TFR_EAUDIO: return "cannot read audio";
	case TFR_ERANGE: return "value out of range";
	case TFR_ETTY: return "refusing to write binary data to a terminal";
	case TFR_EEOF: return "unexpected end of input";
	case TFR_EUNSUPPORTED: return "not supported";
	}
	return "unknown error";
}

const char *tfr_version(void)
{
	return TFR_VERSION_STRING;
}
