using System;
using System.Text;

namespace Backprop.Generator.Emitting;

/// <summary>
/// Writes C# line by line with four-space indentation and '\n' line endings, so the output is the
/// same bytes on every machine. <see cref="WriteBlock"/> opens a brace block that closes on dispose.
/// </summary>
internal sealed class IndentedWriter
{
    private const string IndentUnit = "    ";

    /// <summary>The longest line the writer aims for inside a type: comments wrap and long calls break to stay under it.</summary>
    public const int LineWidth = 120;

    /// <summary>What a wrapped comment's continuation lines start with, so they read as one comment.</summary>
    private const string CommentContinuation = "//   ";
    private readonly StringBuilder _builder = new();
    private int _depth;

    /// <summary>
    /// Writes one line at the current indentation. A <c>//</c> comment inside a type that would pass
    /// <see cref="LineWidth"/> wraps at spaces, its continuation lines indented under the first.
    /// </summary>
    public void WriteLine(string line)
    {
        int indent = _depth * IndentUnit.Length;
        if (_depth == 0 || indent + line.Length <= LineWidth || !line.StartsWith("// ", StringComparison.Ordinal))
        {
            WriteIndented(line);
            return;
        }

        string rest = line;
        string prefix = "";
        while (indent + prefix.Length + rest.Length > LineWidth)
        {
            int room = LineWidth - indent - prefix.Length;
            int cut = rest.LastIndexOf(' ', room);
            if (cut <= 3)
            {
                break; // one word longer than the line: leave it whole
            }

            WriteIndented(prefix + rest.Substring(0, cut));
            rest = rest.Substring(cut + 1);
            if (prefix.Length == 0)
            {
                rest = rest.TrimStart();
                prefix = CommentContinuation;
            }
        }

        WriteIndented(prefix + rest);
    }

    private void WriteIndented(string line)
    {
        for (int i = 0; i < _depth; i++)
        {
            _builder.Append(IndentUnit);
        }

        _builder.Append(line).Append('\n');
    }

    /// <summary>Whether <paramref name="line"/> fits in <see cref="LineWidth"/> at the current indentation.</summary>
    public bool Fits(string line) => (_depth * IndentUnit.Length) + line.Length <= LineWidth;

    public void WriteBlankLine() => _builder.Append('\n');

    /// <summary>
    /// Writes <c>head(arguments);</c> on one line when it fits in <see cref="LineWidth"/> with the indentation, else
    /// breaks after the parenthesis (or, when the callee alone is too long, inside its type arguments) and indents
    /// the rest one level.
    /// </summary>
    public void WriteCall(string head, string arguments)
    {
        string line = $"{head}({arguments});";
        if (Fits(line))
        {
            WriteLine(line);
            return;
        }

        int typeArguments = head.IndexOf('<');
        if (!Fits(head + "(") && typeArguments > 0)
        {
            // Even the callee is too long: break inside its type argument list instead.
            WriteLine(head.Substring(0, typeArguments + 1));
            _depth++;
            WriteLine($"{head.Substring(typeArguments + 1)}({arguments});");
            _depth--;
            return;
        }

        WriteLine(head + "(");
        _depth++;
        WriteLine(arguments + ");");
        _depth--;
    }

    /// <summary>
    /// Writes <c>left + right;</c> on one line when it fits in <see cref="LineWidth"/>, else breaks before the
    /// <c>+</c> and indents the second operand one level.
    /// </summary>
    public void WriteSum(string left, string right)
    {
        string line = $"{left} + {right};";
        if (Fits(line))
        {
            WriteLine(line);
            return;
        }

        WriteLine(left);
        _depth++;
        WriteLine($"+ {right};");
        _depth--;
    }

    /// <summary>Writes <paramref name="header"/> (if any), then <c>{</c>; the returned block writes <c>}</c>.</summary>
    public Block WriteBlock(string? header = null)
    {
        if (header is not null)
        {
            WriteLine(header);
        }

        WriteLine("{");
        _depth++;
        return new Block(this);
    }

    public override string ToString() => _builder.ToString();

    public readonly struct Block(IndentedWriter writer) : IDisposable
    {
        public void Dispose()
        {
            writer._depth--;
            writer.WriteLine("}");
        }
    }
}
