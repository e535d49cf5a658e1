// The front end's entry point: parse and resolve (frontend/parser.h), then compile
// (frontend/compiler.h). Compilation only starts on an error-free tree.
#include "frontend/frontend.h"

#include "frontend/compiler.h"
#include "frontend/parser.h"

namespace kiln {

FunctionProto* compileSource(VM& vm, std::string_view source, Diagnostics& diagnostics,
                             const CompileOptions& options) {
  diagnostics.setSource(source);  // for the columns of compile errors
  ParseOptions parseOptions;
  parseOptions.replTrailingExpression = options.replTrailingExpression;
  std::unique_ptr<ast::Program> program = parse(source, diagnostics, parseOptions);
  if (program == nullptr || diagnostics.hadError()) return nullptr;
  return compileProgram(vm, *program, diagnostics);
}

}  // namespace kiln
