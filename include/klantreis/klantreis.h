/*
 * klantreis/klantreis.h - the whole public C API of klantreis: one header per module.
 *
 *     #include <klantreis/klantreis.h>
 *     // cc app.c $(pkg-config --cflags --libs klantreis)
 */
#ifndef KLANTREIS_H
#define KLANTREIS_H

#include "common.h"
#include "demo.h"
#include "devices.h"
#include "event.h"
#include "funnel.h"
#include "import.h"
#include "model.h"
#include "parse.h"
#include "phases.h"
#include "privacy.h"
#include "reader.h"
#include "retention.h"
#include "render.h"
#include "stats.h"
#include "store.h"
#include "table.h"

#endif
