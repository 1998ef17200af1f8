# Turns src/store/migrations/*.sql into a C++ source holding keel::store::migrations(), the table
# of {version, description, SQLite text, PostgreSQL text} (docs/store.md, "Adding a migration").
# Run at build time by src/store/CMakeLists.txt:
#   cmake -DMIGRATIONS_DIR=<dir> -DOUTPUT=<file.cpp> -P embed_migrations.cmake
#
# A migration is NNNN_short_name.sql when one text serves both backends, or the pair
# NNNN_short_name.sqlite.sql + NNNN_short_name.postgresql.sql. Its first line is
# `-- keel migration: <description>`; the statements are the lines after it, embedded as they are.
# Any other file name, a version given twice, a missing or empty description, a pair whose
# descriptions differ and a version with the text of one backend only stop the build, naming the file.

cmake_minimum_required(VERSION 3.20)

if(NOT MIGRATIONS_DIR OR NOT OUTPUT)
  message(FATAL_ERROR "embed_migrations.cmake needs -DMIGRATIONS_DIR=<dir> and -DOUTPUT=<file>")
endif()

set(prefix "-- keel migration: ")
# Each text is one raw string literal with this delimiter, so it must not hold the closing sequence.
set(delimiter "keel_sql")

file(GLOB files RELATIVE ${MIGRATIONS_DIR} ${MIGRATIONS_DIR}/*)
list(SORT files)  # four-digit numbers: file order is version order

set(versions "")
foreach(name IN LISTS files)
  if(name MATCHES "^\\.")  # an editor's hidden file
    continue()
  endif()
  if(NOT name MATCHES "^([0-9][0-9][0-9][0-9])_([a-z0-9_]+)(\\.sqlite|\\.postgresql)?\\.sql$")
    message(FATAL_ERROR "${MIGRATIONS_DIR}/${name}: a migration is named NNNN_short_name.sql, or "
                        "NNNN_short_name.sqlite.sql and NNNN_short_name.postgresql.sql (lower case, digits, _)")
  endif()
  set(number ${CMAKE_MATCH_1})
  set(stem "${CMAKE_MATCH_1}_${CMAKE_MATCH_2}")
  set(dialect "${CMAKE_MATCH_3}")
  string(REGEX REPLACE "^0+" "" version "${number}")
  if(version STREQUAL "")
    message(FATAL_ERROR "${MIGRATIONS_DIR}/${name}: versions start at 0001")
  endif()

  file(READ ${MIGRATIONS_DIR}/${name} content)
  string(FIND "${content}" "\n" eol)
  if(eol EQUAL -1)
    message(FATAL_ERROR "${MIGRATIONS_DIR}/${name}: no statements after the description line")
  endif()
  string(SUBSTRING "${content}" 0 ${eol} first_line)
  math(EXPR body_start "${eol} + 1")
  string(SUBSTRING "${content}" ${body_start} -1 body)
  string(LENGTH "${prefix}" prefix_length)
  string(FIND "${first_line}" "${prefix}" at)
  if(NOT at EQUAL 0)
    message(FATAL_ERROR "${MIGRATIONS_DIR}/${name}: the first line must be `${prefix}<description>`")
  endif()
  string(SUBSTRING "${first_line}" ${prefix_length} -1 description)
  string(STRIP "${description}" description)
  if(description STREQUAL "")
    message(FATAL_ERROR "${MIGRATIONS_DIR}/${name}: the description after `${prefix}` is empty")
  endif()
  string(STRIP "${body}" stripped)
  if(stripped STREQUAL "")
    message(FATAL_ERROR "${MIGRATIONS_DIR}/${name}: no statements after the description line")
  endif()
  string(FIND "${description}${body}" ")${delimiter}\"" found)
  if(NOT found EQUAL -1)
    message(FATAL_ERROR "${MIGRATIONS_DIR}/${name}: holds `)${delimiter}\"`, which would end the embedded text")
  endif()

  if(NOT version IN_LIST versions)
    list(APPEND versions ${version})
    set(stem_${version} ${stem})
    set(description_${version} "${description}")
    set(file_${version} ${name})
  elseif(NOT stem_${version} STREQUAL stem)
    message(FATAL_ERROR "${MIGRATIONS_DIR}/${name}: version ${version} is also ${file_${version}}")
  elseif(NOT description_${version} STREQUAL description)
    message(FATAL_ERROR "${MIGRATIONS_DIR}/${name}: its description differs from ${file_${version}}'s")
  endif()
  if("${dialect}" STREQUAL "")
    set(shared_${version} "${body}")
  elseif("${dialect}" STREQUAL ".sqlite")
    set(sqlite_${version} "${body}")
  else()
    set(postgresql_${version} "${body}")
  endif()
endforeach()

if(NOT versions)
  message(FATAL_ERROR "${MIGRATIONS_DIR}: no migrations")
endif()

set(texts "")
set(entries "")
foreach(version IN LISTS versions)
  set(where "${MIGRATIONS_DIR}/${stem_${version}}")
  if(DEFINED shared_${version})
    if(DEFINED sqlite_${version} OR DEFINED postgresql_${version})
      message(FATAL_ERROR "${where}.sql: also has a .sqlite.sql or .postgresql.sql file; keep one or the pair")
    endif()
    string(APPEND texts "constexpr char k${stem_${version}}[] = R\"${delimiter}(${shared_${version}})${delimiter}\";\n\n")
    set(sqlite k${stem_${version}})
    set(postgresql k${stem_${version}})
  else()
    if(NOT DEFINED sqlite_${version})
      message(FATAL_ERROR "${where}.postgresql.sql: has no ${stem_${version}}.sqlite.sql beside it")
    endif()
    if(NOT DEFINED postgresql_${version})
      message(FATAL_ERROR "${where}.sqlite.sql: has no ${stem_${version}}.postgresql.sql beside it")
    endif()
    string(APPEND texts "constexpr char k${stem_${version}}_sqlite[] = R\"${delimiter}(${sqlite_${version}})${delimiter}\";\n\n")
    string(APPEND texts "constexpr char k${stem_${version}}_postgresql[] = R\"${delimiter}(${postgresql_${version}})${delimiter}\";\n\n")
    set(sqlite k${stem_${version}}_sqlite)
    set(postgresql k${stem_${version}}_postgresql)
  endif()
  string(APPEND entries "    {${version}, R\"${delimiter}(${description_${version}})${delimiter}\", ${sqlite}, ${postgresql}},\n")
endforeach()

set(generated "// Generated from src/store/migrations/*.sql by cmake/embed_migrations.cmake: edit those files.
#include \"keel/store/migrations.h\"

namespace keel::store {
namespace {

${texts}constexpr Migration kMigrations[] = {
${entries}};

}  // namespace

std::span<const Migration> migrations() {
  return kMigrations;
}

}  // namespace keel::store
")

# Written only when it changed, so touching a .sql file without changing it compiles nothing.
set(current "")
if(EXISTS ${OUTPUT})
  file(READ ${OUTPUT} current)
endif()
if(NOT current STREQUAL generated)
  file(WRITE ${OUTPUT} "${generated}")
endif()
