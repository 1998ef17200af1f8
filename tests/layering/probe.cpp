// A translation unit of one module's layer that includes one header, KEEL_LAYERING_PROBE_HEADER
// (tests/layering/CMakeLists.txt): it compiles when the module may see that header and stops with
// "No such file or directory" when the layering forbids it.
#include KEEL_LAYERING_PROBE_HEADER

int keel_layering_probe() { return 0; }
