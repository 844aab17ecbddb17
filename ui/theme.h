#pragma once

#include "settings.h"

/// Applies the theme: the platform style and palette (System), or Fusion with a light or dark
/// palette. Call once at startup and again when Settings::themeChanged fires.
void applyTheme(Settings::Theme theme);
