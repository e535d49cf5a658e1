// Unit tests of the scanner (frontend/scanner.h) and of the compile-error format
// (frontend/diagnostics.h).
#include "frontend/scanner.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "frontend/diagnostics.h"

namespace kiln {
namespace {

using T = TokenType;

// Scans all of `source`, Eof included.
std::vector<Token> scanAll(std::string_view source) {
  Scanner scanner(source);
  std::vector<Token> tokens;
  for (;;) {
    tokens.push_back(scanner.scanToken());
    if (tokens.back().type == T::Eof) return tokens;
  }
}

std::vector<T> typesOf(std::string_view source) {
  std::vector<T> types;
  for (const Token& token : scanAll(source)) types.push_back(token.type);
  return types;
}

std::vector<std::string> lexemesOf(std::string_view source) {
  std::vector<std::string> lexemes;
  for (const Token& token : scanAll(source)) lexemes.emplace_back(token.lexeme);
  return lexemes;
}

TEST(ScannerTest, EveryPunctuationToken) {
  EXPECT_EQ(typesOf("( ) { } [ ] , . - + ; / * % : & | ^ ~"),
            (std::vector<T>{T::LeftParen,    T::RightParen, T::LeftBrace, T::RightBrace, T::LeftBracket,
                            T::RightBracket, T::Comma,      T::Dot,       T::Minus,      T::Plus,
                            T::Semicolon,    T::Slash,      T::Star,      T::Percent,    T::Colon,
                            T::Amp,          T::Pipe,       T::Caret,     T::Tilde,      T::Eof}));
}

TEST(ScannerTest, OneAndTwoCharacterOperators) {
  EXPECT_EQ(typesOf("! != = == > >= >> < <= <<"),
            (std::vector<T>{T::Bang, T::BangEqual, T::Equal, T::EqualEqual, T::Greater, T::GreaterEqual,
                            T::GreaterGreater, T::Less, T::LessEqual, T::LessLess, T::Eof}));
  // Longest match without spaces; `<<=` is `<<` then `=`, `===` is `==` then `=`.
  EXPECT_EQ(typesOf("a<<=b===c>>>d"),
            (std::vector<T>{T::Identifier, T::LessLess, T::Equal, T::Identifier, T::EqualEqual, T::Equal,
                            T::Identifier, T::GreaterGreater, T::Greater, T::Identifier, T::Eof}));
  EXPECT_EQ(lexemesOf("<<>>!==<="), (std::vector<std::string>{"<<", ">>", "!=", "=", "<=", ""}));
}

TEST(ScannerTest, EveryKeyword) {
  EXPECT_EQ(typesOf("and break class continue else false for fun if in nil or print return super this "
                    "true var while"),
            (std::vector<T>{T::And,   T::Break, T::Class, T::Continue, T::Else,  T::False, T::For,
                            T::Fun,   T::If,    T::In,    T::Nil,      T::Or,    T::Print, T::Return,
                            T::Super, T::This,  T::True,  T::Var,      T::While, T::Eof}));
}

TEST(ScannerTest, NamesThatAreNotKeywords) {
  // Only break, continue and in are new keywords; everything else is a name.
  for (std::string_view name : {"fn", "local", "string", "Number", "_", "_x1", "andy", "classy", "inner", "i",
                                "In", "BREAK", "funs", "iff", "nil_", "this2", "superclass", "variable"}) {
    std::vector<Token> tokens = scanAll(name);
    ASSERT_EQ(tokens.size(), 2u) << name;
    EXPECT_EQ(tokens[0].type, T::Identifier) << name;
    EXPECT_EQ(tokens[0].lexeme, name);
  }
}

TEST(ScannerTest, Numbers) {
  EXPECT_EQ(lexemesOf("0 42 3.14159 007"), (std::vector<std::string>{"0", "42", "3.14159", "007", ""}));
  // A dot belongs to a number only if a digit follows it.
  EXPECT_EQ(typesOf("1."), (std::vector<T>{T::Number, T::Dot, T::Eof}));
  EXPECT_EQ(lexemesOf("1.foo"), (std::vector<std::string>{"1", ".", "foo", ""}));
  EXPECT_EQ(typesOf(".5"), (std::vector<T>{T::Dot, T::Number, T::Eof}));
  EXPECT_EQ(lexemesOf("1.2.3"), (std::vector<std::string>{"1.2", ".", "3", ""}));
  // No sign, exponent or hex in a literal.
  EXPECT_EQ(lexemesOf("-1e5 0x1F"), (std::vector<std::string>{"-", "1", "e5", "0", "x1F", ""}));
}

TEST(ScannerTest, StringsHaveNoEscapesAndMaySpanLines) {
  std::vector<Token> tokens = scanAll("\"a\\nb\" \"x\ny\nz\" end");
  ASSERT_EQ(tokens.size(), 4u);
  EXPECT_EQ(tokens[0].type, T::String);
  EXPECT_EQ(tokens[0].lexeme, "\"a\\nb\"");  // the backslash is an ordinary character
  EXPECT_EQ(tokens[0].line, 1);
  EXPECT_EQ(tokens[1].type, T::String);
  EXPECT_EQ(tokens[1].lexeme, "\"x\ny\nz\"");
  EXPECT_EQ(tokens[1].line, 3);  // as in clox: the line where the string ends
  EXPECT_EQ(tokens[2].lexeme, "end");
  EXPECT_EQ(tokens[2].line, 3);
  // A backslash cannot escape a quote: the string ends at the second quote.
  EXPECT_EQ(typesOf("\"a\\\"b"), (std::vector<T>{T::String, T::Identifier, T::Eof}));
  EXPECT_EQ(lexemesOf("\"\""), (std::vector<std::string>{"\"\"", ""}));
}

TEST(ScannerTest, CommentsAndWhitespaceAreSkipped) {
  EXPECT_EQ(lexemesOf("a // comment ; print\n\t\r b // last"), (std::vector<std::string>{"a", "b", ""}));
  EXPECT_EQ(typesOf("a / b"), (std::vector<T>{T::Identifier, T::Slash, T::Identifier, T::Eof}));
  EXPECT_EQ(typesOf("//"), (std::vector<T>{T::Eof}));
  EXPECT_EQ(typesOf(""), (std::vector<T>{T::Eof}));
}

TEST(ScannerTest, LineCounting) {
  std::vector<Token> tokens = scanAll("a\nb // c\n\n  d\r\ne");
  ASSERT_EQ(tokens.size(), 5u);
  EXPECT_EQ(tokens[0].line, 1);
  EXPECT_EQ(tokens[1].line, 2);
  EXPECT_EQ(tokens[2].line, 4);
  EXPECT_EQ(tokens[3].line, 5);
  EXPECT_EQ(tokens[4].line, 5);  // Eof without a final newline: the last line
}

TEST(ScannerTest, EofAfterFinalNewlineIsOnTheNextLine) {
  std::vector<Token> tokens = scanAll("print 1;\n");
  EXPECT_EQ(tokens.back().type, T::Eof);
  EXPECT_EQ(tokens.back().line, 2);
  EXPECT_EQ(scanAll("\n\n\n").back().line, 4);
}

TEST(ScannerTest, EofRepeatsForever) {
  Scanner scanner("x");
  EXPECT_EQ(scanner.scanToken().type, T::Identifier);
  for (int i = 0; i < 3; i++) EXPECT_EQ(scanner.scanToken().type, T::Eof);
}

TEST(ScannerTest, UnexpectedCharacter) {
  std::vector<Token> tokens = scanAll("a\n@ # $ ? \\ `");
  ASSERT_EQ(tokens.size(), 8u);
  for (size_t i = 1; i < 7; i++) {
    EXPECT_EQ(tokens[i].type, T::Error);
    EXPECT_EQ(tokens[i].lexeme, "Unexpected character.");
    EXPECT_EQ(tokens[i].line, 2);
  }
}

TEST(ScannerTest, ScanningContinuesAfterAnError) {
  EXPECT_EQ(typesOf("a@b"), (std::vector<T>{T::Identifier, T::Error, T::Identifier, T::Eof}));
}

TEST(ScannerTest, UnterminatedStringIsReportedOnTheLastLine) {
  std::vector<Token> tokens = scanAll("print \"abc\ndef\n");
  ASSERT_EQ(tokens.size(), 3u);
  EXPECT_EQ(tokens[1].type, T::Error);
  EXPECT_EQ(tokens[1].lexeme, "Unterminated string.");
  EXPECT_EQ(tokens[1].line, 3);
  EXPECT_EQ(tokens[2].type, T::Eof);
}

TEST(ScannerTest, BinaryGarbageNeverStopsTheScanner) {
  // Every byte outside ASCII is one unexpected character.
  std::string high;
  for (int i = 0x80; i < 0x100; i++) high.push_back(static_cast<char>(i));
  std::vector<Token> tokens = scanAll(high);
  ASSERT_EQ(tokens.size(), 129u);
  for (size_t i = 0; i < 128; i++) EXPECT_EQ(tokens[i].type, T::Error);
  // All 256 byte values, twice: the scanner reaches Eof.
  std::string all;
  for (int i = 0; i < 512; i++) all.push_back(static_cast<char>(i % 256));
  EXPECT_EQ(scanAll(all).back().type, T::Eof);
  // A NUL byte is an unexpected character, not the end of the input.
  EXPECT_EQ(typesOf(std::string_view("a\0b", 3)),
            (std::vector<T>{T::Identifier, T::Error, T::Identifier, T::Eof}));
}

TEST(DiagnosticsTest, FormatsLikeClox) {
  Diagnostics diagnostics;
  EXPECT_FALSE(diagnostics.hadError());
  diagnostics.errorAt(Token{T::Identifier, "foo", 3}, "Expect ';' after value.");
  diagnostics.errorAt(Token{T::Eof, "", 9}, "Expect '}' after block.");
  diagnostics.errorAt(Token{T::Error, "Unexpected character.", 4}, "Unexpected character.");
  diagnostics.error(7, "Something.");
  EXPECT_TRUE(diagnostics.hadError());
  EXPECT_EQ(
      diagnostics.messages(),
      (std::vector<std::string>{"[line 3] Error at 'foo': Expect ';' after value.",
                                "[line 9] Error at end: Expect '}' after block.",
                                "[line 4] Error: Unexpected character.", "[line 7] Error: Something."}));
  diagnostics.clear();
  EXPECT_FALSE(diagnostics.hadError());
}

}  // namespace
}  // namespace kiln
