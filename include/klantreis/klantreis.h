/*
 * klantreis/klantreis.h - the whole public C API of klantreis: one header per module.
 *
 *     #include <klantreis/klantreis.h>
 *     // cc app.c $(pkg-config --cflags --libs klantreis)
 */
#ifndef KLANTREIS_H
#define KLANTREIS_H

#include "attention.h"
#include "attribution.h"
#include "common.h"
#include "demo.h"
#include "devices.h"
#include "emotion.h"
#include "event.h"
#include "funnel.h"
#include "import.h"
#include "lists.h"
#include "map.h"
#include "model.h"
#include "parse.h"
#include "paths.h"
#include "phases.h"
#include "privacy.h"
#include "reader.h"
#include "render.h"
#include "retention.h"
#include "sessions.h"
#include "stats.h"
#include "store.h"
#include "table.h"
#include "value.h"

#endif
