// src/service/spec_define.h (private): the closed set of visitors that walk a request's or a
// result's description, for the files that define the descriptions.
//
// A public header declares a struct's description,
//
//   struct RiskCorrelationRequest {
//     ...
//     template <class V, class S>
//     static void fields(V& v, S& s);
//   };
//
// and one file of src/service/fields/ defines it and instantiates it for every visitor:
//
//   template <class V, class S>
//   void RiskCorrelationRequest::fields(V& v, S& s) {
//     v.field({.name = "window", ...}, s.window);
//   }
//   KEEL_SPEC_REQUEST_FIELDS(RiskCorrelationRequest)
//
// (KEEL_SPEC_FIELDS for a result, KEEL_SPEC_REPORT_FIELDS for the report's parts and the results
// they embed), so a change to one description recompiles its file, not every includer of the
// header. The visitors that read (JsonReader, CliOptions) see the struct; the others see it const.
// Each description is instantiated for the visitors of its role only (a result that no report
// embeds is never read): a
// description used in another role is a link error naming the struct and the visitor. A new
// visitor is added here, to the roles that use it.
#pragma once

#include "keel/service/spec.h"
#include "keel/service/spec_options.h"
#include "keel/service/spec_text.h"
#include "report_cells.h"
#include "spec_units.h"

#define KEEL_SPEC_FIELDS_READ(T, V) template void T::fields<V, T>(V&, T&);
#define KEEL_SPEC_FIELDS_WRITE(T, V) template void T::fields<V, const T>(V&, const T&);

// A result, or a part of one: written as JSON and as text, described in the OpenAPI document, its
// numbers' units read by the assistant.
#define KEEL_SPEC_FIELDS(T)                                                \
  KEEL_SPEC_FIELDS_WRITE(T, ::keel::spec::JsonWriter)                      \
  KEEL_SPEC_FIELDS_WRITE(T, ::keel::spec::SchemaWriter)                    \
  KEEL_SPEC_FIELDS_WRITE(T, ::keel::spec::text_detail::Collector)          \
  KEEL_SPEC_FIELDS_WRITE(T, ::keel::service::detail::UnitWriter)

// A request, or a part of one: also read from a JSON body, a query string and the command line.
#define KEEL_SPEC_REQUEST_FIELDS(T)                                        \
  KEEL_SPEC_FIELDS(T)                                                      \
  KEEL_SPEC_FIELDS_READ(T, ::keel::spec::JsonReader)                       \
  KEEL_SPEC_FIELDS_READ(T, ::keel::spec::CliOptions)                       \
  KEEL_SPEC_FIELDS_WRITE(T, ::keel::spec::QueryTyper)

// The report's parts (keel/service/report.h, report_sections.h) and the results its sections
// embed: read back as a kept report, and read by the renderers of positions.csv and report.xlsx,
// cell by cell and section by section (report_cells.h).
#define KEEL_SPEC_REPORT_FIELDS(T)                                         \
  KEEL_SPEC_FIELDS(T)                                                      \
  KEEL_SPEC_FIELDS_READ(T, ::keel::spec::JsonReader)                       \
  KEEL_SPEC_FIELDS_WRITE(T, ::keel::service::detail::CellCollector)        \
  KEEL_SPEC_FIELDS_WRITE(T, ::keel::service::detail::SectionVisitor)
