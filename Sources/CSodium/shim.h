#ifndef BAOXUE_CSODIUM_SHIM_H
#define BAOXUE_CSODIUM_SHIM_H
#include <sodium.h>
#endif
